using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Evaluation;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Evaluation;

/// <summary><see cref="Seaa2023StepEvaluation"/>: the folder checks and the summary figures of the report.</summary>
public sealed class Seaa2023StepEvaluationTests
{
    [Fact]
    public void A_Missing_Folder_Is_Not_Found_And_A_Folder_Without_The_Index_Is_Bad_Data()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<DirectoryNotFoundException>(() => Seaa2023StepEvaluation.Run(new StepEvaluationRequest(dir.File("nowhere"))));
        Assert.Contains("--seaa2023 must name the SEAA 2023 data folder", missing.Message, StringComparison.Ordinal);
        Assert.Contains("trace-index.csv", Assert.Throws<InvalidDataException>(() => Seaa2023StepEvaluation.Run(new StepEvaluationRequest(dir.Path))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Report_Figures_Follow_From_The_Runs()
    {
        // Hand: projection points 10, 20, 30, 40 -> median 25; the truth (1000 J) inside step's interval in 3 of 4
        // runs -> 0.75; one fallback, two lost tails; RMSE ratio 0.5 / 20 = 0.025.
        static StepRunEvaluation Run(int epoch, bool covered, bool fellBack, bool lostTail) => new(
            $"r{epoch}", Energy.FromJoules(1000), TimeSpan.FromHours(1), 80, new Dictionary<string, Energy>(), epoch, epoch - 5, fellBack, lostTail,
            Energy.FromJoules(covered ? 900 : 1100), Energy.FromJoules(1200));
        var report = new StepEvaluationReport(
            Seaa2023EpochSource.Runs,
            [Run(10, true, false, true), Run(40, true, true, false), Run(20, false, false, true), Run(30, true, false, false)],
            new StepEvaluationSummary(4, new Dictionary<string, double> { ["step"] = 0.5, ["green_algorithms"] = 20 }, new Dictionary<string, double>()),
            ["a.csv: no device"]);
        Assert.Equal(25, report.StepMedianProjectionEpoch);
        Assert.Equal(0.75, report.StepIntervalCoverage);
        Assert.Equal(1, report.StepFallbacks);
        Assert.Equal(2, report.LostTailRuns);
        Assert.Equal(0.025, report.StepRmseVsGreenAlgorithms, 1e-15);
        Assert.Equal("runs", report.EpochSourceName);
    }

    [Fact]
    public void The_309_Seaa2023_Runs_Evaluate_Without_Failures_And_Write_One_Csv_Row_Each()
    {
        string folder = SharedData.RequireSeaa2023();
        using var dir = new TempDirectory();
        var report = Seaa2023StepEvaluation.Run(new StepEvaluationRequest(folder) { RunsCsv = dir.File("runs.csv") });
        Assert.Empty(report.Failures);
        Assert.Equal(309, report.Runs.Count);
        Assert.Equal(310, File.ReadAllLines(dir.File("runs.csv")).Length);
        Assert.Equal(47, report.LostTailRuns); // data README: 47 GPU traces lost their tail
    }
}
