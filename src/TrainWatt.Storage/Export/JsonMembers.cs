using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TrainWatt.Storage.Export;

/// <summary>Writes a typed record's properties as members of the JSON object that is open on a writer.</summary>
public static class JsonMembers
{
    /// <summary>
    /// Serialises <paramref name="value"/> (an object) with its source-generated <paramref name="typeInfo"/> and writes its
    /// properties, in order, into the object open on <paramref name="json"/>. Numbers keep their text; strings are
    /// escaped by <paramref name="json"/>'s encoder, as if written directly.
    /// </summary>
    public static void Write<T>(Utf8JsonWriter json, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(typeInfo);
        using var document = JsonSerializer.SerializeToDocument(value, typeInfo);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"{typeof(T).Name} is not written as a JSON object.", nameof(value));
        }

        foreach (var member in document.RootElement.EnumerateObject())
        {
            member.WriteTo(json);
        }
    }
}
