using System.Text;
using System.Text.Json;

namespace TrainWatt.Measurement;

/// <summary>Writes one JSON object with <see cref="Utf8JsonWriter"/> (invariant numbers, no culture involved).</summary>
public static class JsonOutput
{
    public static string Object(Action<Utf8JsonWriter> body, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static void NumberOrNull(this Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
