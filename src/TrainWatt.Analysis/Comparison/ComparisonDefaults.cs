using TrainWatt.Analysis.Data;

namespace TrainWatt.Analysis.Comparison;

/// <summary>
/// What <c>analyze</c> and <c>recommend</c> compare when the user left <c>--by</c> or the metric at its default
/// (<c>architecture,environment</c>, <c>energy-per-sample</c>, made for the SEAA data): ordinary measured runs often
/// have neither. The defaults then fall back to what the runs have, and each fallback is said in a note. A value the
/// user gave is never changed.
/// </summary>
public static class ComparisonDefaults
{
    /// <summary>The keys <c>--by</c> defaults to.</summary>
    public static IReadOnlyList<string> By { get; } = ["architecture", "environment"];

    /// <summary>Tags that differ from run to run by design (an experiment's repetition number): never grouped by.</summary>
    private static readonly HashSet<string> PerRunKeys = new(StringComparer.Ordinal) { "rep", "run", "seed" };

    /// <summary>
    /// <paramref name="metric"/>, or energy (J) when it is the default energy per sample and no run has it (runs without
    /// samples per epoch) while some have energy.
    /// </summary>
    public static Metric Metric(IReadOnlyList<Observation> runs, Metric metric, bool isDefault, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(notes);
        if (!isDefault || metric.Kind != MetricKind.EnergyPerSample || runs.Any(r => metric.ValueOf(r) is not null) || !runs.Any(r => r.Energy is not null))
        {
            return metric;
        }

        notes.Add("No run reports the samples it trained on (per epoch), so energy per sample is unknown: compared energy (J) instead. Give --metric/--cost to choose.");
        return Data.Metric.Energy;
    }

    /// <summary>
    /// <paramref name="by"/>, or when it is the default: those of its keys the runs have; when they have none, <c>config</c>
    /// (an experiment's configuration) if every run has it, else up to two tags every run has that take at least two
    /// values with repetitions (not <c>rep</c>, <c>run</c>, <c>seed</c>). Unchanged when nothing fits (the analysis
    /// then names the keys the runs have).
    /// </summary>
    public static IReadOnlyList<string> ByKeys(IReadOnlyList<Observation> runs, IReadOnlyList<string> by, bool isDefault, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(notes);
        if (!isDefault || runs.Count == 0 || by.All(k => runs.Any(r => r.Keys.ContainsKey(k))))
        {
            return by;
        }

        var present = by.Where(k => runs.Any(r => r.Keys.ContainsKey(k))).ToList();
        if (present.Count > 0)
        {
            notes.Add($"The runs have no {string.Join(" or ", by.Except(present))} tag: grouped by {string.Join(", ", present)} (give --by to choose).");
            return present;
        }

        var shared = runs.Select(r => (IEnumerable<string>)r.Keys.Keys).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal))
            .Where(k => !PerRunKeys.Contains(k))
            .Where(k =>
            {
                var groups = runs.GroupBy(r => r.Keys[k], StringComparer.Ordinal).ToList();
                return groups.Count >= 2 && groups.Count < runs.Count;
            })
            .Order(StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<string> chosen = shared.Contains("config") ? ["config"] : shared.Take(2).ToList();
        if (chosen.Count == 0)
        {
            return by;
        }

        notes.Add($"The runs have no {string.Join(" or ", by)} tag: grouped by {string.Join(", ", chosen)}, the tag{(chosen.Count == 1 ? "" : "s")} every run has with repeated values (give --by to choose).");
        return chosen;
    }
}
