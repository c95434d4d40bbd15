using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Analysis.Statistics;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Comparisons;

/// <summary>
/// Which runs to compare: the SEAA 2023 data (<see cref="Seaa2023Directory"/>, keys architecture, environment, gpu) or
/// the store's completed runs (<see cref="StoredTags"/>, keys are their tags), then narrowed by <see cref="Filters"/>.
/// </summary>
public sealed record RunSelection
{
    /// <summary>The folder holding the SEAA 2023 runs.csv.</summary>
    public string? Seaa2023Directory { get; init; }

    /// <summary>Where SEAA 2023 energies come from.</summary>
    public SeaaEnergySource Energy { get; init; } = SeaaEnergySource.Authors;

    /// <summary>Stored runs: tag filters key=value (empty: every run); null: not from the store.</summary>
    public IReadOnlyList<string>? StoredTags { get; init; }

    /// <summary>key=value filters on run keys (same key: OR, different keys: AND).</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];

    /// <summary>True when the runs come from a store (pass one to the calls below).</summary>
    public bool FromStore => StoredTags is not null;
}

/// <summary><c>analyze</c>: group comparison of <see cref="Metric"/> by one or two keys, optionally with its trade-off against a score.</summary>
public sealed record AnalyzeRequest(RunSelection Runs, IReadOnlyList<string> By, Metric Metric)
{
    public int Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>Also Spearman's rho between the metric and this score.</summary>
    public Metric? Correlate { get; init; }

    /// <summary>With <see cref="Correlate"/>: one correlation per value of this key.</summary>
    public string? Within { get; init; }

    /// <summary>True when <see cref="By"/> is the default, not the user's: it falls back to the tags the runs have (<see cref="ComparisonDefaults"/>).</summary>
    public bool ByIsDefault { get; init; }

    /// <summary>True when <see cref="Metric"/> is the default: energy per sample falls back to energy when no run has it.</summary>
    public bool MetricIsDefault { get; init; }
}

/// <summary><c>recommend</c>: the cheapest configuration within <see cref="MaxLoss"/> of the best <see cref="Score"/>.</summary>
public sealed record RecommendRequest(RunSelection Runs, IReadOnlyList<string> By, Metric Score, double MaxLoss, Metric Cost)
{
    /// <summary>JSON file of predicted configurations to mix in.</summary>
    public string? PredictedFile { get; init; }

    public int Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>True when <see cref="By"/> is the default (<see cref="ComparisonDefaults"/>).</summary>
    public bool ByIsDefault { get; init; }

    /// <summary>True when <see cref="Cost"/> is the default: energy per sample falls back to energy when no run has it.</summary>
    public bool CostIsDefault { get; init; }
}

/// <summary>A request these runs contradict (a --by, --filter or --within key they lack, a metric none of them has): a usage error.</summary>
public sealed class ComparisonRequestException(string message, Exception inner) : ArgumentException(message, inner);

/// <summary>
/// The comparisons of <c>analyze</c>, <c>recommend</c> and <c>report</c> as library calls. Bad data throws
/// <see cref="AnalysisDataException"/> (file and line); a request the runs contradict throws
/// <see cref="ComparisonRequestException"/>.
/// </summary>
public static class RunComparisons
{
    /// <summary>Loads and filters the selected runs; <paramref name="store"/> is needed when <see cref="RunSelection.FromStore"/>.</summary>
    public static IReadOnlyList<Observation> Load(RunSelection selection, IRunStore? store) => AsUsage(() =>
    {
        ArgumentNullException.ThrowIfNull(selection);
        if ((selection.Seaa2023Directory is null) == (selection.StoredTags is null))
        {
            throw new FormatException("Give the runs to analyse: either --seaa2023 DIR (the SEAA 2023 data folder) or --runs all|key=value,... (stored runs).");
        }

        var filter = RunFilter.Parse(selection.Filters);
        if (selection.StoredTags is { } tags)
        {
            var tagFilter = RunFilter.Parse(tags);
            var fromStore = StoreObservations.Load(store ?? throw new ArgumentNullException(nameof(store), "stored runs need the store"), _ => true);
            if (fromStore.Count == 0)
            {
                throw new AnalysisDataException("The store has no completed runs with exit code 0; measure some with `trainwatt measure` or `trainwatt experiment run`.");
            }

            return filter.Apply(tagFilter.Apply(fromStore));
        }

        if (!Directory.Exists(selection.Seaa2023Directory))
        {
            throw new AnalysisDataException($"--seaa2023 {selection.Seaa2023Directory}: no such folder; give the folder that holds runs.csv.");
        }

        return filter.Apply(Seaa2023Runs.Load(selection.Seaa2023Directory!, selection.Energy));
    });

