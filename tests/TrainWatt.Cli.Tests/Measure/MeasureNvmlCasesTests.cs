using System.Text.Json;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 16 acceptance: real-machine NVML cases through the CLI, the real P/Invoke path and the fake NVML. Return codes
/// from nvml.h (NVML API 13): NVML_ERROR_NO_PERMISSION = 4.
/// </summary>
public class MeasureNvmlCasesTests
{
    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static Dictionary<string, string?> Env(FakeNvml fake, string? visible = null, string? order = null) => new()
    {
        ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath,
        ["CUDA_VISIBLE_DEVICES"] = visible,
        ["CUDA_DEVICE_ORDER"] = order,
    };

    [Fact]
    public void Should_Measure_The_First_Gpu_And_Name_The_Second_When_Its_Handle_Is_Refused()
    {
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA Fake A100
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            power_w = 0:120
            [device]
            name = NVIDIA Fake A100
            uuid = GPU-bbbbbbbb-5555-6666-7777-888888888888
            fail.nvmlDeviceGetHandleByIndex_v2 = 4
            """);
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");

        var (code, _, stderr) = CliHarness.Run(Env(fake), "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--summary-json", json, "--", "sleep", "0.3");

        Assert.True(code == 0, stderr);
        var gpu = Assert.Single(ReadJson(json).GetProperty("components").EnumerateArray());
        Assert.Equal(("gpu:0", "counter"), (gpu.GetProperty("name").GetString(), gpu.GetProperty("provenance").GetString()));
        Assert.Contains(stderr.Split('\n'), l => l.Contains("gpu:1 is not measured", StringComparison.Ordinal) && l.Contains("NVML_ERROR_NO_PERMISSION", StringComparison.Ordinal));
    }

    private const string T4AndA100 = """
        [device]
        name = Tesla T4
        uuid = GPU-11111111-1111-1111-1111-111111111111
        bus_id = 00000000:01:00.0
        [device]
        name = NVIDIA A100-SXM4-40GB
        uuid = GPU-22222222-2222-2222-2222-222222222222
        bus_id = 00000000:02:00.0
        """;

    [Fact]
    public void Should_Refuse_A_Cuda_Ordinal_On_Mixed_Gpus_Without_Cuda_Device_Order()
    {
        using var fake = FakeNvml.Create(T4AndA100);
        using var dir = new TempDirectory();

        var (code, _, stderr) = CliHarness.Run(Env(fake, "1"), "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--", "sleep", "0.1");

        Assert.Equal(64, code); // ExitCode.Usage
        Assert.Contains("CUDA_DEVICE_ORDER=PCI_BUS_ID", stderr, StringComparison.Ordinal);
        Assert.Contains("UUIDs in CUDA_VISIBLE_DEVICES", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Should_Measure_The_A100_With_Pci_Bus_Order()
    {
        using var fake = FakeNvml.Create(T4AndA100);
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");
        string db = dir.File("runs.db");

        var (code, _, stderr) = CliHarness.Run(Env(fake, "1", "PCI_BUS_ID"), "measure", "--db", db, "--meters", "nvml", "--summary-json", json, "--", "sleep", "0.2");

        Assert.True(code == 0, stderr);
        Assert.Equal("gpu:1", Assert.Single(ReadJson(json).GetProperty("components").EnumerateArray()).GetProperty("name").GetString());
        using var store = SqliteRunStore.Open(db);
        var details = store.GetRun(ReadJson(json).GetProperty("run_id").GetInt64())!;
        Assert.Equal("NVIDIA A100-SXM4-40GB", details.Devices.Single(d => d.Key == "gpu:1").Name);
    }

    [Theory]
    [InlineData(1.0, false)] // power and counter from the same constant curve: they agree
    [InlineData(0.8, true)] // the power sensor reads 80 % of what the counter counts: −20 %
    public void Should_Put_The_Sampled_Energy_Beside_The_Counter_Energy(double powerScale, bool disagrees)
    {
        using var fake = FakeNvml.Create($"""
            [device]
            name = NVIDIA Fake H100
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            power_w = 0:200
            power_scale = {powerScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            """);
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");
        string db = dir.File("runs.db");

        var (code, _, stderr) = CliHarness.Run(Env(fake), "measure", "--db", db, "--meters", "nvml", "--summary-json", json, "--", "sleep", "1");

        // Then: 200 W constant, so counter = 200 W × its span and sampled = scale × 200 W × its span; the spans differ by
        // at most a reading, so the ratio is the scale within 2 % of a ≥ 1 s run
        Assert.True(code == 0, stderr);
        var gpu = Assert.Single(ReadJson(json).GetProperty("components").EnumerateArray());
        double counter = gpu.GetProperty("energy_j").GetDouble();
        double sampled = gpu.GetProperty("sampled_energy_j").GetDouble();
        Assert.Equal("counter", gpu.GetProperty("provenance").GetString());
        Assert.InRange(sampled / counter, powerScale - 0.02, powerScale + 0.02);
        Assert.Equal((sampled - counter) / counter, gpu.GetProperty("sampled_vs_counter").GetDouble(), 12);
        Assert.Equal(disagrees, gpu.GetProperty("sampled_disagrees").GetBoolean());
        Assert.Equal(disagrees, stderr.Contains("they disagree by more than 5 %", StringComparison.Ordinal));

        // runs show and the stored samples give the same check
        var (showCode, show, showErr) = CliHarness.Run(Env(fake), "runs", "show", ReadJson(json).GetProperty("run_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db);
        Assert.True(showCode == 0, showErr);
        Assert.Contains("gpu:0: counter ", show, StringComparison.Ordinal);
        Assert.Equal(disagrees, show.Contains("they disagree by more than 5 %", StringComparison.Ordinal));
    }
}
