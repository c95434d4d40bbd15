using System.Globalization;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Recommendation;

/// <summary>
/// One configuration (e.g. architecture x environment): its median cost (energy per sample by default) and median
/// score (e.g. F1), with bootstrap CIs from the run-to-run spread when measured; predicted points carry no spread.
/// </summary>
public sealed record ConfigurationPoint(
    IReadOnlyDictionary<string, string> Key,
    string Label,
    bool Predicted,
    int N,
    double Cost,
    ConfidenceInterval? CostCi,
    double Score,
    ConfidenceInterval? ScoreCi,
    IReadOnlyList<double> CostValues,
    bool OnParetoFront);

/// <summary>
/// The saving of the chosen configuration against another: 1 - median cost(chosen) / median cost(other), its CI from
/// a bootstrap of the ratio of medians (null when either side is predicted or has a single run), and the score
/// difference (chosen - other).
/// </summary>
public sealed record Saving(ConfigurationPoint Against, double Fraction, double? Lower, double? Upper, double ScoreDifference)
{
    /// <summary>True when the CI holds both a saving and a loss: there are not enough repetitions to decide.</summary>
    public bool Undecided => Lower is { } lower && Upper is { } upper && lower <= 0 && upper >= 0;
}

/// <summary>The answer of <c>trainwatt recommend</c>.</summary>
public sealed record RecommendationResult(
    Metric Cost,
    Metric Score,
    double MaxLoss,
    ConfigurationPoint MostAccurate,
    ConfigurationPoint Chosen,
    IReadOnlyList<ConfigurationPoint> Points,
    IReadOnlyList<Saving> Savings,
    IReadOnlyList<string> Notes)
{
    /// <summary>Absolute score loss of the chosen configuration against the most accurate one (median against median).</summary>
    public double ScoreLoss => MostAccurate.Score - Chosen.Score;
}

/// <summary>A configuration whose cost and score come from a prediction (e.g. PRE), not from measured runs.</summary>
public sealed record PredictedPoint(IReadOnlyDictionary<string, string> Key, double Cost, double Score);

/// <summary>
/// Picks the cheapest configuration whose median score is within <c>maxLoss</c> (absolute, in score units: 0.02 = two
/// F1 points) of the configuration with the best median score, marks the Pareto front of cost against score, and gives
/// the saving against every other configuration with a seeded bootstrap CI of the ratio of medians.
/// </summary>
public static class Recommender
{
    public static RecommendationResult Recommend(
        IReadOnlyList<Observation> runs,
        IReadOnlyList<string> by,
        Metric score,
        double maxLoss,
        Metric? cost = null,
        IReadOnlyList<PredictedPoint>? predicted = null,
        GroupAnalysisOptions? options = null)
    {
        cost ??= Metric.EnergyPerSample;
        options ??= new GroupAnalysisOptions();
        if (!(maxLoss >= 0) || !double.IsFinite(maxLoss))
        {
            throw new FormatException($"--max-loss must be a finite number >= 0 (absolute score units, e.g. 0.02); got {maxLoss}.");
        }

        if (score.Kind != MetricKind.Score)
        {
            throw new FormatException($"--metric must be a quality score such as f1 (higher is better); got {score.Name}.");
        }

        var notes = new List<string>();
        var usable = runs.Where(r => by.All(r.Keys.ContainsKey) && cost.ValueOf(r) is not null && score.ValueOf(r) is not null).ToArray();
        if (runs.Count > usable.Length)
        {
            notes.Add($"{runs.Count - usable.Length} run(s) without {cost.Name}, {score.Name} or a --by key were left out.");
        }

        var points = usable
            .GroupBy(r => string.Join('\u001f', by.Select(k => r.Keys[k])), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var costs = g.Select(r => cost.ValueOf(r)!.Value).ToArray();
                var scores = g.Select(r => score.ValueOf(r)!.Value).ToArray();
                var key = by.ToDictionary(k => k, k => g.First().Keys[k], StringComparer.Ordinal);
                return new ConfigurationPoint(
                    key, Label(by, key), false, costs.Length,
                    Descriptive.Median(costs), costs.Length >= 2 ? Bootstrap.MedianCi(costs, options.Level, options.Resamples, options.Seed) : null,
                    Descriptive.Median(scores), scores.Length >= 2 ? Bootstrap.MedianCi(scores, options.Level, options.Resamples, options.Seed) : null,
                    costs, false);
            })
            .ToList();

        foreach (var p in predicted ?? [])
        {
            points.Add(new ConfigurationPoint(p.Key, Label(p.Key.Keys.ToArray(), p.Key) + " (predicted)", true, 0, p.Cost, null, p.Score, null, [], false));
        }

        if (points.Count == 0)
        {
            throw new FormatException($"No configuration has both {cost.Name} and {score.Name}; check --metric and the filters.");
        }

        points = points.Select(p => p with { OnParetoFront = !points.Any(q => Dominates(q, p)) }).ToList();
        var best = points.OrderByDescending(p => p.Score).ThenBy(p => p.Cost).First();
        var chosen = points.Where(p => p.Score >= best.Score - maxLoss - 1e-12).OrderBy(p => p.Cost).ThenByDescending(p => p.Score).First();
        var savings = points.Where(p => !ReferenceEquals(p, chosen)).Select(p => SavingAgainst(chosen, p, options)).OrderByDescending(s => s.Fraction).ToArray();
        var small = points.Where(p => !p.Predicted && p.N < MinimumGroupSize.KruskalWallis).Select(p => $"{p.Label} (n = {p.N})").ToList();
        if (small.Count > 0)
        {
            notes.Add($"Too small: {string.Join(", ", small)} ha{(small.Count == 1 ? "s" : "ve")} fewer than {MinimumGroupSize.KruskalWallis} runs; medians and CIs from so few runs are rough. Measure at least {MinimumGroupSize.KruskalWallis} repetitions per configuration.");
        }

        foreach (var undecided in savings.Where(s => s.Undecided))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Not enough repetitions to decide against {undecided.Against.Label}: the saving's 95 % CI [{undecided.Lower * 100:F1} %, {undecided.Upper * 100:F1} %] spans zero (it may cost more). Measure more runs of both."));
        }

        if (chosen.Predicted)
        {
            notes.Add("The chosen configuration is predicted, not measured: measure it before relying on the saving.");
        }

        return new RecommendationResult(cost, score, maxLoss, best, chosen, points, savings, notes);
    }

    private static bool Dominates(ConfigurationPoint q, ConfigurationPoint p) =>
        q.Cost <= p.Cost && q.Score >= p.Score && (q.Cost < p.Cost || q.Score > p.Score);

    private static Saving SavingAgainst(ConfigurationPoint chosen, ConfigurationPoint other, GroupAnalysisOptions options)
    {
        double fraction = 1.0 - (chosen.Cost / other.Cost);
        if (chosen.N >= 2 && other.N >= 2)
        {
            var ratio = Bootstrap.MedianRatioCi(chosen.CostValues, other.CostValues, options.Level, options.Resamples, options.Seed);
            return new Saving(other, fraction, 1.0 - ratio.Upper, 1.0 - ratio.Lower, chosen.Score - other.Score);
        }

        return new Saving(other, fraction, null, null, chosen.Score - other.Score);
    }

    private static string Label(IReadOnlyList<string> by, IReadOnlyDictionary<string, string> key) =>
        string.Join(" / ", by.Where(key.ContainsKey).Select(k => key[k]));
}
