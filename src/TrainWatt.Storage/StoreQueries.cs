using System.Data.Common;
using System.Globalization;

using TrainWatt.Core.Projection;
using TrainWatt.Storage.Chunks;

namespace TrainWatt.Storage;

/// <summary>
/// The read queries of the SQLite and PostgreSQL stores: the same SQL on both engines (the schemas share table and
/// column names, and both take <c>@name</c> parameters), decoded by <see cref="StoreRows"/>. Each store keeps its own
/// connection handling and error translation around these calls.
/// </summary>
internal static class StoreQueries
{
    /// <summary>Runs with their device, sample and annotation counts; one run when <paramref name="runId"/> is given.</summary>
    public static List<RunRecord> Runs(DbConnection connection, long? runId, DateTimeOffset now, IProcessLiveness liveness, TimeSpan staleAfter)
    {
        string sql = $"""
            SELECT r.id, r.uuid, r.source, r.source_key, r.started_at, r.ended_at, r.status, r.exit_code, r.command, r.tags,
                   r.job_id, r.host, r.pid, r.metadata, r.heartbeat_at,
                   (SELECT COUNT(*) FROM devices d WHERE d.run_id = r.id),
                   (SELECT COALESCE(SUM(c.n), 0) FROM sample_chunks c JOIN devices d ON d.id = c.device_id WHERE d.run_id = r.id),
                   (SELECT COUNT(*) FROM annotations a WHERE a.run_id = r.id)
            FROM runs r
            {(runId is null ? "" : "WHERE r.id = @id")}
            ORDER BY r.id
            """;
        return runId is { } id
            ? Rows(connection, "runs", sql, reader => StoreRows.Run(reader, now, liveness, staleAfter), ("@id", id))
            : Rows(connection, "runs", sql, reader => StoreRows.Run(reader, now, liveness, staleAfter));
    }

    /// <summary>
    /// A run with its devices, per-device energy (samples read once per device, gaps judged by the run's
    /// <see cref="RunRecord.GapRule"/>, with the energy at the first epoch's start and the last epoch's end for the phase
    /// split), epochs and annotations; null when absent. <paramref name="visit"/> reads the devices' samples (the
    /// SQLite store: in parallel, a connection per device); null: one after another on <paramref name="connection"/>.
    /// </summary>
    public static RunDetails? Details(DbConnection connection, long runId, DateTimeOffset now, IProcessLiveness liveness, TimeSpan staleAfter,
        Action<long, IReadOnlyList<(long DeviceId, ISampleVisitor Visitor)>>? visit = null, Func<RunRecord, StoredDevice, ISampleVisitor?>? alsoVisit = null)
    {
        var run = Runs(connection, runId, now, liveness, staleAfter).SingleOrDefault();
        if (run is null)
        {
            return null;
        }

        var devices = Rows(connection, "devices", "SELECT id, run_id, key, component, name, uuid, provenance, note FROM devices WHERE run_id = @run ORDER BY id", StoreRows.Device, ("@run", runId));
        var epochs = Epochs(connection, runId);
        DateTimeOffset? first = epochs.Count > 0 ? epochs[0].Start : null, last = epochs.Count > 0 ? epochs[^1].End : null;
        var accumulators = devices.Select(d => new DeviceEnergyAccumulator(d, run.GapRule, first, last)).ToList();
        var visits = devices.Select((d, i) => (d.Id, alsoVisit?.Invoke(run, d) is { } also ? new BothVisitors(accumulators[i], also) : (ISampleVisitor)accumulators[i])).ToList();
        if (visit is null)
        {
            Visit(connection, runId, visits);
        }
        else
        {
            visit(runId, visits);
        }

        var energies = accumulators.Select(a => a.Result()).ToList();
        var annotations = Rows(connection, "annotations", "SELECT kind, message, file, line, device_id FROM annotations WHERE run_id = @run ORDER BY id", StoreRows.Annotation, ("@run", runId));
        return new RunDetails(run, devices, energies, epochs, annotations);
    }

    /// <summary>The run's epochs by number.</summary>
    public static List<EpochRecord> Epochs(DbConnection connection, long runId)
        => Rows(connection, "epochs", "SELECT n, start_t, end_t, energy_j, provenance, samples_seen FROM epochs WHERE run_id = @run ORDER BY n", StoreRows.Epoch, ("@run", runId));

    /// <summary>The run's projection history in the order the projections were made.</summary>
    public static List<ProjectionEntry> Projections(DbConnection connection, long runId) => Rows(connection, "projections", """
        SELECT epoch, projected_j, lower_j, upper_j, confidence, method, stable_from, total_epochs_min, total_epochs_max, t,
               startup_j, tail_j, tail_prior_source, drift_prior, drift_prior_source
        FROM projections WHERE run_id = @run ORDER BY id
        """, StoreRows.Projection, ("@run", runId));

    /// <summary>
    /// The run's samples (optionally of one device), by device then time (samples at the same time in the order they
    /// were written), decoded from its chunks one at a time (<see cref="ChunkMerge"/>).
    /// </summary>
    public static IEnumerable<SampleRecord> Samples(DbConnection connection, long runId, long? deviceId)
        => Guarded(ChunkMerge.Samples(ChunkRows(connection, runId, deviceId, null)));

