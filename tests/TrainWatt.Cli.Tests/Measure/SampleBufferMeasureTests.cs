using System.Globalization;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// <c>measure</c> on GPUs whose driver keeps its own samples (nvmlDeviceGetSamples; the fake NVML's <c>sample_buffer =
/// yes</c>): it reads once a second and stores a reading every interval from the buffer, and the run it stores gives the
/// same energies, epochs included, as its summary. <c>--poll</c> reads every interval instead.
/// </summary>
public class SampleBufferMeasureTests
{
    private const string Script = "for i in 1 2 3; do sleep 1.1; echo \"##trainwatt epoch-end n=$i total=3\"; done";

    private static string Scenario => """
        [device]
        name = NVIDIA Fake H100
        uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
        energy_counter = yes
        power_w = 0:100, 2:300, 4:150
        sine_amplitude_w = 20
        sine_period_s = 0.8
        sample_buffer = yes
        [device]
        name = NVIDIA Fake H100
        uuid = GPU-bbbbbbbb-1111-2222-3333-444444444444
        energy_counter = yes
        power_w = 0:250
        sample_buffer = yes
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Should_Store_A_Reading_Every_Interval_From_The_Buffer_With_The_Summarys_Energies()
    {
        // Given / When: three 1.1 s epochs measured at the default 100 ms.
        var (summary, shown, stderr) = Measure();

        // Then: the GPUs' notes say where the readings between the once-a-second reads come from.
        Assert.Contains("driver's sample buffer (nvmlDeviceGetSamples) averaged per 100 ms", stderr, StringComparison.Ordinal);
        var devices = shown.GetProperty("devices").EnumerateArray().ToList();
        Assert.All(devices, d => Assert.Contains("sample buffer", d.GetProperty("note").GetString(), StringComparison.Ordinal));

        // And: a reading about every 100 ms (ten a second from the buffer plus each full read; hand derivation), never a
        // gap over 150 ms.
        double duration = summary.GetProperty("duration_s").GetDouble();
        foreach (var device in devices)
        {
            int samples = device.GetProperty("samples").GetInt32();
            Assert.InRange(samples / duration, 9.0, 13.0);
            Assert.True(device.GetProperty("max_gap_s").GetDouble() <= 0.15, device.ToString());
            Assert.Equal("counter", device.GetProperty("energy_provenance").GetString());

            // The buffered power integrates to the counter's energy (the constant 250 W GPU exactly, the curve within 1 %).
            double counter = device.GetProperty("energy_j").GetDouble();
            Assert.True(Math.Abs(device.GetProperty("sampled_energy_j").GetDouble() - counter) <= 0.01 * counter, device.ToString());
        }

        // And: runs show gives the summary's total and epoch energies (both from the counters).
        Assert.Equal(summary.GetProperty("energy_j").GetDouble(), shown.GetProperty("energy_j").GetDouble(), 6);
        var liveEpochs = summary.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("energy_j").GetDouble()).ToList();
        var storedEpochs = shown.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("energy_j").GetDouble()).ToList();
        Assert.Equal(3, liveEpochs.Count);
        Assert.Equal(liveEpochs.Count, storedEpochs.Count);
        for (int i = 0; i < liveEpochs.Count; i++)
        {
            Assert.Equal(liveEpochs[i], storedEpochs[i], 3);
        }

        // And: the constant 250 W GPU's counter gives 250 W × its duration (the fake's counter is whole mJ).
        Assert.Equal(250 * devices[1].GetProperty("duration_s").GetDouble(), devices[1].GetProperty("energy_j").GetDouble(), 0.5);
    }

    [Fact]
    public void Should_Read_Every_Interval_With_Poll()
    {
        var (summary, shown, stderr) = Measure("--poll");

        Assert.DoesNotContain("sample buffer", stderr, StringComparison.Ordinal);
        double duration = summary.GetProperty("duration_s").GetDouble();
        foreach (var device in shown.GetProperty("devices").EnumerateArray())
        {
            Assert.DoesNotContain("sample buffer", device.GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.InRange(device.GetProperty("samples").GetInt32() / duration, 5.0, 11.5); // polled every 100 ms (a loaded machine skips some)
        }

        Assert.Equal(summary.GetProperty("energy_j").GetDouble(), shown.GetProperty("energy_j").GetDouble(), 6);
    }

    private static (JsonElement Summary, JsonElement Shown, string Stderr) Measure(params string[] extra)
    {
        using var fake = FakeNvml.Create(Scenario);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string summaryPath = dir.File("summary.json");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };
        string[] args = ["measure", "--db", db, "--meters", "nvml", "--summary-json", summaryPath, .. extra, "--", "bash", "-c", Script];
        var (code, _, stderr) = CliHarness.Run(env, args);
        Assert.True(code == 0, stderr);
        var summary = Json(File.ReadAllText(summaryPath));
        string runId = summary.GetProperty("run_id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var show = CliHarness.Run("runs", "show", runId, "--json", "--db", db);
        Assert.Equal(0, show.ExitCode);
        return (summary, Json(show.Out), stderr);
    }
}