    public static GroupAnalysisResult Analyze(AnalyzeRequest request, IRunStore? store)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runs = Load(request.Runs, store);
        return AsUsage(() =>
        {
            var notes = new List<string>();
            var by = ComparisonDefaults.ByKeys(runs, request.By, request.ByIsDefault, notes);
            var metric = ComparisonDefaults.Metric(runs, request.Metric, request.MetricIsDefault, notes);
            LeftOut(request.Runs, store, notes);
            var result = GroupAnalysis.Run(runs, by, metric, new GroupAnalysisOptions(Seed: request.Seed));
            result = notes.Count == 0 ? result : result with { Notes = [.. notes, .. result.Notes] };
            if (request.Correlate is not { } score)
            {
                return result;
            }

            if (request.Within is { } key && !runs.Any(r => r.Keys.ContainsKey(key)))
            {
                throw new FormatException($"--within key \"{key}\" is not a key of these runs.");
            }

            return result with { TradeOff = TradeOff.Spearman(runs, metric, score, request.Within), TradeOffScore = score.Name };
        });
    }

    public static RecommendationResult Recommend(RecommendRequest request, IRunStore? store)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cost.Kind == MetricKind.Score)
        {
            throw new ArgumentException($"--cost must be energy-per-sample, energy or duration; got {request.Cost.Name}.");
        }

        var runs = Load(request.Runs, store);
        var points = request.PredictedFile is { } file ? PredictedPoints.Load(file) : null;
        return AsUsage(() =>
        {
            var notes = new List<string>();
            var by = ComparisonDefaults.ByKeys(runs, request.By, request.ByIsDefault, notes);
            var cost = ComparisonDefaults.Metric(runs, request.Cost, request.CostIsDefault, notes);
            LeftOut(request.Runs, store, notes);
            var result = Recommender.Recommend(runs, by, request.Score, request.MaxLoss, cost, points, new GroupAnalysisOptions(Seed: request.Seed));
            return notes.Count == 0 ? result : result with { Notes = [.. notes, .. result.Notes] };
        });
    }

    /// <summary>Says how many stored runs were not compared because they did not complete, failed or are probes (none: says nothing).</summary>
    private static void LeftOut(RunSelection selection, IRunStore? store, List<string> notes)
    {
        if (selection.FromStore && store is not null && store.ListRuns().Count(r => !StoreObservations.Usable(r)) is > 0 and int count)
        {
            notes.Add($"{count} stored run(s) left out: not completed (interrupted, or an import that lost its tail), a command that exited non-zero, or a probe (`trainwatt runs list --status` shows them).");
        }
    }

    /// <summary>The completed runs tagged experiment=<paramref name="name"/>; throws <see cref="AnalysisDataException"/> when there are none.</summary>
    public static IReadOnlyList<Observation> Experiment(IRunStore store, string name)
    {
        var runs = StoreObservations.Load(store, r => r.Tags.TryGetValue("experiment", out var e) && e == name);
        return runs.Count > 0
            ? runs
            : throw new AnalysisDataException($"No completed run is tagged experiment={name}; check the name with `trainwatt experiment status PLAN`.");
    }

    /// <summary>Runs an Analysis call, whose <see cref="FormatException"/>s say what in the request the runs contradict, as usage errors.</summary>
    public static T AsUsage<T>(Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return call();
        }
        catch (FormatException e)
        {
            throw new ComparisonRequestException(e.Message, e);
        }
    }
}
