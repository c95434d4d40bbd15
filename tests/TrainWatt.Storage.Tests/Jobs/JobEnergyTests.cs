using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Jobs;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Jobs;

public class JobEnergyTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A completed run of job "j" on <paramref name="node"/> measuring GPUs (uuid, watts) at constant power from <paramref name="from"/> to <paramref name="to"/> seconds, counter samples every second.</summary>
    private static long Run(SqliteRunStore store, string node, string rank, double from, double to, params (string? Uuid, string Key, double Watts)[] gpus)
    {
        long run = store.CreateRun(new NewRun("measure", T0.AddSeconds(from), JobId: "j", Metadata: $$"""{"node":"{{node}}","rank":"{{rank}}"}"""));
        foreach (var (uuid, key, watts) in gpus)
        {
            long device = store.RegisterDevice(run, new DeviceRegistration(key, "gpu", "GPU", Provenance.Counter, uuid));
            var samples = new List<SampleRecord>();
            for (double t = from; t <= to + 1e-9; t += 1)
            {
                samples.Add(new SampleRecord(device, T0.AddSeconds(t), Power.FromWatts(watts), Energy.FromJoules(watts * (t - from)), null, null, null, Provenance.Counter));
            }

            store.AppendSamples(run, samples);
        }

        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(to), 0);
        return run;
    }

    [Fact]
    public void Should_Count_A_Gpu_Seen_By_Two_Overlapping_Ranks_Once_By_The_Longest_Window()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });
        long r0 = Run(store, "n1", "0", 0, 10, ("GPU-A", "gpu:0", 100), ("GPU-B", "gpu:1", 50));
        long r1 = Run(store, "n1", "1", 1, 8, ("GPU-A", "gpu:0", 100), ("GPU-B", "gpu:1", 50));
        long r2 = Run(store, "n2", "2", 0, 10, ("GPU-A", "gpu:0", 200)); // same UUID text on another node: another GPU

        var report = JobEnergy.Merge(store, "j")!;

        // Hand derivation: n1 counts r0 only (window 10 s ⊃ r1's 7 s): 100·10 + 50·10 = 1500 J; n2: 200·10 = 2000 J.
        Assert.Equal(3, report.Devices.Count);
        Assert.Equal(1500, report.PerNode["n1"].Joules, 9);
        Assert.Equal(2000, report.PerNode["n2"].Joules, 9);
        Assert.Equal(3500, report.Total!.Value.Joules, 9);
        Assert.All(report.Devices.Where(d => d.Node == "n1"), d =>
        {
            Assert.Equal([r0], d.CountedRuns);
            Assert.Equal([r1], d.DuplicateRuns);
        });
        Assert.Equal([r2], report.Devices.Single(d => d.Node == "n2").CountedRuns);
    }

    [Fact]
    public void Should_Add_Up_Measurements_Of_One_Gpu_That_Do_Not_Overlap()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });
        Run(store, "n1", "0", 0, 5, ("GPU-A", "gpu:0", 100));
        Run(store, "n1", "0", 20, 30, ("GPU-A", "gpu:0", 100)); // the job restarted later on the same GPU

        var device = Assert.Single(JobEnergy.Merge(store, "j")!.Devices);

        // Hand derivation: 100·5 + 100·10 = 1500 J, both counted, none duplicate.
        Assert.Equal(1500, device.Energy.Joules, 9);
        Assert.Equal(2, device.CountedRuns.Count);
        Assert.Empty(device.DuplicateRuns);
    }

    [Fact]
    public void Should_Count_The_Union_Of_Partly_Overlapping_Windows_Once()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });
        long r0 = Run(store, "n1", "0", 0, 10, ("GPU-A", "gpu:0", 100));
        long r1 = Run(store, "n1", "1", 8, 17, ("GPU-A", "gpu:0", 100)); // sticks out of r0 by 7 s
        long r2 = Run(store, "n1", "2", 9, 12, ("GPU-A", "gpu:0", 100)); // inside r0 ∪ r1, though inside neither alone

        var device = Assert.Single(JobEnergy.Merge(store, "j")!.Devices);

        // Hand derivation: the union of the windows is [0, 17] s at 100 W = 1700 J: r0 whole (1000 J), r1 only for
        // (10, 17] (700 J, its counter difference spread linearly), r2 nothing. The old "longest window only" rule gave
        // 1000 J, the naive sum 1000 + 900 + 300 = 2200 J.
        Assert.Equal(1700, device.Energy.Joules, 9);
        Assert.Equal([r0], device.CountedRuns);
        Assert.Equal([r1], device.PartialRuns);
        Assert.Equal([r2], device.DuplicateRuns);
    }

    [Fact]
    public void Should_Integrate_A_Sampled_Overhang_Clipped_At_The_Covered_Window()
    {
        // Given: r0 samples a constant 100 W every second over [0, 12] s; r1 samples a ramp P = 10 W/s × t every 1.5 s
        // over [8, 18.5] s (shorter, so r0 counts whole), with no counter (Sampled).
        using var store = SqliteRunStore.Open(_temp.File("s.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });
        long r0 = Sampled(store, "0", Enumerable.Range(0, 13).Select(t => (double)t), _ => 100);
        long r1 = Sampled(store, "1", Enumerable.Range(0, 8).Select(i => 8 + 1.5 * i), t => 10 * t);

        var device = Assert.Single(JobEnergy.Merge(store, "j")!.Devices);

        // Hand derivation: r0 = 100 W × 12 s = 1200 J (trapezoid of a constant). r1 adds ∫ 10t dt over (12, 18.5]
        // = 5 × (18.5² − 12²) = 991.25 J; 12 s falls between r1's samples at 11 and 12.5 s, and the clipped trapezoid of
        // a linear power is exact. Total 2191.25 J.
        Assert.Equal(2191.25, device.Energy.Joules, 9);
        Assert.Equal([r0], device.CountedRuns);
        Assert.Equal([r1], device.PartialRuns);
        Assert.Equal(Provenance.Sampled, device.Provenance);
    }

    [Theory]
    [InlineData(3, 12, "5-8,10-12")] // covered [0,5] and [8,10]: the window's gap and tail are uncovered
    [InlineData(1, 4, "")] // inside [0,5]
    [InlineData(5, 8, "5-8")] // exactly the gap
    [InlineData(-2, 11, "-2-0,5-8,10-11")]
    public void Uncovered_Returns_The_Parts_Of_A_Window_Outside_The_Covered_Intervals(double from, double to, string expected)
    {
        var covered = new[] { (T0.AddSeconds(8), T0.AddSeconds(10)), (T0, T0.AddSeconds(5)) }; // any order

        var parts = JobEnergy.Uncovered(T0.AddSeconds(from), T0.AddSeconds(to), covered);

        Assert.Equal(expected, string.Join(',', parts.Select(p => $"{(p.From - T0).TotalSeconds}-{(p.To - T0).TotalSeconds}")));
    }

    private static long Sampled(SqliteRunStore store, string rank, IEnumerable<double> times, Func<double, double> watts, int? intervalMs = null)
    {
        var t = times.ToList();
        string interval = intervalMs is { } ms ? $",\"interval_ms\":{ms}" : "";
        long run = store.CreateRun(new NewRun("measure", T0.AddSeconds(t[0]), JobId: "j", Metadata: $$"""{"node":"n1","rank":"{{rank}}"{{interval}}}"""));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "GPU", Provenance.Sampled, "GPU-A"));
        store.AppendSamples(run, t.Select(x => new SampleRecord(device, T0.AddSeconds(x), Power.FromWatts(watts(x)), null, null, null, null, Provenance.Sampled)).ToList());
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(t[^1]), 0);
        return run;
    }

    [Fact]
    public void Should_Judge_Gaps_By_Each_Run_s_Sampling_Interval_In_Whole_And_Clipped_Windows()
    {
        // Given: two ranks sampling one GPU at a constant 60 W with --interval 10s: r0 at 0, 10, 20, 30, 32 s (window 32 s,
        // counted whole), r1 at 20, 30, 40, 45 s (window 25 s, sticks out of r0 by (32, 45] s)
        using var store = SqliteRunStore.Open(_temp.File("s.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });
        long r0 = Sampled(store, "0", [0, 10, 20, 30, 32], _ => 60, intervalMs: 10_000);
        long r1 = Sampled(store, "1", [20, 30, 40, 45], _ => 60, intervalMs: 10_000);

        var device = Assert.Single(JobEnergy.Merge(store, "j")!.Devices);

        // Hand derivation: the rule for 10 s calls only intervals over max(5, 3 × 10) = 30 s gaps, so none here. r0 whole:
        // 60 × 32 = 1920 J; r1 clipped to (32, 45]: 8 s of its 30 → 40 s interval + its 40 → 45 s interval = 13 s × 60 W =
        // 780 J. Total 2700 J = 60 W × the union [0, 45] s. (The fixed 5 s threshold gave 120 + 300 = 420 J.)
        Assert.Equal(2700, device.Energy.Joules, 6);
        Assert.Equal([r0], device.CountedRuns);
        Assert.Equal([r1], device.PartialRuns);
    }

    [Fact]
    public void Should_Return_Null_For_An_Unknown_Job_And_Read_Node_And_Rank_From_The_Metadata()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0) });
        long run = Run(store, "node-7", "3", 0, 2, ("GPU-A", "gpu:0", 100));

        Assert.Null(JobEnergy.Merge(store, "other"));
        var record = store.GetRun(run)!.Run;
        Assert.Equal("node-7", JobEnergy.Node(record));
        Assert.Equal("3", JobEnergy.Rank(record));
    }
}
