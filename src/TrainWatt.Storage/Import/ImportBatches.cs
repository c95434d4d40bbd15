namespace TrainWatt.Storage.Import;

/// <summary>A run an import is writing: created at its first sample, completed (or deleted) at the end of its input.</summary>
internal sealed class ImportRun(long id)
{
    public long Id { get; } = id;

    /// <summary>Samples added, written or not.</summary>
    public long Samples { get; set; }

    internal List<SampleRecord> Pending { get; } = [];
}

/// <summary>
/// The samples of the runs an import is writing, stored in batches of at most <see cref="BatchSize"/> samples over all
/// runs: each batch is one short write transaction per run (milliseconds), so a long import never holds the store's
/// write lock for long and others (<c>measure</c>, <c>runs list</c>) get their turn between batches. Memory holds at
/// most one batch, however many runs or samples there are.
/// </summary>
/// <remarks>
/// Batches alone do not make room for others: a writer that begins its next transaction right after a commit can hold
/// the lock nearly all the time, while a waiting SQLite connection only retries every 100 ms or so (its busy handler
/// sleeps between tries). So after every <see cref="MaxWriting"/> spent writing, the import pauses for
/// <see cref="Pause"/>, longer than one retry interval: whoever waits gets the lock within about a second, at a cost of
/// about a tenth of the import's write time.
/// </remarks>
internal sealed class ImportBatches(IRunStore store)
{
    /// <summary>Samples buffered before they are written (a few milliseconds of SQLite inserts).</summary>
    public const int BatchSize = 4096;

    /// <summary>Time spent in write transactions after which the import leaves the store to others for <see cref="Pause"/>.</summary>
    public static readonly TimeSpan MaxWriting = TimeSpan.FromSeconds(1);

    /// <summary>How long the import leaves the store alone: longer than SQLite's longest busy retry interval (100 ms).</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(120);

    private long _writingTicks;

    private readonly List<ImportRun> _waiting = [];
    private int _pending;

    /// <summary>Creates a run (status running, until <see cref="Complete"/>) with its devices; returns it and the devices' ids.</summary>
    public (ImportRun Run, IReadOnlyList<long> DeviceIds) Start(NewRun run, IReadOnlyList<DeviceRegistration> devices)
    {
        var (id, deviceIds) = store.StartRun(run, devices);
        return (new ImportRun(id), deviceIds);
    }

    /// <summary>Registers one more device of <paramref name="run"/>.</summary>
    public long Register(ImportRun run, DeviceRegistration device) => store.RegisterDevice(run.Id, device);

    public void Add(ImportRun run, in SampleRecord sample)
    {
        if (run.Pending.Count == 0)
        {
            _waiting.Add(run);
        }

        run.Pending.Add(sample);
        run.Samples++;
        if (++_pending >= BatchSize)
        {
            Flush();
        }
    }

    /// <summary>Writes every buffered sample.</summary>
    public void Flush()
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var run in _waiting)
        {
            store.AppendSamples(run.Id, run.Pending);
            run.Pending.Clear();
            run.Pending.Capacity = Math.Min(run.Pending.Capacity, BatchSize);
        }

        _waiting.Clear();
        _pending = 0;
        _writingTicks += System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
        if (_writingTicks >= MaxWriting.Ticks)
        {
            _writingTicks = 0;
            Thread.Sleep(Pause);
        }
    }

    /// <summary>Writes the run's last samples and completes it (<see cref="IRunStore.CompleteRun"/>).</summary>
    public void Complete(ImportRun run, RunCompletion completion)
    {
        Flush();
        store.CompleteRun(run.Id, completion);
    }

    /// <summary>Deletes a run that will not be completed (its input turned out unusable), with what it had written.</summary>
    public void Abandon(ImportRun run)
    {
        if (run.Pending.Count > 0)
        {
            _pending -= run.Pending.Count;
            run.Pending.Clear();
            _waiting.Remove(run);
        }

        store.DeleteRun(run.Id);
    }

    /// <summary>
    /// After a failure (the store went away, a full disk): deletes the runs that were being written, as far as the store
    /// still allows, so none is left half-written. Whatever the store refuses stays a run that reads as incomplete.
    /// </summary>
    public void AbandonAll(IEnumerable<ImportRun> runs)
    {
        foreach (var run in runs)
        {
            try
            {
                run.Pending.Clear();
                store.DeleteRun(run.Id);
            }
            catch (Exception e) when (e is StoreException or InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                // The first failure is the one to report; this run reads as incomplete once this process is gone.
            }
        }

        _waiting.Clear();
        _pending = 0;
    }
}
