using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Postgres;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Postgres;

public class PostgresCopyRunTests(PostgresServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_Copy_A_Run_Once_When_Several_Syncs_Copy_It_At_Once()
    {
        // Given: a run record as a local store would hold it (UUID fixed), with one device of 3 samples
        string url = server.CreateDatabase();
        var run = new RunRecord(1, "0193f3a4-0000-7000-8000-000000000001", "measure", null, T0, T0.AddSeconds(3), RunStatus.Completed, RunStatus.Completed,
            0, "python train.py", new Dictionary<string, string> { ["k"] = "v" }, "job", "node-1", 4242, """{"node":"node-1"}""", 1, 3, 0);
        var device = new StoredDevice(7, 1, "gpu:0", "gpu", "H100", Provenance.Counter, "GPU-1", null);
        var samples = Enumerable.Range(0, 3).Select(i => new SampleRecord(7, T0.AddSeconds(i), Power.FromWatts(100), Energy.FromJoules(100 * i), null, null, null, Provenance.Counter)).ToList();
        using (PostgresRunStore.Open(url))
        {
            // migrate once
        }

        // When: 6 concurrent copies of it
        var results = new long?[6];
        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            using var store = PostgresRunStore.Open(url);
            results[i] = store.CopyRun(run, [(device, samples)], [], []);
        });

        // Then: exactly one copy wrote it (ON CONFLICT (uuid) DO NOTHING); one run, its 3 samples, its UUID, host and pid kept
        Assert.Single(results, r => r is not null);
        using var reader = PostgresRunStore.Open(url);
        var stored = Assert.Single(reader.ListRuns());
        Assert.Equal(run.Uuid, stored.Uuid);
        Assert.Equal(3, stored.SampleCount);
        Assert.Equal("node-1", stored.Host);
        Assert.Equal(4242, stored.ProcessId);
        Assert.Equal(200, reader.GetRun(stored.Id)!.TotalEnergy!.Value.Joules, 9); // hand: counter 200 − 0 J
    }
}
