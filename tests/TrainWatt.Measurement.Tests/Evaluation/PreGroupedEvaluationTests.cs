using TrainWatt.Estimation;
using TrainWatt.Measurement.Evaluation;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Evaluation;

/// <summary>Issue 15: honest evaluation on the journal set (../shared/data/journal2027-pre; skipped when absent).</summary>
public sealed class PreGroupedEvaluationTests
{
    private static PreEvaluationReport Evaluate(PreTarget target, EvaluationProtocol protocol, params string[] families) =>
        PreDatasetEvaluation.Run(new PreEvaluationRequest(Path.Combine(SharedData.RequireJournalPre(), "training-set.csv"), target, protocol)
        {
            Families = families.Select(PreModelFamilies.Find).ToArray(),
        });

    [Fact]
    public void Leave_Architecture_Out_Epoch_Duration_Of_The_Default_Family_Is_At_Most_150_Percent()
    {
        // Oracle: issue 15 acceptance (<= 150 % MAPE; ridge-log-load, the default before, scores 390 % on main).
        var report = Evaluate(PreTarget.EpochDuration, EvaluationProtocol.LeaveArchitectureOut, "ridge-log-load", "step-time");
        var best = report.Results.Single(r => r.IsDefault);
        Assert.Equal("step-time", best.Model);
        Assert.InRange(best.Metrics.MapePercent, 0, 150);
        Assert.True(best.Metrics.MapePercent < report.Results.Single(r => r.Model == "ridge-log-load").Metrics.MapePercent);
        // Per-group scores: one per architecture (journal README: six), the worst first, covering all 857 rows.
        Assert.Equal(6, best.Groups.Count);
        Assert.Equal(857, best.Groups.Sum(g => g.Metrics.Count));
        Assert.Equal(best.Groups.Max(g => g.Metrics.MapePercent), best.WorstGroup!.Metrics.MapePercent);
        Assert.Equal("architecture", report.GroupedBy);
    }

    [Fact]
    public void Grouped_KFold_Never_Tests_A_Configuration_That_Was_Trained_On_And_The_Paper_Split_Mostly_Does()
    {
        // Oracle: issue 15 measured that 99.6 % of a random 70/30 split's test rows have their configuration in the
        // training part (49 configurations of ~17 runs each, journal README); TrainWatt's seeded split is at least as bad.
        var grouped = Evaluate(PreTarget.Power, EvaluationProtocol.GroupedKFold, "ridge-log-load");
        Assert.Equal(0.0, grouped.ConfigurationOverlap);
        Assert.Equal(49, grouped.Configurations);
        var paper = Evaluate(PreTarget.Power, EvaluationProtocol.PaperSplit, "ridge-log-load");
        Assert.InRange(paper.ConfigurationOverlap, 0.99, 1.0);
    }

    [Theory]
    [InlineData(EvaluationProtocol.GroupedKFold, 49)]
    [InlineData(EvaluationProtocol.LeaveGpuOut, 3)]
    [InlineData(EvaluationProtocol.LeaveImageSizeOut, 3)]
    [InlineData(EvaluationProtocol.LeaveBatchOut, 3)]
    public void Every_Protocol_Reports_The_Interval_Coverage_Honestly(EvaluationProtocol protocol, int calibrationGroups)
    {
        // Coverage is measured with each calibration group left out of the calibration; the shortfall is what it lacks
        // of the nominal 90 % (journal README: 49 configurations, 3 GPUs, 3 image sizes, 3 batch sizes).
        var report = Evaluate(PreTarget.EpochEnergy, protocol, "step-time");
        var interval = report.Results.Single(r => r.Model == "step-time").Interval!;
        Assert.Equal(calibrationGroups, interval.CalibrationGroups);
        Assert.InRange(interval.GroupCoverage, 0, 1);
        Assert.Equal(Math.Max(0, 100 * (0.9 - interval.GroupCoverage)), interval.ShortfallPoints, 1e-12);
        Assert.All(report.Results.Where(r => r.IsBaseline), b => Assert.Null(b.Interval));
    }
}
