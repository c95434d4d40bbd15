using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 17 acceptance: a fake GPU shared with another process shows both the device energy and the run's attributed
/// share. The fake NVML finds the measured command by a marker in its command line (SM 60 %) and lists this test
/// process as the other one (SM 20 %): share 60 / 80 = 0.75 (hand derivation).
/// </summary>
public class GpuAttributionCliTests
{
    [Fact]
    public void Should_Show_The_Gpus_Energy_And_The_Runs_Attributed_Share()
    {
        string marker = "tw-attr-" + Guid.NewGuid().ToString("N");
        using var fake = FakeNvml.Create($"""
            [device]
            name = NVIDIA Fake A100
            power_w = 0:200
            process = cmdline:{marker} : 60
            process = {Environment.ProcessId} : 20
            """);
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--summary-json", json,
            "--", "sh", "-c", "sleep 1.5; :", marker); // `; :` keeps the shell (and its marker) alive

        Assert.True(code == 0, stderr);
        var gpu = Assert.Single(JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("components").EnumerateArray());
        double device = gpu.GetProperty("energy_j").GetDouble();
        Assert.True(device > 200, $"the GPU's own energy (200 W for ~1.5 s): {device} J");
        Assert.Equal(0.75, gpu.GetProperty("attributed_share").GetDouble(), 9);
        Assert.Equal(0.75 * device, gpu.GetProperty("attributed_energy_j").GetDouble(), 6);
        Assert.Equal([Environment.ProcessId], gpu.GetProperty("other_pids").EnumerateArray().Select(e => e.GetInt32()));

        // The text summary shows both lines: the whole GPU's energy, and the run's attributed share labelled as such.
        var lines = stderr.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("trainwatt:   gpu:0 ", StringComparison.Ordinal) && l.Contains(" counter ", StringComparison.Ordinal));
        Assert.True(lines.Any(l => l.Contains("attributed  the run's share of gpu:0 (75.0 %", StringComparison.Ordinal)
            && l.Contains($"1 other process used this GPU (pid {Environment.ProcessId})", StringComparison.Ordinal)), stderr);
    }

    [Fact]
    public void Should_Leave_A_Gpu_Used_Only_By_The_Run_Unchanged()
    {
        string marker = "tw-attr-" + Guid.NewGuid().ToString("N");
        using var fake = FakeNvml.Create($"[device]\npower_w = 0:200\nprocess = cmdline:{marker} : 60\n");
        using var dir = new TempDirectory();
        string json = dir.File("summary.json");

        var (code, _, stderr) = CliHarness.Run(new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath },
            "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--summary-json", json, "--", "sh", "-c", "sleep 0.5; :", marker);

        Assert.True(code == 0, stderr);
        var gpu = Assert.Single(JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("components").EnumerateArray());
        Assert.False(gpu.TryGetProperty("attributed_energy_j", out _));
        Assert.DoesNotContain("attributed", stderr, StringComparison.Ordinal);
    }
}
