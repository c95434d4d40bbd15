using System.Globalization;
using System.Text.RegularExpressions;
using TrainWatt.Core;
using TrainWatt.Core.Epochs;
using TrainWatt.Meters.Processes;
using TrainWatt.Meters.Sampling;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Sampling;

/// <summary>Real child processes (bash, python3) under a real clock, with a scripted meter.</summary>
public class MeasurementSessionTests
{
    private static MeasurementRequest Request(string command, params string[] args) => new(
        command, args, SamplerOptions.Default, EpochFramework.Auto, null, null, TimeSpan.Zero,
        new Dictionary<string, string>(), new Dictionary<string, string?>(), TimeSpan.Zero);

    private static (MeasurementSession Session, MemorySink Sink, StringWriter Out, StringWriter Err, List<string> Diagnostics) Create()
    {
        var meter = new FakeMeter(TimeProvider.System, new FakeChannel("gpu:0", Provenance.Sampled, _ => 100.0));
        var sink = new MemorySink();
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var diagnostics = new List<string>();
        var session = new MeasurementSession([meter], sink, TimeProvider.System, stdout, stderr, diagnostics.Add);
        return (session, sink, stdout, stderr, diagnostics);
    }

    private static string? FindOnPath(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [Fact]
    public async Task Should_Find_Exactly_Five_Keras_Epochs_At_The_Lines_A_Python_Child_Prints()
    {
        // Given: a Python child printing "Epoch k/5" with 300 ms between them and writing time.time() of each line
        string? python = FindOnPath("python3");
        Assert.SkipWhen(python is null, "python3 is not on PATH");
        using var dir = new TempDirectory();
        string times = dir.File("times.txt");
        const string script = """
            import sys, time
            stamps = []
            for k in range(1, 6):
                stamps.append(time.time())
                print(f"Epoch {k}/5")
                time.sleep(0.3)
            stamps.append(time.time())
            open(sys.argv[1], "w").write("\n".join(repr(t) for t in stamps))
            """;
        var (session, sink, stdout, _, _) = Create();

        // When: no flush in the script; the wrapper sets PYTHONUNBUFFERED so lines arrive as printed
        var outcome = await session.RunAsync(Request(python!, "-c", script, times), TestContext.Current.CancellationToken);

        // Then
        double[] printed = File.ReadAllText(times).Split('\n').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var epochs = outcome.Summary.Epochs;
        Assert.Equal([1, 2, 3, 4, 5], epochs.Select(e => e.Number));
        Assert.Equal(5, outcome.Summary.TotalEpochs);
        double origin = (sink.Run!.StartedAt - DateTimeOffset.UnixEpoch).TotalSeconds;
        for (int k = 0; k < 5; k++)
        {
            double start = origin + epochs[k].Start.TotalSeconds;
            TestContext.Current.TestOutputHelper?.WriteLine($"epoch {k + 1}: start {(start - printed[k]) * 1000:F2} ms after its line");
            // Typically under 5 ms; the bound is half the gap between lines, so a start taken from anything but this line
            // (the previous or next line, a 1 s sampling tick) fails, while a machine at load 40 on 2 cores (seen: 166 ms) passes
            Assert.True(Math.Abs(start - printed[k]) <= 0.150, $"epoch {k + 1} starts {(start - printed[k]) * 1000:F1} ms from its line");
            if (k < 4)
            {
                Assert.Equal(epochs[k].End, epochs[k + 1].Start);
            }
        }

        // The last epoch has no line after it: it ends when the command exits, i.e. after the child's last stamp
        // (plus the interpreter's shutdown, which is not an output line and so has no 50 ms bound).
        double lastEnd = origin + epochs[4].End.TotalSeconds;
        Assert.InRange(lastEnd - printed[5], -0.005, 1.0);
        Assert.True(epochs[4].EndedAtExit);
        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.Equal("Epoch 1/5\nEpoch 2/5\nEpoch 3/5\nEpoch 4/5\nEpoch 5/5\n", stdout.ToString());
    }

    [Fact]
    public async Task Should_Take_Epochs_And_Metrics_From_Markers_Printed_By_Bash()
    {
        var (session, sink, _, _, _) = Create();
        var outcome = await session.RunAsync(
            Request("bash", "-c", "for i in 1 2 3; do sleep 0.1; echo \"##trainwatt epoch-end n=$i total=3 samples=100\"; done; echo '##trainwatt metric f1=0.97'"),
            TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], outcome.Summary.Epochs.Select(e => e.Number));
        Assert.All(outcome.Summary.Epochs, e => Assert.Equal(100, e.Samples));
        Assert.Equal(3, outcome.Summary.TotalEpochs);
        Assert.Equal(0.97, outcome.Summary.Metrics["f1"]);
        Assert.Equal([("f1", 0.97)], sink.Metrics);
        Assert.Equal(3, sink.Epochs.Count);
        // Epoch 1 starts at the command start; the 100 W channel gives ≈ 100 W × duration per epoch.
        var first = outcome.Summary.Epochs[0];
        Assert.Equal(TimeSpan.Zero, first.Start);
        Assert.Equal(100.0 * first.Duration.TotalSeconds, first.Energy.Joules, 6);
    }

