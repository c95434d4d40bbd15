using System.Text.Json.Serialization;

namespace TrainWatt.Cli.Commands;

/// <summary>One <c>trainwatt energy --json</c> object: one trace file and one device. Units are in the names.</summary>
internal sealed record EnergyRow(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("gpu_name")] string? GpuName,
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("duration_s")] double DurationS,
    [property: JsonPropertyName("energy_j")] double EnergyJ,
    [property: JsonPropertyName("mean_power_w")] double MeanPowerW,
    [property: JsonPropertyName("max_power_w")] double MaxPowerW,
    [property: JsonPropertyName("time_weighted_mean_power_w")] double TimeWeightedMeanPowerW,
    [property: JsonPropertyName("integrated_duration_s")] double IntegratedDurationS,
    [property: JsonPropertyName("excluded_gap_s")] double ExcludedGapS,
    [property: JsonPropertyName("idle_power_w")] double? IdlePowerW,
    [property: JsonPropertyName("net_energy_j")] double? NetEnergyJ,
    [property: JsonPropertyName("idle_provenance")] string? IdleProvenance,
    [property: JsonPropertyName("provenance")] string Provenance,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("parity")] string? Parity,
    [property: JsonPropertyName("faults")] IReadOnlyList<FaultRow> Faults);

/// <summary>A fault in <c>--json</c> output: kind in snake_case, 1-based line (0: the whole file), message.</summary>
internal sealed record FaultRow(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("message")] string Message);

/// <summary>Source-generated serializer for the energy command (no reflection; invariant number formatting).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<EnergyRow>))]
internal sealed partial class EnergyJsonContext : JsonSerializerContext;
