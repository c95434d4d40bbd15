using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TrainWatt.Measurement.Traces;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// Every <c>--json</c> document of energy, import, runs merge, doctor, gpus and carbon, written from typed records by
/// System.Text.Json source generation (no reflection): snake_case names, invariant numbers in their shortest
/// round-trippable form, one document and a newline. The names are a contract with scripts: add, never rename.
/// </summary>
internal static class CliJson
{
    public static string Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type) + "\n";
}

/// <summary>One line, nulls written (import, runs merge).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ImportJson))]
[JsonSerializable(typeof(JobJson))]
internal sealed partial class CompactJsonContext : JsonSerializerContext;

/// <summary>Indented, nulls written (doctor, gpus, carbon).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(DoctorJson))]
[JsonSerializable(typeof(IReadOnlyList<GpuJson>))]
[JsonSerializable(typeof(CarbonJson))]
internal sealed partial class IndentedJsonContext : JsonSerializerContext;

/// <summary><c>energy --json</c>: indented, null members left out, minimal escaping (the output is data, not HTML: paths keep their '+' and '&amp;').</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<TraceEnergyRow>))]
internal sealed partial class TraceJsonContext : JsonSerializerContext
{
    public static TraceJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary><c>import --json</c>.</summary>
internal sealed record ImportJson(
    string Store,
    IReadOnlyList<ImportedRunJson> Imported,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<FileMessageJson> Failed,
    IReadOnlyList<FileMessageJson> Warnings,
    int RemovedIncomplete);

internal sealed record ImportedRunJson(long RunId, string SourceKey, string Status, long Samples, IReadOnlyList<string> Flags);

internal sealed record FileMessageJson(string File, string Message);

/// <summary><c>runs merge --json</c> (and <c>runs show JOB_ID --json</c>). <see cref="Nodes"/> is sorted by node name.</summary>
internal sealed record JobJson(
    string JobId,
    double? EnergyJ,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NoEnergyReason,
    IReadOnlyList<JobRunJson> Runs,
    IReadOnlyDictionary<string, double> Nodes,
    IReadOnlyList<JobDeviceJson> Devices);

internal sealed record JobRunJson(long Id, string Node, string? Rank, string Status);

internal sealed record JobDeviceJson(
    string Node,
    string Device,
    string Component,
    string? Uuid,
    double EnergyJ,
    string Provenance,
    IReadOnlyList<long> CountedRuns,
    IReadOnlyList<long> PartialRuns,
    IReadOnlyList<long> DuplicateRuns);

/// <summary><c>doctor --json</c>.</summary>
internal sealed record DoctorJson(int SchemaVersion, IReadOnlyList<MeterJson> Meters, DoctorEnvironmentJson Environment, IReadOnlyList<string> AutoMeters);

internal sealed record MeterJson(string Meter, bool Available, IReadOnlyList<string> Found, string? Reason, string? Fix, IReadOnlyList<string> Warnings);

internal sealed record DoctorEnvironmentJson(
    bool InContainer,
    bool NvidiaDeviceNodes,
    string? KernelDriver,
    string? NvidiaVisibleDevices,
    string? NvidiaDriverCapabilities,
    string? CudaVisibleDevices,
    string? GpuFix);

/// <summary>One GPU of <c>gpus --json</c>; units in the names.</summary>
internal sealed record GpuJson(
    string Name,
    IReadOnlyList<string> Aliases,
    string Segment,
    string Architecture,
    int CudaCores,
    double MemoryGb,
    string MemoryType,
    double BandwidthGbs,
    int? BaseClockMhz,
    int BoostClockMhz,
    double TdpW,
    double Fp32Tflops,
    double? Fp16Tflops,
    string? Fp16Kind,
    int Year,
    string Source);

/// <summary><c>carbon --json</c>; the price members are null without <c>--price</c>.</summary>
internal sealed record CarbonJson(
    double ItEnergyKwh,
    double ItEnergyJ,
    double Pue,
    string PueSource,
    double FacilityEnergyKwh,
    double FacilityEnergyJ,
    double IntensityGco2ePerKwh,
    string IntensitySource,
    double EmissionsGco2e,
    decimal? PricePerKwh,
    string? Currency,
    decimal? Cost,
    IReadOnlyList<string> Assumptions);
