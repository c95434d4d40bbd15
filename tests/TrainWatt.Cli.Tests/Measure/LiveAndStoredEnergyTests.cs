using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// The measure summary (live sampler), <c>runs show</c> and <c>export</c> (recomputed from the stored samples) give one
/// energy for one run: both sides judge gaps by the same <see cref="Core.Accounting.SampleGapRule"/> for the run's
/// sampling interval.
/// </summary>
public class LiveAndStoredEnergyTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Should_Report_One_Energy_Live_Stored_And_Exported_For_A_Gpu_Sampled_Every_10_S()
    {
        // Given: one fake GPU without an energy counter (power sampled) drawing a constant 60 W
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA Fake TITAN Xp
            uuid = GPU-bbbbbbbb-5555-6666-7777-888888888888
            energy_counter = no
            power_w = 0:60
            """);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string summaryPath = dir.File("summary.json");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        // When: a 32 s command measured with --interval 10s (readings at about 0, 10, 20, 30 s and at the exit)
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", db, "--meters", "nvml", "--interval", "10s", "--summary-json", summaryPath, "--", "sleep", "32");
        Assert.True(code == 0, stderr);
        var summary = Json(File.ReadAllText(summaryPath));
        string runId = summary.GetProperty("run_id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var show = CliHarness.Run("runs", "show", runId, "--json", "--db", db);
        var export = CliHarness.Run("export", runId, "--format", "json", "--db", db);

        // Then: all three agree within 1 %, and with 60 W × the measured duration within 3 %. (Before, the store dropped
        // every 10 s interval as a gap over its fixed 5 s threshold: 1.92 kJ live, about 120 J stored.)
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(0, export.ExitCode);
        var component = summary.GetProperty("components").EnumerateArray().Single();
        Assert.Equal("sampled", component.GetProperty("provenance").GetString());
        double live = summary.GetProperty("energy_j").GetDouble();
        double duration = summary.GetProperty("duration_s").GetDouble();
        var shown = Json(show.Out);
        var exported = Json(export.Out);
        double stored = shown.GetProperty("energy_j").GetDouble();
        double exportedJ = exported.GetProperty("energy_j").GetDouble();
        double expected = 60 * duration;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"duration {duration:F3} s, live {live:F3} J, runs show {stored:F3} J, export {exportedJ:F3} J, 60 W x duration {expected:F3} J"));

        Assert.InRange(duration, 31, 40);
        Assert.Equal(0.0, shown.GetProperty("devices")[0].GetProperty("excluded_gap_s").GetDouble());
        foreach (var (name, joules) in new[] { ("runs show", stored), ("export", exportedJ) })
        {
            Assert.True(Math.Abs(joules - live) <= 0.01 * live, $"{name} {joules:F3} J vs live {live:F3} J");
        }

        foreach (var (name, joules) in new[] { ("live", live), ("runs show", stored), ("export", exportedJ) })
        {
            Assert.True(Math.Abs(joules - expected) <= 0.03 * expected, $"{name} {joules:F3} J vs 60 W x {duration:F3} s = {expected:F3} J");
        }
    }

    [Fact]
    public async Task Should_Leave_Out_The_Same_Stall_Live_And_From_The_Stored_Samples()
    {
        // Given: a 60 W sampled channel read every 100 ms from 0 to 5 s, a 20 s stall of the sampler, then to 32 s
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var sink = new ListSink();
        var interval = TimeSpan.FromMilliseconds(100);
        var sampler = new EnergySampler([new ConstantMeter(60)], time, new SamplerOptions(interval, TimeSpan.FromSeconds(1)), sink);
        sampler.Start(runLoop: false);
        for (int i = 0; i < 50; i++)
        {
            time.Advance(interval);
            sampler.SampleNow();
        }

        time.Advance(TimeSpan.FromSeconds(20));
        sampler.SampleNow();
        for (int i = 0; i < 70; i++)
        {
            time.Advance(interval);
            sampler.SampleNow();
        }

        var live = await sampler.StopAsync();

        // When: the samples are stored as measure stores them (interval in the run's metadata) and read back
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long run = store.CreateRun(new NewRun("measure", sampler.StartedAt,
            Metadata: string.Create(CultureInfo.InvariantCulture, $$"""{"{{RunRecord.IntervalMetadataKey}}":{{interval.TotalMilliseconds}}}""")));
        var channel = sampler.Channels[0];
        long device = store.RegisterDevice(run, new DeviceRegistration(channel.Id, channel.Component, channel.DeviceName, channel.Provenance));
        store.AppendSamples(run, sink.Samples.Select(s => new SampleRecord(device, s.Timestamp, s.Power, s.CounterEnergy, null, null, null, channel.Provenance)).ToList());
        store.FinishRun(run, RunStatus.Completed, sampler.StartedAt + live.Duration, 0);
        var stored = store.GetRun(run)!.Energy.Single();

        // Then: hand oracle for both: gaps are intervals over max(5 s, 3 × 0.1 s) = 5 s, so 60 W × (5 s + 7 s) = 720 J
        // and 20 s left out, live and stored alike
        Assert.Equal(720.0, live.Channels[0].Energy.Joules, 6);
        Assert.Equal(720.0, stored.Energy!.Value.Joules, 6);
        Assert.Equal(TimeSpan.FromSeconds(20), live.Channels[0].ExcludedDuration);
        Assert.Equal(20.0, stored.ExcludedDuration.TotalSeconds, 6);
    }

    /// <summary>One sampled GPU channel at constant power.</summary>
    private sealed class ConstantMeter(double watts) : IMeter
    {
        public string Name => "constant";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new MeterChannel("gpu:0", "gpu", "Constant GPU", Provenance.Sampled)];

        public MeterReading Read() => new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, [new ChannelReading("gpu:0", Power.FromWatts(watts), null)]);

        public void Dispose()
        {
        }
    }

    /// <summary>Keeps every sample.</summary>
    private sealed class ListSink : IMeasurementSink
    {
        public List<ChannelSample> Samples { get; } = [];

        public string BeginRun(MeasurementRunInfo run) => "1";

        public void AppendSamples(ReadOnlySpan<ChannelSample> samples) => Samples.AddRange(samples);

        public void RecordEpoch(MeasuredEpoch epoch)
        {
        }

        public void RecordMetric(string name, double value, TimeSpan elapsed)
        {
        }

        public void FinishRun(MeasurementSummary summary)
        {
        }
    }
}
