using System.Globalization;
using Microsoft.Data.Sqlite;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Measurement.Spool;

/// <summary>Where a spool's writes belong: the store (its location without any password), the run's id and UUID there, and who spooled them.</summary>
/// <param name="Target">The store's URL with no password (passwords come from PGPASSWORD or ~/.pgpass when replaying) or SQLite path.</param>
/// <param name="RunId">The run's id in that store.</param>
/// <param name="RunUuid">The run's UUID: replaying checks that the run with that id is this run.</param>
/// <param name="Host">Machine that measured the run.</param>
/// <param name="ProcessId">Process id of the measure process.</param>
internal sealed record SpoolHeader(string Target, long RunId, string RunUuid, string Host, int ProcessId);

/// <summary>
/// A local SQLite file holding the queued writes of one live run, in order (<c>writes</c>: seq, kind, payload,
/// replayed), and its <see cref="SpoolHeader"/> (<c>spool</c>: key, value). The measure write queue moves writes here
/// when an outage outgrows its memory budget and at the end of a run whose store is still down;
/// <c>trainwatt sync --spool FILE</c> replays them into the same run and marks each one replayed in the same order,
/// so a second replay changes nothing.
/// </summary>
internal sealed class SpoolFile : IDisposable
{
    private const string Format = "trainwatt-spool-1";

    private readonly SqliteConnection _connection;
    private long _cursor;

    private SpoolFile(SqliteConnection connection, string path, SpoolHeader header)
    {
        _connection = connection;
        Path = path;
        Header = header;
    }

    public string Path { get; }

    public SpoolHeader Header { get; }

    /// <summary>The file name for a run: host, process id and the run's id in its store.</summary>
    public static string FileName(SpoolHeader header)
    {
        string host = new(header.Host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"spool-{host}-{header.ProcessId}-run{header.RunId}.db");
    }

