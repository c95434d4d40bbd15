using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Comparison;

/// <summary>Spearman's rho between a cost metric and a score within one subset of runs, one-sided (rho &gt; 0).</summary>
public sealed record TradeOffCorrelation(IReadOnlyDictionary<string, string> Within, int N, double Rho, double PGreater);

/// <summary>
/// The paper's trade-off check: does spending more (energy per sample) buy a better score? Spearman correlation between
/// the metric and the score, one-sided (alternative: positive), within each level of a key (e.g. environment), as
/// scipy.stats.spearmanr(alternative='greater').
/// </summary>
public static class TradeOff
{
    public static IReadOnlyList<TradeOffCorrelation> Spearman(IReadOnlyList<Observation> runs, Metric metric, Metric score, string? within)
    {
        var pairs = runs
            .Select(r => (Run: r, X: metric.ValueOf(r), Y: score.ValueOf(r)))
            .Where(t => t.X is not null && t.Y is not null && (within is null || t.Run.Keys.ContainsKey(within)))
            .ToArray();
        var subsets = within is null
            ? [(Key: (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(), Items: pairs)]
            : pairs.GroupBy(t => t.Run.Keys[within], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Key: (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [within] = g.Key }, Items: g.ToArray()))
                .ToArray();
        var results = new List<TradeOffCorrelation>();
        foreach (var (key, items) in subsets)
        {
            var x = items.Select(t => t.X!.Value).ToArray();
            var y = items.Select(t => t.Y!.Value).ToArray();
            if (x.Length < 3 || x.Distinct().Count() < 2 || y.Distinct().Count() < 2)
            {
                continue;
            }

            var r = Correlation.Spearman(x, y, Alternative.Greater);
            results.Add(new TradeOffCorrelation(key, r.N, r.R, r.P));
        }

        return results;
    }
}
