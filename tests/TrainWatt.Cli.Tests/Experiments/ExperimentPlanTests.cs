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
    public void Cpu_attribution_defaults_to_process_and_reads_machine()
    {
        using var dir = new TempDirectory();
        Assert.Equal(TrainWatt.Core.Attribution.CpuAttribution.Process, Write(dir, """{"name":"e","command":["x"]}""").CpuAttribution);
        Assert.Equal(TrainWatt.Core.Attribution.CpuAttribution.Machine, Write(dir, """{"name":"e","command":["x"],"cpu_attribution":"machine"}""").CpuAttribution);
        var error = Assert.Throws<AnalysisDataException>(() => Write(dir, """{"name":"e","command":["x"],"cpu_attribution":"tree"}"""));
        Assert.Contains("\"cpu_attribution\": \"tree\" is neither process nor machine", error.Message);
        Assert.Contains("plan.json", error.Message);
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

    private static ExperimentPlan WriteYaml(TempDirectory dir, string yaml)
    {
        string path = dir.File("plan.yaml");
        File.WriteAllText(path, yaml);
        return ExperimentPlan.Load(path);
    }

    private static void AssertSamePlan(ExperimentPlan expected, ExperimentPlan actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Command, actual.Command);
        Assert.Equal(expected.Variables.Select(v => (v.Name, string.Join("|", v.Values))), actual.Variables.Select(v => (v.Name, string.Join("|", v.Values))));
        Assert.Equal(expected.Repetitions, actual.Repetitions);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.WarmupCommand, actual.WarmupCommand);
        Assert.Equal(expected.WarmupDuration, actual.WarmupDuration);
        Assert.Equal(expected.Cooldown, actual.Cooldown);
        Assert.Equal(expected.WaitUntilIdle, actual.WaitUntilIdle);
        Assert.Equal(expected.Interval, actual.Interval);
        Assert.Equal(expected.Meters, actual.Meters);
        Assert.Equal(expected.Framework, actual.Framework);
        Assert.Equal(expected.Tags.OrderBy(t => t.Key, StringComparer.Ordinal), actual.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Schedule().Select(p => (p.Configuration.Label, p.Repetition)), actual.Schedule().Select(p => (p.Configuration.Label, p.Repetition)));
    }

    [Fact]
    public void The_sample_plan_in_yaml_is_the_same_plan_as_its_json()
    {
        using var dir = new TempDirectory();
        var json = ExperimentPlan.Load(Path.Combine(SharedData.RepositoryRoot, "samples", "experiment", "plan.json"));
        var yaml = WriteYaml(dir, """
            name: demo
            command:
              - python3
              - samples/experiment/train_demo.py
              - "{model}"
            variables: {model: [small, medium, large]}
            repetitions: 3
            seed: 7
            cooldown: 200ms
            meters: auto
            interval: 50ms
            tags:
              dataset: synthetic
            """);

        // Hand derivation (samples/experiment/plan.json): 3 models x 3 repetitions, seed 7, 0.2 s apart, sampled every 50 ms.
        Assert.Equal("demo", yaml.Name);
        Assert.Equal(9, yaml.Schedule().Count);
        Assert.Equal(TimeSpan.FromMilliseconds(200), yaml.Cooldown);
        Assert.Equal(TimeSpan.FromMilliseconds(50), yaml.Interval);
        AssertSamePlan(json, yaml);
    }

    [Fact]
    public void Yaml_scalars_are_typed_by_the_yaml_1_2_core_schema_as_their_json_twins()
    {
        // Plain 10 is a number, "10" and '10' strings; true/false booleans (yes is a string), null/~/nothing null; a
        // decimal number keeps its digits (1e-3, as JSON's raw text), hex and octal read as their decimal value.
        using var dir = new TempDirectory();
        var json = Write(dir, """{"name":"e","command":["x","{v}"],"variables":{"v":[10,"10","10",1e-3,0.5,31,15,true,false,"yes","no",null,null,null,"5m",".inf"]},"repetitions":3,"seed":31,"wait_until_idle":{"max_power_w":60.5},"framework":null}""");
        var yaml = WriteYaml(dir, """
            name: e
            command: [x, "{v}"]
            variables:
              v: [10, "10", '10', 1e-3, .5, 0x1F, 0o17, true, False, yes, no, null, ~, NULL, 5m, .inf]
            repetitions: 3
            seed: 0x1F
            wait_until_idle: {max_power_w: 60.5}
            framework:
            """);
        AssertSamePlan(json, yaml);
        Assert.Equal(TrainWatt.Core.Epochs.EpochFramework.Auto, yaml.Framework); // an empty (null) framework is the default
        Assert.Equal(["10", "10", "10", "1e-3", "0.5", "31", "15", "true", "false", "yes", "no", "null", "null", "null", "5m", ".inf"], yaml.Variables[0].Values);

        // A quoted number is a string, as in JSON: where the reader needs a number it says so.
        var error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, "name: e\ncommand: [x]\nrepetitions: \"3\"\n"));
        Assert.Contains("\"repetitions\" must be an integer >= 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, WriteYaml(dir, "name: e\ncommand: [x]\nrepetitions: !!int \"3\"\n").Repetitions);
        Assert.Equal("7", WriteYaml(dir, "name: !!str 7\ncommand: [x]\n").Name);
    }

    [Theory]
    [InlineData("name: e\n  command: [x]\n", 2, "not valid YAML", "check the indentation")]
    [InlineData("name: e\ncommand:\n  - a\n - b\n", 4, "not valid YAML", "check the indentation")]
    [InlineData("name: e\ncommand: [x\n", 3, "did not find expected ',' or ']'", "brackets are closed")]
    [InlineData("name: 'e\ncommand: [x]\n", 1, "unexpected end of stream", "close the quote")]
    [InlineData("name: \"e\ncommand: [x]\n", 1, "double-quoted scalar", "close the quote")]
    [InlineData("name: \"a\\x\"\ncommand: [x]\n", 1, "expected hexadecimal number", "write \\\\ for a backslash")]
    [InlineData("name: \"\\uZZZZ\"\ncommand: [x]\n", 1, "expected hexadecimal number", "write \\\\ for a backslash")]
    [InlineData("name: \"\\q\"\ncommand: [x]\n", 1, "unknown escape character", "or use 'single quotes'")]
    [InlineData("name: \"\\uD800\\u0041\"\ncommand: [x]\n", 1, "not valid YAML", "write \\\\ for a backslash")]
    [InlineData("name: \"\\UFFFFFFFF\"\ncommand: [x]\n", 1, "not valid YAML", "write \\\\ for a backslash")]
    [InlineData("name: e\ncommand: [x]\nname: f\n", 3, "duplicate key \"name\"", "keep one")]
    [InlineData("name: e\ncommand: [x]\n---\nname: f\n", 3, "a second YAML document", "remove the '---'")]
    [InlineData("name: e\ncommand: !python/object [x]\n", 2, "tag !python/object is not supported", "remove it")]
    [InlineData("name: !!int e\ncommand: [x]\n", 1, "\"e\" is not of type !!int", "remove the tag")]
    [InlineData("name: e\n? [a]\n: b\n", 2, "a key must be plain text", "name: value")]
    [InlineData("- name: e\n", 1, "the plan must be a mapping", "key: value")]
    [InlineData("# nothing but a comment\n", 1, "the plan is empty", "name: and command:")]
    [InlineData("name: e\ncommand: *cmd\n", 2, "anchors and aliases are not supported (*cmd)", "write the value out")]
    public void Malformed_yaml_is_one_line_naming_the_file_the_line_and_the_fix(string yaml, int line, string what, string fix)
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, yaml));
        Assert.StartsWith($"{dir.File("plan.yaml")}:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Yaml_nesting_is_bounded_at_64_levels_with_a_message_not_a_stack_overflow()
    {
        using var dir = new TempDirectory();
        string block = string.Concat(Enumerable.Range(0, 3000).Select(i => new string(' ', i) + "a:\n"));
        var error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, block));
        Assert.Contains("plan.yaml:65: nesting deeper than 64 levels", error.Message, StringComparison.Ordinal);

        string flow = "name: e\ncommand: " + new string('[', 3000) + "x" + new string(']', 3000) + "\n";
        error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, flow));
        Assert.Contains("plan.yaml:2: nesting deeper than 64 levels", error.Message, StringComparison.Ordinal);

        // Exactly 64 levels (the plan's mapping and 63 below it) pass YAML and JSON reading; the reader then asks for a name.
        string deepest = "command: [x]\ntags: " + new string('[', 63) + new string(']', 63) + "\n";
        error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, deepest));
        Assert.Contains("\"name\" (a non-empty string) is required", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, deepest.Replace("[]", "[[]]", StringComparison.Ordinal)));
        Assert.Contains("plan.yaml:2: nesting deeper than 64 levels (column 70)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_anchors_are_refused_so_a_billion_laughs_cannot_expand()
    {
        using var dir = new TempDirectory();
        var laughs = new System.Text.StringBuilder("name: e\ncommand: [x]\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'j'; c++)
        {
            laughs.Append(c).Append(": &").Append(c).Append(" [").Append(string.Join(", ", Enumerable.Repeat("*" + (char)(c - 1), 10))).Append("]\n");
        }

        var error = Assert.Throws<AnalysisDataException>(() => WriteYaml(dir, laughs.ToString()));
        Assert.Contains("plan.yaml:3: anchors and aliases are not supported (&a)", error.Message, StringComparison.Ordinal);
        Assert.Contains("write the value out in full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mangled_yaml_plans_load_or_fail_with_one_clear_line_never_another_exception()
    {
        // Seeded mutations of a valid plan with YAML's special characters and escapes; any exception but the plan
        // reader's own would reach the user as a stack trace.
        const string plan = "name: e\ncommand:\n  - \"a\\tb\"\n  - '{m}'\nvariables: {m: [1, x]}\nwait_until_idle:\n  max_power_w: 60\nwarmup: {command: [w], duration: 1s}\ntags:\n  k: |\n    v\n";
        string[] pieces = ["\"", "'", "\\", "\\x", "\\u", "\\uD800", "\\U", "\t", "\n", " ", "  ", ":", "- ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!", "!!int ", "? ", "|", ">", "---\n", "%YAML 1.2\n", "~", "0x", "\u00e9"];
        var random = new Random(20250101);
        using var dir = new TempDirectory();
        for (int i = 0; i < 3000; i++)
        {
            var text = new System.Text.StringBuilder(plan);
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int at = random.Next(text.Length + 1);
                if (random.Next(3) == 0 && at < text.Length)
                {
                    text.Remove(at, Math.Min(random.Next(1, 4), text.Length - at));
                }
                else
                {
                    text.Insert(at, pieces[random.Next(pieces.Length)]);
                }
            }

            try
            {
                WriteYaml(dir, text.ToString());
            }
            catch (AnalysisDataException e)
            {
                Assert.False(e.Message.Contains('\n', StringComparison.Ordinal), e.Message);
                Assert.Contains("plan.yaml", e.Message, StringComparison.Ordinal);
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for the plan:\n{text}\n{e}");
            }
        }
    }

    [Fact]
    public void Malformed_yaml_exits_65_with_one_line_and_no_stack_trace()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), "name: e\ncommand: [\"\\uD800\\u0041\"]\n");
        var (code, _, stderr) = CliHarness.Run("experiment", "run", dir.File("plan.yaml"), "--db", dir.File("runs.db"));
        Assert.Equal(65, code);
        Assert.Contains("plan.yaml:2: not valid YAML", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
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
    [InlineData("""{"name":"e","command":["x"],"framework":"kerass"}""", "\"framework\": \"kerass\" is unknown. Use auto, keras, lightning, hf or marker.")]
    [InlineData("""{"name":"e","command":["x"],"meters":"nvml,gpu"}""", "\"meters\": \"nvml,gpu\" is not a meter list")]
    [InlineData("""{"name":"e","command":["x"],"wait_until_idle":{}}""", "max_power_w")]
    [InlineData("""{"name":"e","command":["x"],"repetitions":"3"}""", "\"repetitions\" must be an integer >= 1")]
    [InlineData("""{"name":"e","command":["x"],"seed":"1"}""", "\"seed\" must be an integer")]
    [InlineData("""{"name":"e","command":["x"],"wait_until_idle":{"max_power_w":"60"}}""", "max_power_w")]
    [InlineData("""{"name":"e","command":["x"],"wait_until_idle":60}""", "max_power_w")]
    [InlineData("""{"name":"e","command":["x"],"warmup":"x"}""", "\"warmup\" must be an object")]
    [InlineData("""{"name":"e","command":["x"],"cooldown":"5m\nsoon"}""", "\"cooldown\": \"5m\\nsoon\" is not a duration")]
    [InlineData("""{"name":"e", "command": [""", "not valid JSON")]
    public void Bad_plans_are_rejected_with_the_file_and_the_fix(string json, string expected)
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<AnalysisDataException>(() => Write(dir, json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("plan.json", error.Message, StringComparison.Ordinal);
    }
}
