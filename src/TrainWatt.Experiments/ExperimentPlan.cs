using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrainWatt.Analysis.Data;
using TrainWatt.Measurement;

using TrainWatt.Core.Units;

namespace TrainWatt.Experiments;

/// <summary>One configuration of an experiment: a value for every variable, and its label "model=a,batch=32".</summary>
internal sealed record ExperimentConfiguration(string Label, IReadOnlyDictionary<string, string> Values);

/// <summary>One scheduled run: configuration, 1-based repetition, and its position in the shuffled order.</summary>
internal sealed record PlannedRun(int Position, ExperimentConfiguration Configuration, int Repetition);

/// <summary>Optional wait before each run until the meters' total power is at most <see cref="MaxPowerWatts"/>.</summary>
internal sealed record IdleWait(double MaxPowerWatts, TimeSpan Timeout);

/// <summary>
/// An experiment plan (JSON, or the same keys in YAML: see <see cref="YamlSubset"/>):
/// <code>
/// {"name": "demo",
///  "command": ["python3", "train.py", "--model", "{model}", "--batch", "{batch}"],
///  "variables": {"model": ["mobilenet_v2", "vgg16"], "batch": [32, 64]},
///  "repetitions": 30, "seed": 42,
///  "warmup": {"command": ["python3", "warm.py"], "duration": "30s"},
///  "cooldown": "5m", "wait_until_idle": {"max_power_w": 60, "timeout": "10m"},
///  "interval": "100ms", "meters": "auto", "framework": "auto", "tags": {"dataset": "chesslive"}}
/// </code>
/// The command runs without a shell (a string is split on spaces); <c>{name}</c> is replaced by the variable's value.
/// Configurations are the cartesian product of the variables; the runs (configurations x repetitions) are shuffled
/// with the seed, so the order is the same on every resume.
/// </summary>
internal sealed record ExperimentPlan(
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
    string Meters,
    string Framework,
    IReadOnlyDictionary<string, string> Tags)
{
    private static readonly Regex Placeholder = new(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public IReadOnlyList<ExperimentConfiguration> Configurations()
    {
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
        var runs = Configurations().SelectMany(c => Enumerable.Range(1, Repetitions).Select(r => (c, r))).ToArray();
        var random = new Random(Seed);
        for (int i = runs.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (runs[i], runs[j]) = (runs[j], runs[i]);
        }

        return runs.Select((t, i) => new PlannedRun(i + 1, t.c, t.r)).ToArray();
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
            try
            {
                text = YamlSubset.Parse(text, path)?.ToJsonString() ?? "null";
            }
            catch (FormatException ex)
            {
                throw new AnalysisDataException(ex.Message, ex);
            }
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
            return Parse(doc.RootElement, path);
        }
    }

    private static ExperimentPlan Parse(JsonElement root, string path)
    {
        AnalysisDataException Bad(string what) => new($"{path}: {what}");
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

        int repetitions = root.TryGetProperty("repetitions", out var r) ? (r.TryGetInt32(out int rv) && rv >= 1 ? rv : throw Bad("\"repetitions\" must be an integer >= 1.")) : 1;
        int seed = root.TryGetProperty("seed", out var s) ? (s.TryGetInt32(out int sv) ? sv : throw Bad("\"seed\" must be an integer.")) : 0;
        IReadOnlyList<string>? warmup = null;
        TimeSpan? warmupDuration = null;
        if (root.TryGetProperty("warmup", out var w))
        {
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
            double max = idleElement.TryGetProperty("max_power_w", out var mp) && mp.TryGetDouble(out double mpv) && mpv > 0
                ? mpv
                : throw Bad("\"wait_until_idle\" needs \"max_power_w\" (a power in watts > 0).");
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

        return new ExperimentPlan(
            name, command, variables, repetitions, seed, warmup, warmupDuration, Duration("cooldown", TimeSpan.Zero), idle, interval,
            root.TryGetProperty("meters", out var m) ? Text(m) : "auto",
            root.TryGetProperty("framework", out var f) ? Text(f) : "auto",
            tags);
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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Configurations().Count} configurations x {Repetitions} repetitions");
}
