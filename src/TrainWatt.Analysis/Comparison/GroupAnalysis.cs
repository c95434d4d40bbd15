using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Comparison;

/// <summary>One group of runs sharing the values of the <c>--by</c> keys, with its descriptive statistics.</summary>
public sealed record GroupSummary(
    IReadOnlyDictionary<string, string> Key,
    string Label,
    int N,
    double Median,
    ConfidenceInterval? MedianCi,
    double Mean,
    double StandardDeviation,
    ShapiroWilkResult? Shapiro,
    IReadOnlyList<double> Values);

/// <summary>One post-hoc pair: Dunn's z and p (raw and Holm-adjusted) and Cliff's delta of A against B.</summary>
public sealed record PosthocPair(GroupSummary A, GroupSummary B, double Z, double P, double PHolm, CliffsDeltaResult CliffsDelta);

/// <summary>Everything <c>trainwatt analyze</c> reports: the paper's RQ1/RQ2 tables for one metric.</summary>
public sealed record GroupAnalysisResult(
    Metric Metric,
    IReadOnlyList<string> By,
    IReadOnlyList<GroupSummary> Groups,
    KruskalWallisResult? KruskalWallis,
    LeveneResult? Levene,
    IReadOnlyList<PosthocPair> Posthoc,
    TwoWayAnovaResult? Anova,
    int RunsWithoutMetric,
    IReadOnlyList<string> Notes)
{
    /// <summary>Optional Spearman trade-off correlations between the metric and <see cref="TradeOffScore"/>.</summary>
    public IReadOnlyList<TradeOffCorrelation>? TradeOff { get; init; }

    public string? TradeOffScore { get; init; }

    /// <summary>True when a group tested has fewer runs than Kruskal-Wallis and Dunn need (<see cref="MinimumGroupSize.KruskalWallis"/>): their results are indicative only (a note says which).</summary>
    public bool TestsOnSmallGroups { get; init; }
}

/// <summary>
/// The fewest runs per group each test of <see cref="GroupAnalysis"/> needs. Shapiro-Wilk: 3 (below, it is not
/// computed). Levene (Brown-Forsythe): 3 (below, skipped: with 2 runs both absolute deviations from the median are equal,
/// the within-group spread is 0 and W is infinite or meaningless). Kruskal-Wallis and Dunn: 5 (the chi-square and normal
/// approximations of their p-values; scipy's <c>kruskal</c> documentation gives the same minimum); below, computed and
/// flagged. Groups of 1 run are left out of every test.
/// </summary>
public static class MinimumGroupSize
{
    public const int ShapiroWilk = 3;

    public const int Levene = 3;

    public const int KruskalWallis = 5;

    /// <summary>"groups a (n = 2), b (n = 2) have" for the groups below <paramref name="minimum"/>; null when none is.</summary>
    internal static string? TooSmall(IEnumerable<GroupSummary> groups, int minimum)
    {
        var small = groups.Where(g => g.N < minimum).Select(g => $"{g.Label} (n = {g.N})").ToList();
        return small.Count switch
        {
            0 => null,
            1 => $"group {small[0]} has",
            _ => $"groups {string.Join(", ", small)} have",
        };
    }
}

/// <summary>Options of a group analysis: CI level, bootstrap resamples and seed.</summary>
public sealed record GroupAnalysisOptions(double Level = 0.95, int Resamples = Bootstrap.DefaultResamples, int Seed = Bootstrap.DefaultSeed);

