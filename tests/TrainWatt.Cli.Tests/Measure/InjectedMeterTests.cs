using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// <c>measure</c> and <c>experiment run</c> in-process with an injected meter source and clock: no hardware, no fake
/// native library, no trainwatt child process. The wrapped command is still a real process (that is what is measured).
/// </summary>
public class InjectedMeterTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Measure_Reads_The_Injected_Meter_And_Stores_Its_Energy()
    {
        // Given: one sampled 100 W channel from the injected source
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string json = dir.File("summary.json");
        var source = new ConstantSource(100);

        // When
        var (code, _, stderr) = CliHarness.Run(NoEnvironment, source, null,
            "measure", "--db", db, "--summary-json", json, "--", "bash", "-c", "echo 'Epoch 1/2'; sleep 0.4; echo 'Epoch 2/2'; sleep 0.4");

        // Then: hand oracle: constant 100 W × the measured duration (trapezoid of a constant is exact)
        Assert.Equal(0, code);
        Assert.Equal(1, source.Opened);
        Assert.Contains("with gpu:0 (sampled)", stderr, StringComparison.Ordinal);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        double seconds = root.GetProperty("duration_s").GetDouble();
        double joules = root.GetProperty("energy_j").GetDouble();
        Assert.InRange(seconds, 0.7, 30);
        Assert.Equal(100 * seconds, joules, 100 * seconds * 0.02);
        using var store = SqliteRunStore.Open(db);
        var run = Assert.Single(store.ListRuns());
        Assert.Equal(joules, store.GetRun(run.Id)!.TotalEnergy!.Value.Joules, joules * 0.01);
    }

    [Fact]
    public void An_Unavailable_Meter_Is_One_Line_With_Its_Fix_And_Exit_69()
    {
        using var dir = new TempDirectory();
        var source = new FailingSource(new MeterUnavailableException("nvml", "libnvidia-ml.so.1 was not found.", "install the NVIDIA driver"));

        var (code, _, stderr) = CliHarness.Run(NoEnvironment, source, null, "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--", "true");

        // Oracle: ExitCode.Unavailable = 69 (sysexits EX_UNAVAILABLE); the message names the meter and the fix
        Assert.Equal(69, code);
        Assert.Equal("error: meter nvml is unavailable: libnvidia-ml.so.1 was not found. Fix: install the NVIDIA driver", stderr.Trim());
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Injected_Clock_Stamps_The_Run_And_A_Missing_Command_Is_Recorded_With_Exit_127()
    {
        // Given: a fake clock far from now, and a command that does not exist (so no real time needs to pass)
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        var start = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);

        var (code, _, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), clock, "measure", "--db", db, "--", "/nonexistent/train.py");

        // Then: 127 is the shell's "command not found"; the run exists, stamped by the injected clock, failed
        Assert.Equal(127, code);
        Assert.Contains("/nonexistent/train.py", stderr, StringComparison.Ordinal);
        using var store = SqliteRunStore.Open(db);
        var run = Assert.Single(store.ListRuns());
        Assert.Equal(start, run.Started);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    [Fact]
    public void Invalid_Settings_Are_All_Reported_At_Once_With_Exit_64()
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), null,
            "measure", "--db", dir.File("runs.db"), "--tag", "nokey", "--max-epochs", "0", "--early-stopping-patience", "-2", "--cpu-tdp", "5000", "--", "true");

        // Four problems, four lines, one exit code (64 = EX_USAGE); nothing was run or stored
        Assert.Equal(64, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains("--tag \"nokey\" must look like key=value", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--max-epochs must be a positive number, but was 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--early-stopping-patience must be 0 or more epochs, but was -2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--cpu-tdp must be a power in watts between 0 and 2000, but was 5000", StringComparison.Ordinal));
        Assert.False(File.Exists(dir.File("runs.db")));
    }

    [Fact]
    public void Experiment_Run_Measures_Through_The_Same_Pipeline_And_Meters()
    {
        // Given: a plan of 2 configurations × 1 repetition, the injected 100 W meter
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string plan = dir.File("plan.json");
        File.WriteAllText(plan, """
            {"name": "inj", "command": ["bash", "-c", "echo 'Epoch 1/1'; sleep {t}"], "variables": {"t": ["0.3", "0.6"]}, "repetitions": 1, "seed": 1}
            """);
        var source = new ConstantSource(100);

        var (code, _, stderr) = CliHarness.Run(NoEnvironment, source, null, "experiment", "run", plan, "--db", db);

        // Then: both runs stored from the one meter set, each at 100 W × its duration (hand oracle), tagged by config
        Assert.True(code == 0, stderr);
        Assert.Equal(1, source.Opened);
        using var store = SqliteRunStore.Open(db);
        var runs = store.ListRuns();
        Assert.Equal(2, runs.Count);
        foreach (var run in runs)
        {
            var details = store.GetRun(run.Id)!;
            double seconds = details.Run.Duration!.Value.TotalSeconds;
            Assert.Equal(100 * seconds, details.TotalEnergy!.Value.Joules, 100 * seconds * 0.02);
            Assert.Equal("inj", run.Tags["experiment"]);
        }

        Assert.Equal(["t=0.3", "t=0.6"], runs.Select(r => r.Tags["config"]).Order());
    }

    [Fact]
    public void A_Failing_Observer_Is_Switched_Off_With_One_Warning_And_The_Run_Is_Stored()
    {
        // Given: the pipeline directly (as a .NET caller uses it) with an observer that throws on every sample batch
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        using var meters = new ConstantSource(100).Open(new MeterSelection(), HostContext.FromProcess());
        var said = new List<string>();
        var console = new MeasurementConsole(TextWriter.Null, TextWriter.Null, line => { lock (said) { said.Add(line); } });
        var pipeline = new MeasurementPipeline(store, meters, HostContext.FromProcess(), console, [new ThrowingObserver()]);

        // When
        var result = pipeline.Run(new MeasureOptions(["bash", "-c", "sleep 0.5"]), TestContext.Current.CancellationToken);

        // Then: exactly one warning naming the observer; the run is complete in the store with its energy
        Assert.Equal(0, result.ExitCode);
        Assert.Single(said, l => l.Contains("ThrowingObserver failed", StringComparison.Ordinal));
        var details = store.GetRun(long.Parse(result.RunId, System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Equal(RunStatus.Completed, details.Run.Status);
        Assert.Equal(result.Summary.Energy.Joules, details.TotalEnergy!.Value.Joules, Math.Max(1e-6, result.Summary.Energy.Joules * 0.01));
    }

    private sealed class ThrowingObserver : IMeasurementObserver
    {
        public void Samples(ReadOnlySpan<ChannelSample> samples) => throw new InvalidOperationException("exporter down");
    }

    /// <summary>A meter source giving one sampled GPU channel at constant power, on the real or an injected clock.</summary>
    private sealed class ConstantSource(double watts) : IMeterSource
    {
        public int Opened { get; private set; }

        public MeterSetup Open(MeterSelection selection, HostContext host)
        {
            Opened++;
            return new MeterSetup([new ConstantMeter(watts, host.Time)]);
        }
    }

    private sealed class FailingSource(Exception failure) : IMeterSource
    {
        public MeterSetup Open(MeterSelection selection, HostContext host) => throw failure;
    }

    private sealed class ConstantMeter(double watts, TimeProvider time) : IMeter
    {
        private readonly long _start = time.GetTimestamp();

        public string Name => "constant";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new MeterChannel("gpu:0", "gpu", "Constant GPU", Provenance.Sampled)];

        public MeterReading Read() => new(time.GetUtcNow(), time.GetElapsedTime(_start), [new ChannelReading("gpu:0", Power.FromWatts(watts), null)]);

        public void Dispose()
        {
        }
    }
}
