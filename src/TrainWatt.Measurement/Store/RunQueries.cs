using System.Globalization;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;
using TrainWatt.Storage;
using TrainWatt.Storage.Jobs;

namespace TrainWatt.Measurement.Store;

/// <summary>The runs of a store, oldest first, and where the store is (for messages).</summary>
public sealed record RunList(string Store, IReadOnlyList<RunRecord> Runs);

/// <summary>One stored run with its live projection history, scored against the measured total once it completed.</summary>
public sealed record RunView(RunDetails Details, IReadOnlyList<ProjectionEntry> Projections, ProjectionErrorSummary? ProjectionError)
{
    /// <summary>The run split into phases (<see cref="StoredRunPhases"/>); null when it has no epoch or has not ended.</summary>
    public RunPhases? Phases { get; init; }
}

/// <summary>What <c>runs show ID</c> names: a run, or (for a job id) the merged job. Exactly one is set.</summary>
public sealed record RunOrJob(RunView? Run, JobEnergyReport? Job);

/// <summary>
/// The read side of <c>trainwatt runs list|show|merge</c>. Each call opens the store the location rule names
/// (<see cref="StoreLocations"/>), reads and closes it. A run or job that is not there is a
/// <see cref="RunNotFoundException"/> whose message says how to list what is.
/// </summary>
public static class RunQueries
{
    /// <summary>Every run, oldest first.</summary>
    /// <exception cref="StoreException">The store cannot be opened.</exception>
    public static RunList List(string? db, HostContext host)
    {
        using var store = StoreSession.Open(db, host);
        return new RunList(store.Location, store.ListRuns());
    }

    /// <summary>
    /// The runs <paramref name="query"/> selects, oldest first, each with its energy (the sum over its devices, as
    /// <c>runs show</c> gives it; read only for the runs listed).
    /// </summary>
    /// <exception cref="StoreException">The store cannot be opened.</exception>
    /// <exception cref="ArgumentException">The query is invalid (<see cref="RunListQuery.Problems"/>).</exception>
    public static RunListing List(string? db, HostContext host, RunListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        using var store = StoreSession.Open(db, host);
        var all = store.ListRuns();
        var matched = all.Where(query.Matches).ToList();
        var shown = query.Limit is { } limit && matched.Count > limit ? matched.Skip(matched.Count - limit) : matched;
        var entries = shown.Select(run => new RunListEntry(run, run.DeviceCount == 0 ? null : store.GetRun(run.Id)?.TotalEnergy)).ToList();
        return new RunListing(store.Location, entries, matched.Count, all.Count);
    }

    /// <summary>A run by id; else, when <paramref name="idOrJobId"/> is a job id of the store, the merged job.</summary>
    /// <exception cref="RunNotFoundException">Neither a run id nor a job id of the store.</exception>
    public static RunOrJob Show(string? db, string idOrJobId, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(idOrJobId);
        using var store = StoreSession.Open(db, host);
        bool numeric = long.TryParse(idOrJobId, NumberStyles.None, CultureInfo.InvariantCulture, out long runId);
        var details = numeric ? store.GetRun(runId) : null; // read once: a long run's samples are decoded for it
        if (details is null && store.ListRuns().Any(r => r.JobId == idOrJobId))
        {
            return new RunOrJob(null, Job(store, idOrJobId));
        }

        if (!numeric)
        {
            throw new RunNotFoundException(store.Location,
                $"'{idOrJobId}' is neither a run id nor a job id in the store {store.Location}. List the runs with `trainwatt runs list`.");
        }

        return new RunOrJob(View(store, runId, details), null);
    }

    /// <summary>A distributed job's energy, each device counted once (<see cref="JobEnergy.Merge"/>).</summary>
    /// <exception cref="RunNotFoundException">No run of the store has this job id.</exception>
    public static JobEnergyReport Merge(string? db, string jobId, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        using var store = StoreSession.Open(db, host);
        return Job(store, jobId);
    }

    internal static RunView View(IRunStore store, long runId, RunDetails? read = null)
    {
        var details = read ?? store.GetRun(runId) ?? throw RunNotFoundException.ForId(store, runId);
        var projections = store.GetProjections(runId);
        var error = details.Run.Status == RunStatus.Completed && details.TotalEnergy is { } total ? LiveProjection.FinalError(projections, total) : null;
        return new RunView(details, projections, error) { Phases = StoredRunPhases.Compute(store, details) };
    }

    private static JobEnergyReport Job(IRunStore store, string jobId)
        => JobEnergy.Merge(store, jobId) ?? throw new RunNotFoundException(store.Location,
            $"no run in the store {store.Location} has job id '{jobId}'. Measure each rank with `trainwatt measure --job-id {jobId}` (or under SLURM/torchrun), or list runs with `trainwatt runs list`.");
}

/// <summary>Opens the store a <c>--db</c> value names, by the one location rule.</summary>
internal static class StoreSession
{
    /// <exception cref="StoreException">The store cannot be opened (message names the location and the fix).</exception>
    public static IRunStore Open(string? db, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return RunStoreFactory.Open(StoreLocations.Resolve(db, host), host.Time);
    }
}