/// <summary>
/// Groups runs by one or two keys and runs the paper's analysis (section 5.2 of the paper notes): per-group median with
/// a bootstrap CI and Shapiro-Wilk; Levene (Brown-Forsythe) across groups; Kruskal-Wallis with eta^2; Dunn post-hoc
/// with Holm correction and Cliff's delta per pair; with two keys, a type II two-way ANOVA with interaction.
/// </summary>
public static class GroupAnalysis
{
    public static GroupAnalysisResult Run(IReadOnlyList<Observation> runs, IReadOnlyList<string> by, Metric metric, GroupAnalysisOptions? options = null)
    {
        options ??= new GroupAnalysisOptions();
        if (by.Count is < 1 or > 2)
        {
            throw new FormatException($"--by takes one or two keys (e.g. architecture,environment); got {by.Count}.");
        }

        foreach (string key in by)
        {
            if (!runs.Any(r => r.Keys.ContainsKey(key)))
            {
                var known = runs.SelectMany(r => r.Keys.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                throw new FormatException($"--by key \"{key}\" is not a key of these runs; known keys: {string.Join(", ", known)}.");
            }
        }

        var notes = new List<string>();
        var withValue = runs
            .Select(r => (Run: r, Value: metric.ValueOf(r)))
            .Where(t => t.Value is not null && by.All(k => t.Run.Keys.ContainsKey(k)))
            .ToArray();
        int missing = runs.Count - withValue.Length;
        if (withValue.Length == 0)
        {
            throw new FormatException($"No run has the metric {metric.Name}; check --metric (runs report energy, duration and scores such as f1).");
        }

        var groups = withValue
            .GroupBy(t => string.Join('\u001f', by.Select(k => t.Run.Keys[k])), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summarise(by, g.First().Run.Keys, g.Select(t => t.Value!.Value).ToArray(), options))
            .ToArray();

        var testable = groups.Where(g => g.N >= 2).ToArray();
        if (testable.Length < groups.Length)
        {
            notes.Add($"{groups.Length - testable.Length} group(s) with a single run are left out of the tests.");
        }

        KruskalWallisResult? kw = null;
        LeveneResult? levene = null;
        var posthoc = new List<PosthocPair>();
        if (testable.Length >= 2)
        {
            var values = testable.Select(g => g.Values).ToArray();
            if (values.SelectMany(v => v).Distinct().Count() > 1)
            {
                kw = KruskalWallis.Test(values);
                if (MinimumGroupSize.TooSmall(testable, MinimumGroupSize.KruskalWallis) is { } small)
                {
                    notes.Add($"Too small: {small} fewer than {MinimumGroupSize.KruskalWallis} runs, the least Kruskal-Wallis and Dunn need for their chi-square and normal approximations; their p-values (and eta2) are indicative only. Measure at least {MinimumGroupSize.KruskalWallis} repetitions per group.");
                }

                if (MinimumGroupSize.TooSmall(testable, MinimumGroupSize.Levene) is { } tiny)
                {
                    notes.Add($"Levene skipped: {tiny} fewer than {MinimumGroupSize.Levene} runs (with 2 runs both deviations from the median are equal, so the within-group spread is 0 and W is meaningless).");
                }
                else
                {
                    levene = Levene.Test(values);
                }

                foreach (var pair in Dunn.Test(values))
                {
                    var a = testable[pair.A];
                    var b = testable[pair.B];
                    posthoc.Add(new PosthocPair(a, b, pair.Z, pair.P, pair.PHolm, CliffsDelta.Compute(a.Values, b.Values)));
                }
            }
            else
            {
                notes.Add("All values are equal: no test is defined.");
            }
        }
        else
        {
            notes.Add("Fewer than two groups with two or more runs: no omnibus test.");
        }

        TwoWayAnovaResult? anova = null;
        if (by.Count == 2)
        {
            var rows = testable.SelectMany(g => g.Values.Select(v => (A: g.Key[by[0]], B: g.Key[by[1]], Y: v))).ToArray();
            if (rows.Select(r => r.A).Distinct().Count() >= 2 && rows.Select(r => r.B).Distinct().Count() >= 2)
            {
                anova = TwoWayAnova.Test(rows.Select(r => r.A).ToArray(), rows.Select(r => r.B).ToArray(), rows.Select(r => r.Y).ToArray(), by[0], by[1]);
                int cells = rows.Select(r => (r.A, r.B)).Distinct().Count();
                int full = rows.Select(r => r.A).Distinct().Count() * rows.Select(r => r.B).Distinct().Count();
                if (cells < full)
                {
                    notes.Add($"Two-way ANOVA: {full - cells} of {full} cells are empty; the interaction has fewer degrees of freedom. Filter to a crossed subset (e.g. --filter environment=...) for the paper's design.");
                }
            }
            else
            {
                notes.Add("Two-way ANOVA needs at least two levels of each --by key.");
            }
        }

        return new GroupAnalysisResult(metric, by.ToArray(), groups, kw, levene, posthoc, anova, missing, notes)
        {
            TestsOnSmallGroups = kw is not null && testable.Any(g => g.N < MinimumGroupSize.KruskalWallis),
        };
    }

    private static GroupSummary Summarise(IReadOnlyList<string> by, IReadOnlyDictionary<string, string> keys, double[] values, GroupAnalysisOptions options)
    {
        var key = by.ToDictionary(k => k, k => keys[k], StringComparer.Ordinal);
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        ShapiroWilkResult? shapiro = values.Length >= 3 && values.Distinct().Count() > 1 ? ShapiroWilk.Test(values) : null;
        var ci = values.Length >= 2 ? Bootstrap.MedianCi(values, options.Level, options.Resamples, options.Seed) : null;
        return new GroupSummary(key, string.Join(" / ", by.Select(k => keys[k])), values.Length, Descriptive.Median(values), ci, mean, sd, shapiro, values);
    }
}
