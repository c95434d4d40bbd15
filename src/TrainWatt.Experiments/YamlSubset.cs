using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TrainWatt.Experiments;

/// <summary>
/// The YAML subset that experiment plans need, converted to JSON: block mappings and sequences by indentation, flow
/// sequences <c>[a, b]</c> and flow mappings <c>{k: v}</c> of scalars, literal blocks <c>|</c>, quoted and plain
/// scalars (numbers, true/false, null), and <c># comments</c>. Anchors, tags, multi-document files and folded blocks
/// are not supported and are reported with their line.
/// </summary>
internal static class YamlSubset
{
    public static JsonNode? Parse(string text, string path)
    {
        var lines = new List<(int Number, int Indent, string Text)>();
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            lines.Add((i + 1, raw[i].Length - raw[i].TrimStart(' ').Length, raw[i]));
        }

        int position = 0;
        var root = ParseBlock(lines, ref position, 0, path);
        SkipBlank(lines, ref position);
        if (position < lines.Count)
        {
            throw Error(path, lines[position].Number, "unexpected indentation");
        }

        return root;
    }

    private static FormatException Error(string path, int line, string what) =>
        new($"{path}:{line}: {what} (plans support a YAML subset: mappings, sequences, [a, b], {{k: v}}, |, quotes, # comments).");

    private static string StripComment(string line)
    {
        bool single = false;
        bool dbl = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\'' && !dbl)
            {
                single = !single;
            }
            else if (c == '"' && !single && (i == 0 || line[i - 1] != '\\'))
            {
                dbl = !dbl;
            }
            else if (c == '#' && !single && !dbl && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i].TrimEnd();
            }
        }

        return line.TrimEnd();
    }

    private static void SkipBlank(List<(int Number, int Indent, string Text)> lines, ref int position)
    {
        while (position < lines.Count && StripComment(lines[position].Text).Trim().Length == 0)
        {
            position++;
        }
    }

    private static JsonNode? ParseBlock(List<(int Number, int Indent, string Text)> lines, ref int position, int minIndent, string path)
    {
        SkipBlank(lines, ref position);
        if (position >= lines.Count)
        {
            return null;
        }

        int indent = lines[position].Indent;
        if (indent < minIndent)
        {
            return null;
        }

        string first = StripComment(lines[position].Text).Trim();
        if (first.StartsWith("- ", StringComparison.Ordinal) || first == "-")
        {
            var array = new JsonArray();
            while (true)
            {
                SkipBlank(lines, ref position);
                if (position >= lines.Count || lines[position].Indent != indent)
                {
                    break;
                }

                string item = StripComment(lines[position].Text).Trim();
                if (!(item.StartsWith("- ", StringComparison.Ordinal) || item == "-"))
                {
                    break;
                }

                int number = lines[position].Number;
                position++;
                string value = item.Length > 1 ? item[2..].Trim() : string.Empty;
                if (value is "|" or "|-")
                {
                    array.Add(Literal(lines, ref position, indent, value == "|-"));
                }
                else
                {
                    array.Add(value.Length == 0 ? ParseBlock(lines, ref position, indent + 1, path) : Scalar(value, path, number));
                }
            }

            return array;
        }

        var map = new JsonObject();
        while (true)
        {
            SkipBlank(lines, ref position);
            if (position >= lines.Count || lines[position].Indent < indent)
            {
                break;
            }

            var (number, lineIndent, full) = lines[position];
            if (lineIndent > indent)
            {
                throw Error(path, number, "unexpected indentation");
            }

            string line = StripComment(full).Trim();
            int colon = FindColon(line);
            if (colon <= 0)
            {
                throw Error(path, number, $"expected \"key: value\", got \"{line}\"");
            }

            string key = Unquote(line[..colon].Trim());
            string value = line[(colon + 1)..].Trim();
            position++;
            if (value == "|" || value == "|-")
            {
                map[key] = Literal(lines, ref position, indent, value == "|-");
            }
            else if (value.Length == 0)
            {
                SkipBlank(lines, ref position);
                bool nested = position < lines.Count && (lines[position].Indent > indent
                    || (lines[position].Indent == indent && StripComment(lines[position].Text).TrimStart().StartsWith('-')));
                map[key] = nested ? ParseBlock(lines, ref position, lines[position].Indent, path) : null;
            }
            else
            {
                map[key] = Scalar(value, path, number);
            }
        }

        return map;
    }

    private static string Literal(List<(int Number, int Indent, string Text)> lines, ref int position, int parentIndent, bool strip)
    {
        var sb = new StringBuilder();
        int blockIndent = -1;
        while (position < lines.Count)
        {
            var (_, indent, text) = lines[position];
            if (text.Trim().Length > 0 && indent <= parentIndent)
            {
                break;
            }

            if (text.Trim().Length > 0 && blockIndent < 0)
            {
                blockIndent = indent;
            }

            sb.Append(text.Length >= blockIndent && blockIndent >= 0 ? text[blockIndent..] : text.Trim()).Append('\n');
            position++;
        }

        string result = sb.ToString().TrimEnd('\n');
        return strip ? result : result + "\n";
    }

    private static int FindColon(string line)
    {
        bool single = false;
        bool dbl = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\'' && !dbl)
            {
                single = !single;
            }
            else if (c == '"' && !single)
            {
                dbl = !dbl;
            }
            else if (c == ':' && !single && !dbl && (i + 1 == line.Length || line[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonNode? Scalar(string value, string path, int line)
    {
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            var array = new JsonArray();
            foreach (string part in SplitFlow(value[1..^1]))
            {
                array.Add(Scalar(part, path, line));
            }

            return array;
        }

        if (value.StartsWith('{') && value.EndsWith('}'))
        {
            var map = new JsonObject();
            foreach (string part in SplitFlow(value[1..^1]))
            {
                int colon = FindColon(part);
                if (colon <= 0)
                {
                    throw Error(path, line, $"expected \"key: value\" inside {{...}}, got \"{part}\"");
                }

                map[Unquote(part[..colon].Trim())] = Scalar(part[(colon + 1)..].Trim(), path, line);
            }

            return map;
        }

        if (value.StartsWith('&') || value.StartsWith('*') || value.StartsWith('!') || value.StartsWith('>'))
        {
            throw Error(path, line, $"anchors, aliases, tags and folded blocks are not supported: \"{value}\"");
        }

        if (value.StartsWith('"') || value.StartsWith('\''))
        {
            return JsonValue.Create(Unquote(value));
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (value is "null" or "~")
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
        {
            return JsonValue.Create(l);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(value);
    }

    private static IEnumerable<string> SplitFlow(string inner)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        bool single = false;
        bool dbl = false;
        foreach (char c in inner)
        {
            if (c == '\'' && !dbl)
            {
                single = !single;
            }
            else if (c == '"' && !single)
            {
                dbl = !dbl;
            }

            if (c == ',' && !single && !dbl)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.ToString().Trim().Length > 0)
        {
            parts.Add(current.ToString().Trim());
        }

        return parts;
    }

    private static string Unquote(string s)
    {
        if (s.Length >= 2 && s[0] == '\'' && s[^1] == '\'')
        {
            return s[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>(s) ?? string.Empty;
        }

        return s;
    }
}