    /// <summary>
    /// The chunk rows of one device as they are stored (by first time, then id), each decoded once to check it (its
    /// format, its sample count and first time) and to find its last time: what <c>sync</c> copies without re-encoding,
    /// in constant memory. A chunk that does not decode is a damaged <c>sample_chunks</c> row (<see cref="StoreRowException"/>).
    /// </summary>
    internal static IEnumerable<(ChunkRow Row, long LastMicroseconds)> CheckedChunkRows(DbConnection connection, long runId, long deviceId)
    {
        foreach (var row in ChunkRows(connection, runId, deviceId, null))
        {
            long last;
            try
            {
                var decoder = new SampleChunkDecoder(row.DeviceId, row.Id, row.Count, row.Data);
                int n = 0;
                long first = 0;
                last = 0;
                while (decoder.MoveNext())
                {
                    first = n == 0 ? decoder.CurrentMicroseconds : first;
                    last = decoder.CurrentMicroseconds;
                    n++;
                }

                if (n != row.Count || first != row.FirstMicroseconds)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"chunk {row.Id} decodes to {n} samples from {first} µs, its row says {row.Count} from {row.FirstMicroseconds} µs"));
                }
            }
            catch (Exception e) when (e is not DbException)
            {
                throw new StoreRowException("sample_chunks", e);
            }

            yield return (row, last);
        }
    }

    /// <summary>Each device's samples to its visitor (<see cref="ChunkMerge.Visit"/>), one device after another.</summary>
    public static void Visit(DbConnection connection, long runId, IReadOnlyList<(long DeviceId, ISampleVisitor Visitor)> devices)
    {
        foreach (var (deviceId, visitor) in devices)
        {
            ChunkMerge.Visit(ChunkRows(connection, runId, deviceId, null), visitor);
        }
    }

    /// <summary>The chunk rows of a run (or of one device; with <paramref name="lastFrom"/>, those ending at or after it) by device, first time, id.</summary>
    private static IEnumerable<ChunkRow> ChunkRows(DbConnection connection, long runId, long? deviceId, long? lastFrom)
    {
        using var command = Command(connection, $"""
            SELECT c.device_id, c.id, c.first_us, c.n, c.data
            FROM sample_chunks c JOIN devices d ON d.id = c.device_id
            WHERE d.run_id = @run {(deviceId is null ? "" : "AND c.device_id = @device")} {(lastFrom is null ? "" : "AND c.last_us >= @from")}
            ORDER BY c.device_id, c.first_us, c.id
            """, ("@run", runId));
        if (deviceId is { } id)
        {
            Add(command, "@device", id);
        }

        if (lastFrom is { } from)
        {
            Add(command, "@from", from);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Decode("sample_chunks", reader, r => new ChunkRow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), r.GetFieldValue<byte[]>(4)));
        }
    }

    /// <summary>Decodes chunk rows into samples; a chunk that does not decode is a damaged <c>sample_chunks</c> row (<see cref="StoreRowException"/>).</summary>
    private static IEnumerable<SampleRecord> Guarded(IEnumerable<SampleRecord> samples)
    {
        using var items = samples.GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = items.MoveNext();
            }
            catch (Exception e) when (e is not DbException and not StoreRowException)
            {
                throw new StoreRowException("sample_chunks", e);
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    /// <summary>The id of the run whose <paramref name="column"/> (source_key or uuid) equals <paramref name="value"/>.</summary>
    public static long? RunIdWhere(DbConnection connection, string column, string value)
    {
        using var command = Command(connection, $"SELECT id FROM runs WHERE {column} = @value", ("@value", value));
        return command.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>How many rows of <paramref name="probe"/>'s kind the run holds (see <see cref="IRunStore.CountWritten"/>).</summary>
    public static long CountWritten(DbConnection connection, long runId, WriteProbe probe)
    {
        if (probe is WriteProbe.SamplesFrom samples)
        {
            long from = StoreRows.ToMicroseconds(samples.From);
            return ChunkMerge.CountFrom(ChunkRows(connection, runId, samples.DeviceId, from), from);
        }

        var (sql, parameters) = StoreRows.ProbeQuery(runId, probe);
        using var command = Command(connection, sql, [.. parameters]);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<T> Rows<T>(DbConnection connection, string table, string sql, Func<DbDataReader, T> row, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(Decode(table, reader, row));
        }

        return rows;
    }

    /// <summary>
    /// Decodes the current row of <paramref name="table"/>. Decoding is pure, so whatever it throws (an unknown
    /// provenance, a NULL where the schema forbids one, a time outside the years 1 to 9999, a value a unit type
    /// refuses) means the row breaks the schema: a <see cref="StoreRowException"/>, which each store reports with its
    /// location and the fix. The engine's own errors (a damaged page met while reading) pass through to the store.
    /// </summary>
    private static T Decode<T>(string table, DbDataReader reader, Func<DbDataReader, T> row)
    {
        try
        {
            return row(reader);
        }
        catch (Exception e) when (e is not DbException)
        {
            throw new StoreRowException(table, e);
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>Gives each sample to two visitors.</summary>
internal sealed class BothVisitors(ISampleVisitor first, ISampleVisitor second) : ISampleVisitor
{
    public void Visit(in SampleRecord sample)
    {
        first.Visit(sample);
        second.Visit(sample);
    }
}
