using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrainWatt.Analysis.Data;
using TrainWatt.Measurement;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

using TrainWatt.Core.Epochs;
using TrainWatt.Core.Units;
using TrainWatt.Core.Attribution;
using TrainWatt.Meters;

namespace TrainWatt.Experiments;

/// <summary>One configuration of an experiment: a value for every variable, and its label "model=a,batch=32".</summary>
public sealed record ExperimentConfiguration(string Label, IReadOnlyDictionary<string, string> Values);

/// <summary>One scheduled run: configuration, 1-based repetition, and its position in the shuffled order.</summary>
public sealed record PlannedRun(int Position, ExperimentConfiguration Configuration, int Repetition);

/// <summary>Optional wait before each run until the meters' total power is at most <see cref="MaxPowerWatts"/>.</summary>
public sealed record IdleWait(double MaxPowerWatts, TimeSpan Timeout);

/// <summary>
/// An experiment plan (JSON, or the same keys in YAML: see <see cref="YamlPlan"/>):
/// <code>
/// {"name": "demo",
///  "command": ["python3", "train.py", "--model", "{model}", "--batch", "{batch}"],
///  "variables": {"model": ["mobilenet_v2", "vgg16"], "batch": [32, 64]},
///  "repetitions": 30, "seed": 42,
///  "warmup": {"command": ["python3", "warm.py"], "duration": "30s"},
///  "cooldown": "5m", "wait_until_idle": {"max_power_w": 60, "timeout": "10m"},
///  "interval": "100ms", "meters": "auto", "framework": "auto", "cpu_attribution": "process", "tags": {"dataset": "chesslive"}}
/// </code>
/// The command runs without a shell (a string is split on spaces); <c>{name}</c> is replaced by the variable's value.
/// Configurations are the cartesian product of the variables; the runs (configurations x repetitions) are shuffled
/// with the seed, so the order is the same on every resume.
/// </summary>
public sealed record ExperimentPlan(
    string Name,
    IReadOnlyList<string> Command,
    IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Variables,
    int Repetitions,
    int Seed,
    IReadOnlyList<string>? WarmupCommand,
    TimeSpan? WarmupDuration,
    TimeSpan Cooldown,
    IdleWait? WaitUntilIdle,
    TimeSpan Interval,
    MeterKinds Meters,
    EpochFramework Framework,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>
    /// <c>"cpu_attribution"</c>: <c>process</c> (default: each run is charged its process tree's share of the CPU's
    /// energy) or <c>machine</c> (the whole CPU), as <c>measure --cpu-attribution</c>.
    /// </summary>
    public CpuAttribution CpuAttribution { get; init; } = CpuAttribution.Process;

    private static readonly Regex Placeholder = new(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// The most runs (configurations x repetitions) a plan may have. A plan is expanded and shuffled in memory, and
    /// 100,000 runs of even one second each take more than a day; beyond that a plan is a typo (a repetitions count
    /// of 2^31 - 1, eight variables of ten values) that would never finish expanding.
    /// </summary>
    public const int MaxRuns = 100_000;

    /// <summary>How many configurations (the product of the variables' value counts) and runs the plan has, without expanding it.</summary>
    public (BigInteger Configurations, BigInteger Runs) Size()
    {
        BigInteger configurations = Variables.Aggregate(BigInteger.One, (product, v) => product * v.Values.Count);
        return (configurations, configurations * Repetitions);
    }

    public IReadOnlyList<ExperimentConfiguration> Configurations()
    {
        ThrowIfTooLarge();
        IEnumerable<IReadOnlyDictionary<string, string>> product = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var (name, values) in Variables)
        {
            product = product.SelectMany(p => values.Select(v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(p, StringComparer.Ordinal) { [name] = v })).ToArray();
        }

        return product.Select(p => new ExperimentConfiguration(
            Variables.Count == 0 ? "default" : string.Join(",", Variables.Select(v => $"{v.Name}={p[v.Name]}")), p)).ToArray();
    }

    /// <summary>All runs in the seeded shuffled order (Fisher-Yates over configurations x repetitions).</summary>
    public IReadOnlyList<PlannedRun> Schedule()
    {
        ThrowIfTooLarge();
        var runs = Configurations().SelectMany(c => Enumerable.Range(1, Repetitions).Select(r => (c, r))).ToArray();
        var random = new Random(Seed);
        for (int i = runs.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (runs[i], runs[j]) = (runs[j], runs[i]);
        }

        return runs.Select((t, i) => new PlannedRun(i + 1, t.c, t.r)).ToArray();
    }

    /// <summary>Why the plan is too large to run (its run count, how it comes about, the cap and the fix), or null.</summary>
    public string? TooLargeReason()
    {
        var (configurations, runs) = Size();
        if (runs <= MaxRuns)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"the plan expands to {runs:N0} runs ({configurations:N0} configuration{(configurations == 1 ? "" : "s")} x {Repetitions:N0} repetition{(Repetitions == 1 ? "" : "s")}); " +
            $"a plan may have at most {MaxRuns:N0} runs: lower \"repetitions\" or the number of \"variables\" values, or split it into several plans.");
    }

    private void ThrowIfTooLarge()
    {
        if (TooLargeReason() is { } reason)
        {
            throw new InvalidOperationException($"{Name}: {reason}");
        }
    }

    public IReadOnlyList<string> CommandFor(ExperimentConfiguration configuration) =>
        Command.Select(part => Placeholder.Replace(part, m => configuration.Values[m.Groups[1].Value])).ToArray();

    public static ExperimentPlan Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new AnalysisDataException($"{path}: no such plan file.");
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        string text = File.ReadAllText(path);
        if (extension is ".yaml" or ".yml")
        {
            text = YamlPlan.ToJson(text, path);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new AnalysisDataException($"{path}:{ex.LineNumber + 1}: not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            CheckStrings(doc.RootElement, "", path);
            return Parse(doc.RootElement, path);
        }
    }

    /// <summary>
    /// Every string and key of the plan must be whole UTF-16 text: JSON lets a string escape half of a surrogate pair
    /// (<c>"\ud800"</c>), which parses but cannot be read as a string (.NET's InvalidOperationException). Named here
    /// with its place in the plan and the fix, before any value is read.
    /// </summary>
    private static void CheckStrings(JsonElement element, string where, string path)
    {
        AnalysisDataException Bad(string at) => new(
            $"{path}: {at} holds half of a UTF-16 surrogate pair (an escape such as \\ud800 without the \\udc00-\\udfff escape that must follow it); " +
            "write the character itself, or both halves of the pair.");

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw Bad(where.Length == 0 ? "the plan" : where);
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckStrings(item, $"{where}[{index++}]", path);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        throw Bad(where.Length == 0 ? "a key" : $"a key of {where}");
                    }

                    CheckStrings(property.Value, where.Length == 0 ? $"\"{name}\"" : $"{where}.\"{name}\"", path);
                }

                break;
        }
    }

    private static ExperimentPlan Parse(JsonElement root, string path)
    {
        AnalysisDataException Bad(string what) => new($"{path}: {what}".ReplaceLineEndings("\\n"));
        string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
        TimeSpan Duration(string key, TimeSpan fallback, JsonElement? from = null)
        {
            var source = from ?? root;
            if (!source.TryGetProperty(key, out var e))
            {
                return fallback;
            }

            return DurationText.TryParse(Text(e), out var d) && d >= TimeSpan.Zero ? d : throw Bad($"\"{key}\": \"{Text(e)}\" is not a duration (examples: 500ms, 10s, 5m).");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("the plan must be a JSON object with at least \"name\" and \"command\".");
        }

        string name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString()!.Trim().Length > 0
            ? n.GetString()!.Trim()
            : throw Bad("\"name\" (a non-empty string) is required; runs are tagged experiment=NAME.");
        var command = ReadCommand(root, "command", path) ?? throw Bad("\"command\" (an array of arguments, or a string split on spaces) is required.");

        var variables = new List<(string, IReadOnlyList<string>)>();
        if (root.TryGetProperty("variables", out var vars))
        {
            if (vars.ValueKind != JsonValueKind.Object)
            {
                throw Bad("\"variables\" must be an object of name: [values].");
            }

            foreach (var v in vars.EnumerateObject())
            {
                var values = v.Value.ValueKind == JsonValueKind.Array ? v.Value.EnumerateArray().Select(Text).ToArray() : [Text(v.Value)];
                if (values.Length == 0)
                {
                    throw Bad($"variable \"{v.Name}\" has no values.");
                }

                variables.Add((v.Name, values));
            }
        }

        foreach (string part in command)
        {
            foreach (Match match in Placeholder.Matches(part))
            {
                if (!variables.Any(v => v.Item1 == match.Groups[1].Value))
                {
                    throw Bad($"the command uses {{{match.Groups[1].Value}}} but \"variables\" has no \"{match.Groups[1].Value}\".");
                }
            }
        }

        int repetitions = root.TryGetProperty("repetitions", out var r) ? (r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int rv) && rv >= 1 ? rv : throw Bad("\"repetitions\" must be an integer >= 1.")) : 1;
        int seed = root.TryGetProperty("seed", out var s) ? (s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out int sv) ? sv : throw Bad("\"seed\" must be an integer.")) : 0;
        IReadOnlyList<string>? warmup = null;
        TimeSpan? warmupDuration = null;
        if (root.TryGetProperty("warmup", out var w))
        {
            if (w.ValueKind != JsonValueKind.Object)
            {
                throw Bad("\"warmup\" must be an object with a \"command\" (and optionally a \"duration\").");
            }

            warmup = ReadCommand(w, "command", path);
            warmupDuration = w.TryGetProperty("duration", out _) ? Duration("duration", TimeSpan.Zero, w) : null;
            if (warmup is null)
            {
                throw Bad("\"warmup\" needs a \"command\".");
            }
        }

        IdleWait? idle = null;
        if (root.TryGetProperty("wait_until_idle", out var idleElement))
        {
            if (idleElement.ValueKind != JsonValueKind.Object || !idleElement.TryGetProperty("max_power_w", out var mp))
            {
                throw Bad("\"wait_until_idle\" needs \"max_power_w\" (a power in watts > 0).");
            }

            double max = mp.ValueKind == JsonValueKind.Number && mp.TryGetDouble(out double mpv) && mpv > 0 && double.IsFinite(mpv)
                ? mpv
                : throw Bad($"\"wait_until_idle\": \"max_power_w\" is {mp.GetRawText()}, not a number of watts > 0; write it without quotes, e.g. 60.");
            idle = new IdleWait(max, Duration("timeout", TimeSpan.FromMinutes(10), idleElement));
        }

        var interval = Duration("interval", TimeSpan.FromMilliseconds(100));
        if (interval < TimeSpan.FromMilliseconds(10) || interval > TimeSpan.FromMinutes(1))
        {
            throw Bad("\"interval\" must be between 10ms and 60s.");
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in t.EnumerateObject())
            {
                tags[p.Name] = Text(p.Value);
            }
        }

        var plan = new ExperimentPlan(
            name, command, variables, repetitions, seed, warmup, warmupDuration, Duration("cooldown", TimeSpan.Zero), idle, interval,
            ReadMeters(root.TryGetProperty("meters", out var m) && m.ValueKind != JsonValueKind.Null ? Text(m) : null),
            ReadFramework(root.TryGetProperty("framework", out var f) && f.ValueKind != JsonValueKind.Null ? Text(f) : null),
            tags)
        {
            CpuAttribution = root.TryGetProperty("cpu_attribution", out var ca) && ca.ValueKind != JsonValueKind.Null
                ? CpuAttributionText.TryParse(Text(ca), out var mode) ? mode : throw Bad($"\"cpu_attribution\": \"{Text(ca)}\" is neither process nor machine.")
                : CpuAttribution.Process,
        };
        return plan.TooLargeReason() is { } tooLarge ? throw Bad(tooLarge) : plan;

        MeterKinds ReadMeters(string? text)
        {
            try
            {
                return MeterFactory.Parse(text);
            }
            catch (ArgumentException)
            {
                throw Bad($"\"meters\": \"{text}\" is not a meter list. Use auto, or a comma-separated list of nvml, nvidia-smi, rapl, process.");
            }
        }

        EpochFramework ReadFramework(string? text) => text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => EpochFramework.Auto,
            "keras" => EpochFramework.Keras,
            "lightning" => EpochFramework.Lightning,
            "hf" or "huggingface" => EpochFramework.HuggingFace,
            "marker" => EpochFramework.Marker,
            _ => throw Bad($"\"framework\": \"{text}\" is unknown. Use auto, keras, lightning, hf or marker."),
        };
    }

    private static string[]? ReadCommand(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var c))
        {
            return null;
        }

        string[] parts = c.ValueKind switch
        {
            JsonValueKind.Array => c.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray(),
            JsonValueKind.String => c.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        };
        return parts.Length > 0 ? parts : throw new AnalysisDataException($"{path}: \"{key}\" must be a non-empty array of arguments or a string.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Size().Configurations} configurations x {Repetitions} repetitions");
}

