using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// docs/summary.schema.json and docs/run.schema.json against the golden documents (which the writers must reproduce
/// byte for byte): every golden document validates, every key a schema declares occurs in some golden document, and
/// docs/summary-schema.md names every key. The checker is <see cref="JsonSchemaSubset"/> (no schema package).
/// </summary>
public class SummarySchemaTests
{
    private static string Docs(string name) => Path.Combine(SharedData.RepositoryRoot, "docs", name);

    private static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static IEnumerable<string> Goldens(string relativeFolder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, relativeFolder), pattern).Order(StringComparer.Ordinal);

    private static IEnumerable<string> SummaryGoldens => Goldens("tests/TrainWatt.Cli.Tests/Measure/Golden", "summary-*.json");

    /// <summary>Each run-JSON golden with the $defs entry it must match.</summary>
    private static IEnumerable<(string Path, string Pointer)> RunGoldens =>
    [
        .. Goldens("tests/TrainWatt.Cli.Tests/Runs/Golden", "runs-show*.json").Select(p => (p, "#/$defs/runs_show")),
        .. Goldens("tests/TrainWatt.Storage.Tests/Export/Golden", "runs-list*.json").Select(p => (p, "#/$defs/runs_list")),
        .. Goldens("tests/TrainWatt.Storage.Tests/Export/Golden", "export-*.json").Select(p => (p, "#/$defs/export")),
    ];

    [Fact]
    public void Every_Golden_Summary_Matches_The_Summary_Schema()
    {
        var schema = Load(Docs("summary.schema.json"));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.NotEmpty(SummaryGoldens);
        foreach (string path in SummaryGoldens)
        {
            var errors = JsonSchemaSubset.Validate(Load(path), schema);
            Assert.True(errors.Count == 0, $"{Path.GetFileName(path)}: {string.Join("\n", errors)}");
        }

        // `estimate --run ID --json` is the summary's "estimate" object.
        string estimate = Path.Combine(SharedData.RepositoryRoot, "tests/TrainWatt.Cli.Tests/Measure/Golden/estimate-run.json");
        Assert.Empty(JsonSchemaSubset.Validate(Load(estimate), schema, "#/$defs/estimate"));
    }

    [Fact]
    public void Every_Golden_Run_Document_Matches_The_Run_Schema()
    {
        var schema = Load(Docs("run.schema.json"));
        Assert.Equal(6, RunGoldens.Count()); // runs-show x3, runs-list, export x2
        foreach (var (path, pointer) in RunGoldens)
        {
            var document = Load(path);
            var errors = JsonSchemaSubset.Validate(document, schema, pointer);
            Assert.True(errors.Count == 0, $"{Path.GetFileName(path)}: {string.Join("\n", errors)}");
            Assert.Empty(JsonSchemaSubset.Validate(document, schema)); // and the top-level anyOf
        }
    }

    [Fact]
    public void Every_Key_A_Schema_Declares_Occurs_In_A_Golden_Document()
    {
        // The other direction (no undeclared key) is additionalProperties: false, checked above.
        var summaryKeys = SummaryGoldens.Append(Path.Combine(SharedData.RepositoryRoot, "tests/TrainWatt.Cli.Tests/Measure/Golden/estimate-run.json"))
            .SelectMany(p => JsonSchemaSubset.DocumentNames(Load(p))).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(JsonSchemaSubset.PropertyNames(Load(Docs("summary.schema.json"))).Except(summaryKeys));

        var runKeys = RunGoldens.SelectMany(g => JsonSchemaSubset.DocumentNames(Load(g.Path), new HashSet<string> { "tags", "metadata" })).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(JsonSchemaSubset.PropertyNames(Load(Docs("run.schema.json"))).Except(runKeys));
    }

    [Fact]
    public void The_Schema_Document_Names_Every_Key()
    {
        string text = File.ReadAllText(Docs("summary-schema.md"));
        var named = Regex.Matches(text, "`([a-z_]+)`").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(JsonSchemaSubset.PropertyNames(Load(Docs("summary.schema.json"))).Except(named));
        Assert.Empty(JsonSchemaSubset.PropertyNames(Load(Docs("run.schema.json"))).Except(named));
    }

    [Fact]
    public void The_Checker_Finds_A_Missing_Key_An_Unknown_Key_A_Wrong_Type_And_A_Bad_Provenance()
    {
        var schema = Load(Docs("summary.schema.json"));
        var golden = JsonNode.Parse(File.ReadAllText(SummaryGoldens.Single(p => p.EndsWith("summary-full.json", StringComparison.Ordinal))))!.AsObject();

        JsonElement Mutated(Action<JsonObject> change)
        {
            var copy = golden.DeepClone().AsObject();
            change(copy);
            return JsonDocument.Parse(copy.ToJsonString()).RootElement;
        }

        Assert.Contains("$: the required key 'readings' is missing", JsonSchemaSubset.Validate(Mutated(d => d.Remove("readings")), schema));
        Assert.Contains("$.extra: not allowed", JsonSchemaSubset.Validate(Mutated(d => d["extra"] = 1), schema));
        Assert.Contains(JsonSchemaSubset.Validate(Mutated(d => d["epochs"]![0]!["energy_j"] = "1 kJ"), schema), e => e.StartsWith("$.epochs[0].energy_j: string", StringComparison.Ordinal));
        Assert.Contains(JsonSchemaSubset.Validate(Mutated(d => d["components"]![3]!["provenance"] = "user_given"), schema), e => e.StartsWith("$.components[3].provenance:", StringComparison.Ordinal));
        Assert.Contains(JsonSchemaSubset.Validate(Mutated(d => d["projection_error"] = "none"), schema), e => e.StartsWith("$.projection_error: matches no branch", StringComparison.Ordinal));
        Assert.Contains(JsonSchemaSubset.Validate(Mutated(d => d["readings"] = 1.5), schema), e => e.StartsWith("$.readings: number", StringComparison.Ordinal));
        Assert.Empty(JsonSchemaSubset.Validate(Mutated(d => d.Remove("estimate")), schema)); // optional
    }
}
