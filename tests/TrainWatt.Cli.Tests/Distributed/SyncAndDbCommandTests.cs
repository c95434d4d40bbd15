using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Cli.Tests.Distributed;

[Collection(ProcessHeavyCollection.Name)]
public class SyncAndDbCommandTests(PostgresServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_Sync_Local_Runs_Up_Once_And_Keep_Their_Uuids_Samples_And_Epochs()
    {
        // Given: a local store with two finished runs (3 and 2 samples) and one epoch
        using var dir = new TempDirectory();
        string local = dir.File("local.db");
        using (var store = SqliteRunStore.Open(local))
        {
            for (int r = 0; r < 2; r++)
            {
                long run = store.CreateRun(new NewRun("measure", T0.AddHours(r), JobId: "j1"));
                long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "H100", Provenance.Counter, "GPU-x"));
                store.AppendSamples(run, Enumerable.Range(0, 3 - r)
                    .Select(i => new SampleRecord(gpu, T0.AddHours(r).AddSeconds(i), Power.FromWatts(100), TrainWatt.Core.Units.Energy.FromJoules(100 * i), null, null, null, Provenance.Counter)).ToList());
                store.AddEpoch(run, new EpochRecord(1, T0.AddHours(r), T0.AddHours(r).AddSeconds(1), TrainWatt.Core.Units.Energy.FromJoules(100), Provenance.Counter));
                store.AddProjection(run, new ProjectionEntry(1, TrainWatt.Core.Units.Energy.FromJoules(300 - r), TrainWatt.Core.Units.Energy.FromJoules(250), TrainWatt.Core.Units.Energy.FromJoules(350), 0.9, "step", 1, 3, 3, T0.AddHours(r).AddSeconds(1)));
                store.FinishRun(run, RunStatus.Completed, T0.AddHours(r).AddSeconds(3), 0);
            }
        }

        // A password in the URL (the trust-authenticated test server ignores it) must never be printed.
        string url = server.CreateDatabase().Replace("postgres@", "postgres:s3cr3t-pw@", StringComparison.Ordinal);

        // When: sync twice
        var first = CliHarness.Run("sync", "--from", local, "--to", url);
        var second = CliHarness.Run("sync", "--from", local, "--to", url);

        // Then: the first copies 2 runs with 5 samples (3 + 2), the second nothing (idempotent by UUID)
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.Contains("synced 2 runs (5 samples)", first.Out, StringComparison.Ordinal);
        Assert.Contains("synced 0 runs (0 samples)", second.Out, StringComparison.Ordinal);
        Assert.Contains("2 already there", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-pw", first.Out + first.Err + second.Out + second.Err, StringComparison.Ordinal);
        Assert.Contains("postgres:***@", first.Out, StringComparison.Ordinal);
        using var source = SqliteRunStore.Open(local);
        using var target = PostgresRunStore.Open(url);
        Assert.Equal(source.ListRuns().Select(r => r.Uuid), target.ListRuns().Select(r => r.Uuid));
        foreach (var run in source.ListRuns())
        {
            var copied = target.GetRun(target.FindByUuid(run.Uuid)!.Value)!;
            var original = source.GetRun(run.Id)!;
            Assert.Equal(original.Run.Started, copied.Run.Started);
            Assert.Equal(original.Run.Ended, copied.Run.Ended);
            Assert.Equal(RunStatus.Completed, copied.Run.Status);
            Assert.Equal("j1", copied.Run.JobId);
            Assert.Equal(original.Epochs, copied.Epochs);
            Assert.Equal(source.GetProjections(run.Id), target.GetProjections(copied.Run.Id)); // the projection history travels too
            Assert.Single(target.GetProjections(copied.Run.Id));
            Assert.Equal(original.TotalEnergy, copied.TotalEnergy); // hand: 200 J and 100 J counter differences
            Assert.Equal(source.ReadSamples(run.Id).Select(s => s with { DeviceId = 0 }), target.ReadSamples(copied.Run.Id).Select(s => s with { DeviceId = 0 }));
        }
    }

    [Fact]
    public void Should_Skip_A_Run_Whose_Source_Is_Already_There_Under_Another_Uuid_And_Sync_The_Others()
    {
        // Given: the same trace imported on two machines (same source_key, different UUIDs), machine B with a second run
        using var dir = new TempDirectory();
        string a = dir.File("a.db"), b = dir.File("b.db");
        string Import(string path, string key, int hour)
        {
            using var store = SqliteRunStore.Open(path);
            long run = store.WriteRun(new NewRun("import:nvidia-smi", T0.AddHours(hour), SourceKey: key, Status: RunStatus.Completed), T0.AddHours(hour).AddMinutes(1), [], []);
            return store.GetRun(run)!.Run.Uuid;
        }

        string uuidA = Import(a, "nvidia-smi:trace.csv", 0);
        string uuidB = Import(b, "nvidia-smi:trace.csv", 0);
        string uuidOther = Import(b, "nvidia-smi:other.csv", 1);
        string url = server.CreateDatabase();
        Assert.Equal(0, CliHarness.Run("sync", "--from", a, "--to", url).ExitCode);

        // When: machine B syncs, twice (a rerun must not stop at that run either)
        var first = CliHarness.Run("sync", "--from", b, "--to", url);
        var second = CliHarness.Run("sync", "--from", b, "--to", url);

        // Then: B's copy of the trace is skipped with one line naming both runs; B's other run is copied once
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.Contains("synced 1 runs (0 samples)", first.Out, StringComparison.Ordinal);
        Assert.Contains("synced 0 runs (0 samples)", second.Out, StringComparison.Ordinal);
        string note = Assert.Single(first.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(uuidB, note, StringComparison.Ordinal);
        Assert.Contains(uuidA, note, StringComparison.Ordinal);
        Assert.Contains("nvidia-smi:trace.csv", note, StringComparison.Ordinal);
        using var target = PostgresRunStore.Open(url);
        Assert.Equal(new[] { uuidA, uuidOther }.Order(), target.ListRuns().Select(r => r.Uuid).Order());
    }

    [Fact]
    public void Should_Migrate_And_Check_A_Postgres_Store_And_Refuse_An_Unmigrated_One_In_Check()
    {
        string url = server.CreateDatabase();

        var before = CliHarness.Run("db", "check", "--db", url);
        var migrate = CliHarness.Run("db", "migrate", "--db", url);
        var after = CliHarness.Run("db", "check", "--db", url);

        // Oracle: a fresh database has no schema_version (version 0); migrate brings it to version 4 (SqliteSchema/PostgresSchema: 1 tables, 2 projections, 3 what a projection holds, 4 sample chunks).
        Assert.Equal(73, before.ExitCode);
        Assert.Contains("schema version 0", before.Err, StringComparison.Ordinal);
        Assert.Contains("trainwatt db migrate", before.Err, StringComparison.Ordinal);
        Assert.True(migrate.ExitCode == 0, migrate.Err);
        Assert.Contains("schema version 4", migrate.Out, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.Err);
        Assert.Contains("ok, schema version 4, 0 runs", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Fail_Clearly_Without_Printing_The_Password_When_The_Server_Is_Unreachable()
    {
        // Given: a port nobody listens on (bound then released), and a password in the URL
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, stdout, stderr) = CliHarness.Run("runs", "list", "--db", $"postgres://alice:hunter2-secret@127.0.0.1:{port}/runs");

        Assert.Equal(73, code);
        Assert.DoesNotContain("hunter2-secret", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains($"postgres://alice:***@127.0.0.1:{port}/runs", stderr, StringComparison.Ordinal);
        Assert.Contains("Check that the server is running", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }
}
