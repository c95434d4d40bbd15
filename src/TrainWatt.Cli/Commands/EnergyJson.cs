using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrainWatt.Cli.Commands;

/// <summary>One <c>trainwatt energy --json</c> object: one trace file and one device. Units are in the JSON names.</summary>
internal sealed record EnergyRow(
    string File,
    string Device,
    string? GpuName,
    int Samples,
    double DurationS,
    double EnergyJ,
    double MeanPowerW,
    double MaxPowerW,
    double TimeWeightedMeanPowerW,
    double IntegratedDurationS,
    double ExcludedGapS,
    double? IdlePowerW,
    double? NetEnergyJ,
    string? IdleProvenance,
    string Provenance,
    string Method,
    string? Parity,
    IReadOnlyList<FaultRow> Faults);

/// <summary>A fault in <c>--json</c> output: kind in snake_case, 1-based line (0: the whole file), message.</summary>
internal sealed record FaultRow(string Kind, int Line, string Message);

/// <summary>
/// Writes the <c>--json</c> array with <see cref="Utf8JsonWriter"/>: invariant, minimal escaping (the output is data, not HTML), doubles in their shortest
/// round-trippable form, null members left out. Written by hand rather than through a serializer context because the
/// reflection-free writer needs no generic metadata JIT-compiled at start-up, which is a visible share of a sub-second
/// run (docs/benchmarks.md).
/// </summary>
internal static class EnergyJson
{
    public static string Write(IReadOnlyList<EnergyRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("file", r.File);
                w.WriteString("device", r.Device);
                if (r.GpuName is not null)
                {
                    w.WriteString("gpu_name", r.GpuName);
                }

                w.WriteNumber("samples", r.Samples);
                w.WriteNumber("duration_s", r.DurationS);
                w.WriteNumber("energy_j", r.EnergyJ);
                w.WriteNumber("mean_power_w", r.MeanPowerW);
                w.WriteNumber("max_power_w", r.MaxPowerW);
                w.WriteNumber("time_weighted_mean_power_w", r.TimeWeightedMeanPowerW);
                w.WriteNumber("integrated_duration_s", r.IntegratedDurationS);
                w.WriteNumber("excluded_gap_s", r.ExcludedGapS);
                if (r.IdlePowerW is { } idle)
                {
                    w.WriteNumber("idle_power_w", idle);
                }

                if (r.NetEnergyJ is { } net)
                {
                    w.WriteNumber("net_energy_j", net);
                }

                if (r.IdleProvenance is not null)
                {
                    w.WriteString("idle_provenance", r.IdleProvenance);
                }

                w.WriteString("provenance", r.Provenance);
                w.WriteString("method", r.Method);
                if (r.Parity is not null)
                {
                    w.WriteString("parity", r.Parity);
                }

                w.WriteStartArray("faults");
                foreach (var f in r.Faults)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", f.Kind);
                    w.WriteNumber("line", f.Line);
                    w.WriteString("message", f.Message);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }
}
