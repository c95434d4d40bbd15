using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TrainWatt.Measurement.Traces;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// Every <c>--json</c> document of energy, written from typed records by
/// System.Text.Json source generation (no reflection): snake_case names, invariant numbers in their shortest
/// round-trippable form, one document and a newline. The names are a contract with scripts: add, never rename.
/// </summary>
internal static class CliJson
{
    public static string Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type) + "\n";
}

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
