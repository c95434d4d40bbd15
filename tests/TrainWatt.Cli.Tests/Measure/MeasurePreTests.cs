using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// The end of <c>measure</c> for a run tagged with a PRE description: the estimate next to what was measured, in the
/// summary on stderr and as <c>"estimate"</c> in <c>--summary-json</c>.
/// </summary>
public sealed class MeasurePreTests : IDisposable
{
    private const string ThreeEpochs = "for i in 1 2 3; do sleep 0.3; echo \"##trainwatt epoch-end n=$i total=3\"; done";

    private static readonly string[] Vgg16Tags =
    [
        "--tag", "architecture=vgg16", "--tag", "batch_size=32", "--tag", "input=128x128", "--tag", "train_samples=23807",
        "--tag", "val_samples=10203", "--tag", "ram_gb=16",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>No fitted model in the models folder: the shipped default model is the one used.</summary>
    private Dictionary<string, string?> Env(string? nvml = null) => new()
    {
        ["TRAINWATT_MODELS"] = _temp.File("models"),
        ["HOME"] = _temp.Path,
        ["TRAINWATT_NVML_LIBRARY"] = nvml,
    };

    [Fact]
    public void Measure_Of_A_Tagged_Run_Shows_The_Estimate_And_Its_Error_Like_Estimate_Run()
    {
        // Given: a fake RTX 3090 (a name in data/gpus.csv) drawing a constant 200 W, three marker epochs, and the
        // Chesslive/VGG16 description as tags (the GPU comes from the NVML device name)
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA GeForce RTX 3090
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            power_w = 0:200
            """);
        string db = _temp.File("runs.db");
        string json = _temp.File("summary.json");
        var env = Env(fake.LibraryPath);

        // When
        var (code, _, stderr) = CliHarness.Run(env, ["measure", "--db", db, "--meters", "nvml", "--summary-json", json, .. Vgg16Tags, "--", "bash", "-c", ThreeEpochs]);

        // Then: the comparison is on stderr, for the three measured epochs
        Assert.True(code == 0, stderr);
        Assert.Contains("PRE estimate vs measured, 3 epochs", stderr, StringComparison.Ordinal);
        Assert.Contains(stderr.Split('\n'), l => l.Contains("avg_power_w", StringComparison.Ordinal) && l.Contains("error", StringComparison.Ordinal));
        Assert.Contains("the interval", stderr, StringComparison.Ordinal);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        long runId = root.GetProperty("run_id").GetInt64();
        var estimate = root.GetProperty("estimate");
        Assert.Equal(runId, estimate.GetProperty("run").GetInt64());
        Assert.Equal(3, estimate.GetProperty("epochs").GetInt32());

        // Oracle 1 (scenario): the measured average power is the fake's constant 200 W.
        var power = estimate.GetProperty("avg_power_w");
        Assert.Equal(200, power.GetProperty("measured").GetDouble(), 1e-6);

        // Oracle 2 (hand, the definition): relative error = (estimate − measured) / measured, from the JSON's own fields.
        double est = power.GetProperty("estimate").GetDouble();
        Assert.True(est > 0);
        Assert.Equal(100 * (est - 200) / 200, power.GetProperty("error_pct").GetDouble(), 1e-6);
        var energy = estimate.GetProperty("energy_j");
        Assert.Equal(3 * estimate.GetProperty("epoch_energy_j").GetProperty("measured").GetDouble(), energy.GetProperty("measured").GetDouble(), 1e-6);

        // Oracle 3: `estimate --run ID --json` on the same store (the same code path) gives the very same numbers.
        var (code2, stdout2, stderr2) = CliHarness.Run(env, ["estimate", "--run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--json"]);
        Assert.True(code2 == 0, stderr2);
        var again = JsonDocument.Parse(stdout2).RootElement;
        Assert.Equal(again.GetProperty("lower_j").GetDouble(), estimate.GetProperty("lower_j").GetDouble());
        Assert.Equal(again.GetProperty("upper_j").GetDouble(), estimate.GetProperty("upper_j").GetDouble());
        Assert.Equal(again.GetProperty("measured_within_interval").GetBoolean(), estimate.GetProperty("measured_within_interval").GetBoolean());
        Assert.Equal(again.GetProperty("model").GetProperty("name").GetString(), estimate.GetProperty("model").GetProperty("name").GetString());
        foreach (string name in new[] { "energy_j", "avg_power_w", "epoch_energy_j", "epoch_duration_s" })
        {
            foreach (string field in new[] { "estimate", "measured", "error_pct" })
            {
                Assert.Equal(again.GetProperty(name).GetProperty(field).GetDouble(), estimate.GetProperty(name).GetProperty(field).GetDouble());
            }
        }
    }

    [Fact]
    public void Measure_With_Other_Meters_Compares_Gpu_Energy_Per_Epoch_Only()
    {
        // Given: the fake RTX 3090 at a constant 200 W plus the process meter, whose CPU model (TDP x system load) is
        // made large on purpose: a 2000 W TDP and 0.8 s epochs that keep one core busy, so the CPU channel adds at least
        // 2000 W / (CPUs in /proc/stat) to the stored epoch energies. --cpu-attribution machine: the oracle below is the
        // machine's load (at least the busy core), not the command's share of it, which a loaded test machine shrinks. (A sleeping command adds only ~1 mW of RAM model,
        // less than the few-ms difference between the two integrations: that made an earlier form of this test flaky.)
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA GeForce RTX 3090
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            power_w = 0:200
            """);
        string json = _temp.File("summary.json");
        const string BusyEpochs = "for i in 1 2 3; do e=$(( ${EPOCHREALTIME/./} + 800000 )); while (( ${EPOCHREALTIME/./} < e )); do :; done; echo \"##trainwatt epoch-end n=$i total=3\"; done";

        // When
        var (code, _, stderr) = CliHarness.Run(Env(fake.LibraryPath), ["measure", "--db", _temp.File("runs.db"), "--meters", "nvml,process", "--cpu-tdp", "2000", "--cpu-attribution", "machine", "--summary-json", json, .. Vgg16Tags, "--", "bash", "-c", BusyEpochs]);

        // Then: the measured epoch energy is the GPU's alone. Oracle (scenario, hand): constant 200 W, so GPU energy per
        // epoch = 200 W x mean epoch duration (5 %: the counter is read a few ms off the stored time stamps). With the
        // CPU model included it would be >= (200 + 2000 x 1/cores) W x duration, far outside that band.
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var estimate = root.GetProperty("estimate");
        double duration = estimate.GetProperty("epoch_duration_s").GetProperty("measured").GetDouble();
        double gpuEpoch = estimate.GetProperty("epoch_energy_j").GetProperty("measured").GetDouble();
        Assert.InRange(gpuEpoch, 200 * duration * 0.95, 200 * duration * 1.05);
        Assert.Equal(200, estimate.GetProperty("avg_power_w").GetProperty("measured").GetDouble(), 1e-6);

        // And the stored epochs do include the CPU model. Oracle (hand): one busy core of n gives a load >= 1/n, so the
        // CPU model draws >= 2000/n W. The model re-reads /proc/stat once a second and may cache a low first value for
        // up to 1 s of the 2.4 s of epochs, hence the loose factor 0.25 on both bounds.
        int cpus = File.ReadLines("/proc/stat").Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(l[3]));
        double cpuFloorW = 2000.0 / cpus;
        var cpu = root.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "cpu:model");
        Assert.True(cpu.GetProperty("energy_j").GetDouble() > 0.25 * cpuFloorW * 3 * duration, $"cpu:model {cpu} should be at least a quarter of {cpuFloorW} W x {3 * duration} s");
        double allDevices = root.GetProperty("epochs").EnumerateArray().Average(e => e.GetProperty("energy_j").GetDouble());
        Assert.True(allDevices > gpuEpoch + 0.25 * cpuFloorW * duration, $"stored epoch energy {allDevices} J (all devices) should exceed the GPU's {gpuEpoch} J by the CPU model's share");
    }

    [Fact]
    public void Measure_With_An_Incomplete_Description_Names_The_Missing_Keys_In_One_Line()
    {
        // Given: only two PRE tags, and no GPU meter (so no GPU name either)
        string json = _temp.File("summary.json");

        // When
        var (code, _, stderr) = CliHarness.Run(Env(), ["measure", "--db", _temp.File("runs.db"), "--meters", "process", "--summary-json", json,
            "--tag", "architecture=vgg16", "--tag", "batch_size=32", "--", "bash", "-c", ThreeEpochs]);

        // Then: one line naming every missing key, and no "estimate" in the JSON
        Assert.True(code == 0, stderr);
        var lines = stderr.Split('\n').Where(l => l.Contains("PRE:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        foreach (string key in new[] { "gpu", "input", "train_samples", "val_samples", "ram_gb" })
        {
            Assert.Contains(key, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("batch_size,", line, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(File.ReadAllText(json)).RootElement.TryGetProperty("estimate", out _));
    }

    [Fact]
    public void Measure_Without_Pre_Tags_Says_Nothing_About_Pre()
    {
        string json = _temp.File("summary.json");
        var (code, _, stderr) = CliHarness.Run(Env(), ["measure", "--db", _temp.File("runs.db"), "--meters", "process", "--summary-json", json,
            "--tag", "model=demo", "--", "bash", "-c", ThreeEpochs]);

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("PRE", stderr, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(File.ReadAllText(json)).RootElement.TryGetProperty("estimate", out _));
    }
}
