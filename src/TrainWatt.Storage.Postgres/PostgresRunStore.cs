using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Chunks;
using TrainWatt.Storage.Sqlite;

using TrainWatt.Core.Projection;

using TrainWatt.Storage;

namespace TrainWatt.Storage.Postgres;

/// <summary>How a <see cref="PostgresRunStore"/> is opened.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>Clock for heartbeats, creation times and staleness.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Decides whether the owner of a "running" run still exists (only runs of this host can be checked).</summary>
    public IProcessLiveness Liveness { get; init; } = LocalProcessLiveness.Instance;

    /// <summary>A "running" run whose heartbeat is older than this reads as incomplete (as in SQLite).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Node name stored in <c>runs.host</c>; default the machine name.</summary>
    public string Host { get; init; } = Environment.MachineName;
}

/// <summary>
/// The shared store: one PostgreSQL database, same schema and behaviour as <see cref="SqliteRunStore"/>.
/// </summary>
/// <remarks>
/// <para><b>Concurrency.</b> Every id comes from an identity sequence, every write is one transaction that only inserts
/// or updates rows of its own run (no read-modify-write), so any number of <c>measure</c> processes on any number of
/// machines write at once without conflicts or retries. Schema migration takes a transaction-scoped advisory lock, so
/// processes opening a new database at once migrate it once.</para>
/// <para><b>Samples</b> are stored in chunks per device (<c>sample_chunks</c>, as in SQLite): a batch adds its samples of
/// each device as a small chunk row, and the rows of a device's open chunk become one row when it closes.</para>
/// <para>Credentials come from the URL, PGPASSWORD or pgpass; <see cref="Location"/> and every message are masked.
/// An instance holds one connection and is not thread-safe.</para>
/// </remarks>
public sealed class PostgresRunStore : IRunStore
{
    /// <summary>Advisory lock key serialising migrations ("TrainWat" as 8 ASCII bytes).</summary>
    private const long MigrationLock = 0x5472_6169_6E57_6174;

    private readonly NpgsqlConnection _connection;
    private readonly PostgresStoreOptions _options;
    private readonly string _url;
    /// <summary>
    /// The open chunks that sample batches extend, in delta mode (<see cref="ChunkedSampleWriter.AppendsDeltas"/>): a
    /// batch inserts a small row a device instead of rewriting the open chunk, which PostgreSQL would move into its TOAST
    /// table once over ~2 KB; a chunk is inserted whole when it closes or its run ends. Runs written whole
    /// (<see cref="WriteRun"/>, <see cref="CopyRun"/>) write each chunk once.
    /// </summary>
    private readonly ChunkedSampleWriter _chunks = new(appendDeltas: true);

    private PostgresRunStore(NpgsqlConnection connection, string url, PostgresStoreOptions options)
    {
        _connection = connection;
        _url = url;
        Location = StoreUrl.Mask(url);
        _options = options;
    }

