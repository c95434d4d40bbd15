using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TrainWatt.Storage.Chunks;
using TrainWatt.Core;
using TrainWatt.Core.Units;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> <c>journal_mode=WAL</c> with <c>synchronous=NORMAL</c>: a commit is appended to the WAL in
/// the OS page cache before the call returns, so a killed TrainWatt (SIGKILL, OOM) loses nothing that was committed and
/// never corrupts the file. Only a power cut or kernel crash can lose the last commits (never corrupt: the WAL is
/// checksummed). <c>FULL</c> would add an fsync per commit — one per second while measuring and one per imported run —
/// for protection against power loss that a measurement tool does not need; the file stays consistent either way.</para>
/// <para><b>Concurrency.</b> Several processes may write: write transactions begin IMMEDIATE and wait up to
/// <see cref="SqliteStoreOptions.BusyTimeout"/> for each other; readers never block writers (WAL).</para>
/// <para>An instance holds one connection and is not thread-safe.</para>
/// </remarks>
public sealed class SqliteRunStore : IRunStore
{
    private readonly SqliteConnection _connection;
    private readonly SqliteStoreOptions _options;
    // Each batch rewrites its devices' open chunks (one row of at most a 4 KiB page each). Delta rows, as PostgreSQL
    // stores them, were tried for the writer's CPU (issue 21, "Overhead"): no measurable change, and the deleted deltas
    // left free pages (8.4 bytes a reading instead of 6.8 in CompactStoreTests).
    private readonly ChunkedSampleWriter _chunks = new();
    private SqliteCommand? _heartbeat;
    private SqliteChunkRows? _chunkRows;

    private SqliteRunStore(SqliteConnection connection, string location, SqliteStoreOptions options)
    {
        _connection = connection;
        Location = location;
        _options = options;
    }

