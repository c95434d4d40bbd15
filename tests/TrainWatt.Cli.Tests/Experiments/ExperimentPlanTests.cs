using TrainWatt.Analysis.Data;
using TrainWatt.Experiments;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Experiments;

public sealed class ExperimentPlanTests
{
    private static ExperimentPlan Write(TempDirectory dir, string json)
    {
        string path = dir.File("plan.json");
        File.WriteAllText(path, json);
        return ExperimentPlan.Load(path);
    }

    [Fact]
    public void Configurations_are_the_cartesian_product_and_the_schedule_a_seeded_permutation()
    {
        using var dir = new TempDirectory();
        var plan = Write(dir, """{"name":"e","command":["train","--model","{model}","--batch={batch}"],"variables":{"model":["a","b","c"],"batch":[32,64]},"repetitions":3,"seed":5}""");

        // Hand derivation: 3 models x 2 batches = 6 configurations; x 3 repetitions = 18 runs.
        Assert.Equal(["model=a,batch=32", "model=a,batch=64", "model=b,batch=32", "model=b,batch=64", "model=c,batch=32", "model=c,batch=64"], plan.Configurations().Select(c => c.Label));
        var schedule = plan.Schedule();
        Assert.Equal(18, schedule.Count);
        Assert.Equal(18, schedule.Select(p => (p.Configuration.Label, p.Repetition)).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 18), schedule.Select(p => p.Position));
        Assert.Equal(schedule.Select(p => (p.Configuration.Label, p.Repetition)), plan.Schedule().Select(p => (p.Configuration.Label, p.Repetition)));
        var sorted = plan.Configurations().SelectMany(c => Enumerable.Range(1, 3).Select(r => (c.Label, r)));
        Assert.NotEqual(sorted, schedule.Select(p => (p.Configuration.Label, p.Repetition)));
        var other = (plan with { Seed = 6 }).Schedule().Select(p => (p.Configuration.Label, p.Repetition));
        Assert.NotEqual(schedule.Select(p => (p.Configuration.Label, p.Repetition)), other);
        Assert.Equal(["train", "--model", "b", "--batch=64"], plan.CommandFor(plan.Configurations()[3]));
    }

    [Fact]
    public void A_yaml_plan_reads_as_its_json_twin()
    {
        using var dir = new TempDirectory();
        var json = Write(dir, """{"name":"e","command":["python3","-c","import sys\nprint(sys.argv[1])","{model}"],"variables":{"model":["a","b"],"batch":[32,64]},"repetitions":2,"seed":3,"cooldown":"5m","wait_until_idle":{"max_power_w":60,"timeout":"2m"},"tags":{"dataset":"x: y"}}""");
        string yamlPath = dir.File("plan.yaml");
        File.WriteAllText(yamlPath, """
            # the same plan in YAML
            name: e
            command:
              - python3
              - -c
              - |-
                import sys
                print(sys.argv[1])
              - "{model}"
            variables:
              model: [a, b]   # flow list
              batch:
              - 32
              - 64
            repetitions: 2
            seed: 3
            cooldown: 5m
            wait_until_idle: {max_power_w: 60, timeout: 2m}
            tags:
              dataset: 'x: y'
            """);
        var yaml = ExperimentPlan.Load(yamlPath);
        Assert.Equal(json.Command, yaml.Command);
        Assert.Equal(json.Configurations().Select(c => c.Label), yaml.Configurations().Select(c => c.Label));
        Assert.Equal(json.Schedule().Select(p => (p.Configuration.Label, p.Repetition)), yaml.Schedule().Select(p => (p.Configuration.Label, p.Repetition)));
        Assert.Equal(TimeSpan.FromMinutes(5), yaml.Cooldown);
        Assert.Equal(json.WaitUntilIdle, yaml.WaitUntilIdle);
        Assert.Equal("x: y", yaml.Tags["dataset"]);

        File.WriteAllText(yamlPath, "name: e\ncommand: &cmd [x]\n");
        var error = Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(yamlPath));
        Assert.Contains("plan.yaml:2: anchors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warm_up_that_cannot_start_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.json"), """{"name":"w","command":["true"],"warmup":{"command":["no-such-warmup-trainwatt"]},"meters":"process"}""");
        var (code, _, stderr) = CliHarness.Run("experiment", "run", dir.File("plan.json"), "--db", dir.File("runs.db"));
        Assert.Equal(65, code);
        Assert.Contains("warm-up command \"no-such-warmup-trainwatt\" cannot be started", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Warm_up_runs_once_before_the_runs_and_cooldown_separates_them()
    {
        // Hand derivation: warm-up appends "w", each of the 2 runs appends "r": the file reads "wrr".
        using var dir = new TempDirectory();
        string log = dir.File("log.txt");
        File.WriteAllText(dir.File("plan.json"), $$"""
            {"name":"w","command":["bash","-c","printf r >> {{log}}"],"repetitions":2,"cooldown":"50ms",
             "warmup":{"command":["bash","-c","printf w >> {{log}}"],"duration":"5s"},"meters":"process"}
            """);
        var (code, _, stderr) = CliHarness.Run("experiment", "run", dir.File("plan.json"), "--db", dir.File("runs.db"));
        Assert.True(code == 0, stderr);
        Assert.Equal("wrr", File.ReadAllText(log));
        Assert.Contains("cooling down for 0.1 s", stderr, StringComparison.Ordinal);

        // And when the command returns, both runs are wholly in the store: finished, exit 0, with samples. (The runs
        // are written by a background writer; the runner must wait for it before the next run and before closing the
        // store. It once did not, and closing the store under a live write crashed with a NullReferenceException.)
        using var store = TrainWatt.Storage.Sqlite.SqliteRunStore.Open(dir.File("runs.db"));
        var runs = store.ListRuns();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal(TrainWatt.Storage.RunStatus.Completed, r.Status);
            Assert.Equal(0, r.ExitCode);
            Assert.True(r.SampleCount > 0, $"run {r.Id} has no samples");
        });
    }

    [Theory]
    [InlineData("""{"command":["x"]}""", "\"name\"")]
    [InlineData("""{"name":"e"}""", "\"command\"")]
    [InlineData("""{"name":"e","command":["x","{lr}"],"variables":{"model":["a"]}}""", "uses {lr} but \"variables\" has no \"lr\"")]
    [InlineData("""{"name":"e","command":["x"],"repetitions":0}""", "\"repetitions\" must be an integer >= 1")]
    [InlineData("""{"name":"e","command":["x"],"cooldown":"soon"}""", "\"cooldown\": \"soon\" is not a duration")]
    [InlineData("""{"name":"e","command":["x"],"wait_until_idle":{}}""", "max_power_w")]
    [InlineData("""{"name":"e", "command": [""", "not valid JSON")]
    public void Bad_plans_are_rejected_with_the_file_and_the_fix(string json, string expected)
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<AnalysisDataException>(() => Write(dir, json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("plan.json", error.Message, StringComparison.Ordinal);
    }
}
