using System.Globalization;
using System.Text.Json;

namespace TrainWatt.Testing;

/// <summary>
/// A tiny JSON Schema (draft 2020-12) checker for the subset the docs/*.schema.json files use: <c>type</c> (a name or
/// a list), <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (false or a schema), <c>items</c>,
/// <c>enum</c>, <c>minimum</c>, <c>anyOf</c> and local <c>$ref</c> (<c>#/$defs/NAME</c>). Annotation keywords
/// (<c>$schema</c>, <c>$id</c>, <c>title</c>, <c>description</c>, <c>$comment</c>, <c>examples</c>, <c>$defs</c>) are
/// ignored; any other keyword throws, so a schema cannot silently rely on something this checker does not check.
/// </summary>
public static class JsonSchemaSubset
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "$comment", "examples", "$defs"];

    private static readonly HashSet<string> Checked = ["type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "anyOf", "$ref"];

    /// <summary>Every violation of <paramref name="schema"/> (or of the sub-schema at <paramref name="pointer"/>, e.g. <c>#/$defs/run</c>) by <paramref name="document"/>, as "path: problem"; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonElement document, JsonElement schema, string pointer = "#")
    {
        var errors = new List<string>();
        Check(document, Resolve(schema, pointer), schema, "$", errors);
        return errors;
    }

    /// <summary>Every property name the schema declares anywhere (the keys of every <c>properties</c>).</summary>
    public static IReadOnlySet<string> PropertyNames(JsonElement schema)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement node)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in node.EnumerateObject())
                {
                    if (member.NameEquals("properties"))
                    {
                        foreach (var property in member.Value.EnumerateObject())
                        {
                            names.Add(property.Name);
                        }
                    }

                    Walk(member.Value);
                }
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        Walk(schema);
        return names;
    }

    /// <summary>Every property name that occurs in <paramref name="document"/> (objects at any depth), not looking inside the values of the keys in <paramref name="skip"/> (free-form maps such as tags or metadata).</summary>
    public static IReadOnlySet<string> DocumentNames(JsonElement document, IReadOnlySet<string>? skip = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement node)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in node.EnumerateObject())
                {
                    names.Add(member.Name);
                    if (skip is null || !skip.Contains(member.Name))
                    {
                        Walk(member.Value);
                    }
                }
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        Walk(document);
        return names;
    }

    private static JsonElement Resolve(JsonElement root, string pointer)
    {
        if (pointer == "#")
        {
            return root;
        }

        if (!pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references (#/...) are supported, not {pointer}.");
        }

        var node = root;
        foreach (string part in pointer[2..].Split('/'))
        {
            string name = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
            {
                throw new InvalidOperationException($"The schema has no {pointer}.");
            }
        }

        return node;
    }

    private static void Check(JsonElement value, JsonElement schema, JsonElement root, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Annotations.Contains(keyword.Name) && !Checked.Contains(keyword.Name))
            {
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' (at {path}) is not supported by this checker.");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(value, Resolve(root, reference.GetString()!), root, path, errors);
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!allowed.Any(t => IsType(value, t)))
            {
                errors.Add($"{path}: {Kind(value)} where the schema wants {string.Join(" or ", allowed)}");
                return;
            }
        }

        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {options.GetRawText()}");
        }

        if (schema.TryGetProperty("minimum", out var minimum) && value.ValueKind == JsonValueKind.Number && value.GetDouble() < minimum.GetDouble())
        {
            errors.Add($"{path}: {value.GetRawText()} is below the minimum {minimum.GetRawText()}");
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var failures = new List<string>();
            bool any = false;
            foreach (var branch in anyOf.EnumerateArray())
            {
                var branchErrors = new List<string>();
                Check(value, branch, root, path, branchErrors);
                if (branchErrors.Count == 0)
                {
                    any = true;
                    break;
                }

                failures.AddRange(branchErrors);
            }

            if (!any)
            {
                errors.Add($"{path}: matches no branch of anyOf ({string.Join("; ", failures)})");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(value, schema, root, path, errors);
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, root, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), errors);
            }
        }
    }

    private static void CheckObject(JsonElement value, JsonElement schema, JsonElement root, string path, List<string> errors)
    {
        schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: the required key '{name}' is missing");
                }
            }
        }

        foreach (var member in value.EnumerateObject())
        {
            string memberPath = $"{path}.{member.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var propertySchema))
            {
                Check(member.Value, propertySchema, root, memberPath, errors);
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional))
            {
                Check(member.Value, additional, root, memberPath, errors);
            }
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && Math.Floor(value.GetDouble()) == value.GetDouble(),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"Unknown JSON Schema type '{type}'."),
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