    public string Location { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => SqliteSchema.LatestVersion;

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date.
    /// Throws <see cref="StoreException"/> with the fix when the location is unwritable, the file is not a TrainWatt
    /// store, or it was written by a newer TrainWatt.
    /// </summary>
    public static SqliteRunStore Open(string path, SqliteStoreOptions? options = null)
        => Open(path, options, SqliteSchema.Migrations);

    internal static SqliteRunStore Open(string path, SqliteStoreOptions? options, IReadOnlyList<Migration> migrations)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SqliteStoreOptions();
        string full = Path.GetFullPath(path);
        string fix = "Pass --db PATH (or set TRAINWATT_DB) to a file in a writable folder.";
        try
        {
            string? directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(full, $"Cannot create the folder for the TrainWatt store {full}: {e.Message}. {fix}", e);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Pragma(connection, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
            string mode = Convert.ToString(Pragma(connection, "PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture) ?? "";
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreException(full,
                    $"The store {full} cannot use write-ahead logging (journal mode is '{mode}'); its file system may not support shared memory. {fix}");
            }

            Pragma(connection, "PRAGMA synchronous = NORMAL");
            Pragma(connection, "PRAGMA foreign_keys = ON");
            int found = SchemaMigrator.Migrate(connection, migrations, full, options.Time);
            if (found > 0 && migrations.Any(m => m.Version > found && m.Convert is not null))
            {
                Compact(connection);
            }

            return new SqliteRunStore(connection, full, options);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Translate(full, e, fix);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// After a migration that moved data (schema 4: samples into chunks), gives the emptied pages back to the file
    /// system (VACUUM). Best effort: another process holding the store open makes it wait up to the busy timeout and
    /// then give up; the free pages are then reused by later writes.
    /// </summary>
    private static void Compact(SqliteConnection connection)
    {
        try
        {
            Pragma(connection, "VACUUM");
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 or 13)
        {
            // busy, locked or full: keep the free pages
        }
    }

    private static StoreException Translate(string location, SqliteException e, string fix) => e.SqliteErrorCode switch
    {
        // SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_IOERR
        8 or 14 or 3 or 10 => new StoreException(location, $"Cannot open the TrainWatt store {location} for writing: {e.Message.TrimEnd('.')}. {fix}", e),
        // SQLITE_CORRUPT
        11 => Damaged(location, e),
        // SQLITE_NOTADB
        26 => new StoreException(location, $"{location} is not a usable SQLite database ({e.Message}). {fix}", e),
        // SQLITE_FULL
        13 => new StoreException(location, $"The disk holding the store {location} is full ({e.Message}); the last write was not stored. Free some space, or use a store on another disk with --db PATH.", e),
        // SQLITE_BUSY, SQLITE_LOCKED
        5 or 6 => new StoreException(location, $"The store {location} is locked by another process for too long ({e.Message}). Retry, or use another store with --db PATH.", e),
        _ => new StoreException(location, $"The store {location} failed: {e.Message}.", e),
    };

    /// <summary>A store with a damaged page (SQLITE_CORRUPT): one line naming the file and the two fixes.</summary>
    private static StoreException Damaged(string location, SqliteException e)
        => new(location, $"The store {location} is damaged ({e.Message.TrimEnd('.')}). {DamagedFix(location)}", e);

    /// <summary>What to do with a damaged store file.</summary>
    internal static string DamagedFix(string location)
        => $"Restore it from a backup, or save what SQLite can still read with `sqlite3 {location} .recover | sqlite3 {location}.recovered` and use --db {location}.recovered.";

    /// <summary>
    /// Runs a read, turning a damaged page (SQLITE_CORRUPT, or SQLITE_NOTADB for a damaged header) met on the way, a
    /// damaged schema (a table or column missing), or a row that breaks the schema (<see cref="StoreRowException"/>), into a <see cref="StoreException"/> that names the
    /// file and the fix, instead of a driver or decoding exception.
    /// </summary>
    private T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            throw Damaged(Location, e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such ", StringComparison.Ordinal))
        {
            // SQLITE_ERROR "no such column/table" in a store whose schema version is current: its schema was damaged or edited.
            throw new StoreException(Location, $"The store {Location} lacks a table or column of schema version {SchemaVersion} ({e.Message.TrimEnd('.')}); its schema was damaged or edited outside TrainWatt. {DamagedFix(Location)}", e);
        }
        catch (StoreRowException e)
        {
            throw e.ToStoreException(Location, DamagedFix(Location));
        }
    }

    /// <summary><see cref="Read{T}"/> for a streamed read: every step of the enumeration is guarded.</summary>
    private IEnumerable<T> ReadAll<T>(Func<IEnumerable<T>> read)
    {
        using var items = Read(() => read().GetEnumerator());
        Func<bool> next = items.MoveNext; // one delegate, not one per sample
        while (Read(next))
        {
            yield return items.Current;
        }
    }

    private static object? Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public long CreateRun(NewRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write(transaction => InsertRun(transaction, run, ended: null));
    }

    public long RegisterDevice(long runId, DeviceRegistration device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Write(transaction => InsertDevice(transaction, runId, device));
    }

    /// <inheritdoc/>
    public (long RunId, IReadOnlyList<long> DeviceIds) StartRun(NewRun run, IReadOnlyList<DeviceRegistration> devices)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(devices);
        return Write(transaction =>
        {
            long runId = InsertRun(transaction, run, ended: null);
            IReadOnlyList<long> ids = [.. devices.Select(d => InsertDevice(transaction, runId, d))];
            return (runId, ids);
        });
    }

    public void AppendSamples(long runId, IReadOnlyList<SampleRecord> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        WriteSamples(transaction =>
        {
            _chunks.Append(ChunkRows(transaction), runId, samples);

            // One prepared statement for every batch (a new command would be parsed again each time).
            if (_heartbeat is null)
            {
                _heartbeat = Command(transaction, "UPDATE runs SET heartbeat_at = $now WHERE id = $id");
                _heartbeat.Parameters.Add("$now", SqliteType.Real);
                _heartbeat.Parameters.Add("$id", SqliteType.Integer);
            }

            _heartbeat.Transaction = transaction;
            _heartbeat.Parameters[0].Value = StoreRows.ToSeconds(_options.Time.GetUtcNow());
            _heartbeat.Parameters[1].Value = runId;
            RequireRow(_heartbeat.ExecuteNonQuery(), runId);
            return 0;
        });
    }

    public void AddEpoch(long runId, EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        Write(transaction =>
        {
            using var command = Command(transaction, """
                INSERT INTO epochs (run_id, n, start_t, end_t, energy_j, provenance, samples_seen)
                VALUES ($run, $n, $start, $end, $energy, $provenance, $seen)
                """);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$n", epoch.Number);
            command.Parameters.AddWithValue("$start", StoreRows.ToSeconds(epoch.Start));
            command.Parameters.AddWithValue("$end", StoreRows.ToSeconds(epoch.End));
            command.Parameters.AddWithValue("$energy", (object?)epoch.Energy?.Joules ?? DBNull.Value);
            command.Parameters.AddWithValue("$provenance", StoreRows.ProvenanceColumn(epoch.Provenance));
            command.Parameters.AddWithValue("$seen", (object?)epoch.SamplesSeen ?? DBNull.Value);
            return command.ExecuteNonQuery();
        });
    }

    public void AddAnnotation(long runId, AnnotationRecord annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        Write(transaction =>
        {
            InsertAnnotation(transaction, runId, annotation, annotation.DeviceId);
            return 0;
        });
    }

    public void AddProjection(long runId, ProjectionEntry projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        Write(transaction =>
        {
            using var command = Command(transaction, """
                INSERT INTO projections (run_id, epoch, projected_j, lower_j, upper_j, confidence, method, stable_from, total_epochs_min, total_epochs_max, t,
                                         startup_j, tail_j, tail_prior_source, drift_prior, drift_prior_source)
                VALUES ($run, $epoch, $projected, $lower, $upper, $confidence, $method, $stable, $min, $max, $t, $startup, $tail, $tailSource, $drift, $driftSource)
                """);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$epoch", projection.Epoch);
            command.Parameters.AddWithValue("$projected", projection.Projected.Joules);
            command.Parameters.AddWithValue("$lower", projection.Lower.Joules);
            command.Parameters.AddWithValue("$upper", projection.Upper.Joules);
            command.Parameters.AddWithValue("$confidence", projection.Confidence);
            command.Parameters.AddWithValue("$method", projection.Method);
            command.Parameters.AddWithValue("$stable", (object?)projection.StableFromEpoch ?? DBNull.Value);
            command.Parameters.AddWithValue("$min", (object?)projection.TotalEpochsMin ?? DBNull.Value);
            command.Parameters.AddWithValue("$max", (object?)projection.TotalEpochsMax ?? DBNull.Value);
            command.Parameters.AddWithValue("$t", StoreRows.ToSeconds(projection.Time));
            command.Parameters.AddWithValue("$startup", (object?)projection.StartupEnergy?.Joules ?? DBNull.Value);
            command.Parameters.AddWithValue("$tail", (object?)projection.TailEnergy?.Joules ?? DBNull.Value);
            command.Parameters.AddWithValue("$tailSource", (object?)projection.TailPriorSource ?? DBNull.Value);
            command.Parameters.AddWithValue("$drift", (object?)projection.DriftPrior ?? DBNull.Value);
            command.Parameters.AddWithValue("$driftSource", (object?)projection.DriftPriorSource ?? DBNull.Value);
            return command.ExecuteNonQuery();
        });
    }

    public IReadOnlyList<ProjectionEntry> GetProjections(long runId) => Read(() => StoreQueries.Projections(_connection, runId));

    public void FinishRun(long runId, RunStatus status, DateTimeOffset ended, int? exitCode = null)
    {
        if (status == RunStatus.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run is finished as completed, incomplete or failed, not running.");
        }

        _chunks.Forget(runId);
        Write(transaction =>
        {
            using var command = Command(transaction,
                "UPDATE runs SET status = $status, ended_at = $ended, exit_code = $exit, heartbeat_at = $now WHERE id = $id");
            command.Parameters.AddWithValue("$status", StatusText(status));
            command.Parameters.AddWithValue("$ended", StoreRows.ToSeconds(ended));
            command.Parameters.AddWithValue("$exit", (object?)exitCode ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", StoreRows.ToSeconds(_options.Time.GetUtcNow()));
            command.Parameters.AddWithValue("$id", runId);
            RequireRow(command.ExecuteNonQuery(), runId);
            return 0;
        });
    }

    /// <inheritdoc/>
    public void CompleteRun(long runId, RunCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status == RunStatus.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(completion), completion.Status, "A run is completed as completed, incomplete or failed, not running.");
        }

        _chunks.Forget(runId);
        Write(transaction =>
        {
            if (completion.Replaces is { } old)
            {
                using var delete = Command(transaction, "DELETE FROM runs WHERE id = $id");
                delete.Parameters.AddWithValue("$id", old);
                delete.ExecuteNonQuery();
            }

            foreach (long device in completion.DroppedDevices)
            {
                using var drop = Command(transaction, "DELETE FROM devices WHERE id = $id AND run_id = $run");
                drop.Parameters.AddWithValue("$id", device);
                drop.Parameters.AddWithValue("$run", runId);
                drop.ExecuteNonQuery();
            }

            foreach (var (device, name) in completion.DeviceNames)
            {
                using var rename = Command(transaction, "UPDATE devices SET name = $name WHERE id = $id AND run_id = $run");
                rename.Parameters.AddWithValue("$name", name);
                rename.Parameters.AddWithValue("$id", device);
                rename.Parameters.AddWithValue("$run", runId);
                rename.ExecuteNonQuery();
            }

            foreach (var annotation in completion.Annotations)
            {
                InsertAnnotation(transaction, runId, annotation, annotation.DeviceId);
            }

            using var command = Command(transaction, """
                UPDATE runs SET status = $status, started_at = $started, ended_at = $ended, heartbeat_at = $now,
                    source_key = COALESCE($key, source_key), metadata = COALESCE($metadata, metadata)
                WHERE id = $id
                """);
            command.Parameters.AddWithValue("$status", StatusText(completion.Status));
            command.Parameters.AddWithValue("$started", StoreRows.ToSeconds(completion.Started));
            command.Parameters.AddWithValue("$ended", StoreRows.ToSeconds(completion.Ended));
            command.Parameters.AddWithValue("$now", StoreRows.ToSeconds(_options.Time.GetUtcNow()));
            command.Parameters.AddWithValue("$key", (object?)completion.SourceKey ?? DBNull.Value);
            command.Parameters.AddWithValue("$metadata", (object?)completion.Metadata ?? DBNull.Value);
            command.Parameters.AddWithValue("$id", runId);
            try
            {
                RequireRow(command.ExecuteNonQuery(), runId);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 && completion.SourceKey is not null)
            {
                throw new InvalidOperationException($"A run from '{completion.SourceKey}' is already stored; delete it first or skip it.", e);
            }

            return 0;
        });
    }

    public long WriteRun(NewRun run, DateTimeOffset? ended, IReadOnlyList<DeviceData> devices, IReadOnlyList<AnnotationRecord> annotations)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(annotations);
        return WriteSamples(transaction =>
        {
            long runId = InsertRun(transaction, run, ended);
            foreach (var data in devices)
            {
                long deviceId = InsertDevice(transaction, runId, data.Device);
                _chunks.Append(ChunkRows(transaction), runId, data.Samples, deviceId);
            }

            foreach (var annotation in annotations)
            {
                InsertAnnotation(transaction, runId, annotation, annotation.DeviceId);
            }

            _chunks.Forget(runId);
            return runId;
        });
    }

    public long? FindBySourceKey(string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        return Read(() => StoreQueries.RunIdWhere(_connection, "source_key", sourceKey));
    }

    public long CountWritten(long runId, WriteProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        try
        {
            return StoreQueries.CountWritten(_connection, runId, probe);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 or 10 or 11 or 14 or 26)
        {
            throw Translate(Location, e, "Retry, or pass --db PATH (or set TRAINWATT_DB).");
        }
    }

    public bool DeleteRun(long runId) => Write(transaction =>
    {
        _chunks.Forget(runId);
        using var command = Command(transaction, "DELETE FROM runs WHERE id = $id");
        command.Parameters.AddWithValue("$id", runId);
        return command.ExecuteNonQuery();
    }) > 0;

    public IReadOnlyList<RunRecord> ListRuns() => Read(() => StoreQueries.Runs(_connection, null, _options.Time.GetUtcNow(), _options.Liveness, _options.StaleAfter));

    public RunDetails? GetRun(long runId) => Read(() => StoreQueries.Details(_connection, runId, _options.Time.GetUtcNow(), _options.Liveness, _options.StaleAfter, VisitDevices));

    /// <inheritdoc/>
    public RunDetails? GetRun(long runId, Func<RunRecord, StoredDevice, ISampleVisitor?> alsoVisit)
    {
        ArgumentNullException.ThrowIfNull(alsoVisit);
        return Read(() => StoreQueries.Details(_connection, runId, _options.Time.GetUtcNow(), _options.Liveness, _options.StaleAfter, VisitDevices, alsoVisit));
    }

    /// <inheritdoc/>
    public void VisitSamples(long runId, IReadOnlyList<(long DeviceId, ISampleVisitor Visitor)> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        Read(() =>
        {
            VisitDevices(runId, devices);
            return 0;
        });
    }

    /// <summary>
    /// The devices' samples to their visitors: with several devices and cores, on up to one thread per core, each with
    /// its own read connection to the file (a connection is not thread-safe; WAL lets readers run side by side); else on
    /// this store's connection. The first failure is rethrown as it was thrown (for <see cref="Read{T}"/> to translate).
    /// </summary>
    private void VisitDevices(long runId, IReadOnlyList<(long DeviceId, ISampleVisitor Visitor)> devices)
    {
        int workers = Math.Min(devices.Count, Environment.ProcessorCount);
        if (workers <= 1)
        {
            StoreQueries.Visit(_connection, runId, devices);
            return;
        }

        int next = -1;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<System.Runtime.ExceptionServices.ExceptionDispatchInfo>();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            try
            {
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
                {
                    DataSource = Location,
                    Mode = SqliteOpenMode.ReadOnly,
                    Pooling = false,
                    DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
                }.ToString());
                connection.Open();
                Pragma(connection, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}");
                for (int i = Interlocked.Increment(ref next); i < devices.Count && failures.IsEmpty; i = Interlocked.Increment(ref next))
                {
                    StoreQueries.Visit(connection, runId, [devices[i]]);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e));
            }
        }) { IsBackground = true, Name = "trainwatt-store-reader" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.TryDequeue(out var first))
        {
            first.Throw();
        }
    }

    public IReadOnlyList<EpochRecord> GetEpochs(long runId) => Read(() => StoreQueries.Epochs(_connection, runId));

    public IReadOnlyList<SampleRecord> ReadSamples(long runId, long? deviceId = null) => EnumerateSamples(runId, deviceId).ToList();

    public IEnumerable<SampleRecord> EnumerateSamples(long runId, long? deviceId = null) => ReadAll(() => StoreQueries.Samples(_connection, runId, deviceId));

    /// <summary>
    /// The device's chunk rows as stored, each checked by decoding it once (<see cref="StoreQueries.CheckedChunkRows"/>);
    /// a damaged one is a <see cref="StoreException"/> naming this file. For <c>sync</c>, which copies them unchanged.
    /// </summary>
    internal IEnumerable<(ChunkRow Row, long LastMicroseconds)> EnumerateChunks(long runId, long deviceId)
        => ReadAll(() => StoreQueries.CheckedChunkRows(_connection, runId, deviceId));

    /// <summary>
    /// Runs <c>PRAGMA integrity_check</c>; returns "ok" for a healthy file, else SQLite's list of problems (one a line;
    /// a page too damaged for the check to go on is its error message).
    /// </summary>
    public string CheckIntegrity()
    {
        var lines = new List<string>();
        try
        {
            using var command = Command(null, "PRAGMA integrity_check");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                lines.Add(reader.GetString(0));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            lines.Add(e.Message);
        }

        return string.Join('\n', lines);
    }

    /// <summary>The schema version recorded in the file.</summary>
    public int ReadSchemaVersion()
    {
        using var command = Command(null, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a PRAGMA of this connection (tests check journal_mode and synchronous).</summary>
    internal string QueryPragma(string name)
    {
        using var command = Command(null, $"PRAGMA {name}");
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose()
    {
        _chunkRows?.Dispose();
        _heartbeat?.Dispose();
        _connection.Dispose();
    }

    // ---- writing ----

    private T Write<T>(Func<SqliteTransaction, T> work)
    {
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            T result = work(transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 or 8 or 13 or 14 or 10 or 11 or 26)
        {
            // busy/locked/read-only/full/cannot-open/io/damaged: problems the user can fix.
            throw Translate(Location, e, "Check free disk space and permissions, or pass --db PATH (or set TRAINWATT_DB).");
        }
    }

    private long InsertRun(SqliteTransaction transaction, NewRun run, DateTimeOffset? ended)
    {
        var now = _options.Time.GetUtcNow();
        using var command = Command(transaction, """
            INSERT INTO runs (uuid, source, source_key, started_at, ended_at, status, exit_code, command, tags, job_id, host, pid, metadata, heartbeat_at)
            VALUES ($uuid, $source, $key, $started, $ended, $status, NULL, $command, $tags, $job, $host, $pid, $metadata, $now)
            RETURNING id
            """);
        command.Parameters.AddWithValue("$uuid", Guid.CreateVersion7(now).ToString());
        command.Parameters.AddWithValue("$source", run.Source);
        command.Parameters.AddWithValue("$key", (object?)run.SourceKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$started", StoreRows.ToSeconds(run.Started));
        command.Parameters.AddWithValue("$ended", ended is { } end ? StoreRows.ToSeconds(end) : DBNull.Value);
        command.Parameters.AddWithValue("$status", StatusText(run.Status));
        command.Parameters.AddWithValue("$command", (object?)run.Command ?? DBNull.Value);
        var tags = run.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(run.Tags, StringComparer.Ordinal);
        command.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(tags, StorageJsonContext.Default.DictionaryStringString));
        command.Parameters.AddWithValue("$job", (object?)run.JobId ?? DBNull.Value);
        command.Parameters.AddWithValue("$host", Environment.MachineName);
        command.Parameters.AddWithValue("$pid", Environment.ProcessId);
        command.Parameters.AddWithValue("$metadata", (object?)run.Metadata ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", StoreRows.ToSeconds(now));
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && run.SourceKey is not null)
        {
            throw new InvalidOperationException($"A run from '{run.SourceKey}' is already stored; delete it first or skip it.", e);
        }
    }

    private long InsertDevice(SqliteTransaction transaction, long runId, DeviceRegistration device)
    {
        using var command = Command(transaction, """
            INSERT INTO devices (run_id, key, component, name, uuid, provenance, note)
            VALUES ($run, $key, $component, $name, $uuid, $provenance, $note)
            RETURNING id
            """);
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$key", device.Key);
        command.Parameters.AddWithValue("$component", device.Component);
        command.Parameters.AddWithValue("$name", (object?)device.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$uuid", (object?)device.Uuid ?? DBNull.Value);
        command.Parameters.AddWithValue("$provenance", StoreRows.ProvenanceColumn(device.Provenance));
        command.Parameters.AddWithValue("$note", (object?)device.Note ?? DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A write that appends samples: a failed transaction leaves the open chunks as the last commit did, so they are forgotten.</summary>
    private T WriteSamples<T>(Func<SqliteTransaction, T> work)
    {
        try
        {
            return Write(work);
        }
        catch
        {
            _chunks.Forget();
            throw;
        }
    }

    private SqliteChunkRows ChunkRows(SqliteTransaction transaction)
    {
        _chunkRows ??= new SqliteChunkRows(_connection);
        _chunkRows.Transaction = transaction;
        return _chunkRows;
    }

    private void InsertAnnotation(SqliteTransaction transaction, long runId, AnnotationRecord annotation, long? deviceId)
    {
        using var command = Command(transaction, """
            INSERT INTO annotations (run_id, device_id, kind, file, line, message)
            VALUES ($run, $device, $kind, $file, $line, $message)
            """);
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$device", (object?)deviceId ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", annotation.Kind);
        command.Parameters.AddWithValue("$file", (object?)annotation.File ?? DBNull.Value);
        command.Parameters.AddWithValue("$line", (object?)annotation.Line ?? DBNull.Value);
        command.Parameters.AddWithValue("$message", annotation.Message);
        command.ExecuteNonQuery();
    }

    private static void RequireRow(int affected, long runId)
    {
        if (affected == 0)
        {
            throw new InvalidOperationException($"There is no run {runId} in the store.");
        }
    }

    // ---- helpers ----

    private SqliteCommand Command(SqliteTransaction? transaction, string sql) => Command(_connection, transaction, sql);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }




    /// <summary>The stored and printed status name: "running", "completed", "incomplete", "failed".</summary>
    public static string StatusText(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Incomplete => "incomplete",
        RunStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };
}
