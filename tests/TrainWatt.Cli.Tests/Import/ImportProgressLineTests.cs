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