    /// <summary>The masked URL (no password).</summary>
    public string Location { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => PostgresSchema.LatestVersion;

    /// <summary>Connects to <paramref name="url"/> (postgres://...) and brings the schema up to date.</summary>
    public static PostgresRunStore Open(string url, PostgresStoreOptions? options = null) => Open(url, options, migrate: true);

    /// <summary>Connects; with <paramref name="migrate"/> false the schema is checked but not changed (<c>trainwatt db check</c>).</summary>
    public static PostgresRunStore Open(string url, PostgresStoreOptions? options, bool migrate)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        options ??= new PostgresStoreOptions();
        string masked = StoreUrl.Mask(url);
        var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(url));
        try
        {
            connection.Open();
            var store = new PostgresRunStore(connection, url, options);
            if (migrate)
            {
                store.Migrate(PostgresSchema.Migrations);
            }
            else
            {
                int version = store.ReadSchemaVersion();
                if (version <= SchemaVersion)
                {
                    store.RequireTables(null, PostgresSchema.Migrations, version);
                }

                if (version != SchemaVersion)
                {
                    throw new StoreException(masked, version > SchemaVersion
                        ? $"The store {masked} has schema version {version}, but this TrainWatt understands versions up to {SchemaVersion}. Upgrade TrainWatt."
                        : $"The store {masked} has schema version {version}; this TrainWatt writes {SchemaVersion}. Run `trainwatt db migrate --db {StoreUrl.WithoutPassword(url)}`.");
                }
            }

            return store;
        }
        catch (NpgsqlException e)
        {
            connection.Dispose();
            throw Translate(masked, url, e);
        }
        catch (InvalidOperationException e) when (e.InnerException is NpgsqlException or null && e.Source == "Npgsql")
        {
            connection.Dispose();
            throw new StoreException(masked, $"Cannot use the PostgreSQL store {masked}: {StoreUrl.Scrub(e.Message, url)}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static StoreException Translate(string masked, string url, NpgsqlException e)
    {
        string message = StoreUrl.Scrub(e.Message, url);
        string fix = e is PostgresException pg && pg.SqlState is "28P01" or "28000"
            ? "Check the user name and the password (PGPASSWORD or ~/.pgpass; never put it on a shared command line)."
            : e is PostgresException { SqlState: "3D000" }
                ? "Create the database first (createdb), or point --db at an existing one."
                : "Check that the server is running and reachable, then retry; or use a local SQLite store with --db PATH and `trainwatt sync` later.";
        return new StoreException(masked, $"The PostgreSQL store {masked} failed: {message}. {fix}", e);
    }

    internal int Migrate(IReadOnlyList<Migration> migrations)
    {
        int latest = migrations[^1].Version;
        using var transaction = _connection.BeginTransaction();
        Execute(transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        bool hasVersion = Convert.ToBoolean(Scalar(transaction, "SELECT to_regclass('schema_version') IS NOT NULL"), CultureInfo.InvariantCulture);
        if (!hasVersion)
        {
            long others = Convert.ToInt64(Scalar(transaction,
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"), CultureInfo.InvariantCulture);
            if (others > 0)
            {
                throw new StoreException(Location,
                    $"{Location} has tables but no schema_version: it is not a TrainWatt store. Point --db at an empty database or an existing TrainWatt store.");
            }

            Execute(transaction, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }

        int current = Convert.ToInt32(Scalar(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        if (current <= latest)
        {
            RequireTables(transaction, migrations, current);
        }

        if (current > latest)
        {
            throw new StoreException(Location,
                $"The store {Location} has schema version {current}, but this TrainWatt understands versions up to {latest}. " +
                "It was written by a newer TrainWatt: upgrade TrainWatt, or use another store with --db.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            Execute(transaction, migration.Sql);
            try
            {
                migration.Convert?.Invoke(_connection, transaction);
            }
            catch (StoreRowException e)
            {
                throw new StoreException(Location,
                    $"Upgrading the store {Location} to schema version {migration.Version} ({migration.Description}) failed: {e.Message}. " +
                    "Nothing was changed. Correct or delete the row with psql, or restore the database from a backup.", e);
            }

            if (migration.FinishSql.Length > 0)
            {
                Execute(transaction, migration.FinishSql);
            }

            using var record = Command(transaction, "INSERT INTO schema_version (version, description, applied_at) VALUES (@v, @d, @t)");
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("d", migration.Description);
            record.Parameters.AddWithValue("t", _options.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return latest;
    }

    /// <summary>Refuses a database whose schema_version says <paramref name="version"/> but that lacks tables of that version.</summary>
    private void RequireTables(NpgsqlTransaction? transaction, IReadOnlyList<Migration> migrations, int version)
    {
        var tables = new List<string>();
        using (var command = Command(transaction, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var missing = Migration.MissingTables(migrations, version, tables);
        if (missing.Count > 0)
        {
            throw new StoreException(Location, Migration.MissingTablesMessage(Location, version, missing));
        }
    }

    /// <summary>The schema version recorded in the database (0 when it has none).</summary>
    public int ReadSchemaVersion()
    {
        if (!Convert.ToBoolean(Scalar(null, "SELECT to_regclass('schema_version') IS NOT NULL"), CultureInfo.InvariantCulture))
        {
            return 0;
        }

        return Convert.ToInt32(Scalar(null, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
    }

    public long CreateRun(NewRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write(transaction => InsertRun(transaction, run, ended: null, uuid: null, host: _options.Host, pid: Environment.ProcessId, heartbeat: null)!.Value);
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
            long runId = InsertRun(transaction, run, ended: null, uuid: null, host: _options.Host, pid: Environment.ProcessId, heartbeat: null)!.Value;
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
            using var heartbeat = Command(transaction, "UPDATE runs SET heartbeat_at = @now WHERE id = @id");
            heartbeat.Parameters.AddWithValue("now", StoreRows.ToSeconds(_options.Time.GetUtcNow()));
            heartbeat.Parameters.AddWithValue("id", runId);
            RequireRow(heartbeat.ExecuteNonQuery(), runId);
            return 0;
        });
    }

    public void AddEpoch(long runId, EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        Write(transaction => InsertEpoch(transaction, runId, epoch));
    }

    public void AddAnnotation(long runId, AnnotationRecord annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        Write(transaction => InsertAnnotation(transaction, runId, annotation, annotation.DeviceId));
    }

    public void AddProjection(long runId, ProjectionEntry projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        Write(transaction => InsertProjection(transaction, runId, projection));
    }

    public IReadOnlyList<ProjectionEntry> GetProjections(long runId) => Read(() => StoreQueries.Projections(_connection, runId));

    public IReadOnlyList<EpochRecord> GetEpochs(long runId) => StoreQueries.Epochs(_connection, runId);

    public void FinishRun(long runId, RunStatus status, DateTimeOffset ended, int? exitCode = null)
    {
        if (status == RunStatus.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run is finished as completed, incomplete or failed, not running.");
        }

        try
        {
            Write(transaction =>
            {
                _chunks.CloseRun(ChunkRows(transaction), runId);
                using var command = Command(transaction,
                    "UPDATE runs SET status = @status, ended_at = @ended, exit_code = @exit, heartbeat_at = @now WHERE id = @id");
                command.Parameters.AddWithValue("status", SqliteRunStore.StatusText(status));
                command.Parameters.AddWithValue("ended", StoreRows.ToSeconds(ended));
                command.Parameters.Add(new NpgsqlParameter("exit", NpgsqlDbType.Integer) { Value = (object?)exitCode ?? DBNull.Value });
                command.Parameters.AddWithValue("now", StoreRows.ToSeconds(_options.Time.GetUtcNow()));
                command.Parameters.AddWithValue("id", runId);
                RequireRow(command.ExecuteNonQuery(), runId);
                return 0;
            });
        }
        finally
        {
            _chunks.Forget(runId);
        }
    }

    /// <inheritdoc/>
    public void CompleteRun(long runId, RunCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Status == RunStatus.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(completion), completion.Status, "A run is completed as completed, incomplete or failed, not running.");
        }

        try
        {
            CompleteInTransaction(runId, completion);
        }
        finally
        {
            _chunks.Forget(runId);
        }
    }

    private void CompleteInTransaction(long runId, RunCompletion completion)
    {
        Write(transaction =>
        {
            _chunks.CloseRun(ChunkRows(transaction), runId);
            if (completion.Replaces is { } old)
            {
                using var delete = Command(transaction, "DELETE FROM runs WHERE id = @id");
                delete.Parameters.AddWithValue("id", old);
                delete.ExecuteNonQuery();
            }

            foreach (long device in completion.DroppedDevices)
            {
                using var drop = Command(transaction, "DELETE FROM devices WHERE id = @id AND run_id = @run");
                drop.Parameters.AddWithValue("id", device);
                drop.Parameters.AddWithValue("run", runId);
                drop.ExecuteNonQuery();
            }

            foreach (var (device, name) in completion.DeviceNames)
            {
                using var rename = Command(transaction, "UPDATE devices SET name = @name WHERE id = @id AND run_id = @run");
                rename.Parameters.AddWithValue("name", name);
                rename.Parameters.AddWithValue("id", device);
                rename.Parameters.AddWithValue("run", runId);
                rename.ExecuteNonQuery();
            }

            foreach (var annotation in completion.Annotations)
            {
                InsertAnnotation(transaction, runId, annotation, annotation.DeviceId);
            }

            using var command = Command(transaction, """
                UPDATE runs SET status = @status, started_at = @started, ended_at = @ended, heartbeat_at = @now,
                    source_key = COALESCE(@key, source_key), metadata = COALESCE(@metadata, metadata)
                WHERE id = @id
                """);
            command.Parameters.AddWithValue("status", SqliteRunStore.StatusText(completion.Status));
            command.Parameters.AddWithValue("started", StoreRows.ToSeconds(completion.Started));
            command.Parameters.AddWithValue("ended", StoreRows.ToSeconds(completion.Ended));
            command.Parameters.AddWithValue("now", StoreRows.ToSeconds(_options.Time.GetUtcNow()));
            Text(command, "key", completion.SourceKey);
            Text(command, "metadata", completion.Metadata);
            command.Parameters.AddWithValue("id", runId);
            try
            {
                RequireRow(command.ExecuteNonQuery(), runId);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && completion.SourceKey is not null)
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
        var whole = new ChunkedSampleWriter();
        return Write(transaction =>
        {
            long runId = InsertRun(transaction, run, ended, uuid: null, host: _options.Host, pid: Environment.ProcessId, heartbeat: null)!.Value;
            foreach (var data in devices)
            {
                long deviceId = InsertDevice(transaction, runId, data.Device);
                whole.Append(ChunkRows(transaction), runId, data.Samples, deviceId);
            }

            foreach (var annotation in annotations)
            {
                InsertAnnotation(transaction, runId, annotation, annotation.DeviceId);
            }

            return runId;
        });
    }

    /// <summary>
    /// Copies a run from another store, keeping its UUID, host, pid, status and times (used by <c>trainwatt sync</c>).
    /// Idempotent: returns null, changing nothing, when a run with that UUID is already here (also under concurrent syncs:
    /// <c>ON CONFLICT (uuid) DO NOTHING</c>). Everything is written in one transaction.
    /// </summary>
    public long? CopyRun(RunRecord run, IReadOnlyList<(StoredDevice Device, IReadOnlyList<SampleRecord> Samples)> devices,
        IReadOnlyList<EpochRecord> epochs, IReadOnlyList<AnnotationRecord> annotations, IReadOnlyList<ProjectionEntry>? projections = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var whole = new ChunkedSampleWriter();
        return Copy(run, [.. devices.Select(d => d.Device)], epochs, annotations, projections, (transaction, id, index, newDevice) =>
        {
            whole.Append(ChunkRows(transaction), id, devices[index].Samples, newDevice);
            return devices[index].Samples.Count;
        }, out _);
    }

    /// <summary>
    /// <see cref="CopyRun"/> with each device's samples given as the source store's chunk rows (with their last time),
    /// written as they are with binary <c>COPY</c>, one device after another: constant memory however long the run (the
    /// two stores write the same chunk encoding; the source checked each chunk by decoding it). <paramref name="samples"/>
    /// is the number of samples written (0 when the run was already here).
    /// </summary>
    internal long? CopyRunChunks(RunRecord run, IReadOnlyList<StoredDevice> devices, Func<StoredDevice, IEnumerable<(ChunkRow Row, long LastMicroseconds)>> chunks,
        IReadOnlyList<EpochRecord> epochs, IReadOnlyList<AnnotationRecord> annotations, IReadOnlyList<ProjectionEntry>? projections, out long samples)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(chunks);
        return Copy(run, devices, epochs, annotations, projections, (_, _, index, newDevice) =>
        {
            long n = 0;
            using var copy = _connection.BeginBinaryImport("COPY sample_chunks (device_id, first_us, last_us, n, data) FROM STDIN (FORMAT BINARY)");
            foreach (var (row, last) in chunks(devices[index]))
            {
                copy.StartRow();
                copy.Write(newDevice, NpgsqlDbType.Bigint);
                copy.Write(row.FirstMicroseconds, NpgsqlDbType.Bigint);
                copy.Write(last, NpgsqlDbType.Bigint);
                copy.Write(row.Count, NpgsqlDbType.Integer);
                copy.Write(row.Data, NpgsqlDbType.Bytea);
                n += row.Count;
            }

            copy.Complete();
            return n;
        }, out samples);
    }

    private long? Copy(RunRecord run, IReadOnlyList<StoredDevice> devices, IReadOnlyList<EpochRecord> epochs, IReadOnlyList<AnnotationRecord> annotations,
        IReadOnlyList<ProjectionEntry>? projections, Func<NpgsqlTransaction, long, int, long, long> writeSamples, out long samples)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(annotations);
        long written = 0;
        var result = Write(transaction =>
        {
            written = 0;
            var newRun = new NewRun(run.Source, run.Started, run.SourceKey, run.Command, run.Tags, run.JobId, run.Metadata, run.Status);
            long? runId = InsertRun(transaction, newRun, run.Ended, run.Uuid, run.Host, run.ProcessId, run.Ended ?? run.Started, run.ExitCode);
            if (runId is not long id)
            {
                return (long?)null;
            }

            var deviceIds = new Dictionary<long, long>();
            var newDevices = new long[devices.Count];
            for (int i = 0; i < devices.Count; i++)
            {
                var device = devices[i];
                newDevices[i] = InsertDevice(transaction, id,
                    new DeviceRegistration(device.Key, device.Component, device.Name, device.Provenance, device.Uuid, device.Note));
                deviceIds[device.Id] = newDevices[i];
            }

            for (int i = 0; i < devices.Count; i++)
            {
                written += writeSamples(transaction, id, i, newDevices[i]);
            }

            foreach (var epoch in epochs)
            {
                InsertEpoch(transaction, id, epoch);
            }

            foreach (var annotation in annotations)
            {
                InsertAnnotation(transaction, id, annotation, annotation.DeviceId is long d && deviceIds.TryGetValue(d, out long mapped) ? mapped : null);
            }

            foreach (var projection in projections ?? [])
            {
                InsertProjection(transaction, id, projection);
            }

            return id;
        });
        samples = result is null ? 0 : written;
        return result;
    }

    /// <summary>The UUID of run <paramref name="runId"/>, or null when there is no such run.</summary>
    internal string? RunUuid(long runId)
    {
        using var command = Command(null, "SELECT uuid FROM runs WHERE id = @id");
        command.Parameters.AddWithValue("id", runId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The id of the run with this UUID, or null.</summary>
    public long? FindByUuid(string uuid) => StoreQueries.RunIdWhere(_connection, "uuid", uuid);

    public long? FindBySourceKey(string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        return StoreQueries.RunIdWhere(_connection, "source_key", sourceKey);
    }

    public long CountWritten(long runId, WriteProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        try
        {
            EnsureOpen();
            return StoreQueries.CountWritten(_connection, runId, probe);
        }
        catch (NpgsqlException e)
        {
            throw Translate(Location, _url, e);
        }
    }

    public bool DeleteRun(long runId) => Write(transaction =>
    {
        _chunks.Forget(runId);
        using var command = Command(transaction, "DELETE FROM runs WHERE id = @id");
        command.Parameters.AddWithValue("id", runId);
        return command.ExecuteNonQuery();
    }) > 0;

    public IReadOnlyList<RunRecord> ListRuns() => Read(() => StoreQueries.Runs(_connection, null, _options.Time.GetUtcNow(), _options.Liveness, _options.StaleAfter));

    public RunDetails? GetRun(long runId) => Read(() => StoreQueries.Details(_connection, runId, _options.Time.GetUtcNow(), _options.Liveness, _options.StaleAfter));

    /// <inheritdoc/>
    public RunDetails? GetRun(long runId, Func<RunRecord, StoredDevice, ISampleVisitor?> alsoVisit)
    {
        ArgumentNullException.ThrowIfNull(alsoVisit);
        return Read(() => StoreQueries.Details(_connection, runId, _options.Time.GetUtcNow(), _options.Liveness, _options.StaleAfter, alsoVisit: alsoVisit));
    }

    /// <inheritdoc/>
    public void VisitSamples(long runId, IReadOnlyList<(long DeviceId, ISampleVisitor Visitor)> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        Read(() =>
        {
            StoreQueries.Visit(_connection, runId, devices);
            return 0;
        });
    }

    public IReadOnlyList<SampleRecord> ReadSamples(long runId, long? deviceId = null) => EnumerateSamples(runId, deviceId).ToList();

    public IEnumerable<SampleRecord> EnumerateSamples(long runId, long? deviceId = null)
    {
        using var samples = StoreQueries.Samples(_connection, runId, deviceId).GetEnumerator();
        while (Read(samples.MoveNext))
        {
            yield return samples.Current;
        }
    }

    /// <summary>Runs a read; a row that breaks the schema (<see cref="StoreRowException"/>) becomes a <see cref="StoreException"/> naming the store and the fix.</summary>
    private T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (StoreRowException e)
        {
            throw e.ToStoreException(Location, "Correct or delete the row with psql, or restore the database from a backup.");
        }
    }

    public void Dispose() => _connection.Dispose();

    // ---- writing ----

    private T Write<T>(Func<NpgsqlTransaction, T> work)
    {
        try
        {
            EnsureOpen();
            using var transaction = _connection.BeginTransaction();
            T result = work(transaction);
            transaction.Commit();
            return result;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new InvalidOperationException($"A row refers to an unknown run or device ({e.ConstraintName}): register the device of this run first.", e);
        }
        catch (NpgsqlException e)
        {
            throw Translate(Location, _url, e);
        }
    }

    /// <summary>
    /// Reconnects when the connection broke (a server restart, a network drop): the failed call has thrown a
    /// <see cref="StoreException"/>, and the next one tries again on a fresh connection instead of failing for good.
    /// </summary>
    private void EnsureOpen()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            _connection.Close();
            _connection.Open();
        }
    }

    private long? InsertRun(NpgsqlTransaction transaction, NewRun run, DateTimeOffset? ended, string? uuid, string? host, int? pid,
        DateTimeOffset? heartbeat, int? exitCode = null)
    {
        var now = _options.Time.GetUtcNow();
        using var command = Command(transaction, """
            INSERT INTO runs (uuid, source, source_key, started_at, ended_at, status, exit_code, command, tags, job_id, host, pid, metadata, heartbeat_at)
            VALUES (@uuid, @source, @key, @started, @ended, @status, @exit, @command, @tags, @job, @host, @pid, @metadata, @now)
            ON CONFLICT (uuid) DO NOTHING
            RETURNING id
            """);
        command.Parameters.AddWithValue("uuid", uuid ?? Guid.CreateVersion7(now).ToString());
        command.Parameters.AddWithValue("source", run.Source);
        Text(command, "key", run.SourceKey);
        command.Parameters.AddWithValue("started", StoreRows.ToSeconds(run.Started));
        command.Parameters.Add(new NpgsqlParameter("ended", NpgsqlDbType.Double) { Value = ended is { } end ? StoreRows.ToSeconds(end) : DBNull.Value });
        command.Parameters.AddWithValue("status", SqliteRunStore.StatusText(run.Status));
        command.Parameters.Add(new NpgsqlParameter("exit", NpgsqlDbType.Integer) { Value = (object?)exitCode ?? DBNull.Value });
        Text(command, "command", run.Command);
        var tags = run.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(run.Tags, StringComparer.Ordinal);
        command.Parameters.AddWithValue("tags", JsonSerializer.Serialize(tags, StorageJsonContext.Default.DictionaryStringString));
        Text(command, "job", run.JobId);
        Text(command, "host", host);
        command.Parameters.Add(new NpgsqlParameter("pid", NpgsqlDbType.Integer) { Value = (object?)pid ?? DBNull.Value });
        Text(command, "metadata", run.Metadata);
        command.Parameters.AddWithValue("now", StoreRows.ToSeconds(heartbeat ?? now));
        try
        {
            return command.ExecuteScalar() is long id ? id : null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && run.SourceKey is not null)
        {
            throw new InvalidOperationException($"A run from '{run.SourceKey}' is already stored; delete it first or skip it.", e);
        }
    }

    private long InsertDevice(NpgsqlTransaction transaction, long runId, DeviceRegistration device)
    {
        using var command = Command(transaction, """
            INSERT INTO devices (run_id, key, component, name, uuid, provenance, note)
            VALUES (@run, @key, @component, @name, @uuid, @provenance, @note)
            RETURNING id
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("key", device.Key);
        command.Parameters.AddWithValue("component", device.Component);
        Text(command, "name", device.Name);
        Text(command, "uuid", device.Uuid);
        command.Parameters.AddWithValue("provenance", StoreRows.ProvenanceColumn(device.Provenance));
        Text(command, "note", device.Note);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A write that appends samples: a failed transaction leaves the open chunks as the last commit did, so they are forgotten.</summary>
    private T WriteSamples<T>(Func<NpgsqlTransaction, T> work)
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

    private PostgresChunkRows ChunkRows(NpgsqlTransaction transaction) => new(_connection) { Transaction = transaction };

    private int InsertEpoch(NpgsqlTransaction transaction, long runId, EpochRecord epoch)
    {
        using var command = Command(transaction, """
            INSERT INTO epochs (run_id, n, start_t, end_t, energy_j, provenance, samples_seen)
            VALUES (@run, @n, @start, @end, @energy, @provenance, @seen)
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("n", epoch.Number);
        command.Parameters.AddWithValue("start", StoreRows.ToSeconds(epoch.Start));
        command.Parameters.AddWithValue("end", StoreRows.ToSeconds(epoch.End));
        command.Parameters.Add(new NpgsqlParameter("energy", NpgsqlDbType.Double) { Value = (object?)epoch.Energy?.Joules ?? DBNull.Value });
        command.Parameters.AddWithValue("provenance", StoreRows.ProvenanceColumn(epoch.Provenance));
        command.Parameters.Add(new NpgsqlParameter("seen", NpgsqlDbType.Bigint) { Value = (object?)epoch.SamplesSeen ?? DBNull.Value });
        return command.ExecuteNonQuery();
    }

    private int InsertProjection(NpgsqlTransaction transaction, long runId, ProjectionEntry projection)
    {
        using var command = Command(transaction, """
            INSERT INTO projections (run_id, epoch, projected_j, lower_j, upper_j, confidence, method, stable_from, total_epochs_min, total_epochs_max, t,
                                     startup_j, tail_j, tail_prior_source, drift_prior, drift_prior_source)
            VALUES (@run, @epoch, @projected, @lower, @upper, @confidence, @method, @stable, @min, @max, @t, @startup, @tail, @tailSource, @drift, @driftSource)
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("epoch", projection.Epoch);
        command.Parameters.AddWithValue("projected", projection.Projected.Joules);
        command.Parameters.AddWithValue("lower", projection.Lower.Joules);
        command.Parameters.AddWithValue("upper", projection.Upper.Joules);
        command.Parameters.AddWithValue("confidence", projection.Confidence);
        command.Parameters.AddWithValue("method", projection.Method);
        command.Parameters.Add(new NpgsqlParameter("stable", NpgsqlDbType.Integer) { Value = (object?)projection.StableFromEpoch ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("min", NpgsqlDbType.Integer) { Value = (object?)projection.TotalEpochsMin ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("max", NpgsqlDbType.Integer) { Value = (object?)projection.TotalEpochsMax ?? DBNull.Value });
        command.Parameters.AddWithValue("t", StoreRows.ToSeconds(projection.Time));
        command.Parameters.Add(new NpgsqlParameter("startup", NpgsqlDbType.Double) { Value = (object?)projection.StartupEnergy?.Joules ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tail", NpgsqlDbType.Double) { Value = (object?)projection.TailEnergy?.Joules ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tailSource", NpgsqlDbType.Text) { Value = (object?)projection.TailPriorSource ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("drift", NpgsqlDbType.Double) { Value = (object?)projection.DriftPrior ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("driftSource", NpgsqlDbType.Text) { Value = (object?)projection.DriftPriorSource ?? DBNull.Value });
        return command.ExecuteNonQuery();
    }

    private int InsertAnnotation(NpgsqlTransaction transaction, long runId, AnnotationRecord annotation, long? deviceId)
    {
        using var command = Command(transaction, """
            INSERT INTO annotations (run_id, device_id, kind, file, line, message)
            VALUES (@run, @device, @kind, @file, @line, @message)
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Bigint) { Value = (object?)deviceId ?? DBNull.Value });
        command.Parameters.AddWithValue("kind", annotation.Kind);
        Text(command, "file", annotation.File);
        command.Parameters.Add(new NpgsqlParameter("line", NpgsqlDbType.Integer) { Value = (object?)annotation.Line ?? DBNull.Value });
        command.Parameters.AddWithValue("message", annotation.Message);
        return command.ExecuteNonQuery();
    }

    private static void RequireRow(int affected, long runId)
    {
        if (affected == 0)
        {
            throw new InvalidOperationException($"There is no run {runId} in the store.");
        }
    }

    // ---- helpers ----

    private NpgsqlCommand Command(NpgsqlTransaction? transaction, string sql) => new(sql, _connection, transaction);

    private object? Scalar(NpgsqlTransaction? transaction, string sql)
    {
        using var command = Command(transaction, sql);
        return command.ExecuteScalar();
    }

    private void Execute(NpgsqlTransaction transaction, string sql)
    {
        using var command = Command(transaction, sql);
        command.ExecuteNonQuery();
    }

    private static void Text(NpgsqlCommand command, string name, string? value)
        => command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });



}
