using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Export;

/// <summary>
/// Writes a stored run as CSV (samples or epochs) or JSON (everything). Exporters write to a given
/// <see cref="TextWriter"/>/<see cref="Stream"/> and never open files or consoles themselves. Invariant culture, "\n" line ends.
/// </summary>
public static class RunExporter
{
    /// <summary>Header of <see cref="WriteSamplesCsv"/>.</summary>
    public const string SamplesHeader = "run_id,device,component,timestamp,t_s,power_w,counter_energy_j,utilization_pct,memory_mib,temperature_c,provenance,source_line";

    /// <summary>Header of <see cref="WriteEpochsCsv"/>.</summary>
    public const string EpochsHeader = "run_id,epoch,start,end,duration_s,energy_j,provenance,samples_seen";

    /// <summary>Header of <see cref="WriteProjectionsCsv"/>.</summary>
    public const string ProjectionsHeader = "run_id,epoch,projected_energy_j,lower_j,upper_j,confidence,method,stable_from_epoch,total_epochs_min,total_epochs_max,time";

    /// <summary>One row per sample, devices in registration order, time order within a device. Missing values are empty, never 0.</summary>
    public static void WriteSamplesCsv(TextWriter writer, RunDetails details, IEnumerable<SampleRecord> samples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(samples);
        var devices = details.Devices.ToDictionary(d => d.Id);
        writer.Write(SamplesHeader);
        writer.Write('\n');
        var line = new StringBuilder(160);
        foreach (var sample in samples)
        {
            var device = devices[sample.DeviceId];
            line.Clear();
            line.Append(details.Run.Id.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv(device.Key)).Append(',')
                .Append(Csv(device.Component)).Append(',')
                .Append(RunJson.Time(sample.Timestamp)).Append(',')
                .Append(Number(StoreRows.ToSeconds(sample.Timestamp))).Append(',')
                .Append(Number(sample.Power?.Watts)).Append(',')
                .Append(Number(sample.CumulativeEnergy?.Joules)).Append(',')
                .Append(Number(sample.UtilizationPercent)).Append(',')
                .Append(Number(sample.MemoryUsedMiB)).Append(',')
                .Append(Number(sample.TemperatureCelsius)).Append(',')
                .Append(ProvenanceText.Name(sample.Provenance)).Append(',')
                .Append(sample.SourceLine?.ToString(CultureInfo.InvariantCulture))
                .Append('\n');
            writer.Write(line);
        }
    }

    /// <summary>One row per epoch.</summary>
    public static void WriteEpochsCsv(TextWriter writer, RunDetails details)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(details);
        writer.Write(EpochsHeader);
        writer.Write('\n');
        foreach (var epoch in details.Epochs)
        {
            writer.Write(string.Join(',',
                details.Run.Id.ToString(CultureInfo.InvariantCulture),
                epoch.Number.ToString(CultureInfo.InvariantCulture),
                RunJson.Time(epoch.Start),
                RunJson.Time(epoch.End),
                Number((epoch.End - epoch.Start).TotalSeconds),
                Number(epoch.Energy?.Joules),
                ProvenanceText.Name(epoch.Provenance),
                epoch.SamplesSeen?.ToString(CultureInfo.InvariantCulture) ?? ""));
            writer.Write('\n');
        }
    }

    /// <summary>
    /// One row per live projection of the run's total energy (STEP during <c>measure</c>), in the order they were made;
    /// unknown values are empty. Provenance of every row: model (a projection, with its interval and confidence).
    /// </summary>
    public static void WriteProjectionsCsv(TextWriter writer, long runId, IReadOnlyList<ProjectionEntry> projections)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(projections);
        writer.Write(ProjectionsHeader);
        writer.Write('\n');
        foreach (var p in projections)
        {
            writer.Write(string.Join(',',
                runId.ToString(CultureInfo.InvariantCulture),
                p.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(p.Projected.Joules),
                Number(p.Lower.Joules),
                Number(p.Upper.Joules),
                Number(p.Confidence),
                Csv(p.Method),
                p.StableFromEpoch?.ToString(CultureInfo.InvariantCulture) ?? "",
                p.TotalEpochsMin?.ToString(CultureInfo.InvariantCulture) ?? "",
                p.TotalEpochsMax?.ToString(CultureInfo.InvariantCulture) ?? "",
                RunJson.Time(p.Time)));
            writer.Write('\n');
        }
    }

    /// <summary>
    /// One JSON object: <c>format_version</c>, the run, devices with energy, total energy, epochs, annotations, the live
    /// projection history (<c>projections</c>, when given) and every sample (<c>device</c>, <c>timestamp</c>, <c>t_s</c>, <c>power_w</c>, <c>counter_energy_j</c>, ...).
    /// </summary>
    public static void WriteJson(Stream stream, RunDetails details, IEnumerable<SampleRecord> samples, IReadOnlyList<ProjectionEntry>? projections = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(samples);
        var keys = details.Devices.ToDictionary(d => d.Id, d => d.Key);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteNumber("format_version", RunJson.FormatVersion);
        RunJson.WriteDetailsMembers(json, details);
        if (projections is not null)
        {
            RunJson.WriteProjections(json, projections);
        }

        json.WriteStartArray("samples");
        foreach (var sample in samples)
        {
            json.WriteStartObject();
            json.WriteString("device", keys[sample.DeviceId]);
            json.WriteString("timestamp", RunJson.Time(sample.Timestamp));
            json.WriteNumber("t_s", StoreRows.ToSeconds(sample.Timestamp));
            RunJson.WriteNumberOrNull(json, "power_w", sample.Power?.Watts);
            RunJson.WriteNumberOrNull(json, "counter_energy_j", sample.CumulativeEnergy?.Joules);
            RunJson.WriteNumberOrNull(json, "utilization_pct", sample.UtilizationPercent);
            RunJson.WriteNumberOrNull(json, "memory_mib", sample.MemoryUsedMiB);
            RunJson.WriteNumberOrNull(json, "temperature_c", sample.TemperatureCelsius);
            json.WriteString("provenance", ProvenanceText.Name(sample.Provenance));
            RunJson.WriteNumberOrNull(json, "source_line", sample.SourceLine);
            json.WriteEndObject();
            if (json.BytesPending > 64 * 1024)
            {
                json.Flush(); // stream long runs out instead of holding the whole document
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Shortest round-trip invariant text, lower-case exponent as Python writes it ("6.9e-05"); empty for null.</summary>
    internal static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e') : "";

    /// <summary>Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).</summary>
    internal static string Csv(string? value)
    {
        if (value is null)
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
