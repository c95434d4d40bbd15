using TrainWatt.Core.Projection;

namespace TrainWatt.Storage;

/// <summary>
/// The run history: runs, their devices, samples, epochs and annotations. One implementation per engine (SQLite now,
/// PostgreSQL later) with the same schema and behaviour.
/// </summary>
/// <remarks>
/// Writes are durable when the call returns (committed). <see cref="AppendSamples"/> writes one batch in one
/// transaction, so a killed writer loses at most the batch in flight. Several processes may write to one store at once
/// (each creates its own runs). An instance is not thread-safe: use one per thread, or one writer thread.
/// </remarks>
public interface IRunStore : IDisposable
{
    /// <summary>Where the store lives (file path or masked connection string), for messages.</summary>
    string Location { get; }

    /// <summary>Creates a run owned by this process and returns its id.</summary>
    long CreateRun(NewRun run);

    /// <summary>Registers a device of a run; returns its id. Keys are unique within a run.</summary>
    long RegisterDevice(long runId, DeviceRegistration device);

    /// <summary>
    /// Creates a run owned by this process with its devices, all or nothing: when a device cannot be registered (a full
    /// disk, a store going down) no run is left behind (a "ghost" run with no devices and 0 J). Returns the run's id and
    /// the devices' ids in the order given. The SQLite and PostgreSQL stores do it in one transaction; this default
    /// creates the run, registers the devices and deletes the run again when one fails.
    /// </summary>
    (long RunId, IReadOnlyList<long> DeviceIds) StartRun(NewRun run, IReadOnlyList<DeviceRegistration> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        long runId = CreateRun(run);
        var ids = new List<long>(devices.Count);
        try
        {
            foreach (var device in devices)
            {
                ids.Add(RegisterDevice(runId, device));
            }
        }
        catch
        {
            try
            {
                DeleteRun(runId);
            }
            catch (Exception cleanup) when (cleanup is StoreException or System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                // The store refuses the delete too (still full, or down): the first failure is the one to report.
            }

            throw;
        }

        return (runId, ids);
    }

    /// <summary>Appends a batch of samples in one transaction and refreshes the run's heartbeat.</summary>
    void AppendSamples(long runId, IReadOnlyList<SampleRecord> samples);

    void AddEpoch(long runId, EpochRecord epoch);

    void AddAnnotation(long runId, AnnotationRecord annotation);

    /// <summary>Appends one live projection to the run's projection history (durable when the call returns).</summary>
    void AddProjection(long runId, ProjectionEntry projection);

    /// <summary>The run's projection history, in the order the projections were made (empty when none).</summary>
    IReadOnlyList<ProjectionEntry> GetProjections(long runId);

    /// <summary>Ends a run: sets its end time, final status and the wrapped command's exit code.</summary>
    void FinishRun(long runId, RunStatus status, DateTimeOffset ended, int? exitCode = null);

    /// <summary>
    /// Ends a run written piece by piece (<see cref="StartRun"/>, <see cref="RegisterDevice"/>, <see cref="AppendSamples"/>
    /// in batches, as a streaming import writes), in one transaction: deletes <see cref="RunCompletion.Replaces"/> and
    /// <see cref="RunCompletion.DroppedDevices"/>, stores the annotations and device names, and sets the run's status,
    /// start, end, source key and metadata. Until then the run reads as running (incomplete once its process is gone).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another run already holds <see cref="RunCompletion.SourceKey"/> (nothing is changed), or there is no such run.</exception>
    void CompleteRun(long runId, RunCompletion completion);

    /// <summary>
    /// Writes a whole run (run, devices, samples, annotations) in one transaction: it is stored completely or not at all.
    /// Used by importers. Returns the new run id.
    /// </summary>
    long WriteRun(NewRun run, DateTimeOffset? ended, IReadOnlyList<DeviceData> devices, IReadOnlyList<AnnotationRecord> annotations);

    /// <summary>The id of the run imported from <paramref name="sourceKey"/>, or null.</summary>
    long? FindBySourceKey(string sourceKey);

    /// <summary>Deletes a run and everything attached to it. Returns false when there is no such run.</summary>
    bool DeleteRun(long runId);

    /// <summary>
    /// How many rows of run <paramref name="runId"/> match <paramref name="probe"/> (an indexed count). A writer whose
    /// commit acknowledgement was lost compares it with what it had written before, to replay that write only if it is
    /// not stored (the measure write queue and <c>trainwatt sync --spool</c>).
    /// </summary>
    long CountWritten(long runId, WriteProbe probe);

    /// <summary>All runs, oldest first.</summary>
    IReadOnlyList<RunRecord> ListRuns();

    /// <summary>One run with its devices, per-device energy, epochs and annotations; null when there is no such run.</summary>
    RunDetails? GetRun(long runId);

    /// <summary>
    /// <see cref="GetRun(long)"/>, and each device's samples also given to the visitor <paramref name="alsoVisit"/>
    /// returns for it (none when null): a reader that needs the energies and its own figure from the samples (the
    /// report's power timeline) reads them once. This default reads the run, then visits (<see cref="VisitSamples"/>);
    /// the SQLite and PostgreSQL stores do both in the one pass.
    /// </summary>
    RunDetails? GetRun(long runId, Func<RunRecord, StoredDevice, ISampleVisitor?> alsoVisit)
    {
        ArgumentNullException.ThrowIfNull(alsoVisit);
        var details = GetRun(runId);
        if (details is not null)
        {
            VisitSamples(runId, [.. details.Devices.Select(d => (d.Id, alsoVisit(details.Run, d))).Where(v => v.Item2 is not null).Select(v => (v.Id, v.Item2!))]);
        }

        return details;
    }

    /// <summary>
    /// The run's epochs by number, without reading its samples (what learning from finished runs needs); empty when
    /// there is no such run. This default reads the whole run; the SQLite and PostgreSQL stores query the epochs alone.
    /// </summary>
    IReadOnlyList<EpochRecord> GetEpochs(long runId) => GetRun(runId)?.Epochs ?? [];

    /// <summary>The samples of a run (optionally of one device), ordered by device then time, in a list.</summary>
    IReadOnlyList<SampleRecord> ReadSamples(long runId, long? deviceId = null);

    /// <summary>
    /// The same samples as <see cref="ReadSamples"/>, streamed from the store (constant memory for long runs). Finish or
    /// dispose the enumeration before writing to this store instance.
    /// </summary>
    IEnumerable<SampleRecord> EnumerateSamples(long runId, long? deviceId = null);

    /// <summary>
    /// Gives each listed device's samples, in time order (as <see cref="EnumerateSamples"/> gives them), to that device's
    /// visitor: one pass over a device's stored samples for every figure a reader needs from it. This default reads the
    /// devices one after another through <see cref="EnumerateSamples"/>; the SQLite store reads them in parallel, each
    /// device on its own connection, so visitors must not share state. Finish before writing to this store instance.
    /// </summary>
    void VisitSamples(long runId, IReadOnlyList<(long DeviceId, ISampleVisitor Visitor)> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        foreach (var (deviceId, visitor) in devices)
        {
            foreach (var sample in EnumerateSamples(runId, deviceId))
            {
                visitor.Visit(sample);
            }
        }
    }
}
