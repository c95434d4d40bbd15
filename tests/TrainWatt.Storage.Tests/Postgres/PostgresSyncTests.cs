using Microsoft.Data.Sqlite;
using Npgsql;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Postgres;

/// <summary>
/// <c>sync</c> copies a run's sample chunks as they are (issue 21: constant memory whatever the run's length), and the
/// PostgreSQL store adds each batch as small rows instead of rewriting the open chunk (PostgreSQL writers, issue 21).
/// </summary>
public class PostgresSyncTests(PostgresServer server) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>NVML-like readings (power in mW with noise, the mJ counter integrating it, integer utilisation and temperature), seeded.</summary>
    private static List<SampleRecord> Readings(long device, int from, int count, Random random, ref long energyMj)
    {
        var list = new List<SampleRecord>(count);
        for (int k = from; k < from + count; k++)
        {
            long mw = 250_000 + (long)(20_000 * Math.Sin(2 * Math.PI * k / 600.0)) + random.Next(-3000, 3001);
            energyMj += mw / 10;
            list.Add(new SampleRecord(device, T0.AddMilliseconds(k * 100.0), Power.FromWatts(mw / 1000.0), Energy.FromJoules(energyMj / 1000.0),
                random.Next(85, 101), 40_000 + random.Next(0, 4), 60 + (k / 600 % 10), Provenance.Counter));
        }

        return list;
    }

    /// <summary>A local store with one finished run of three GPUs, 2,000 readings each, written as measure writes them (one batch of 10 readings per GPU a second); GPU 1 also gets a batch back in time.</summary>
    private long LocalRun(string path)
    {
        using var store = SqliteRunStore.Open(path);
        long run = store.CreateRun(new NewRun("measure", T0, JobId: "sync-test"));
        var devices = Enumerable.Range(0, 3).Select(g => store.RegisterDevice(run, new DeviceRegistration($"gpu:{g}", "gpu", "H100", Provenance.Counter, $"GPU-{g}"))).ToArray();
        var random = new Random(21);
        var energy = new long[3];
        for (int second = 0; second < 200; second++)
        {
            var batch = new List<SampleRecord>();
            for (int g = 0; g < 3; g++)
            {
                batch.AddRange(Readings(devices[g], second * 10, 10, random, ref energy[g]));
            }

            store.AppendSamples(run, batch);
        }

        long late = energy[1];
        store.AppendSamples(run, Readings(devices[1], 995, 3, random, ref late)); // a late batch: its chunk overlaps the others in time
        store.AddEpoch(run, new EpochRecord(1, T0, T0.AddSeconds(100), Energy.FromJoules(25_000), Provenance.Counter));
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(200), 0);
        return run;
    }

    private static List<(long Device, long First, long Last, int N, byte[] Data)> SqliteChunks(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.key, c.first_us, c.last_us, c.n, c.data FROM sample_chunks c JOIN devices d ON d.id = c.device_id ORDER BY d.key, c.first_us, c.id";
        return Rows(command.ExecuteReader());
    }

    private static List<(long Device, long First, long Last, int N, byte[] Data)> PostgresChunks(string url)
    {
        using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(url));
        connection.Open();
        using var command = new NpgsqlCommand("SELECT d.key, c.first_us, c.last_us, c.n, c.data FROM sample_chunks c JOIN devices d ON d.id = c.device_id ORDER BY d.key, c.first_us, c.id", connection);
        return Rows(command.ExecuteReader());
    }

    private static List<(long Device, long First, long Last, int N, byte[] Data)> Rows(System.Data.Common.DbDataReader reader)
    {
        using (reader)
        {
            var rows = new List<(long, long, long, int, byte[])>();
            while (reader.Read())
            {
                rows.Add((long.Parse(reader.GetString(0)["gpu:".Length..], System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(4)));
            }

            return rows;
        }
    }

    [Fact]
    public void Should_Copy_A_Run_Of_Several_Devices_And_Chunks_As_Its_Chunks_Are_With_The_Same_Samples_And_Energies()
    {
        // Given: a local run of 3 GPUs × 2,000 readings in several chunks each, one of them overlapping (a late batch)
        string local = _temp.File("local.db");
        long runId = LocalRun(local);
        string url = server.CreateDatabase();
        var sourceChunks = SqliteChunks(local);
        Assert.True(sourceChunks.Count(c => c.Device == 0) >= 3, $"GPU 0 has {sourceChunks.Count(c => c.Device == 0)} chunks; the test needs several");

        // When: sync
        var report = StoreAdministration.Sync(local, url, TimeProvider.System);

        // Then: one run, 6,003 samples (3 × 2,000 + the late 3); the target holds the very chunk rows of the source
        // (same device, times, counts and bytes, in the same order), so no sample was decoded into memory and re-encoded
        Assert.Equal(1, report.Copied);
        Assert.Equal(6003, report.Samples);
        Assert.Equal(sourceChunks.Select(c => (c.Device, c.First, c.Last, c.N, Convert.ToHexString(c.Data))),
            PostgresChunks(url).Select(c => (c.Device, c.First, c.Last, c.N, Convert.ToHexString(c.Data))));

        // and every reader gives the same numbers: the samples (merge order of the overlapping chunk included), the
        // per-device energies and the run's, the epoch
        using var source = SqliteRunStore.Open(local);
        using var target = PostgresRunStore.Open(url);
        var original = source.GetRun(runId)!;
        var copied = target.GetRun(target.FindByUuid(original.Run.Uuid)!.Value)!;
        Assert.Equal(source.ReadSamples(runId).Select(s => s with { DeviceId = 0 }), target.ReadSamples(copied.Run.Id).Select(s => s with { DeviceId = 0 }));
        Assert.Equal(original.Energy.Select(e => (e.Device.Key, e.Samples, e.Energy, e.First, e.Last)), copied.Energy.Select(e => (e.Device.Key, e.Samples, e.Energy, e.First, e.Last)));
        Assert.Equal(original.TotalEnergy, copied.TotalEnergy);
        Assert.Equal(original.Epochs, copied.Epochs);
        Assert.Equal(2003, copied.Energy.Single(e => e.Device.Key == "gpu:1").Samples); // hand: 200 batches × 10 + the late 3
    }

    [Fact]
    public void Should_Stop_At_A_Damaged_Chunk_Naming_The_Local_Store_And_Leave_No_Part_Of_That_Run_In_The_Target()
    {
        // Given: a local store whose run has one chunk whose bytes were damaged (its count no longer matches its encoding)
        string local = _temp.File("damaged.db");
        LocalRun(local);
        using (var connection = new SqliteConnection($"Data Source={local};Pooling=False"))
        {
            connection.Open();
            using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE sample_chunks SET n = n + 5 WHERE id = (SELECT MAX(id) FROM sample_chunks)";
            Assert.Equal(1, damage.ExecuteNonQuery());
        }

        string url = server.CreateDatabase();

        // When: sync
        var e = Assert.Throws<StoreException>(() => StoreAdministration.Sync(local, url, TimeProvider.System));

        // Then: the message names the local file and the sample_chunks row; the run's transaction was rolled back
        // (the COPY of its earlier chunks included): no run, device or chunk in the target
        Assert.Contains(local, e.Message, StringComparison.Ordinal);
        Assert.Contains("sample_chunks", e.Message, StringComparison.Ordinal);
        using var target = PostgresRunStore.Open(url);
        Assert.Empty(target.ListRuns());
        Assert.Empty(PostgresChunks(url));
    }

    [Fact]
    public void Should_Add_Each_Batch_As_A_Small_Row_And_Store_The_Same_Chunks_As_Sqlite_Once_Closed()
    {
        // Given: one GPU's 3,000 readings appended as measure appends them (10 a batch), to PostgreSQL and to SQLite
        string url = server.CreateDatabase();
        string local = _temp.File("same.db");
        var random = new Random(4);
        long energy = 0;
        var batches = Enumerable.Range(0, 300).Select(b => Readings(0, b * 10, 10, random, ref energy)).ToList();
        var all = batches.SelectMany(b => b).ToList();
        using var store = PostgresRunStore.Open(url);
        using var sqlite = SqliteRunStore.Open(local);
        long run = store.CreateRun(new NewRun("measure", T0));
        long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "H100", Provenance.Counter, "GPU-0"));
        long localRun = sqlite.CreateRun(new NewRun("measure", T0));
        long localGpu = sqlite.RegisterDevice(localRun, new DeviceRegistration("gpu:0", "gpu", "H100", Provenance.Counter, "GPU-0"));
        foreach (var batch in batches)
        {
            store.AppendSamples(run, [.. batch.Select(s => s with { DeviceId = gpu })]);
            sqlite.AppendSamples(localRun, [.. batch.Select(s => s with { DeviceId = localGpu })]);
        }

        // Then, while the run goes on: the samples read back unchanged; the chunks SQLite closed are there as they are
        // in SQLite, and the open chunk's samples are one row of 10 readings a batch (no row rewritten: a rewritten row
        // over ~2 KB would be rewritten in PostgreSQL's TOAST table too)
        Assert.Equal(all, store.ReadSamples(run).Select(s => s with { DeviceId = 0 }));
        var sqliteChunks = SqliteChunks(local).Select(c => (c.First, c.Last, c.N, Convert.ToHexString(c.Data))).ToList();
        Assert.True(sqliteChunks.Count >= 3, $"{sqliteChunks.Count} chunks; the test needs several");
        var live = PostgresChunks(url);
        var closed = sqliteChunks.Take(sqliteChunks.Count - 1).ToList();
        Assert.Equal(closed, live.Take(closed.Count).Select(c => (c.First, c.Last, c.N, Convert.ToHexString(c.Data))));
        var deltas = live.Skip(closed.Count).ToList();
        Assert.Equal((sqliteChunks[^1].N + 9) / 10, deltas.Count); // hand: r + 10 k readings (r < 10 left of the batch where the last chunk closed) are k + (r > 0) rows
        Assert.All(deltas, d => Assert.InRange(d.N, 1, 10));
        Assert.Equal(sqliteChunks[^1].N, deltas.Sum(d => d.N));

        // When: the run ends
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(300), 0);
        sqlite.FinishRun(localRun, RunStatus.Completed, T0.AddSeconds(300), 0);

        // Then: the open chunk is one row too: PostgreSQL holds the very chunks SQLite holds, and the same samples
        Assert.Equal(sqliteChunks, PostgresChunks(url).Select(c => (c.First, c.Last, c.N, Convert.ToHexString(c.Data))));
        Assert.Equal(all, store.ReadSamples(run).Select(s => s with { DeviceId = 0 }));
    }
}
