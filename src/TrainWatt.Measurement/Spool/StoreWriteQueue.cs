using System.Globalization;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Spool;

/// <summary>How the write queue waits and where it keeps an outage's backlog.</summary>
/// <param name="MemoryBudgetSamples">Samples kept in memory during an outage; beyond, the backlog moves to the spool file.</param>
/// <param name="FirstRetry">Wait before the first retry; doubled after each failed retry.</param>
/// <param name="MaxRetry">Longest wait between retries.</param>
internal sealed record StoreWriteQueueOptions(int MemoryBudgetSamples = 200_000, TimeSpan FirstRetry = default, TimeSpan MaxRetry = default)
{
    public TimeSpan FirstRetryOrDefault => FirstRetry > TimeSpan.Zero ? FirstRetry : TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryOrDefault => MaxRetry > TimeSpan.Zero ? MaxRetry : TimeSpan.FromSeconds(30);
}

/// <summary>What one <see cref="StoreWriteQueue.Pump"/> left behind.</summary>
internal enum PumpState
{
    /// <summary>Every queued write is in the store.</summary>
    Drained,

    /// <summary>The store is down; the next try is due at <see cref="StoreWriteQueue.NextAttempt"/>.</summary>
    Waiting,

    /// <summary>A write failed for a reason that retrying cannot fix (not a store outage); nothing more is written.</summary>
    Failed,
}

/// <summary>
/// The writes of one live run, in order, on their way to the store: they are written as they come while the store
/// answers; when a write throws a store failure (<see cref="StoreException"/>, or an Npgsql/SQLite <see cref="DbException"/> it did not
/// wrap), that write and every later one stay queued and are retried with exponential backoff (1 s doubling to 30 s,
/// on the injected clock), then replayed in order once the store answers. A backlog beyond the memory budget moves to
/// the run's <see cref="SpoolFile"/> (oldest first; the file is read back before memory), so memory stays bounded on a
/// long outage. A write the store refuses by its own rules (<see cref="IsConstraintViolation"/>) is no outage: it is
/// skipped with a warning and the later writes go on.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="Enqueue"/> may be called from any thread and never touches the store; only
/// <see cref="Pump"/> (one thread at a time: the background writer, or a test) writes. The sampling thread therefore
/// never waits for the store, not even for a connect timeout.</para>
/// <para>The write that failed may have been committed before the connection dropped (its acknowledgement lost); before
/// it is retried it checks whether the store already holds it (<see cref="StoreWrite.IsStored"/>), so no write is
/// stored twice. Every later write was never sent.</para>
/// </remarks>
internal sealed class StoreWriteQueue : IDisposable
{
    private const int MaxRefusedWarnings = 3;

    private readonly IRunStore _store;
    private readonly long _runId;
    private readonly TimeProvider _time;
    private readonly Action<string> _say;
    private readonly StoreWriteQueueOptions _options;
    private readonly Func<SpoolHeader> _spoolHeader;
    private readonly IReadOnlyList<string> _spoolDirectories;
    private readonly Func<string, SpoolHeader, SpoolFile> _createSpool;
    private bool _spoolWarned;
    private readonly Lock _gate = new();
    private readonly Queue<StoreWrite> _memory = new();
    private long _memorySamples;
    private SpoolFile? _spool;
    private bool _spoolHasPending;
    private bool _headUncertain;
    private bool _outage;
    private long _outageStarted;
    private int _replayed;
    private TimeSpan _backoff;
    private long _nextAttempt;
    private bool _failed;
    private int _refused;

    /// <param name="store">The run's store (written from <see cref="Pump"/> only).</param>
    /// <param name="runId">The run.</param>
    /// <param name="time">Clock for the backoff and the outage length.</param>
    /// <param name="say">Where the outage and recovery lines go.</param>
    /// <param name="spoolDirectories">Folders for the run's spool file, best first (<see cref="StoreLocations.SpoolDirectories"/>):
    /// the file goes to the first one it can be written in, and the queue says so when that is not the first.</param>
    /// <param name="spoolHeader">The spool's header (asked for when a spool file is first needed).</param>
    /// <param name="options">Budget and backoff.</param>
    /// <param name="createSpool">Creates the spool file at a path (default <see cref="SpoolFile.Create"/>); tests inject a full disk here.</param>
    public StoreWriteQueue(IRunStore store, long runId, TimeProvider time, Action<string> say, IReadOnlyList<string> spoolDirectories, Func<SpoolHeader> spoolHeader,
        StoreWriteQueueOptions? options = null, Func<string, SpoolHeader, SpoolFile>? createSpool = null)
    {
        ArgumentNullException.ThrowIfNull(spoolDirectories);
        _store = store;
        _runId = runId;
        _time = time;
        _say = say;
        _spoolDirectories = spoolDirectories;
        _spoolHeader = spoolHeader;
        _options = options ?? new StoreWriteQueueOptions();
        _createSpool = createSpool ?? SpoolFile.Create;
    }

