using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// Structural JSON mutations: parse a valid seed, replace, delete or rename one node, write it back. The text stays
/// valid JSON, so the reader's own checks (types, ranges, required keys) are reached instead of the JSON parser's.
/// </summary>
public static class JsonMutator
{
    /// <summary>JSON texts to put in place of a node: extreme numbers, odd strings, wrong types, deep or wide nesting.</summary>
    public static readonly string[] Replacements =
    [
        "1e400", "-1e400", "1e308", "-1e308", "4.9e-324", "-0", "-0.0", "0", "1", "-1", "0.5", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "1e-400", "null", "true", "false", "[]", "{}", "[null]",
        "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"NaN\"", "\"1e400\"", "\"-0\"", "\"Infinity\"", "\"5m\"", "\"-1s\"", "\"0ms\"",
        "\"99999999999999h\"", "\"1e400s\"", "\"10\"", "\"{model}\"", "\"{nosuch}\"", "\"{\"", "\"a b  c\"", "\"\\n\\r\\t\"", "\"9999-12-31T23:59:59Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"not a date\"", "\"ridge-log-load\"", "\"load\"", "\"log9\"", "\"paper10\"", "\"log\"", "\"identity\"", "\"nosuch\"",
        "\"" + new string('x', 10 * 1024) + "\"", "[" + string.Join(",", Enumerable.Repeat("1", 10_000)) + "]",
        "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"v{i}\"")) + "]",
        new string('[', 60) + new string(']', 60), new string('[', 70) + new string(']', 70), string.Concat(Enumerable.Repeat("{\"a\":", 63)) + "1" + new string('}', 63),
        "[1e400, -0, \"x\"]", "[\"\", \"\"]", "{\"a\": [1, 2], \"b\": [3, 4], \"c\": [5, 6]}",
    ];

    /// <summary>Mutates one node of <paramref name="json"/> (UTF-8), or returns the text unchanged with "no node" when it does not parse.</summary>
    public static byte[] Mutate(byte[] json, Random rng, out string how, IReadOnlyList<string>? extraReplacements = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            how = "json: no node";
            return json;
        }

        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        if (nodes.Count == 0)
        {
            how = "json: empty";
            return json;
        }

        int count = rng.Next(1, 4);
        var steps = new List<string>();
        for (int k = 0; k < count; k++)
        {
            var target = nodes[rng.Next(nodes.Count)];
            if (target.Parent is null)
            {
                continue;
            }

            string path = target.GetPath();
            string replacement = extraReplacements is { Count: > 0 } && rng.Next(3) == 0
                ? extraReplacements[rng.Next(extraReplacements.Count)]
                : Replacements[rng.Next(Replacements.Length)];
            switch (target.Parent, rng.Next(6))
            {
                case (JsonObject parent, 0):
                    {
                        string name = target.GetPropertyName();
                        parent.Remove(name);
                        steps.Add($"delete {path}");
                        break;
                    }

                case (JsonObject parent, 1):
                    {
                        string name = target.GetPropertyName();
                        parent.Remove(name);
                        string renamed = rng.Next(2) == 0 ? name.ToUpperInvariant() : name + "_";
                        parent[renamed] = target;
                        steps.Add($"rename {path} -> {renamed}");
                        break;
                    }

                case (JsonArray parent, 0):
                    parent.Remove(target);
                    steps.Add($"delete {path}");
                    break;
                case (JsonArray parent, 1):
                    parent.Add(target.DeepClone());
                    steps.Add($"append a copy of {path}");
                    break;
                default:
                    target.ReplaceWith(JsonNode.Parse(replacement, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }));
                    steps.Add($"{path} -> {(replacement.Length > 40 ? replacement[..40] + "..." : replacement)}");
                    break;
            }

            nodes.Clear();
            Collect(root, nodes);
        }

        how = "json: " + (steps.Count == 0 ? "no change" : string.Join(" + ", steps));
        try
        {
            return Encoding.UTF8.GetBytes(root!.ToJsonString(new JsonSerializerOptions { MaxDepth = 256 }));
        }
        catch (InvalidOperationException)
        {
            how += " (not writable: seed kept)"; // e.g. a lone surrogate that System.Text.Json will not write back
            return json;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }

        into.Add(node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o.ToList())
                {
                    Collect(child, into);
                }

                break;
            case JsonArray a:
                foreach (var child in a.ToList())
                {
                    Collect(child, into);
                }

                break;
        }
    }
}
