using TrainWatt.Estimation;
using TrainWatt.Measurement.Evaluation;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Evaluation;

/// <summary><see cref="PreDatasetEvaluation"/>: the families asked for and the baselines, scored on the same rows.</summary>
public sealed class PreDatasetEvaluationTests
{
    [Fact]
    public void Scores_The_Families_Asked_For_And_The_Baselines_On_Every_Row()
    {
        // Oracle: the journal set has 857 rows; leave-gpu-out holds out each row once (issue 6).
        string csv = Path.Combine(SharedData.RequireJournalPre(), "training-set.csv");
        var report = PreDatasetEvaluation.Run(new PreEvaluationRequest(csv, PreTarget.Power, EvaluationProtocol.LeaveGpuOut) { Families = [PreModelFamilies.Find("ridge")] });
        Assert.Equal(857, report.Rows);
        Assert.Equal(["ridge", "ml_co2_impact", "green_algorithms"], report.Results.Select(r => r.Model));
        Assert.All(report.Results, r => Assert.Equal(857, r.Metrics.Count));
    }

    [Fact]
    public void A_Missing_Dataset_Is_File_Not_Found()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => PreDatasetEvaluation.Run(new PreEvaluationRequest(dir.File("nope.csv"), PreTarget.Power, EvaluationProtocol.KFold)));
    }
}