    /// <summary>Computes each write's prior count as it is queued (see <see cref="StoreWrite"/>).</summary>
    public WriteHistory History { get; } = new();

    /// <summary>True while the store is down (from the first failed write until the backlog is replayed).</summary>
    public bool InOutage
    {
        get
        {
            lock (_gate)
            {
                return _outage;
            }
        }
    }

    /// <summary>True after a write failed for good (not an outage).</summary>
    public bool Failed => _failed;

    /// <summary>When the next try is due (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public long NextAttempt => _nextAttempt;

    /// <summary>Writes (memory and spool) not yet in the store.</summary>
    public int PendingInMemory
    {
        get
        {
            lock (_gate)
            {
                return _memory.Count;
            }
        }
    }

    /// <summary>Path of the spool file once one was needed, else null.</summary>
    public string? SpoolPath => _spool?.Path;

    /// <summary>Writes replayed after the current (or last) outage.</summary>
    public int Replayed => _replayed;

    /// <summary>Queues a write (never blocks on the store).</summary>
    public void Enqueue(StoreWrite write)
    {
        lock (_gate)
        {
            _memory.Enqueue(write);
            _memorySamples += Math.Max(1, write.SampleCount);
        }
    }

    /// <summary>
    /// Writes queued writes in order until none is left or the store fails. While the store is down and the next try is
    /// not due yet, returns <see cref="PumpState.Waiting"/> at once (moving an over-budget backlog to the spool file).
    /// </summary>
    /// <param name="force">Try now even if the next try is not due (the end of the run).</param>
    public PumpState Pump(bool force = false)
    {
        if (_failed)
        {
            return PumpState.Failed;
        }

        if (_outage && !force && _time.GetTimestamp() < _nextAttempt)
        {
            SpillIfOverBudget();
            return PumpState.Waiting;
        }

        while (true)
        {
            long? spoolSeq = null;
            StoreWrite? write = null;
            if (_spoolHasPending)
            {
                if (_spool!.Peek() is { } head)
                {
                    (spoolSeq, write) = head;
                }
                else
                {
                    _spoolHasPending = false;
                }
            }

            if (write is null)
            {
                lock (_gate)
                {
                    if (!_memory.TryPeek(out write))
                    {
                        Recovered();
                        return PumpState.Drained;
                    }
                }
            }

            try
            {
                if (!(_headUncertain && write.IsStored(_store, _runId)))
                {
                    write.Apply(_store, _runId);
                }
            }
            catch (Exception e) when (IsConstraintViolation(e))
            {
                // The store refuses this one write by its own rules (a UNIQUE key: the same epoch twice). Waiting cannot
                // change that and the store is not down: skip the write, say so, and store the rest.
                if (_refused++ < MaxRefusedWarnings)
                {
                    _say($"warning: the store refused one write of this run ({write.GetType().Name.ToLowerInvariant()}: {e.Message.TrimEnd('.')}); it is skipped and the rest of the run is stored.");
                }
            }
            catch (Exception e) when (IsOutage(e))
            {
                _headUncertain = true;
                var now = _time.GetTimestamp();
                if (!_outage)
                {
                    _outage = true;
                    _outageStarted = now;
                    _replayed = 0;
                    _backoff = _options.FirstRetryOrDefault;
                    _say($"warning: the store stopped answering ({e.Message}); measuring goes on and the writes are queued in order until it answers again (retry in {Seconds(_backoff)}, then up to every {Seconds(_options.MaxRetryOrDefault)}).");
                }
                else
                {
                    _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.MaxRetryOrDefault.Ticks));
                }

                _nextAttempt = now + (long)(_backoff.TotalSeconds * _time.TimestampFrequency);
                SpillIfOverBudget();
                return PumpState.Waiting;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _failed = true;
                _say($"warning: the store refused a write ({e.GetType().Name}: {e.Message}); this run is no longer saved (the summary is still printed).");
                return PumpState.Failed;
            }

            _headUncertain = false;
            if (_outage)
            {
                _replayed++;
            }

