using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Core.Units;

namespace TrainWatt.Analysis.Tests.Comparison;

/// <summary>Issue 20: decisions on small samples, and defaults that fall back to what ordinary measured runs have.</summary>
public sealed class SmallSampleTests
{
    private static Observation Run(string arch, double joules, double? f1 = null, long? samples = null, Dictionary<string, string>? keys = null) =>
        new($"{arch}-{joules}", keys ?? new Dictionary<string, string> { ["architecture"] = arch }, Energy.FromJoules(joules), TimeSpan.FromSeconds(10), samples,
            f1 is { } f ? new Dictionary<string, double> { ["f1"] = f } : new Dictionary<string, double>());

    [Fact]
    public void Groups_Of_Two_Skip_Levene_And_Flag_Kruskal_Wallis_As_Too_Small()
    {
        // The case: 2 runs per group gave "Levene W = 3.7E+32" (both deviations from a 2-run median are equal).
        var runs = new[] { Run("a", 100), Run("a", 110), Run("b", 200), Run("b", 230) };

        var result = GroupAnalysis.Run(runs, ["architecture"], Metric.Energy);

        Assert.Null(result.Levene);
        Assert.NotNull(result.KruskalWallis);
        Assert.True(result.TestsOnSmallGroups);
        Assert.Contains(result.Notes, n => n.StartsWith("Too small: groups a (n = 2), b (n = 2) have fewer than 5 runs", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("Levene skipped: groups a (n = 2), b (n = 2) have fewer than 3 runs", StringComparison.Ordinal));
    }

    [Fact]
    public void Groups_Of_Five_Are_Tested_Without_A_Caveat()
    {
        var runs = Enumerable.Range(0, 5).SelectMany(i => new[] { Run("a", 100 + i), Run("b", 200 + (3 * i)) }).ToArray();

        var result = GroupAnalysis.Run(runs, ["architecture"], Metric.Energy);

        Assert.NotNull(result.Levene);
        Assert.False(result.TestsOnSmallGroups);
        Assert.DoesNotContain(result.Notes, n => n.Contains("Too small", StringComparison.Ordinal) || n.Contains("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Saving_Whose_Interval_Spans_Zero_Is_Not_Enough_Repetitions_To_Decide()
    {
        // Hand-made: A costs {100, 300} J, B {150, 250} J: medians 200 and 200, the bootstrap ratio CI of medians holds
        // both cheaper and dearer resamples (A 100 vs B 250 and A 300 vs B 150), so the saving's CI spans zero.
        var runs = new[] { Run("A", 100, 0.9), Run("A", 300, 0.9), Run("B", 150, 0.9), Run("B", 250, 0.9) };

        var result = Recommender.Recommend(runs, ["architecture"], Metric.Parse("f1"), 0.02, Metric.Energy);

        var saving = Assert.Single(result.Savings);
        Assert.True(saving.Lower < 0 && saving.Upper > 0, $"[{saving.Lower}, {saving.Upper}]");
        Assert.True(saving.Undecided);
        Assert.Contains(result.Notes, n => n.StartsWith($"Not enough repetitions to decide against {saving.Against.Label}", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("Too small: A (n = 2), B (n = 2) have fewer than 5 runs", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_Fall_Back_To_Energy_And_To_The_Tags_The_Runs_Have_And_Say_So()
    {
        var runs = new[] { Run("a", 100), Run("a", 110), Run("b", 200), Run("b", 210) };
        var notes = new List<string>();

        Assert.Equal(["architecture"], ComparisonDefaults.ByKeys(runs, ComparisonDefaults.By, isDefault: true, notes));
        Assert.Same(Metric.Energy, ComparisonDefaults.Metric(runs, Metric.EnergyPerSample, isDefault: true, notes));
        Assert.Equal(2, notes.Count);

        // Given by the user: never changed, nothing said
        var given = new List<string>();
        Assert.Equal(ComparisonDefaults.By, ComparisonDefaults.ByKeys(runs, ComparisonDefaults.By, isDefault: false, given));
        Assert.Same(Metric.EnergyPerSample, ComparisonDefaults.Metric(runs, Metric.EnergyPerSample, isDefault: false, given));
        Assert.Empty(given);
    }

    [Fact]
    public void Without_Any_Default_Key_An_Experiments_Config_Tag_Is_Used_And_Repetition_Numbers_Never_Are()
    {
        Dictionary<string, string> Keys(string config, string rep) => new() { ["experiment"] = "demo", ["config"] = config, ["rep"] = rep, ["batch"] = config };
        var runs = new[] { Run("x", 1, keys: Keys("c1", "1")), Run("x", 2, keys: Keys("c1", "2")), Run("x", 3, keys: Keys("c2", "1")), Run("x", 4, keys: Keys("c2", "2")) };
        var notes = new List<string>();

        Assert.Equal(["config"], ComparisonDefaults.ByKeys(runs, ComparisonDefaults.By, isDefault: true, notes));
        Assert.Contains("grouped by config", Assert.Single(notes), StringComparison.Ordinal);
    }
}
