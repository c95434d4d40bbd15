using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Core.Units;

namespace TrainWatt.Analysis.Tests.Comparison;

/// <summary>Group analysis on small hand-made runs whose results can be derived by hand.</summary>
public sealed class GroupAnalysisTests
{
    private static Observation Run(string arch, string env, double joules, long samples, double f1) =>
        new($"{arch}-{env}-{joules}", new Dictionary<string, string> { ["architecture"] = arch, ["environment"] = env },
            Energy.FromJoules(joules), TimeSpan.FromSeconds(joules / 100), samples, new Dictionary<string, double> { ["f1"] = f1 });

    [Fact]
    public void Two_separated_groups_give_the_hand_derived_h_delta_and_medians()
    {
        // Hand derivation: a = {1,2,3} J/sample, b = {4,5,6}; ranks a = 1,2,3 (sum 6), b = 4,5,6 (sum 15); N = 6:
        // H = 12/(6*7) * (36/3 + 225/3) - 3*7 = (2/7) * 87 - 21 = 3.857142857..., eta2 = (H - 1)/(6 - 2) = 0.714285714...
        // Cliff's delta a vs b = (0 - 9)/9 = -1. Medians 2 and 5.
        var runs = new[]
        {
            Run("a", "x", 100, 100, 0.9), Run("a", "x", 200, 100, 0.9), Run("a", "x", 300, 100, 0.9),
            Run("b", "x", 400, 100, 0.8), Run("b", "x", 500, 100, 0.8), Run("b", "x", 600, 100, 0.8),
        };
        var result = GroupAnalysis.Run(runs, ["architecture"], Metric.EnergyPerSample);
        Assert.Equal([2.0, 5.0], result.Groups.Select(g => g.Median));
        Assert.Equal(3.857142857142857, result.KruskalWallis!.H, 12);
        Assert.Equal(0.7142857142857143, result.KruskalWallis.EtaSquared, 12);
        Assert.Equal(-1.0, Assert.Single(result.Posthoc).CliffsDelta.Delta);
        Assert.Null(result.Anova);
    }

    [Fact]
    public void Runs_without_the_metric_are_counted_and_unknown_keys_are_named()
    {
        var noSamples = new Observation("z", new Dictionary<string, string> { ["architecture"] = "a" }, Energy.FromJoules(5), null, null, new Dictionary<string, double>());
        var runs = new[] { Run("a", "x", 100, 100, 0.9), Run("b", "x", 400, 100, 0.8), noSamples };
        var result = GroupAnalysis.Run(runs, ["architecture"], Metric.EnergyPerSample);
        Assert.Equal(1, result.RunsWithoutMetric);
        var error = Assert.Throws<FormatException>(() => GroupAnalysis.Run(runs, ["model"], Metric.EnergyPerSample));
        Assert.Contains("known keys: architecture, environment", error.Message, StringComparison.Ordinal);
    }
}
