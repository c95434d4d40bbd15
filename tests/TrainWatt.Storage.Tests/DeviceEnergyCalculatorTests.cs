using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests;

/// <summary>
/// Stored energy of a measured run under the run's own gap rule (<see cref="SampleGapRule"/> from its stored sampling
/// interval), the rule the live sampler applies, so <c>runs show</c> and the exports agree with the measure summary.
/// </summary>
public class DeviceEnergyCalculatorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A completed run of one sampled GPU (no counter) at constant <paramref name="watts"/>, sampled at <paramref name="times"/> seconds; <paramref name="intervalMs"/> is stored as measure stores it (null: an imported run).</summary>
    private static long StoreRun(SqliteRunStore store, double? intervalMs, IReadOnlyList<double> times, double watts)
    {
        string? metadata = intervalMs is { } ms ? $$"""{"interval_ms":{{ms.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"host":"h","node":"h"}""" : null;
        long run = store.CreateRun(new NewRun("measure", T0, Metadata: metadata));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "NVIDIA Fake TITAN Xp", Provenance.Sampled, "GPU-bbbb"));
        store.AppendSamples(run, times.Select(t => new SampleRecord(device, T0.AddSeconds(t), Power.FromWatts(watts), null, null, null, null, Provenance.Sampled)).ToList());
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(times[^1]), 0);
        return run;
    }

    private SqliteRunStore Open() => SqliteRunStore.Open(_temp.File("runs.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });

    private static double ExportedJoules(SqliteRunStore store, long run)
    {
        using var buffer = new MemoryStream();
        RunExporter.WriteJson(buffer, store.GetRun(run)!, store.EnumerateSamples(run));
        return JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("energy_j").GetDouble();
    }

    [Fact]
    public void Should_Integrate_A_Run_Sampled_Every_10_S_Whole()
    {
        // Given: the reported run, 60 W sampled at t = 0, 10, 20, 30, 32 s with --interval 10s
        using var store = Open();
        double[] times = [0, 10, 20, 30, 32];
        long run = StoreRun(store, 10_000, times, 60);
        var details = store.GetRun(run)!;
        var device = details.Devices.Single();

        // When
        var energy = DeviceEnergyCalculator.Compute(device, store.EnumerateSamples(run, device.Id), details.Run.GapRule);

        // Then: hand oracle. Rule for 10 s: gaps are intervals > max(5 s, 3 × 10 s) = 30 s; the intervals are 10, 10, 10
        // and 2 s, none a gap, so the trapezoid of a constant 60 W is 60 W × 32 s = 1920 J. (The old fixed 5 s threshold
        // dropped the three 10 s intervals: 60 × 2 = 120 J, the 122 J the user saw.)
        Assert.Equal(TimeSpan.FromSeconds(10), details.Run.SamplingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), details.Run.GapRule.Threshold);
        Assert.Equal(1920.0, energy.Energy!.Value.Joules, 6);
        Assert.Equal(TimeSpan.Zero, energy.ExcludedDuration);
        Assert.Equal(Provenance.Sampled, energy.Provenance);

        // And runs show (GetRun) and export --format json say the same
        Assert.Equal(1920.0, details.Energy.Single().Energy!.Value.Joules, 6);
        Assert.Equal(1920.0, details.TotalEnergy!.Value.Joules, 6);
        Assert.Equal(1920.0, ExportedJoules(store, run), 6);
    }

    [Fact]
    public void Should_Keep_The_5_S_Default_For_A_Run_Without_A_Stored_Interval()
    {
        // Given: the same samples imported (no interval known, e.g. an nvidia-smi trace)
        using var store = Open();
        long run = StoreRun(store, null, [0, 10, 20, 30, 32], 60);

        var details = store.GetRun(run)!;

        // Then: today's 5 s threshold, unchanged: only 30 → 32 s is integrated, 60 × 2 = 120 J; 3 × 10 s excluded.
        Assert.Null(details.Run.SamplingInterval);
        Assert.Same(SampleGapRule.Default, details.Run.GapRule);
        Assert.Equal(120.0, details.TotalEnergy!.Value.Joules, 6);
        Assert.Equal(TimeSpan.FromSeconds(30), details.Energy.Single().ExcludedDuration);
    }

    [Fact]
    public void Should_Leave_Out_A_20_S_Stall_Of_A_100_Ms_Run_As_The_Live_Sampler_Does()
    {
        // Given: 60 W sampled every 100 ms over [0, 5] s, then no sample for 20 s (the sampler's thread stalled), then
        // every 100 ms over [25, 32] s
        double[] times = [.. Enumerable.Range(0, 51).Select(i => i / 10.0), .. Enumerable.Range(250, 71).Select(i => i / 10.0)];
        using var store = Open();
        long run = StoreRun(store, 100, times, 60);

        var details = store.GetRun(run)!;
        var device = details.Devices.Single();
        var energy = DeviceEnergyCalculator.Compute(device, store.EnumerateSamples(run, device.Id), details.Run.GapRule);

        // Then: hand oracle. Rule for 100 ms: gaps are intervals > max(5 s, 3 × 0.1 s) = 5 s. The 0.1 s intervals are
        // integrated, the 20 s one (5 → 25 s) is not: 60 W × (5 s + 7 s) = 720 J, 20 s excluded. The live sampler applies
        // the same rule to the same readings (EnergySamplerTests.Should_Leave_Out_A_Stall_Longer_Than_The_Gap_Rule,
        // and end to end in TrainWatt.Cli.Tests' LiveAndStoredEnergyTests): 720 J there too.
        Assert.Equal(TimeSpan.FromSeconds(5), details.Run.GapRule.Threshold);
        Assert.Equal(720.0, energy.Energy!.Value.Joules, 6);
        Assert.Equal(20.0, energy.ExcludedDuration.TotalSeconds, 6);
        Assert.Equal(720.0, details.TotalEnergy!.Value.Joules, 6);
        Assert.Equal(720.0, ExportedJoules(store, run), 6);
    }

    [Theory]
    [InlineData("""{"interval_ms":100,"host":"h"}""", 100.0)]
    [InlineData("""{"interval_ms":10000.0}""", 10_000.0)]
    [InlineData("""{"interval_ms":"250"}""", 250.0)]
    [InlineData("""{"interval_ms":0}""", null)]
    [InlineData("""{"interval_ms":-5}""", null)]
    [InlineData("""{"interval_ms":null}""", null)]
    [InlineData("""{"host":"h"}""", null)]
    [InlineData("""["interval_ms"]""", null)]
    [InlineData("""{"interval_ms": """, null)]
    [InlineData(null, null)]
    public void Should_Read_The_Sampling_Interval_From_The_Run_Metadata(string? metadata, double? expectedMs)
    {
        Assert.Equal(expectedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, RunRecord.ParseInterval(metadata));
    }
}
