using Microsoft.Data.Sqlite;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Sqlite;

/// <summary>
/// Schema 3 → 4 (samples into chunks) on a store the previous TrainWatt wrote (Fixtures/schema3.db, made by
/// Fixtures/make-schema3-fixtures.sh with main at e9f28ce: a measured run with epochs, an nvidia-smi import, a short
/// measured run). Oracle: the samples as schema 3's reader returned them (its query, run here on the copy before
/// migrating: ORDER BY device_id, t, times rounded to the microsecond).
/// </summary>
public class Schema3MigrationTests
{
    public static string Fixture(string name) => Path.Combine(SharedData.RepositoryRoot, "tests", "TrainWatt.Storage.Tests", "Fixtures", name);

    /// <summary>Schema 3's sample query (StoreQueries.Samples before schema 4), decoded as it decoded them.</summary>
    internal static List<SampleRecord> Schema3Samples(string db, long runId)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=false;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.device_id, s.t, s.power_w, s.energy_j, s.utilization_pct, s.memory_mib, s.temperature_c, s.provenance, s.source_line
            FROM samples s JOIN devices d ON d.id = s.device_id
            WHERE d.run_id = $run
            ORDER BY s.device_id, s.t
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var samples = new List<SampleRecord>();
        while (reader.Read())
        {
            samples.Add(StoreRows.Sample(reader));
        }

        return samples;
    }

    [Fact]
    public void Should_Upgrade_The_Schema_3_Store_Of_The_Previous_TrainWatt_Keeping_Every_Sample_Bit_For_Bit()
    {
        // Given: a copy of the store the previous TrainWatt wrote, and its samples as that TrainWatt read them
        using var temp = new TempDirectory();
        string db = temp.File("schema3.db");
        File.Copy(Fixture("schema3.db"), db);
        long sizeBefore = new FileInfo(db).Length;
        var runs = SchemaMigratorTests.Query(db, "SELECT id FROM runs ORDER BY id").Select(long.Parse).ToList();
        var before = runs.ToDictionary(r => r, r => Schema3Samples(db, r));
        Assert.Equal(["3"], SchemaMigratorTests.Query(db, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(3, runs.Count);

        // When: this TrainWatt opens it
        using (var store = SqliteRunStore.Open(db))
        {
            // Then: schema 4, the same samples in the same order, each field the same double, the same counts
            Assert.Equal(4, store.ReadSchemaVersion());
            foreach (long run in runs)
            {
                Assert.Equal(before[run], store.ReadSamples(run));
                Assert.Equal(before[run].Count, store.GetRun(run)!.Run.SampleCount);
            }

            Assert.Equal("ok", store.CheckIntegrity());
        }

        Assert.Empty(SchemaMigratorTests.Query(db, "SELECT name FROM sqlite_master WHERE name = 'samples'"));
        Assert.Equal(before.Values.Sum(s => s.Count).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Assert.Single(SchemaMigratorTests.Query(db, "SELECT SUM(n) FROM sample_chunks")));

        // and the file shrank (the emptied pages given back; this small store is mostly the tables' first pages)
        long sizeAfter = new FileInfo(db).Length;
        TestContext.Current.TestOutputHelper?.WriteLine($"{sizeBefore} bytes before, {sizeAfter} after, {before.Values.Sum(s => s.Count)} samples");
        Assert.True(sizeAfter < sizeBefore, $"{sizeBefore} → {sizeAfter} bytes");
    }
}
