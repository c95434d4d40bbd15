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
        Assert.Equal(3500, report.Total.Joules, 9);
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
