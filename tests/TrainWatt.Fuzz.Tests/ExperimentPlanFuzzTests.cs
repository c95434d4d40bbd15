using System.Text;
using TrainWatt.Analysis.Data;
using TrainWatt.Experiments;
using TrainWatt.Testing;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// Experiment plans, JSON and YAML (<see cref="ExperimentPlan.Load"/>, then what <c>trainwatt experiment</c> does with
/// a loaded plan: its configurations, its schedule, the command of each configuration). A bad plan is an
/// <see cref="AnalysisDataException"/> naming the file, line and fix; nothing else may escape.
/// </summary>
public sealed class ExperimentPlanFuzzTests : IDisposable
{
    public const int JsonCases = 1_000;
    public const int YamlCases = 1_000;
    private const int JsonSeed = 13_004;
    private const int YamlSeed = 13_005;

    private static readonly byte[][] JsonSeeds =
    [
        File.ReadAllBytes(Path.Combine(SharedData.RepositoryRoot, "samples", "experiment", "plan.json")),
        """
        // comments and trailing commas are allowed
        {"name": "full", "command": "python3 train.py --model {model} --batch {batch}",
         "variables": {"model": ["mobilenet_v2", "vgg16"], "batch": [32, 64]},
         "repetitions": 2, "seed": -5,
         "warmup": {"command": ["python3", "warm.py"], "duration": "30s"},
         "cooldown": "5m", "wait_until_idle": {"max_power_w": 60.5, "timeout": "10m"},
         "interval": "100ms", "meters": "nvml,rapl", "framework": "keras", "tags": {"dataset": "chesslive", "n": 3},}
        """u8.ToArray(),
    ];

    private static readonly byte[][] YamlSeeds =
    [
        """
        name: demo
        command: [python3, samples/experiment/train_demo.py, "{model}"]
        variables:
          model: [small, medium, large]
        repetitions: 3
        seed: 7
        cooldown: 200ms
        meters: auto
        interval: 50ms
        tags: {dataset: synthetic}
        """u8.ToArray(),
        """
        # a block-style plan
        name: 'full plan'
        command:
          - python3
          - train.py
          - --model
          - "{model}"
          - --batch
          - "{batch}"
        variables:
          model:
            - mobilenet_v2
            - vgg16
          batch: [32, 0x40]
        repetitions: !!int 2
        seed: 0o17
        warmup:
          command: python3 warm.py
          duration: 30s
        wait_until_idle: {max_power_w: 6.05e1, timeout: 10m}
        framework: hf
        tags:
          note: >
            folded
            text
          dataset: |
            literal
        """u8.ToArray(),
    ];