            if (spoolSeq is long seq)
            {
                _spool!.MarkReplayed(seq);
            }
            else
            {
                lock (_gate)
                {
                    var done = _memory.Dequeue();
                    _memorySamples -= Math.Max(1, done.SampleCount);
                }
            }
        }
    }

    /// <summary>
    /// Moves every write still queued (memory and spool) into the run's spool file and closes it; returns its path, or
    /// null when nothing is left. Call after the writer has stopped.
    /// </summary>
    public string? SpoolEverything()
    {
        MoveMemoryToSpool();
        if (_spool is null)
        {
            return null;
        }

        string path = _spool.Path;
        _spool.Dispose();
        _spool = null;
        return path;
    }

    /// <summary>The writes and samples waiting in memory and in the spool file.</summary>
    public (long Writes, long Samples) Backlog()
    {
        long writes, samples = 0;
        lock (_gate)
        {
            writes = _memory.Count;
            foreach (var w in _memory)
            {
                samples += w.SampleCount;
            }
        }

        if (_spool is not null)
        {
            var (pending, pendingSamples, _) = _spool.Counts();
            writes += pending;
            samples += pendingSamples;
        }

        return (writes, samples);
    }

    public void Dispose() => _spool?.Dispose();

    /// <summary>A store outage (worth retrying) rather than a bug or a refused write.</summary>
    internal static bool IsOutage(Exception e) => e switch
    {
        _ when IsConstraintViolation(e) => false, // the store answered: no to this write
        StoreException => true,
        DbException => true, // NpgsqlException, SqliteException: the driver's own failure, not wrapped by the store
        InvalidOperationException { Source: "Npgsql" } => true,
        _ => false,
    };

    /// <summary>
    /// The store refused the write by its own rules (SQLite SQLITE_CONSTRAINT, PostgreSQL SQLSTATE class 23): it answered,
    /// so this is no outage, and retrying the write can never store it.
    /// </summary>
    internal static bool IsConstraintViolation(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        DbException { SqlState: { } state } when state.StartsWith("23", StringComparison.Ordinal) => true,
        StoreException { InnerException: { } inner } => IsConstraintViolation(inner),
        _ => false,
    };

    private void Recovered()
    {
        if (!_outage)
        {
            return;
        }

        _outage = false;
        var after = _time.GetElapsedTime(_outageStarted);
        _say(string.Create(CultureInfo.InvariantCulture, $"store back after {after.TotalSeconds:F1} s: {_replayed} batches replayed"));
        if (_spool is not null)
        {
            string path = _spool.Path;
            _spool.Dispose();
            _spool = null;
            SpoolFile.Delete(path);
        }
    }

    private void SpillIfOverBudget()
    {
        bool over;
        lock (_gate)
        {
            over = _memorySamples > _options.MemoryBudgetSamples;
        }

        if (over)
        {
            MoveMemoryToSpool();
        }
    }

    /// <summary>
    /// Creates the run's spool file in the first of the spool folders that takes it (a full disk or an unwritable folder
    /// moves it to the next one, and the queue says where it went and why); null, with one warning, when none does.
    /// </summary>
    private SpoolFile? CreateSpool()
    {
        var header = _spoolHeader();
        var refused = new List<string>();
        foreach (string directory in _spoolDirectories)
        {
            string path = Path.Combine(directory, SpoolFile.FileName(header));
            try
            {
                var spool = _createSpool(path, header);
                if (refused.Count > 0)
                {
                    _say($"warning: cannot write the spool file in {string.Join("; nor in ", refused)}; spooling to {directory} instead.");
                }

                return spool;
            }
            catch (Exception e) when (IsSpoolFailure(e))
            {
                refused.Add($"{directory} ({e.Message.TrimEnd('.')})");
                TryDelete(path);
            }
        }

        WarnOnce($"warning: cannot write the spool file in {string.Join("; nor in ", refused)}; the queued writes stay in memory.");
        return null;
    }

    private static bool IsSpoolFailure(Exception e) => e is IOException or UnauthorizedAccessException or System.Data.Common.DbException;

    /// <summary>Removes what a failed spool creation left (an empty or partial file); a file that cannot be removed stays.</summary>
    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                SpoolFile.Delete(path);
            }
        }
        catch (Exception e) when (IsSpoolFailure(e))
        {
            // Nothing more to do: it holds no write.
        }
    }

    /// <summary>A spool failure is said once per run: during an outage the spill is tried again at every pump.</summary>
    private void WarnOnce(string message)
    {
        if (!_spoolWarned)
        {
            _spoolWarned = true;
            _say(message);
        }
    }

    private void MoveMemoryToSpool()
    {
        List<StoreWrite> moving;
        lock (_gate)
        {
            if (_memory.Count == 0)
            {
                return;
            }

            moving = [.. _memory];
        }

        // Written outside the lock (the sampler keeps queuing meanwhile, behind these writes); removed once on disk.
        _spool ??= CreateSpool();
        if (_spool is null)
        {
            return;
        }

        try
        {
            _spool.Append(moving);
        }
        catch (Exception e) when (IsSpoolFailure(e))
        {
            WarnOnce($"warning: cannot write the spool file {_spool.Path} ({e.Message}); the queued writes stay in memory.");
            return;
        }

        lock (_gate)
        {
            for (int i = 0; i < moving.Count; i++)
            {
                var done = _memory.Dequeue();
                _memorySamples -= Math.Max(1, done.SampleCount);
            }
        }

        _spoolHasPending = true;
    }

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");
}
