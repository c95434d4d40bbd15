using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Meters.Tests.Nvml;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary><c>trainwatt measure</c> end to end: in-process through <see cref="CliHarness"/>, or as a real process for signals.</summary>
public class MeasureCommandTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public void Should_Exit_With_The_Command_Exit_Code_And_Store_A_Completed_Run()
    {
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");

        var (code, stdout, stderr) = CliHarness.Run("measure", "--db", db, "--meters", "process", "--", "bash", "-c", "echo out; exit 3");

        Assert.Equal(3, code);
        Assert.Equal("out\n", stdout);
        Assert.Contains("exit code 3", stderr, StringComparison.Ordinal);
        using var store = SqliteRunStore.Open(db);
        var run = Assert.Single(store.ListRuns());
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("measure", run.Source);
        Assert.Equal("bash -c 'echo out; exit 3'", run.Command);
    }

    [Fact]
    public void Should_Write_The_Summary_Json_With_Epochs_From_Markers_Printed_By_Bash()
    {
        // Given: 3 marker epochs of ≈0.2 s and a metric, measured with the process/model meters (no GPU here)
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string json = dir.File("summary.json");
        const string script = "for i in 1 2 3; do sleep 0.2; echo \"##trainwatt epoch-end n=$i total=3\"; done; echo '##trainwatt metric f1=0.97'";

        // When
        var (code, _, stderr) = CliHarness.Run("measure", "--db", db, "--meters", "process", "--summary-json", json, "--tag", "model=demo", "--", "bash", "-c", script);

        // Then: the documented JSON shape
        Assert.Equal(0, code);
        var root = ReadJson(json);
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        long runId = root.GetProperty("run_id").GetInt64();
        var epochs = root.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], epochs.Select(e => e.GetProperty("n").GetInt32()));
        // Each epoch spans its `sleep 0.2`; the bound is loose because a loaded machine can read one marker late and the
        // next on time (the 50 ms boundary accuracy is asserted separately, in MeasurementSessionTests).
        Assert.All(epochs, e => Assert.True(e.GetProperty("end_s").GetDouble() - e.GetProperty("start_s").GetDouble() >= 0.05));
        Assert.Equal(epochs.Select(e => e.GetProperty("end_s").GetDouble()).Order(), epochs.Select(e => e.GetProperty("end_s").GetDouble()));
        var components = root.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["ram", "cpu:model"], components.Select(c => c.GetProperty("name").GetString()));
        Assert.All(components, c => Assert.Equal("model", c.GetProperty("provenance").GetString()));
        double sum = components.Sum(c => c.GetProperty("energy_j").GetDouble());
        Assert.Equal(sum, root.GetProperty("energy_j").GetDouble(), 9);
        Assert.True(root.GetProperty("duration_s").GetDouble() >= 0.6);
        Assert.Contains("every figure above is modelled", stderr, StringComparison.Ordinal);
        Assert.Contains("metric f1 = 0.97", stderr, StringComparison.Ordinal);

        // And the store holds the same run with its epochs, tags and metric
        using var store = SqliteRunStore.Open(db);
        var details = store.GetRun(runId)!;
        Assert.Equal(3, details.Epochs.Count);
        Assert.Equal("demo", details.Run.Tags["model"]);
        Assert.Contains(details.Annotations, a => a.Kind == "metric" && a.Message == "f1=0.97");
        Assert.Contains(details.Annotations, a => a.Kind == "total_epochs" && a.Message == "3");
        Assert.True(details.Run.SampleCount > 0);
    }

    [Theory]
    [InlineData("--interval", "fast", "--interval \"fast\"")]
    [InlineData("--framework", "tensorflow", "--framework \"tensorflow\"")]
    [InlineData("--tag", "novalue", "--tag \"novalue\"")]
    [InlineData("--epoch-pattern", "(", "--epoch-pattern \"(\"")]
    [InlineData("--meters", "geiger", "Unknown meter \"geiger\"")]
    public void Should_Reject_A_Bad_Option_With_A_Usage_Error_Naming_It(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), option, value, "--", "true");
        Assert.Equal(64, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void Should_Exit_127_With_A_Hint_When_The_Command_Does_Not_Exist()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--", "no-such-command-trainwatt");
        Assert.Equal(127, code);
        Assert.Contains("Cannot run \"no-such-command-trainwatt\"", stderr, StringComparison.Ordinal);
        Assert.Contains("bash -c", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Match_The_Fake_Nvml_Scenario_Energy_Within_Half_A_Percent_For_The_Counter_And_Two_Percent_Sampled()
    {
        // Given: two fake GPUs, the first with an energy counter, the second without (pre-Volta: sampled power).
        // Curves with ramps and a sine (the same shapes the meter tests use); their origin is a known monotonic instant.
        var curveA = new PowerCurve([(0, 60), (0.5, 250), (1.5, 250), (2.0, 120), (3.0, 300)], 15, 0.7);
        var curveB = new PowerCurve([(0, 80), (1.0, 180), (2.5, 100)], 10, 0.9);
        // The wall-clock instant of the monotonic origin, bracketed to 1 ms: a thread descheduled between the two clock
        // reads would shift every curve time by the delay (15 ms of it is already 0.5 % of the counter's energy here).
        long origin;
        DateTimeOffset originWall;
        while (true)
        {
            var wallBefore = DateTimeOffset.UtcNow;
            origin = Stopwatch.GetTimestamp();
            var wallAfter = DateTimeOffset.UtcNow;
            originWall = wallBefore + ((wallAfter - wallBefore) / 2);
            if (wallAfter - wallBefore <= TimeSpan.FromMilliseconds(1))
            {
                break;
            }
        }

        using var fake = FakeNvml.Create($"""
            {FakeNvml.TimeOriginLine(origin)}
            [device]
            name = NVIDIA Fake A100
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            energy_counter = yes
            energy_offset_mj = 123456789
            {curveA.ScenarioLines()}
            [device]
            name = NVIDIA Fake TITAN Xp
            uuid = GPU-bbbbbbbb-5555-6666-7777-888888888888
            energy_counter = no
            {curveB.ScenarioLines()}
            """);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string json = dir.File("summary.json");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        // When: a 3 s command measured at 100 ms
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", db, "--meters", "nvml", "--summary-json", json, "--", "sleep", "3");

        // Then: each device's energy matches ∫P dt between its first and last stored sample (oracle: PowerCurve's
        // Simpson integration of the scenario's curve; sample times map to the curve's clock through originWall)
        Assert.True(code == 0, stderr);
        var components = ReadJson(json).GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("counter", components["gpu:0"].GetProperty("provenance").GetString());
        Assert.Equal("sampled", components["gpu:1"].GetProperty("provenance").GetString());
        using var store = SqliteRunStore.Open(db);
        var details = store.GetRun(ReadJson(json).GetProperty("run_id").GetInt64())!;

        // The 2 % bound is for power *sampled at 100 ms* (issue 3). On an overloaded machine the sampler thread is
        // descheduled for hundreds of ms and that premise does not hold; say so instead of failing or widening the bound.
        var sampledTimes = store.ReadSamples(details.Run.Id, details.Devices.Single(d => d.Key == "gpu:1").Id)
            .Select(s => s.Timestamp).ToList();
        double maxGapMs = sampledTimes.Zip(sampledTimes.Skip(1), (a, b) => (b - a).TotalMilliseconds).Max();
        Assert.SkipWhen(maxGapMs > 250, $"the machine is too loaded to sample at 100 ms (largest gap {maxGapMs:F0} ms > 250 ms); the accuracy bound does not apply");

        foreach (var (key, curve, tolerance) in new[] { ("gpu:0", curveA, 0.005), ("gpu:1", curveB, 0.02) })
        {
            var device = details.Devices.Single(d => d.Key == key);
            var samples = store.ReadSamples(details.Run.Id, device.Id);
            double from = (samples[0].Timestamp - originWall).TotalSeconds;
            double to = (samples[^1].Timestamp - originWall).TotalSeconds;
            double truth = curve.JoulesBetween(from, to);
            double measured = components[key].GetProperty("energy_j").GetDouble();
            TestContext.Current.TestOutputHelper?.WriteLine($"{key}: measured {measured:F3} J, truth {truth:F3} J, error {(measured - truth) / truth:P4}");
            Assert.True(Math.Abs(measured - truth) <= tolerance * truth, $"{key}: measured {measured:F2} J, truth {truth:F2} J over [{from:F3}, {to:F3}] s");
        }

        // The fallback is labelled: in the store (device note) and in the summary line of gpu:1
        Assert.Contains("sampled", details.Devices.Single(d => d.Key == "gpu:1").Note ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains(stderr.Split('\n'), line => line.Contains("gpu:1", StringComparison.Ordinal) && line.Contains("sampled", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Measure_Only_The_Gpus_Asked_For()
    {
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA Fake A100
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            power_w = 0:100
            [device]
            name = NVIDIA Fake A100
            uuid = GPU-bbbbbbbb-5555-6666-7777-888888888888
            power_w = 0:200
            """);
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--gpus", "1", "--summary-json", json, "--", "sleep", "0.3");

        Assert.True(code == 0, stderr);
        var names = ReadJson(json).GetProperty("components").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["gpu:1"], names);
    }

    [Fact]
    public void Should_Report_Net_Energy_Against_An_Idle_Baseline()
    {
        // Given: a constant 150 W fake GPU measured idle for 0.5 s, then while a 0.5 s command runs
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA Fake A100
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            energy_counter = yes
            power_w = 0:150
            """);
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        // When
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--idle", "0.5s", "--summary-json", json, "--", "sleep", "0.5");

        // Then: net = gross − idle power × duration exactly (the definition), and the idle power is the scenario's 150 W
        // (within 5 %: over a 0.5 s window, a read delayed by a busy machine shifts the mean by a few percent)
        Assert.True(code == 0, stderr);
        var root = ReadJson(json);
        double idle = root.GetProperty("components")[0].GetProperty("idle_power_w").GetDouble();
        Assert.InRange(idle, 150.0 * 0.95, 150.0 * 1.05);
        double expectedNet = root.GetProperty("energy_j").GetDouble() - (idle * root.GetProperty("duration_s").GetDouble());
        Assert.Equal(expectedNet, root.GetProperty("net_energy_j").GetDouble(), 9);
        Assert.Contains("net of the idle baseline", stderr, StringComparison.Ordinal);
    }

    public class AsAProcess
    {
        private static Process StartTrainWatt(params string[] args)
        {
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true, // not a terminal: SIGINT is forwarded at once
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainwatt.dll"));
            foreach (string a in args)
            {
                info.ArgumentList.Add(a);
            }

            // The SIGINT test needs trainwatt (and its bash child) to start with SIGINT not ignored.
            return Process.Start(info.WithDefaultSigint())!;
        }

        private static void Signal(int pid, string signal)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]))!;
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        [Fact]
        public async Task Should_Forward_SIGINT_To_The_Command_And_Exit_With_Its_Code()
        {
            // Given: a command that traps SIGINT, writes a file and exits 42
            Assert.SkipUnless(OperatingSystem.IsLinux(), "POSIX signals");
            using var dir = new TempDirectory();
            string marker = dir.File("got-sigint");
            string db = dir.File("runs.db");
            using var trainwatt = StartTrainWatt("measure", "--db", db, "--meters", "process", "--",
                "bash", "-c", $"trap 'echo got > {marker}; exit 42' INT; echo ready; sleep 30 & wait");
            var stderrTask = trainwatt.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.Equal("ready", await trainwatt.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken));

            // When: SIGINT to TrainWatt (not to the command)
            Signal(trainwatt.Id, "INT");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            await trainwatt.WaitForExitAsync(timeout.Token);

            // Then
            string stderr = await stderrTask;
            Assert.True(trainwatt.ExitCode == 42, $"exit {trainwatt.ExitCode}: {stderr}");
            Assert.Equal("got\n", File.ReadAllText(marker));
            using var store = SqliteRunStore.Open(db);
            var run = Assert.Single(store.ListRuns());
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal(42, run.ExitCode);
        }

        [Fact]
        public async Task Should_Leave_An_Incomplete_Run_With_Samples_Up_To_One_Second_Before_A_SIGKILL()
        {
            // Given: a measured command that outlives the test's patience
            Assert.SkipUnless(OperatingSystem.IsLinux(), "POSIX signals");
            using var dir = new TempDirectory();
            string db = dir.File("runs.db");
            using var trainwatt = StartTrainWatt("measure", "--db", db, "--meters", "process", "--", "bash", "-c", "echo ready; exec sleep 120");
            Assert.Equal("ready", await trainwatt.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken));

            // Until the store holds 2 s of samples (several flushes), however slowly the machine gets there.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (StoredSpanSeconds(db) < 2.0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no 2 s of samples were stored within 60 s");
                Assert.False(trainwatt.HasExited, "trainwatt exited before it was killed");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            // When: SIGKILL (no chance to finish the run)
            var killedAt = DateTimeOffset.UtcNow;
            Signal(trainwatt.Id, "KILL");
            await trainwatt.WaitForExitAsync(TestContext.Current.CancellationToken);

            // Then: the store opens, the run reads as incomplete, and its last sample is at most 1 s older than the kill.
            // Oracle: measure flushes every 0.5 s of sampler time, which leaves 0.5 s for a late tick (the promise is 1 s).
            // A tick later than that is visible as a gap between stored samples; the bound grows by the part of the largest
            // gap beyond those 0.5 s, so it stays 1 s exactly on a machine that keeps the promise's premise.
            using var store = SqliteRunStore.Open(db);
            var run = Assert.Single(store.ListRuns());
            Assert.Equal(RunStatus.Incomplete, run.Status);
            Assert.Null(run.ExitCode);
            var times = store.ReadSamples(run.Id).Select(s => s.Timestamp).Distinct().Order().ToList();
            var last = times[^1];
            var largestGap = times.Zip(times.Skip(1), (a, b) => b - a).Max();
            var allowed = TimeSpan.FromSeconds(1) + (largestGap > TimeSpan.FromSeconds(0.5) ? largestGap - TimeSpan.FromSeconds(0.5) : TimeSpan.Zero);
            Assert.True(killedAt - last <= allowed, $"last sample {(killedAt - last).TotalMilliseconds:F0} ms before the kill (allowed {allowed.TotalMilliseconds:F0} ms; largest gap {largestGap.TotalMilliseconds:F0} ms)");
        }

        /// <summary>Seconds between the first and last sample in the store (0 while it has none or is not created yet).</summary>
        private static double StoredSpanSeconds(string db) => LiveStoreQuery.Scalar(db, "SELECT COALESCE((MAX(last_us) - MIN(first_us)) / 1e6, 0) FROM sample_chunks");
    }
}
