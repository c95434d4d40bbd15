using System.Diagnostics;
using TrainWatt.Analysis.Data;
using TrainWatt.Experiments;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Experiments;

/// <summary>Issue 13: plans that would never finish expanding, or run out of memory, are refused when read.</summary>
public sealed class ExperimentPlanLimitsTests
{
    private static string Write(TempDirectory dir, string json)
    {
        string path = dir.File("plan.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Int_max_repetitions_are_refused_with_the_run_count_and_the_cap()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, """{"name":"e","command":["x"],"repetitions":2147483647}""");
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(
            $"{path}: the plan expands to 2,147,483,647 runs (1 configuration x 2,147,483,647 repetitions); a plan may have at most 100,000 runs: " +
            "lower \"repetitions\" or the number of \"variables\" values, or split it into several plans.",
            error.Message);
    }

    [Fact]
    public void A_cartesian_product_of_a_hundred_million_configurations_is_refused_before_it_is_built()
    {
        using var dir = new TempDirectory();
        string values = "[" + string.Join(",", Enumerable.Range(0, 10)) + "]";
        string variables = string.Join(",", Enumerable.Range(0, 8).Select(i => $"\"v{i}\":{values}"));
        string path = Write(dir, $$"""{"name":"e","command":["x"],"variables":{{{variables}}},"repetitions":3}""");
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("the plan expands to 300,000,000 runs (100,000,000 configurations x 3 repetitions); a plan may have at most 100,000 runs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_cap_is_accepted()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, """{"name":"e","command":["x","{a}"],"variables":{"a":[1,2,3,4,5,6,7,8,9,10]},"repetitions":10000}""");
        var plan = ExperimentPlan.Load(path);
        Assert.Equal(100_000, plan.Schedule().Count);
        Assert.Throws<InvalidOperationException>(() => (plan with { Repetitions = 10001 }).Schedule());
    }

    [Fact]
    public void Experiment_status_on_an_endless_plan_exits_65_at_once_with_one_line()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, """{"name":"e","command":["x","{a}","{b}","{c}","{d}"],"variables":{"a":[1,2,3,4,5,6,7,8,9,10],"b":[1,2,3,4,5,6,7,8,9,10],"c":[1,2,3,4,5,6,7,8,9,10],"d":[1,2,3,4,5,6,7,8,9,10]},"repetitions":10000}""");
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = CliHarness.Run("experiment", "status", path, "--db", dir.File("runs.db"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(65, code);
        Assert.Contains("the plan expands to 100,000,000 runs (10,000 configurations x 10,000 repetitions)", stderr, StringComparison.Ordinal);
        Inputs.InputCrashTests.AssertOneClearLine(stderr);
    }

    [Fact]
    public void Json_nested_3000_deep_is_one_line_naming_the_file()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "{\"name\":\"e\",\"command\":[\"x\"],\"tags\":" + new string('[', 3000) + new string(']', 3000) + "}");
        var error = Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(path));
        Assert.StartsWith($"{path}:1: not valid JSON: The maximum configured depth of 64 has been exceeded.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("\"60\"", "\"wait_until_idle\": \"max_power_w\" is \"60\", not a number of watts > 0; write it without quotes, e.g. 60.")]
    [InlineData("-5", "\"wait_until_idle\": \"max_power_w\" is -5, not a number of watts > 0; write it without quotes, e.g. 60.")]
    public void A_max_power_that_is_not_a_positive_number_is_named_with_its_value(string value, string expected)
    {
        using var dir = new TempDirectory();
        string path = Write(dir, """{"name":"e","command":["x"],"wait_until_idle":{"max_power_w":""" + value + "}}");
        var error = Assert.Throws<AnalysisDataException>(() => ExperimentPlan.Load(path));
        Assert.Equal($"{path}: {expected}", error.Message);
    }
}