    private static readonly byte[][] YamlTokens =
    [
        .. new[]
        {
            "&anchor ", "*anchor", "!!str ", "!!int ", "!!float ", "!!null ", "!!bool ", "!!map ", "!!seq ", "!custom ", "? ", "|", ">", "|-", ">+",
            "%YAML 1.2\n---\n", "---\n", "\n...\n", "- - - - - - ", "{a: [b, {c: d}]}", "[", "{", "]", "}", "\t", "  ", "'", "\"\\x41\\uD800\"",
            "\"\\uD800\\u0041\"", "\"\\U0010FFFF\"", "\"\\q\"", ".inf", "-.inf", ".nan", "0x", "0o9", "0xFFFFFFFFFFFFFFFFFFFF", "1_000", "+1", "1e400",
            "<<: *a", "name: again\n", "command: again\n",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly string[] PlanReplacements =
    [
        "\"python3 {model} {batch}\"", "[\"{model}\"]", "{\"model\": []}", "{\"model\": [1e400]}", "{\"max_power_w\": 0}", "{\"max_power_w\": 1e400}",
        "{\"command\": []}", "{\"command\": \"   \"}", "\"nvml,nosuch\"", "\"auto,auto\"", "\"KERAS \"", "\"9ms\"", "\"61s\"", "\"1m\"",
        "{\"a\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], \"b\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], \"c\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}",
    ];

    private readonly TempDirectory _dir = new("trainwatt-fuzz-plan");

    public void Dispose() => _dir.Dispose();

    internal static FuzzCase GenerateJson(int index, Random rng)
    {
        var seed = JsonSeeds[rng.Next(JsonSeeds.Length)];
        byte[] data = rng.Next(2) == 0 ? JsonMutator.Mutate(seed, rng, out string how, PlanReplacements) : Mutator.Mutate(seed, rng, out how, JsonSeeds);
        return new FuzzCase(index, how, data);
    }

    internal static FuzzCase GenerateYaml(int index, Random rng)
    {
        switch (rng.Next(3))
        {
            case 0:
                {
                    // JSON is YAML (flow style): a structurally mutated JSON plan in a .yaml file.
                    byte[] data = JsonMutator.Mutate(JsonSeeds[rng.Next(JsonSeeds.Length)], rng, out string how, PlanReplacements);
                    return new FuzzCase(index, "flow " + how, data);
                }

            case 1:
                {
                    byte[] data = Mutator.MutateLines(YamlSeeds[rng.Next(YamlSeeds.Length)], rng, out string how);
                    return new FuzzCase(index, how, data);
                }

            default:
                {
                    var seed = YamlSeeds[rng.Next(YamlSeeds.Length)];
                    byte[] data = Mutator.Mutate(seed, rng, out string how, YamlSeeds, YamlTokens);
                    return new FuzzCase(index, how, data);
                }
        }
    }

    private void Check(FuzzCase fuzz, string extension)
    {
        string path = _dir.File("plan" + extension);
        File.WriteAllBytes(path, fuzz.Input);
        var plan = ExperimentPlan.Load(path);
        var configurations = plan.Configurations();
        _ = plan.ToString();
        Assert.True((long)configurations.Count * plan.Repetitions <= ExperimentPlan.MaxRuns, $"{plan} loaded, but a plan may have at most {ExperimentPlan.MaxRuns} runs");
        var schedule = plan.Schedule();
        Assert.Equal(configurations.Count * plan.Repetitions, schedule.Count);
        foreach (var configuration in configurations)
        {
            Assert.NotEmpty(plan.CommandFor(configuration));
        }
    }

    [Theory]
    [InlineData("meters", "\"\\ud800\"", "\"meters\" holds half of a UTF-16 surrogate pair")]
    [InlineData("name", "\"\\ud800\"", "\"name\" holds half")]
    [InlineData("framework", "\"\\udc00x\"", "\"framework\" holds half")]
    [InlineData("variables", "{\"model\": [\"a\", \"\\ud800\"]}", "\"variables\".\"model\"[1] holds half")]
    [InlineData("tags", "{\"\\ud800\": \"x\"}", "a key of \"tags\" holds half")]
    public void Bug_A_Lone_Surrogate_In_A_Json_Plan_Is_An_AnalysisDataException(string key, string json, string where)
    {
        string path = _dir.File("plan.json");
        var plan = new Dictionary<string, string> { ["name"] = "\"demo\"", ["command"] = "[\"python3\", \"train.py\"]", [key] = json };
        File.WriteAllText(path, "{" + string.Join(", ", plan.Select(kv => $"\"{kv.Key}\": {kv.Value}")) + "}");
        var e = Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(path));
        Assert.StartsWith($"{path}: {where}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("write the character itself, or both halves of the pair.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bug_A_Plan_Whose_Schedule_Cannot_Fit_In_Memory_Is_Refused_When_Loaded()
    {
        string path = _dir.File("plan.json");
        File.WriteAllText(path, "{\"name\": \"demo\", \"command\": \"python3 train.py\", \"repetitions\": 2147483647}");
        Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(path));
    }

    [Fact]
    public void Mutated_Json_Plans_Load_Or_Fail_With_AnalysisDataException()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("experiment plan JSON", JsonSeed, JsonCases)
            {
                Documented = e => e is AnalysisDataException,
            },
            GenerateJson,
            fuzz => Check(fuzz, ".json"),
            minAccepted: JsonCases / 20,
            minRejected: JsonCases / 4);
    }

    [Fact]
    public void Mutated_Yaml_Plans_Load_Or_Fail_With_AnalysisDataException()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("experiment plan YAML", YamlSeed, YamlCases)
            {
                Documented = e => e is AnalysisDataException,
            },
            GenerateYaml,
            fuzz => Check(fuzz, ".yaml"),
            minAccepted: YamlCases / 20,
            minRejected: YamlCases / 4);
    }
}