/// <summary>
/// YAML plans: read with YamlDotNet's event parser and written out as the JSON text that <see cref="ExperimentPlan"/>
/// reads, so both formats share one reader. The parser keeps its own stack (no recursion) and the nesting depth is
/// counted here, so no document can overflow the call stack. Plain scalars are typed by YAML 1.2's core schema:
/// <c>10</c>, <c>-1.5e3</c>, <c>.5</c>, <c>0x1F</c>, <c>0o17</c> are numbers (a decimal one keeps its written digits,
/// <c>1e-3</c> stays 1e-3 as in JSON), <c>true</c>/<c>false</c> booleans, <c>null</c>, <c>~</c> and nothing null;
/// anything else (<c>yes</c>, <c>.inf</c>, <c>5m</c>) and every quoted or block (<c>|</c>, <c>&gt;</c>) scalar is a string.
/// The core tags (<c>!!str</c>, <c>!!int</c>, ...) are honoured. Refused, each with its file, line and fix: syntax
/// errors, anchors and aliases (so no alias can expand into a "billion laughs"), other tags, keys that are not
/// scalars, duplicate keys, a second document, a plan that is not a mapping, and nesting deeper than
/// <see cref="MaxDepth"/>.
/// </summary>
internal static class YamlPlan
{
    /// <summary>The deepest nesting of mappings and sequences accepted: the JSON reader's own limit, far above a plan's 3.</summary>
    public const int MaxDepth = 64;

