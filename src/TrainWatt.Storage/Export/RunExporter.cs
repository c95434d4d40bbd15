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
        // Each device's leading fields once; rows gathered into blocks of about 64 KB, one write each (a console writer
        // flushes on every write), numbers and times formatted in place: constant memory at any run length.
        var devices = details.Devices.ToDictionary(d => d.Id, d => string.Concat(details.Run.Id.ToString(CultureInfo.InvariantCulture), ",", Csv(d.Key), ",", Csv(d.Component), ","));
        writer.Write(SamplesHeader);
        writer.Write('\n');
        var block = new StringBuilder(80 * 1024);
        Span<char> field = stackalloc char[64];
        foreach (var sample in samples)
        {
            block.Append(devices[sample.DeviceId]);
            sample.Timestamp.TryFormat(field, out int n, TimeFormat, CultureInfo.InvariantCulture);
            block.Append(field[..n]).Append(',');
            AppendNumber(block, StoreRows.ToSeconds(sample.Timestamp), field).Append(',');
            AppendNumber(block, sample.Power?.Watts, field).Append(',');
            AppendNumber(block, sample.CumulativeEnergy?.Joules, field).Append(',');
            AppendNumber(block, sample.UtilizationPercent, field).Append(',');
            AppendNumber(block, sample.MemoryUsedMiB, field).Append(',');
            AppendNumber(block, sample.TemperatureCelsius, field).Append(',');
            block.Append(ProvenanceText.Name(sample.Provenance)).Append(',');
            if (sample.SourceLine is { } sourceLine)
            {
                block.Append(sourceLine.ToString(CultureInfo.InvariantCulture));
            }

            block.Append('\n');
            if (block.Length >= 64 * 1024)
            {
                writer.Write(block);
                block.Clear();
            }
        }

        writer.Write(block);
    }

    /// <summary><see cref="RunJson.Time"/>'s format.</summary>
    internal const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz";

    /// <summary>Appends <see cref="Number"/>'s text of <paramref name="value"/> without a string per number.</summary>
    private static StringBuilder AppendNumber(StringBuilder block, double? value, Span<char> buffer)
    {
        if (value is not { } v)
        {
            return block;
        }

        v.TryFormat(buffer, out int n, "R", CultureInfo.InvariantCulture);
        var text = buffer[..n];
        int e = text.IndexOf('E');
        if (e >= 0)
        {
            text[e] = 'e';
        }

        return block.Append(text);
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
        var keys = details.Devices.ToDictionary(d => d.Id, d => JsonEncodedText.Encode(d.Key));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteNumber("format_version", RunJson.FormatVersion);
        RunJson.WriteDetailsMembers(json, details);
        if (projections is not null)
        {
            RunJson.WriteProjections(json, projections);
        }

        json.WriteStartArray("samples");
        Span<char> time = stackalloc char[64];
        foreach (var sample in samples)
        {
            json.WriteStartObject();
            json.WriteString(SampleNames.Device, keys[sample.DeviceId]);
            sample.Timestamp.TryFormat(time, out int n, TimeFormat, CultureInfo.InvariantCulture);
            json.WriteString(SampleNames.Timestamp, time[..n]);
            json.WriteNumber(SampleNames.Seconds, StoreRows.ToSeconds(sample.Timestamp));
            NumberOrNull(json, SampleNames.Power, sample.Power?.Watts);
            NumberOrNull(json, SampleNames.Counter, sample.CumulativeEnergy?.Joules);
            NumberOrNull(json, SampleNames.Utilization, sample.UtilizationPercent);
            NumberOrNull(json, SampleNames.Memory, sample.MemoryUsedMiB);
            NumberOrNull(json, SampleNames.Temperature, sample.TemperatureCelsius);
            json.WriteString(SampleNames.ProvenanceName, SampleNames.Of(sample.Provenance));
            NumberOrNull(json, SampleNames.SourceLine, sample.SourceLine);
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

    private static void NumberOrNull(Utf8JsonWriter json, JsonEncodedText name, double? value)
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

    /// <summary>A sample's member names and provenance texts, encoded once.</summary>
    private static class SampleNames
    {
        public static readonly JsonEncodedText Device = JsonEncodedText.Encode("device");
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
        public static readonly JsonEncodedText Seconds = JsonEncodedText.Encode("t_s");
        public static readonly JsonEncodedText Power = JsonEncodedText.Encode("power_w");
        public static readonly JsonEncodedText Counter = JsonEncodedText.Encode("counter_energy_j");
        public static readonly JsonEncodedText Utilization = JsonEncodedText.Encode("utilization_pct");
        public static readonly JsonEncodedText Memory = JsonEncodedText.Encode("memory_mib");
        public static readonly JsonEncodedText Temperature = JsonEncodedText.Encode("temperature_c");
        public static readonly JsonEncodedText ProvenanceName = JsonEncodedText.Encode("provenance");
        public static readonly JsonEncodedText SourceLine = JsonEncodedText.Encode("source_line");
        private static readonly JsonEncodedText[] Provenances = [.. Enum.GetValues<Provenance>().Select(p => JsonEncodedText.Encode(ProvenanceText.Name(p)))];

        public static JsonEncodedText Of(Provenance provenance) => Provenances[(int)provenance];
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