    [Fact]
    public async Task Should_Record_A_Complete_Run_With_The_Exit_Code_Of_A_Failing_Command()
    {
        var (session, sink, _, stderr, _) = Create();
        var outcome = await session.RunAsync(Request("bash", "-c", "echo boom >&2; exit 3"), TestContext.Current.CancellationToken);

        Assert.Equal(3, outcome.Summary.ExitCode);
        Assert.Same(outcome.Summary, sink.Summary);
        Assert.Equal("boom\n", stderr.ToString());
        Assert.Equal("run-1", outcome.RunId);
    }

    [Fact]
    public async Task Should_Report_128_Plus_The_Signal_When_The_Command_Is_Killed()
    {
        // Shell convention (bash: 128 + N for a command killed by signal N); SIGKILL is 9.
        var (session, sink, _, _, _) = Create();
        var outcome = await session.RunAsync(Request("bash", "-c", "kill -9 $$"), TestContext.Current.CancellationToken);
        Assert.Equal(137, outcome.Summary.ExitCode);
        Assert.NotNull(sink.Summary);
    }

    [Fact]
    public async Task Should_Pass_Output_Through_Unchanged_Including_Carriage_Returns_And_A_Missing_Final_Newline()
    {
        var (session, _, stdout, _, _) = Create();
        await session.RunAsync(Request("printf", "a\\rb\\r\\nc é"), TestContext.Current.CancellationToken);
        Assert.Equal("a\rb\r\nc é", stdout.ToString());
    }

    [Fact]
    public async Task Should_Give_The_Command_Its_Run_Id_And_Unbuffered_Python()
    {
        var (session, _, stdout, _, _) = Create();
        await session.RunAsync(Request("bash", "-c", "echo $TRAINWATT_RUN_ID $PYTHONUNBUFFERED"), TestContext.Current.CancellationToken);
        Assert.Equal("run-1 1\n", stdout.ToString());
    }

    [Fact]
    public async Task Should_Finish_The_Run_And_Explain_When_The_Command_Does_Not_Exist()
    {
        var (session, sink, _, _, _) = Create();
        var error = await Assert.ThrowsAsync<CommandStartException>(
            () => session.RunAsync(Request("no-such-trainwatt-command"), TestContext.Current.CancellationToken));

        Assert.True(error.NotFound);
        Assert.Contains("PATH", error.Message, StringComparison.Ordinal);
        Assert.NotNull(sink.Summary);
        Assert.Null(sink.Summary.ExitCode);
    }

    [Fact]
    public async Task Should_Use_A_Custom_Pattern()
    {
        var (session, _, _, _, _) = Create();
        var request = Request("bash", "-c", "echo 'done 1'; echo 'Epoch 1/9'; echo 'done 2'") with { EpochPattern = new Regex("^done (?<n>\\d+)") };
        var outcome = await session.RunAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal([1, 2], outcome.Summary.Epochs.Select(e => e.Number));
    }

    [Fact]
    public async Task Should_Measure_An_Idle_Baseline_And_Subtract_It()
    {
        // Given: a constant 100 W channel measured idle for 0.3 s, so net energy is ≈ 0 (hand: 100 W − 100 W)
        var (session, sink, _, _, _) = Create();
        var request = Request("sleep", "0.3") with { Idle = TimeSpan.FromMilliseconds(300) };

        // When
        var outcome = await session.RunAsync(request, TestContext.Current.CancellationToken);

        // Then
        Assert.Equal(100.0, sink.Run!.IdleBaseline![0]!.Value.Watts, 6);
        Assert.Equal(100.0, outcome.Summary.Channels[0].IdlePower!.Value.Watts, 6);
        Assert.Equal(0.0, outcome.Summary.NetEnergy!.Value.Joules, 6);
        Assert.True(outcome.Summary.Energy.Joules > 25, $"gross {outcome.Summary.Energy}");
    }

    [Fact]
    public async Task Should_Not_Record_The_Epoch_A_Failing_Command_Was_In()
    {
        // Keras epoch 2 starts, then the command crashes: epoch 1 is whole, epoch 2 is not.
        var (session, _, _, _, diagnostics) = Create();
        var outcome = await session.RunAsync(Request("bash", "-c", "echo 'Epoch 1/3'; echo 'Epoch 2/3'; exit 1"), TestContext.Current.CancellationToken);

        Assert.Equal([1], outcome.Summary.Epochs.Select(e => e.Number));
        Assert.Contains(diagnostics, d => d.Contains("epoch 2 was still running", StringComparison.Ordinal));
        Assert.Contains(outcome.Summary.Notes, n => n.Contains("epoch 2 was still running", StringComparison.Ordinal));
    }
}
