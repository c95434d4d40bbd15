using System.Globalization;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Storage.Export;

/// <summary>
/// The JSON shapes of runs, shared by <c>runs list --json</c>, <c>runs show --json</c> and <c>export --format json</c>.
/// Names are snake_case with units in the name (<c>energy_j</c>, <c>duration_s</c>, <c>power_w</c>); times are ISO 8601;
/// numbers are invariant, shortest round-trip.
/// </summary>
public static class RunJson
{
    /// <summary>Version of these JSON shapes; bumped when a field changes meaning or disappears.</summary>
    public const int FormatVersion = 1;

    public static void WriteRun(Utf8JsonWriter json, RunRecord run)
    {
        json.WriteStartObject();
        json.WriteNumber("id", run.Id);
        json.WriteString("uuid", run.Uuid);
        json.WriteString("source", run.Source);
        WriteStringOrNull(json, "source_key", run.SourceKey);
        json.WriteString("status", SqliteRunStore.StatusText(run.Status));
        json.WriteString("stored_status", SqliteRunStore.StatusText(run.StoredStatus));
        json.WriteString("started", Time(run.Started));
        WriteStringOrNull(json, "ended", run.Ended is { } ended ? Time(ended) : null);
        WriteNumberOrNull(json, "duration_s", run.Duration?.TotalSeconds);
        WriteNumberOrNull(json, "exit_code", run.ExitCode);
        WriteStringOrNull(json, "command", run.Command);
        json.WriteStartObject("tags");
        foreach (var (key, value) in run.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        WriteStringOrNull(json, "job_id", run.JobId);
        WriteStringOrNull(json, "host", run.Host);
        WriteNumberOrNull(json, "pid", run.ProcessId);
        json.WriteNumber("devices", run.DeviceCount);
        json.WriteNumber("samples", run.SampleCount);
        json.WriteNumber("annotations", run.AnnotationCount);
        json.WritePropertyName("metadata");
        if (run.Metadata is null)
        {
            json.WriteNullValue();
        }
        else
        {
            using var metadata = JsonDocument.Parse(run.Metadata);
            metadata.RootElement.WriteTo(json);
        }

        json.WriteEndObject();
    }

    /// <summary>Writes the members of a run's details (run, devices with energy, total, epochs, annotations) into the current object.</summary>
    public static void WriteDetailsMembers(Utf8JsonWriter json, RunDetails details)
    {
        json.WritePropertyName("run");
        WriteRun(json, details.Run);
        json.WriteStartArray("devices");
        foreach (var energy in details.Energy)
        {
            var device = energy.Device;
            json.WriteStartObject();
            json.WriteNumber("id", device.Id);
            json.WriteString("key", device.Key);
            json.WriteString("component", device.Component);
            WriteStringOrNull(json, "name", device.Name);
            WriteStringOrNull(json, "uuid", device.Uuid);
            json.WriteString("provenance", ProvenanceText.Name(device.Provenance));
            WriteStringOrNull(json, "note", device.Note);
            json.WriteNumber("samples", energy.Samples);
            WriteStringOrNull(json, "first", energy.First is { } first ? Time(first) : null);
            WriteStringOrNull(json, "last", energy.Last is { } last ? Time(last) : null);
            WriteNumberOrNull(json, "duration_s", energy.First is { } f && energy.Last is { } l ? (l - f).TotalSeconds : null);
            WriteNumberOrNull(json, "energy_j", energy.Energy?.Joules);
            json.WriteString("energy_provenance", ProvenanceText.Name(energy.Provenance));
            WriteNumberOrNull(json, "mean_power_w", energy.MeanPower?.Watts);
            WriteNumberOrNull(json, "max_power_w", energy.MaxPower?.Watts);
            WriteNumberOrNull(json, "max_gap_s", energy.MaxGap?.TotalSeconds);
            json.WriteNumber("excluded_gap_s", energy.ExcludedDuration.TotalSeconds);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("energy_j", details.TotalEnergy.Joules);
        json.WriteStartArray("epochs");
        foreach (var epoch in details.Epochs)
        {
            json.WriteStartObject();
            json.WriteNumber("n", epoch.Number);
            json.WriteString("start", Time(epoch.Start));
            json.WriteString("end", Time(epoch.End));
            json.WriteNumber("duration_s", (epoch.End - epoch.Start).TotalSeconds);
            WriteNumberOrNull(json, "energy_j", epoch.Energy?.Joules);
            json.WriteString("provenance", ProvenanceText.Name(epoch.Provenance));
            WriteNumberOrNull(json, "samples_seen", epoch.SamplesSeen);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("annotations");
        foreach (var annotation in details.Annotations)
        {
            json.WriteStartObject();
            json.WriteString("kind", annotation.Kind);
            WriteStringOrNull(json, "file", annotation.File);
            WriteNumberOrNull(json, "line", annotation.Line);
            WriteNumberOrNull(json, "device_id", annotation.DeviceId);
            json.WriteString("message", annotation.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// Writes the member <c>projections</c>: the run's live projection history in order, one object per projection
    /// (<c>epoch</c>, <c>projected_energy_j</c>, <c>lower_j</c>, <c>upper_j</c>, <c>confidence</c>, <c>method</c>,
    /// <c>stable_from_epoch</c>, <c>total_epochs_min</c>, <c>total_epochs_max</c>, <c>time</c>); nulls where unknown.
    /// </summary>
    public static void WriteProjections(Utf8JsonWriter json, IReadOnlyList<ProjectionEntry> history)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(history);
        json.WriteStartArray("projections");
        foreach (var p in history)
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", p.Epoch);
            json.WriteNumber("projected_energy_j", p.Projected.Joules);
            json.WriteNumber("lower_j", p.Lower.Joules);
            json.WriteNumber("upper_j", p.Upper.Joules);
            json.WriteNumber("confidence", p.Confidence);
            json.WriteString("method", p.Method);
            WriteNumberOrNull(json, "stable_from_epoch", p.StableFromEpoch);
            WriteNumberOrNull(json, "total_epochs_min", p.TotalEpochsMin);
            WriteNumberOrNull(json, "total_epochs_max", p.TotalEpochsMax);
            json.WriteString("time", Time(p.Time));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>ISO 8601 with the offset, microsecond resolution: <c>2022-12-05T09:55:44.557223+00:00</c>.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture);

    internal static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
