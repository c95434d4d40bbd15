using TrainWatt.Measurement.Pipeline;
using TrainWatt.Measurement.Store;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Tests.Store;

public sealed class RunListingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static RunRecord Run(RunStatus status, int? exitCode, DateTimeOffset? started = null, Dictionary<string, string>? tags = null)
        => new(1, "u", "measure", null, started ?? Now, Now, status, status, exitCode, "python train.py", tags ?? [], null, null, null, null, 1, 10, 0);

    [Theory]
    [InlineData(RunStatus.Completed, 0, "completed", "completed")]
    [InlineData(RunStatus.Completed, null, "completed", "completed")] // an import: no command, no exit code
    [InlineData(RunStatus.Completed, 2, "failed", "failed (exit 2)")] // the python train.py that exited 2
    [InlineData(RunStatus.Failed, 127, "failed", "failed (measurement)")]
    [InlineData(RunStatus.Incomplete, null, "incomplete", "incomplete")]
    public void The_Outcome_Tells_A_Failed_Command_From_A_Success(RunStatus status, int? exitCode, string outcome, string text)
    {
        Assert.Equal(outcome, RunOutcome.Of(Run(status, exitCode)));
        Assert.Equal(text, RunOutcome.Text(Run(status, exitCode)));
    }

    [Theory]
    [InlineData("2h", 2 * 3600)]
    [InlineData("30m", 30 * 60)]
    [InlineData("7d", 7 * 86400)]
    public void Since_Takes_A_Time_Back_From_Now(string text, double secondsAgo)
        => Assert.Equal(Now.AddSeconds(-secondsAgo), RunListQuery.ParseSince(text, Now));

    [Fact]
    public void Since_Takes_A_Date_As_Utc_And_Refuses_Anything_Else()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), RunListQuery.ParseSince("2026-12-01", Now));
        Assert.Contains("2h, 30m, 7d", Assert.Throws<FormatException>(() => RunListQuery.ParseSince("yesterday", Now)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_Filter_Must_Hold_And_Bad_Ones_Are_Named()
    {
        var query = new RunListQuery { Outcome = "failed", Tags = ["model=a"], Since = Now.AddHours(-1) };
        Assert.True(query.Matches(Run(RunStatus.Completed, 1, tags: new() { ["model"] = "a" })));
        Assert.False(query.Matches(Run(RunStatus.Completed, 0, tags: new() { ["model"] = "a" })));
        Assert.False(query.Matches(Run(RunStatus.Completed, 1, tags: new() { ["model"] = "b" })));
        Assert.False(query.Matches(Run(RunStatus.Completed, 1, Now.AddHours(-2), new() { ["model"] = "a" })));
        Assert.Equal(3, new RunListQuery { Outcome = "ok", Tags = ["model"], Limit = 0 }.Problems().Count);
    }

    [Fact]
    public void Arguments_After_The_Double_Dash_Spelt_Like_Ours_Are_Warned_About_Except_Common_Script_Options()
    {
        string[] ours = ["--db", "--tag", "--gpus", "--max-epochs"];
        var warnings = CommandArguments.Warnings(["python", "train.py", "--db=x.db", "--tag", "a=b", "--gpus", "2", "--max-epochs", "3", "--lr", "0.1"], ours);
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("warning: --db comes after `--`", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("warning: --tag comes after `--`", warnings[1], StringComparison.Ordinal);
        Assert.Empty(CommandArguments.Warnings(["--db"], ours)); // the program itself is not an argument
    }

    [Fact]
    public void A_Line_Starts_Fresh_Only_After_Output_Left_Mid_Line()
    {
        var line = new TerminalLine(includeStdout: false);
        using var sink = new MemoryStream();
        using var tracked = line.Track(sink);
        Assert.Equal("", line.FreshLine()); // nothing written yet
        tracked.Write(" 8%|#   | 6/72\r"u8);
        Assert.Equal("\n", line.FreshLine());
        Assert.Equal("", line.FreshLine()); // our line ended with a newline
        tracked.Write("epoch 1 done\n"u8);
        Assert.Equal("", line.FreshLine());
        using var text = new StringWriter();
        var writer = line.Track(text);
        writer.Write("50%\r".AsSpan());
        Assert.Equal("\n", line.FreshLine());
        Assert.Equal(" 8%|#   | 6/72\repoch 1 done\n", System.Text.Encoding.UTF8.GetString(sink.ToArray())); // passed through unchanged
    }
}
