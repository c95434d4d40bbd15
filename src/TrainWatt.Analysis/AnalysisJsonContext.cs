using System.Text.Json;
using System.Text.Json.Serialization;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Recommendation;

namespace TrainWatt.Analysis;

/// <summary>
/// Source-generated serialisation of the <c>analyze --json</c> and <c>recommend --json</c> documents (indented,
/// invariant shortest round-trip numbers, default escaping); every double that is NaN or infinite is written as null.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, Converters = [typeof(FiniteOrNullJsonConverter)])]
[JsonSerializable(typeof(GroupAnalysisDocument))]
[JsonSerializable(typeof(RecommendationDocument))]
internal sealed partial class AnalysisJsonContext : JsonSerializerContext;

/// <summary>A double as a JSON number when finite, else null (JSON has no NaN or infinity); null reads back as NaN.</summary>
internal sealed class FiniteOrNullJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