    private const string CoreTag = "tag:yaml.org,2002:";

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Regex Decimal = new(
        @"^(?<sign>[-+]?)(?:(?<int>[0-9]+)(?:\.(?<frac>[0-9]*))?|\.(?<frac>[0-9]+))(?:[eE](?<exp>[-+]?[0-9]+))?\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    private static readonly Regex Based = new(@"^0(?:x[0-9a-fA-F]+|o[0-7]+)\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private sealed class Frame(bool mapping)
    {
        public bool Mapping { get; } = mapping;

        public bool ExpectKey { get; set; } = true;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The plan in <paramref name="text"/> as JSON text; throws <see cref="AnalysisDataException"/> "PATH:LINE: what (column N); fix."</summary>
    public static string ToJson(string text, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var frames = new Stack<Frame>();
        var parser = new Parser(new StringReader(text));
        var last = Mark.Empty;
        int documents = 0;
        bool root = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            try
            {
                while (parser.MoveNext())
                {
                    var e = parser.Current!;
                    last = e.End;
                    switch (e)
                    {
                        case DocumentStart when ++documents > 1:
                            throw Error(path, e.Start, "a second YAML document", "a plan file holds one: remove the '---' and what follows");
                        case AnchorAlias alias:
                            throw Error(path, e.Start, $"anchors and aliases are not supported (*{alias.Value})", "write the value out in full");
                        case NodeEvent { Anchor.IsEmpty: false } node:
                            throw Error(path, e.Start, $"anchors and aliases are not supported (&{node.Anchor})", "write the value out in full");
                        case NodeEvent node:
                            if (!root)
                            {
                                root = true;
                                if (node is not MappingStart)
                                {
                                    throw Error(path, e.Start, "the plan must be a mapping", "write it as lines of key: value, with at least name: and command:");
                                }
                            }

                            Node(node, writer, frames, path);
                            break;
                        case MappingEnd:
                            frames.Pop();
                            writer.WriteEndObject();
                            break;
                        case SequenceEnd:
                            frames.Pop();
                            writer.WriteEndArray();
                            break;
                    }
                }
            }
            catch (YamlException ex)
            {
                string what = OneLine(ex.Message).TrimEnd('.');
                what = what.Length > 0 ? char.ToLowerInvariant(what[0]) + what[1..] : ex.GetType().Name;
                throw Error(path, ex.Start, "not valid YAML: " + what, Fix(what), ex);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
            {
                // YamlDotNet lets a few bad inputs through as .NET exceptions (e.g. "\uD800\u0041", a surrogate pair
                // that is none); the last event that parsed is the best position known.
                throw Error(path, last, "not valid YAML after this point: " + OneLine(ex.Message), Fix("escape"), ex);
            }
        }

        if (!root)
        {
            throw Error(path, Mark.Empty, "the plan is empty", "write it as lines of key: value, with at least name: and command:");
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Node(NodeEvent node, Utf8JsonWriter writer, Stack<Frame> frames, string path)
    {
        var parent = frames.Count > 0 ? frames.Peek() : null;
        string? tag = node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;
        if (parent is { Mapping: true, ExpectKey: true })
        {
            if (node is not Scalar key || (tag is not null && tag != CoreTag + "str"))
            {
                throw Error(path, node.Start, "a key must be plain text", "write keys as name: value");
            }

            if (!parent.Keys.Add(key.Value))
            {
                throw Error(path, node.Start, $"duplicate key {Quote(key.Value)}", "keep one of them");
            }

            writer.WritePropertyName(key.Value);
            parent.ExpectKey = false;
            return;
        }

        if (parent is { Mapping: true })
        {
            parent.ExpectKey = true;
        }

        switch (node)
        {
            case MappingStart or SequenceStart:
                bool mapping = node is MappingStart;
                if (tag is not null && tag != CoreTag + (mapping ? "map" : "seq"))
                {
                    throw Error(path, node.Start, $"tag {tag} is not supported", "remove it");
                }

                if (frames.Count >= MaxDepth)
                {
                    throw Error(path, node.Start, $"nesting deeper than {MaxDepth} levels", "a plan needs only a few levels: flatten it");
                }

                frames.Push(new Frame(mapping));
                if (mapping)
                {
                    writer.WriteStartObject();
                }
                else
                {
                    writer.WriteStartArray();
                }

                break;
            case Scalar scalar:
                string? json = tag switch
                {
                    null => scalar.Style == ScalarStyle.Plain && !node.Tag.IsNonSpecific ? CoreJson(scalar.Value) : null,
                    CoreTag + "str" => null,
                    CoreTag + "null" or CoreTag + "bool" or CoreTag + "int" or CoreTag + "float" =>
                        CoreJson(scalar.Value) is { } typed && Fits(typed, tag[CoreTag.Length..]) ? typed
                            : throw Error(path, node.Start, $"{Quote(scalar.Value)} is not of type !!{tag[CoreTag.Length..]}", "fix the value or remove the tag"),
                    _ => throw Error(path, node.Start, $"tag {tag} is not supported", "remove it"),
                };
                if (json is null)
                {
                    writer.WriteStringValue(scalar.Value);
                }
                else
                {
                    writer.WriteRawValue(json);
                }

                break;
        }
    }

    /// <summary>The JSON literal a plain scalar stands for in YAML 1.2's core schema, or null where it is a string.</summary>
    internal static string? CoreJson(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return "null";
            case "true" or "True" or "TRUE":
                return "true";
            case "false" or "False" or "FALSE":
                return "false";
        }

        var m = Decimal.Match(value);
        if (m.Success)
        {
            // JSON spells numbers more strictly: no '+', no leading zeros, digits on both sides of the point.
            string digits = m.Groups["int"].Value.TrimStart('0');
            var json = new StringBuilder(value.Length + 2);
            json.Append(m.Groups["sign"].Value == "-" ? "-" : string.Empty).Append(digits.Length > 0 ? digits : "0");
            if (m.Groups["frac"].Value.Length > 0)
            {
                json.Append('.').Append(m.Groups["frac"].Value);
            }

            if (m.Groups["exp"].Success)
            {
                json.Append('e').Append(m.Groups["exp"].Value);
            }

            return json.ToString();
        }

        if (Based.IsMatch(value))
        {
            var number = BigInteger.Zero;
            int radix = value[1] == 'x' ? 16 : 8;
            foreach (char c in value.AsSpan(2))
            {
                number = (number * radix) + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            }

            return number.ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }

    /// <summary>Whether a core-schema JSON literal has the type a !!null, !!bool, !!int or !!float tag asks for (an int is a float too).</summary>
    private static bool Fits(string json, string type) => json switch
    {
        "null" => type == "null",
        "true" or "false" => type == "bool",
        _ => type == "float" || (type == "int" && !json.Contains('.', StringComparison.Ordinal) && !json.Contains('e', StringComparison.Ordinal)),
    };

    private static string Fix(string what) =>
        what.Contains("escape", StringComparison.OrdinalIgnoreCase) || what.Contains("hexadecimal", StringComparison.OrdinalIgnoreCase)
            || what.Contains("surrogate", StringComparison.OrdinalIgnoreCase)
            ? "inside \"double quotes\" a backslash starts an escape (\\n, \\t, \\\\, \\xHH, \\uHHHH): write \\\\ for a backslash, or use 'single quotes'"
            : what.Contains("quoted scalar", StringComparison.OrdinalIgnoreCase)
                ? "close the quote on the same value (inside 'single quotes' write '' for a ')"
                : "check the indentation (spaces, not tabs; the keys of one mapping in one column, their values deeper) and that quotes and brackets are closed";

    private static string Quote(string value) => JsonSerializer.Serialize(value, QuoteOptions);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static AnalysisDataException Error(string path, Mark at, string what, string fix, Exception? inner = null)
    {
        string message = $"{path}:{at.Line}: {what} (column {at.Column}); {fix}.".ReplaceLineEndings("\\n");
        return inner is null ? new(message) : new(message, inner);
    }
}