    /// <summary>
    /// Creates the spool file (and its folder); an existing file with the same header is reopened. The file is private to
    /// its owner (mode 0600, and its folder 0700 when created here; SQLite gives its WAL the file's mode): it holds the
    /// run's measurements and names the store.
    /// </summary>
    public static SpoolFile Create(string path, SpoolHeader header)
    {
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using (new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // a file left by an older TrainWatt
        }

        var connection = Connect(path);
        try
        {
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS spool (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS writes (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload BLOB NOT NULL, samples INTEGER NOT NULL, replayed INTEGER NOT NULL DEFAULT 0);
                """);
            using var transaction = connection.BeginTransaction();
            foreach (var (key, value) in new[]
            {
                ("format", Format), ("target", header.Target), ("run_id", header.RunId.ToString(CultureInfo.InvariantCulture)),
                ("run_uuid", header.RunUuid), ("host", header.Host), ("pid", header.ProcessId.ToString(CultureInfo.InvariantCulture)),
            })
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO spool (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
                command.Parameters.AddWithValue("$k", key);
                command.Parameters.AddWithValue("$v", value);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return new SpoolFile(connection, path, header);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing spool; <see cref="InvalidDataException"/> when the file is not one.</summary>
    public static SpoolFile Open(string path)
    {
        var connection = Connect(path, create: false);
        try
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT key, value FROM spool";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    values[reader.GetString(0)] = reader.GetString(1);
                }
            }

            if (!values.TryGetValue("format", out string? format) || format != Format
                || !long.TryParse(values.GetValueOrDefault("run_id"), NumberStyles.None, CultureInfo.InvariantCulture, out long runId)
                || !int.TryParse(values.GetValueOrDefault("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                throw new InvalidDataException("it has no TrainWatt spool header");
            }

            return new SpoolFile(connection, path, new SpoolHeader(values["target"], runId, values["run_uuid"], values["host"], pid));
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException(e.Message, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Appends writes after the others, in one transaction.</summary>
    public void Append(IEnumerable<StoreWrite> writes)
    {
        using var transaction = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO writes (kind, payload, samples) VALUES ($kind, $payload, $samples)";
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var payload = command.Parameters.Add("$payload", SqliteType.Blob);
        var samples = command.Parameters.Add("$samples", SqliteType.Integer);
        foreach (var write in writes)
        {
            kind.Value = write.Kind;
            payload.Value = StoreWriteCodec.Encode(write);
            samples.Value = write.SampleCount;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The oldest write not replayed yet, or null.</summary>
    public (long Seq, StoreWrite Write)? Peek()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, kind, payload FROM writes WHERE seq > $after AND replayed = 0 ORDER BY seq LIMIT 1";
        command.Parameters.AddWithValue("$after", _cursor);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return (reader.GetInt64(0), StoreWriteCodec.Decode(reader.GetString(1), (byte[])reader.GetValue(2)));
    }

    /// <summary>Marks a write replayed (committed at once: a crash after this never replays it again).</summary>
    public void MarkReplayed(long seq)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE writes SET replayed = 1 WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", seq);
        command.ExecuteNonQuery();
        _cursor = seq;
    }

    /// <summary>Writes and samples still to replay, and writes already replayed.</summary>
    public (long Pending, long PendingSamples, long Replayed) Counts()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(replayed = 0), 0), COALESCE(SUM(CASE WHEN replayed = 0 THEN samples ELSE 0 END), 0), COALESCE(SUM(replayed), 0) FROM writes";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Removes a spool file and its WAL companions.</summary>
    public static void Delete(string path)
    {
        foreach (string suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }

    private static SqliteConnection Connect(string path, bool create = true)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>Binary form of a <see cref="StoreWrite"/> in a spool (little-endian, invariant; times as UTC ticks).</summary>
internal static class StoreWriteCodec
{
    public static byte[] Encode(StoreWrite write)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            switch (write)
            {
                case StoreWrite.Samples s:
                    w.Write(s.Rows.Count);
                    foreach (var r in s.Rows)
                    {
                        w.Write(r.DeviceId);
                        Time(w, r.Timestamp);
                        Nullable(w, r.Power?.Watts);
                        Nullable(w, r.CumulativeEnergy?.Joules);
                        Nullable(w, r.UtilizationPercent);
                        Nullable(w, r.MemoryUsedMiB);
                        Nullable(w, r.TemperatureCelsius);
                        w.Write((int)r.Provenance);
                    }

                    w.Write(s.Probe is not null);
                    if (s.Probe is { } probe)
                    {
                        w.Write(probe.DeviceId);
                        Time(w, probe.From);
                        w.Write(probe.Prior);
                        w.Write(probe.Count);
                    }

                    break;
                case StoreWrite.Epoch e:
                    w.Write(e.Record.Number);
                    Time(w, e.Record.Start);
                    Time(w, e.Record.End);
                    Nullable(w, e.Record.Energy?.Joules);
                    w.Write((int)e.Record.Provenance);
                    w.Write(e.Record.SamplesSeen.HasValue);
                    w.Write(e.Record.SamplesSeen ?? 0);
                    break;
                case StoreWrite.Annotation a:
                    w.Write(a.Record.Kind);
                    w.Write(a.Record.Message);
                    w.Write(a.Prior);
                    break;
                case StoreWrite.Projection p:
                    w.Write(p.Entry.Epoch);
                    w.Write(p.Entry.Projected.Joules);
                    w.Write(p.Entry.Lower.Joules);
                    w.Write(p.Entry.Upper.Joules);
                    w.Write(p.Entry.Confidence);
                    w.Write(p.Entry.Method);
                    NullableInt(w, p.Entry.StableFromEpoch);
                    NullableInt(w, p.Entry.TotalEpochsMin);
                    NullableInt(w, p.Entry.TotalEpochsMax);
                    Time(w, p.Entry.Time);
                    w.Write(p.Prior);

                    // Since the whole-job projection: its parts and priors, after the fields spools written before had.
                    Nullable(w, p.Entry.StartupEnergy?.Joules);
                    Nullable(w, p.Entry.TailEnergy?.Joules);
                    NullableString(w, p.Entry.TailPriorSource);
                    Nullable(w, p.Entry.DriftPrior);
                    NullableString(w, p.Entry.DriftPriorSource);
                    break;
                case StoreWrite.Finish f:
                    w.Write((int)f.Status);
                    Time(w, f.Ended);
                    NullableInt(w, f.ExitCode);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(write), write, "Unknown store write.");
            }
        }

        return buffer.ToArray();
    }

    public static StoreWrite Decode(string kind, byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload));
        switch (kind)
        {
            case "samples":
                int count = r.ReadInt32();
                var rows = new SampleRecord[count];
                for (int i = 0; i < count; i++)
                {
                    long device = r.ReadInt64();
                    var t = Time(r);
                    double? power = Nullable(r), energy = Nullable(r), utilization = Nullable(r), memory = Nullable(r), temperature = Nullable(r);
                    rows[i] = new SampleRecord(device, t, power is { } pw ? Power.FromWatts(pw) : null, energy is { } ej ? Energy.FromJoules(ej) : null,
                        utilization, memory, temperature, (Provenance)r.ReadInt32());
                }

                SampleProbe? probe = r.ReadBoolean() ? new SampleProbe(r.ReadInt64(), Time(r), r.ReadInt64(), r.ReadInt64()) : null;
                return new StoreWrite.Samples(rows, probe);
            case "epoch":
            {
                int n = r.ReadInt32();
                var start = Time(r);
                var end = Time(r);
                double? energy = Nullable(r);
                var provenance = (Provenance)r.ReadInt32();
                bool hasSeen = r.ReadBoolean();
                long seen = r.ReadInt64();
                return new StoreWrite.Epoch(new EpochRecord(n, start, end, energy is { } e ? Energy.FromJoules(e) : null, provenance, hasSeen ? seen : null));
            }

            case "annotation":
                return new StoreWrite.Annotation(new AnnotationRecord(r.ReadString(), r.ReadString()), r.ReadInt64());
            case "projection":
            {
                int epoch = r.ReadInt32();
                var projected = Energy.FromJoules(r.ReadDouble());
                var lower = Energy.FromJoules(r.ReadDouble());
                var upper = Energy.FromJoules(r.ReadDouble());
                double confidence = r.ReadDouble();
                string method = r.ReadString();
                int? stable = NullableInt(r), min = NullableInt(r), max = NullableInt(r);
                var time = Time(r);
                long prior = r.ReadInt64();
                var entry = new ProjectionEntry(epoch, projected, lower, upper, confidence, method, stable, min, max, time);
                if (r.BaseStream.Position < r.BaseStream.Length)
                {
                    // Absent from a spool an earlier TrainWatt wrote (epochs-only projections).
                    entry = entry with
                    {
                        StartupEnergy = Nullable(r) is { } startup ? Energy.FromJoules(startup) : null,
                        TailEnergy = Nullable(r) is { } tail ? Energy.FromJoules(tail) : null,
                        TailPriorSource = NullableString(r),
                        DriftPrior = Nullable(r),
                        DriftPriorSource = NullableString(r),
                    };
                }

                return new StoreWrite.Projection(entry, prior);
            }

            case "finish":
                return new StoreWrite.Finish((RunStatus)r.ReadInt32(), Time(r), NullableInt(r));
            default:
                throw new InvalidDataException($"unknown write kind '{kind}'");
        }
    }

    private static void Time(BinaryWriter w, DateTimeOffset t)
    {
        w.Write(t.UtcTicks);
        w.Write((short)t.Offset.TotalMinutes);
    }

    private static DateTimeOffset Time(BinaryReader r)
    {
        long ticks = r.ReadInt64();
        var offset = TimeSpan.FromMinutes(r.ReadInt16());
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
    }

    private static void Nullable(BinaryWriter w, double? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static double? Nullable(BinaryReader r)
    {
        bool has = r.ReadBoolean();
        double v = r.ReadDouble();
        return has ? v : null;
    }

    private static void NullableString(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        w.Write(value ?? "");
    }

    private static string? NullableString(BinaryReader r)
    {
        bool has = r.ReadBoolean();
        string value = r.ReadString();
        return has ? value : null;
    }

    private static void NullableInt(BinaryWriter w, int? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static int? NullableInt(BinaryReader r)
    {
        bool has = r.ReadBoolean();
        int v = r.ReadInt32();
        return has ? v : null;
    }
}
