using System.Text.RegularExpressions;
using Spectre.Console.Testing;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Import;

/// <summary>
/// Issue 21: a long import shows its progress on stderr when stderr is a terminal, as one line rewritten in place and
/// erased at the end, and never when stderr is redirected (a log file gets no progress lines).
/// </summary>
public sealed partial class ImportProgressLineTests : IDisposable
{
    private readonly TempDirectory _temp = new("trainwatt-progress");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_Show_A_Progress_Line_On_A_Terminal_Only_And_Erase_It_At_The_End(bool terminal)
    {
        // Given: 5,000 rows (several chunks of 1,024 samples, so several progress reports)
        string trace = _temp.File("gpu.csv");
        File.WriteAllText(trace, SyntheticTraces.NvidiaSmi(new DateTime(2024, 1, 1), 5000, k => 100 + (k % 7)));
        var stdout = new TestConsole();
        var stderr = new TestConsole();
        var context = new CliContext(stdout, stderr, TimeProvider.System, new Dictionary<string, string?>()) { ErrorIsTerminal = terminal };

        // When
        int code = TrainWattApp.Run(["import", "nvidia-smi", trace, "--db", _temp.File("store.db")], context);

        // Then: the data on stdout either way; on a terminal, "importing 1/1 gpu.csv: N%, M samples" after a carriage
        // return, and the line blanked out before the command ends; redirected, nothing at all on stderr
        Assert.Equal(0, code);
        Assert.StartsWith("Imported 1 runs (id 1), 5000 samples", stdout.Output);
        if (terminal)
        {
            Assert.Matches(ProgressLine(), stderr.Output);
            Assert.Matches(@"\r +\r$", stderr.Output);
        }
        else
        {
            Assert.Equal("", stderr.Output);
        }
    }

    [GeneratedRegex(@"^\rimporting 1/1 gpu\.csv: \d{1,3}%, [\d,]+ samples")]
    private static partial Regex ProgressLine();
}

/// <summary>Issue 20: the same line shows other long work's progress (<c>evaluate step</c>), throttled, and nothing when redirected.</summary>
public sealed class ProgressLineShowTests
{
    [Fact]
    public void Show_Rewrites_One_Line_At_Most_Four_Times_A_Second_And_Erases_It()
    {
        var stderr = new TestConsole();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var context = new CliContext(new TestConsole(), stderr, clock, new Dictionary<string, string?>()) { ErrorIsTerminal = true };

        using (var line = TrainWatt.Cli.Commands.ImportProgressLine.For(context)!)
        {
            line.Show("evaluating 1/3 runs");
            line.Show("evaluating 2/3 runs"); // within 250 ms of the last: not shown
            clock.Advance(TimeSpan.FromMilliseconds(250));
            line.Show("evaluating 3/3 runs");
        }

        Assert.Equal("\revaluating 1/3 runs\revaluating 3/3 runs\r" + new string(' ', 19) + "\r", stderr.Output);
        Assert.Null(TrainWatt.Cli.Commands.ImportProgressLine.For(context with { ErrorIsTerminal = false })); // redirected: no progress at all
    }
}
