using System.Text.RegularExpressions;
using Spectre.Console.Testing;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>Issue 20 "Long work shows progress": <c>report</c> and <c>evaluate pre</c> show a progress line on a terminal, nothing when stderr is piped.</summary>
public sealed partial class LongWorkProgressTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Report_shows_each_plot_drawn_on_a_terminal_only(bool terminal)
    {
        // When: the SEAA 2023 report (four plots), with a clock that moves 1 s per reading so no update is rate-limited away
        var (code, stdout, stderr) = Run(terminal, "report", "--seaa2023", SharedData.RequireSeaa2023(), "--out", _temp.Path);

        // Then: the same result either way; on a terminal the loading step and each plot, in the order drawn, then erased
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.Combine(_temp.Path, "index.html") + "\n", stdout);
        if (!terminal)
        {
            Assert.DoesNotContain("building the report", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain('\r', stderr);
            return;
        }

        var shown = ProgressText().Matches(stderr).Select(m => m.Groups[1].Value.TrimEnd()).ToList();
        Assert.Equal(["loading the runs", "plot 1 drawn (pareto.png)", "plot 2 drawn (heat-map.png)", "plot 3 drawn (box-plots.png)", "plot 4 drawn (power-timeline.png)"], shown);
        Assert.Contains("\r" + new string(' ', "building the report: plot 4 drawn (power-timeline.png)".Length) + "\r", stderr, StringComparison.Ordinal); // erased
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluate_pre_counts_the_model_fits_on_a_terminal_only(bool terminal)
    {
        string csv = Path.Combine(SharedData.RequireJournalPre(), "training-set.csv");
        var env = new Dictionary<string, string?> { ["TRAINWATT_MODELS"] = Path.Combine(_temp.Path, "models"), ["HOME"] = _temp.Path };
        var (code, stdout, stderr) = Run(terminal, env, "evaluate", "pre", "--dataset", csv, "--target", "power", "--protocol", "leave-gpu-out", "--models", "ridge", "--json");

        Assert.True(code == 0, stderr);
        Assert.StartsWith("{", stdout, StringComparison.Ordinal); // the data on stdout either way
        var counts = FitCount().Matches(stderr).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        if (!terminal)
        {
            Assert.Empty(counts);
            Assert.DoesNotContain('\r', stderr);
            return;
        }

        // One fit per held-out GPU group for one family: 1, 2, ... N of N, every one shown (the clock moves 1 s per reading)
        int all = counts[0].Item2;
        Assert.True(all >= 2, stderr);
        Assert.Equal(Enumerable.Range(1, all).Select(i => (i, all)), counts);
    }

    private static (int Code, string Out, string Err) Run(bool terminal, params string[] args) => Run(terminal, new Dictionary<string, string?>(), args);

    private static (int Code, string Out, string Err) Run(bool terminal, Dictionary<string, string?> env, params string[] args)
    {
        var stdout = new TestConsole();
        var stderr = new TestConsole();
        stdout.Profile.Width = 200;
        stderr.Profile.Width = 200;
        var context = new CliContext(stdout, stderr, new SteppingClock(), env) { ErrorIsTerminal = terminal };
        return (TrainWattApp.Run(args, context), stdout.Output, stderr.Output);
    }

    [GeneratedRegex(@"\rbuilding the report: ([^\r\n]*)")]
    private static partial Regex ProgressText();

    [GeneratedRegex(@"\revaluating: (\d+)/(\d+) model fits")]
    private static partial Regex FitCount();

    /// <summary>A clock whose timestamp moves one second per reading (wall time stays the system's).</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond);
    }
}
