using System.Globalization;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Measurement;
using TrainWatt.Meters;
using TrainWatt.Meters.Processes;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Probe;

/// <summary>
/// Issue 15: <c>trainwatt estimate --probe DURATION -- COMMAND</c> in-process with an injected constant meter (no
/// hardware) and real jobs (bash scripts). Each job records its pids and names its helper with a unique token, so that
/// "no process of the job is left" is checked in /proc. No wall-clock assertion: timeouts are hang guards only.
/// </summary>
public class EstimateProbeTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    /// <summary>
    /// The acceptance job: 2 s start-up, 40 Keras-style epochs of 1 s. It writes its pid (and with "helper" a helper's
    /// pid) to $1. The helper ignores SIGINT and SIGTERM, as a stuck data-loader worker would, and is named helper-$2.
    /// </summary>
    private const string KerasJob = """
        #!/bin/bash
        echo $$ >> "$1"
        if [ "$3" = helper ]; then
          bash -c 'trap "" INT TERM; while :; do sleep 0.2; done' "helper-$2" >/dev/null 2>&1 &
          echo $! >> "$1"
        fi
        sleep 2
        for i in $(seq 1 40); do
          echo "Epoch $i/40"
          sleep 1
          echo "10/10 [==============================] - 1s 100ms/step - loss: 0.5"
        done
        """;

    [Fact]
    public async Task Probe_Of_12s_Predicts_A_40_Epoch_Keras_Job_Within_5_Percent_Of_Measure_And_Leaves_No_Process()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the process checks read /proc");

        // Given: the job, the same fake 250 W GPU meter for the probe and for the truth
        using var dir = new TempDirectory();
        string job = dir.File("job.sh");
        File.WriteAllText(job, KerasJob);
        string token = Guid.NewGuid().ToString("N");

        // When: the truth is `measure` of the whole job (42 s), run at the same time as the 12 s probe
        var truthRun = Task.Run(() => CliHarness.Run(NoEnvironment, new ConstantSource(250), null,
            "measure", "--db", dir.File("truth.db"), "--summary-json", dir.File("truth.json"), "--", "bash", job, dir.File("truth.pids"), token, "none"));
        var (code, stdout, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(250), null,
            "estimate", "--probe", "12s", "--json", "--db", dir.File("probe.db"), "--", "bash", job, dir.File("probe.pids"), token, "helper");
        var afterProbe = LiveProcesses(dir.File("probe.pids"), "helper-" + token);
        var truthResult = await truthRun.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken); // a hang guard

        // Then: the probe stopped the job, ended the helper, and projected the whole run
        Assert.True(code == 0, stderr);
        Assert.True(afterProbe.Count == 0, string.Join("; ", afterProbe));
        var estimate = JsonDocument.Parse(stdout).RootElement;
        var probe = estimate.GetProperty("probe");
        Assert.True(probe.GetProperty("stopped").GetBoolean());
        Assert.Equal(2, probe.GetProperty("stop_signal").GetInt32()); // the job honoured SIGINT
        Assert.True(probe.GetProperty("leftovers_ended").GetInt32() >= 1, stderr); // the helper ignored it
        Assert.Equal(40, probe.GetProperty("planned_max").GetDouble());
        Assert.Equal("sampled", estimate.GetProperty("provenance").GetString());

        // Truth (oracle): what `measure` of the whole job gave with the same meter
        Assert.True(truthResult.ExitCode == 0, truthResult.Err);
        var truth = JsonDocument.Parse(File.ReadAllText(dir.File("truth.json"))).RootElement;
        double trueEnergy = truth.GetProperty("energy_j").GetDouble(), trueDuration = truth.GetProperty("duration_s").GetDouble();
        double energy = estimate.GetProperty("energy_j").GetDouble(), duration = estimate.GetProperty("duration_s").GetDouble();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"truth {trueEnergy:F0} J {trueDuration:F2} s; probe {energy:F0} J [{estimate.GetProperty("lower_j").GetDouble():F0}, {estimate.GetProperty("upper_j").GetDouble():F0}], {duration:F2} s"));
        Assert.InRange(energy, trueEnergy * 0.95, trueEnergy * 1.05);
        Assert.InRange(trueEnergy, estimate.GetProperty("lower_j").GetDouble(), estimate.GetProperty("upper_j").GetDouble());
        Assert.InRange(duration, trueDuration * 0.95, trueDuration * 1.05);
        Assert.InRange(trueDuration, estimate.GetProperty("duration_lower_s").GetDouble(), estimate.GetProperty("duration_upper_s").GetDouble());

        // And the probe is stored as a probe run, with its result
        using var store = SqliteRunStore.Open(dir.File("probe.db"));
        var run = Assert.Single(store.ListRuns());
        Assert.Equal(RunSources.Probe, run.Source);
        Assert.Contains(store.GetRun(run.Id)!.Annotations, a => a.Kind == "probe_estimate" && a.Message.Contains("\"energy_j\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Probe_Shorter_Than_The_Warm_Up_Says_So_With_A_Longer_Probe_And_Exit_75()
    {
        // Given: 1 s start-up, then 3 s epochs: the 5 s probe sees the first epoch end (the warm-up) and nothing after
        using var dir = new TempDirectory();
        string script = "echo $$ > \"$0\"; sleep 1; for i in $(seq 1 40); do echo \"Epoch $i/40\"; sleep 3; echo '10/10 [==============================] - 3s - loss: 0.5'; done";

        var (code, stdout, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), null,
            "estimate", "--probe", "5s", "--db", dir.File("runs.db"), "--", "bash", "-c", script, dir.File("pids"));

        // Then: ExitCode.TryAgain; one error line names the warm-up and a longer probe; nothing on stdout; job gone
        Assert.Equal(75, code);
        Assert.Equal("", stdout);
        string error = Assert.Single(stderr.Split('\n'), l => l.StartsWith("trainwatt: error:", StringComparison.Ordinal));
        Assert.Contains("ended during the warm-up", error, StringComparison.Ordinal);
        Assert.Contains("--probe ", error, StringComparison.Ordinal);
        Assert.Empty(LiveProcesses(dir.File("pids"), Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void A_Job_Silent_For_The_Whole_Probe_Is_Still_Warming_Up()
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), null,
            "estimate", "--probe", "1s", "--db", dir.File("runs.db"), "--", "bash", "-c", "sleep 30; echo 'Epoch 1/2'");

        Assert.Equal(75, code);
        Assert.Contains("the command printed nothing", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Job_That_Ends_Within_The_Probe_Is_Reported_As_Measured()
    {
        // Given: three 0.2 s epochs, a 60 s probe
        using var dir = new TempDirectory();
        string script = "for i in 1 2 3; do echo \"Epoch $i/3\"; sleep 0.2; echo '10/10 [==============================] - 0s - loss: 0.5'; done";

        var (code, stdout, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), null,
            "estimate", "--probe", "60s", "--json", "--db", dir.File("runs.db"), "--", "bash", "-c", script);

        // Then: the measured run, no interval around it; the same energy as the stored run (oracle: the store's own sum)
        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.True(json.GetProperty("probe").GetProperty("finished_within_probe").GetBoolean());
        Assert.False(json.GetProperty("probe").GetProperty("stopped").GetBoolean());
        double energy = json.GetProperty("energy_j").GetDouble();
        Assert.Equal(energy, json.GetProperty("lower_j").GetDouble());
        Assert.Equal(energy, json.GetProperty("upper_j").GetDouble());
        Assert.Equal(3, json.GetProperty("epochs").GetDouble());
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        var run = Assert.Single(store.ListRuns());
        Assert.Equal(energy, store.GetRun(run.Id)!.TotalEnergy!.Value.Joules, energy * 0.01);
        Assert.Equal(100 * json.GetProperty("duration_s").GetDouble(), energy, energy * 0.02); // 100 W × its time
    }

    [Fact]
    public void A_Log_Without_Progress_Says_Which_Marker_Line_To_Print_With_Exit_65()
    {
        using var dir = new TempDirectory();
        string script = "echo $$ > \"$0\"; for i in $(seq 1 60); do echo \"working on batch $i\"; sleep 0.5; done";

        var (code, stdout, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), null,
            "estimate", "--probe", "2s", "--db", dir.File("runs.db"), "--", "bash", "-c", script, dir.File("pids"));

        // ExitCode.DataError; the fix names the marker line, the helper and the flag
        Assert.Equal(65, code);
        Assert.Equal("", stdout);
        Assert.Contains("##trainwatt epoch-end n=EPOCH total=EPOCHS", stderr, StringComparison.Ordinal);
        Assert.Contains("trainwatt_marker.py", stderr, StringComparison.Ordinal);
        Assert.Contains("--epoch-pattern", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(LiveProcesses(dir.File("pids"), Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void Markers_Without_A_Total_Need_Epochs_And_Then_Project()
    {
        using var dir = new TempDirectory();
        string script = "for i in $(seq 1 50); do sleep 0.3; echo \"##trainwatt epoch-end n=$i\"; done";

        var missing = CliHarness.Run(NoEnvironment, new ConstantSource(100), null, "estimate", "--probe", "3s", "--db", dir.File("runs.db"), "--", "bash", "-c", script);
        var given = CliHarness.Run(NoEnvironment, new ConstantSource(100), null, "estimate", "--probe", "3s", "--epochs", "50", "--json", "--db", dir.File("runs.db"), "--", "bash", "-c", script);

        Assert.Equal(65, missing.ExitCode);
        Assert.Contains("give --epochs N", missing.Err, StringComparison.Ordinal);
        Assert.True(given.ExitCode == 0, given.Err);
        var json = JsonDocument.Parse(given.Out).RootElement;
        Assert.Equal("--epochs", json.GetProperty("probe").GetProperty("planned_source").GetString());

        // 50 epochs of about 0.3 s at 100 W: about 1.5 kJ (hand); a loose check, the machine may be loaded
        Assert.InRange(json.GetProperty("energy_j").GetDouble(), 1000, 3000);

        // A probe run is no training sample: estimate --run refuses it
        var rerun = CliHarness.Run(NoEnvironment, new ConstantSource(100), null, "estimate", "--run", "2", "--db", dir.File("runs.db"));
        Assert.NotEqual(0, rerun.ExitCode);
        Assert.Contains("a probe", rerun.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--probe needs the training command after --", "estimate", "--probe", "10s")]
    [InlineData("is only run with --probe DURATION", "estimate", "--", "bash", "-c", "true")]
    [InlineData("--probe 0.5 s is not between 1s and 24h", "estimate", "--probe", "0.5s", "--", "true")]
    [InlineData("--run estimates a stored run and --probe runs a new one", "estimate", "--run", "1", "--probe", "5s", "--", "true")]
    [InlineData("--steps and --steady apply to a probe", "estimate", "--steady", "--gflops", "4")]
    [InlineData("--tag \"nokey\" must look like key=value", "estimate", "--probe", "5s", "--tag", "nokey", "--", "true")]
    [InlineData("--epoch-pattern \"(\" is not a valid regular expression", "estimate", "--probe", "5s", "--epoch-pattern", "(", "--", "true")]
    [InlineData("--cpu-tdp must be a power in watts between 0 and 2000", "estimate", "--probe", "5s", "--cpu-tdp", "-3", "--", "true")]
    public void Bad_Probe_Options_Are_Usage_Errors_Before_Anything_Runs(string message, params string[] args)
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run(NoEnvironment, new ConstantSource(100), null, [.. args, "--db", dir.File("runs.db")]);

        Assert.Equal(64, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("runs.db")));
    }

    /// <summary>The pids in <paramref name="pidFile"/> and the processes whose command line holds <paramref name="token"/> that still run (zombies excluded).</summary>
    private static List<string> LiveProcesses(string pidFile, string token)
    {
        var live = new List<string>();
        if (File.Exists(pidFile))
        {
            foreach (string line in File.ReadAllLines(pidFile).Where(l => l.Length > 0))
            {
                int pid = int.Parse(line, CultureInfo.InvariantCulture);
                if (ProcessTree.Read("/proc", pid) is { IsZombie: false } entry && Cmdline(pid).Contains(Path.GetDirectoryName(pidFile)!, StringComparison.Ordinal))
                {
                    live.Add($"pid {pid} ({entry.State})");
                }
            }
        }

        foreach (var entry in ProcessTree.All().Where(e => !e.IsZombie && Cmdline(e.Pid).Contains(token, StringComparison.Ordinal)))
        {
            live.Add($"pid {entry.Pid}: {Cmdline(entry.Pid)}");
        }

        return live;
    }

    private static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>One sampled GPU channel at a constant power: the fake 250 W GPU of the issue.</summary>
    private sealed class ConstantSource(double watts) : IMeterSource
    {
        public MeterSetup Open(MeterSelection selection, HostContext host) => new([new ConstantMeter(watts, host.Time)]);
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
