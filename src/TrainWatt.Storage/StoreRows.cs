using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage;

/// <summary>
/// What the SQLite and PostgreSQL stores share once a row is read: column decoding (by the ordinals of the SELECTs both
/// stores issue), status and provenance column spelling (<see cref="ProvenanceColumn"/>; outputs use Core's <see cref="ProvenanceText"/>), the rule that turns a dead `running` run into `incomplete`, and the
/// store's time representation (seconds since the Unix epoch, microsecond resolution). One place, so the backends
/// cannot drift apart.
/// </summary>
internal static class StoreRows
{
    /// <summary>Seconds since the Unix epoch (UTC instant of <paramref name="time"/>).</summary>
    public static double ToSeconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Seconds since the Unix epoch of <see cref="DateTimeOffset.MinValue"/> (year 1): the earliest time a store holds.</summary>
    public static readonly double MinSeconds = ToSeconds(DateTimeOffset.MinValue);

    /// <summary>Seconds since the Unix epoch of <see cref="DateTimeOffset.MaxValue"/> (year 9999): the latest time a store holds.</summary>
    public static readonly double MaxSeconds = ToSeconds(DateTimeOffset.MaxValue);

    /// <summary>
    /// Inverse of <see cref="ToSeconds"/>, rounded to the microsecond (the store's time resolution). A value outside
    /// the years 1 to 9999 (or NaN) is no time TrainWatt wrote: <see cref="InvalidDataException"/> (the tick
    /// conversion would overflow: 1e300 s read back as 1969-12-31T23:59:59.999999Z).
    /// </summary>
    public static DateTimeOffset FromSeconds(double seconds)
    {
        if (!(seconds >= MinSeconds && seconds <= MaxSeconds))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"the time {seconds:R} s since 1970-01-01 is not a date between the years 1 and 9999"));
        }

        long ticks = (long)Math.Round(seconds * 1_000_000.0) * (TimeSpan.TicksPerMillisecond / 1000);
        return ticks >= DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks
            ? DateTimeOffset.UnixEpoch.AddTicks(ticks)
            : seconds < 0 ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue; // within a microsecond of an end: rounding stepped past it
    }

    /// <summary>
    /// The store's time of a sample: whole microseconds since the Unix epoch, rounded as a REAL <c>t</c> column read back
    /// through <see cref="FromSeconds"/> (schema 4 stores sample times so; the value is the same as before).
    /// </summary>
    public static long ToMicroseconds(DateTimeOffset time) => (long)Math.Round(ToSeconds(time) * 1_000_000.0);

    /// <summary>Inverse of <see cref="ToMicroseconds"/>; outside the years 1 to 9999 <see cref="InvalidDataException"/>.</summary>
    public static DateTimeOffset FromMicroseconds(long microseconds)
    {
        const long MinMicroseconds = -62_135_596_800_000_000; // 0001-01-01
        const long MaxMicroseconds = 253_402_300_799_999_999; // 9999-12-31T23:59:59.999999
        if (microseconds < MinMicroseconds || microseconds > MaxMicroseconds)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"the time {microseconds} µs since 1970-01-01 is not a date between the years 1 and 9999"));
        }

        return DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);
    }

    /// <summary>The count query of a <see cref="WriteProbe"/> other than samples (same SQL in both engines; parameters named with @) and its parameters; samples are counted from their chunks (<c>StoreQueries.CountWritten</c>).</summary>
    public static (string Sql, IReadOnlyList<(string Name, object Value)> Parameters) ProbeQuery(long runId, WriteProbe probe) => probe switch
    {
        WriteProbe.Epoch p => ("SELECT COUNT(*) FROM epochs WHERE run_id = @run AND n = @n", [("@run", runId), ("@n", p.Number)]),
        WriteProbe.Annotation p => (
            "SELECT COUNT(*) FROM annotations WHERE run_id = @run AND kind = @kind AND message = @message",
            [("@run", runId), ("@kind", p.Kind), ("@message", p.Message)]),
        WriteProbe.Projection p => ("SELECT COUNT(*) FROM projections WHERE run_id = @run AND epoch = @epoch", [("@run", runId), ("@epoch", p.EpochNumber)]),
        _ => throw new ArgumentOutOfRangeException(nameof(probe), probe, "Unknown write probe."),
    };

    public static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static RunStatus ParseStatus(string text) => text switch
    {
        "running" => RunStatus.Running,
        "completed" => RunStatus.Completed,
        "incomplete" => RunStatus.Incomplete,
        "failed" => RunStatus.Failed,
        _ => throw new InvalidDataException($"the status '{text}' is none of running, completed, incomplete, failed"),
    };

    /// <summary>
    /// The value of a <c>provenance</c> column (both engines, every table): counter, sampled, model, user_given, as the
    /// schemas' CHECK constraint allows. Store spelling only: outputs write <see cref="ProvenanceText.Name"/>
    /// (<c>user-given</c>). <see cref="ParseProvenance"/> is its inverse; the two are the store's one provenance mapping.
    /// </summary>
    public static string ProvenanceColumn(Provenance provenance) => provenance switch
    {
        Provenance.Counter => "counter",
        Provenance.Sampled => "sampled",
        Provenance.Model => "model",
        Provenance.UserGiven => "user_given",
        _ => throw new ArgumentOutOfRangeException(nameof(provenance), provenance, "Unknown provenance."),
    };

    /// <summary>Reads a <c>provenance</c> column value written by <see cref="ProvenanceColumn"/>.</summary>
    public static Provenance ParseProvenance(string text) => text switch
    {
        "counter" => Provenance.Counter,
        "sampled" => Provenance.Sampled,
        "model" => Provenance.Model,
        "user_given" => Provenance.UserGiven,
        _ => throw new InvalidDataException($"the provenance '{text}' is none of counter, sampled, model, user_given"),
    };

    /// <summary>
    /// A run stored as `running` reads as `incomplete` when its process is known to be gone, or when its last sample
    /// batch (heartbeat) is older than <paramref name="staleAfter"/>; any other stored status is returned as is.
    /// </summary>
    public static RunStatus EffectiveStatus(
        RunStatus stored, string? host, int? pid, DateTimeOffset heartbeat, DateTimeOffset now, IProcessLiveness liveness, TimeSpan staleAfter)
    {
        if (stored != RunStatus.Running)
        {
            return stored;
        }

        bool? alive = host is not null && pid is not null ? liveness.IsAlive(host, pid.Value) : null;
        return alive == false || now - heartbeat > staleAfter ? RunStatus.Incomplete : RunStatus.Running;
    }

    /// <summary>Columns: id, uuid, source, source_key, started_at, ended_at, status, exit_code, command, tags, job_id, host, pid, metadata, heartbeat_at, device count, sample count, annotation count.</summary>
    public static RunRecord Run(DbDataReader reader, DateTimeOffset now, IProcessLiveness liveness, TimeSpan staleAfter)
    {
        var stored = ParseStatus(reader.GetString(6));
        string? host = reader.IsDBNull(11) ? null : reader.GetString(11);
        int? pid = reader.IsDBNull(12) ? null : reader.GetInt32(12);
        var heartbeat = FromSeconds(reader.GetDouble(14));
        var tags = JsonSerializer.Deserialize(reader.GetString(9), StorageJsonContext.Default.DictionaryStringString) ?? [];
        return new RunRecord(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            FromSeconds(reader.GetDouble(4)),
            reader.IsDBNull(5) ? null : FromSeconds(reader.GetDouble(5)),
            EffectiveStatus(stored, host, pid, heartbeat, now, liveness, staleAfter),
            stored,
            reader.IsDBNull(7) ? null : reader.GetInt32(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            tags,
            reader.IsDBNull(10) ? null : reader.GetString(10),
            host,
            pid,
            reader.IsDBNull(13) ? null : reader.GetString(13),
            (int)reader.GetInt64(15),
            reader.GetInt64(16),
            (int)reader.GetInt64(17));
    }

    /// <summary>Columns: id, run_id, key, component, name, uuid, provenance, note.</summary>
    public static StoredDevice Device(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        ParseProvenance(reader.GetString(6)),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(7) ? null : reader.GetString(7));

    /// <summary>Columns: device_id, t, power_w, energy_j, utilization_pct, memory_mib, temperature_c, provenance, source_line.</summary>
    public static SampleRecord Sample(DbDataReader reader) => new(
        reader.GetInt64(0),
        FromSeconds(reader.GetDouble(1)),
        reader.IsDBNull(2) ? null : Power.FromWatts(reader.GetDouble(2)),
        reader.IsDBNull(3) ? null : Energy.FromJoules(reader.GetDouble(3)),
        NullableDouble(reader, 4),
        NullableDouble(reader, 5),
        NullableDouble(reader, 6),
        ParseProvenance(reader.GetString(7)),
        reader.IsDBNull(8) ? null : reader.GetInt32(8));

    /// <summary>Columns: n, start_t, end_t, energy_j, provenance, samples_seen.</summary>
    public static EpochRecord Epoch(DbDataReader reader) => new(
        reader.GetInt32(0),
        FromSeconds(reader.GetDouble(1)),
        FromSeconds(reader.GetDouble(2)),
        reader.IsDBNull(3) ? null : Energy.FromJoules(reader.GetDouble(3)),
        ParseProvenance(reader.GetString(4)),
        reader.IsDBNull(5) ? null : reader.GetInt64(5));

    /// <summary>Columns: kind, message, file, line, device_id.</summary>
    public static AnnotationRecord Annotation(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetInt64(4));

    /// <summary>Columns: epoch, projected_j, lower_j, upper_j, confidence, method, stable_from, total_epochs_min, total_epochs_max, t,
    /// startup_j, tail_j, tail_prior_source, drift_prior, drift_prior_source.</summary>
    public static ProjectionEntry Projection(DbDataReader reader) => new(
        reader.GetInt32(0),
        Energy.FromJoules(reader.GetDouble(1)),
        Energy.FromJoules(reader.GetDouble(2)),
        Energy.FromJoules(reader.GetDouble(3)),
        reader.GetDouble(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7),
        reader.IsDBNull(8) ? null : reader.GetInt32(8),
        FromSeconds(reader.GetDouble(9)))
    {
        StartupEnergy = reader.IsDBNull(10) ? null : Energy.FromJoules(reader.GetDouble(10)),
        TailEnergy = reader.IsDBNull(11) ? null : Energy.FromJoules(reader.GetDouble(11)),
        TailPriorSource = reader.IsDBNull(12) ? null : reader.GetString(12),
        DriftPrior = NullableDouble(reader, 13),
        DriftPriorSource = reader.IsDBNull(14) ? null : reader.GetString(14),
    };
}
