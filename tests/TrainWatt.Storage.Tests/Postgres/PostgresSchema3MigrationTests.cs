using Npgsql;
using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Tests.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Postgres;

/// <summary>
/// Schema 3 → 4 on a PostgreSQL database the previous TrainWatt wrote (Fixtures/schema3-postgres.sql: pg_dump of the
/// runs Fixtures/make-schema3-fixtures.sh wrote with main at e9f28ce). Oracle: the samples as schema 3's reader
/// returned them (its query, run before migrating).
/// </summary>
public class PostgresSchema3MigrationTests(PostgresServer server)
{
    [Fact]
    public void Should_Upgrade_A_Schema_3_Database_Of_The_Previous_TrainWatt_Keeping_Every_Sample_Bit_For_Bit()
    {
        // Given: the dump restored into a fresh database, and its samples as schema 3 read them
        string url = server.CreateDatabase();
        using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(url));
        connection.Open();
        using (var restore = new NpgsqlCommand(File.ReadAllText(Schema3MigrationTests.Fixture("schema3-postgres.sql")), connection))
        {
            restore.ExecuteNonQuery();
        }

        var runs = new List<long>();
        using (var list = new NpgsqlCommand("SELECT id FROM runs ORDER BY id", connection))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                runs.Add(reader.GetInt64(0));
            }
        }

        var before = runs.ToDictionary(r => r, r => Schema3Samples(connection, r));
        Assert.Equal(3, runs.Count);
        Assert.All(before.Values, samples => Assert.NotEmpty(samples));

        // When: this TrainWatt opens it
        using var store = PostgresRunStore.Open(url);

        // Then: schema 4, the same samples in the same order, each field the same double, the same counts
        Assert.Equal(4, store.ReadSchemaVersion());
        foreach (long run in runs)
        {
            Assert.Equal(before[run], store.ReadSamples(run));
            Assert.Equal(before[run].Count, store.GetRun(run)!.Run.SampleCount);
        }

        using var gone = new NpgsqlCommand("SELECT to_regclass('samples') IS NULL", connection);
        Assert.True((bool)gone.ExecuteScalar()!);
    }

    /// <summary>Schema 3's sample query (ties in time kept in the order the rows lie, as the index scan gave them).</summary>
    private static List<SampleRecord> Schema3Samples(NpgsqlConnection connection, long runId)
    {
        using var command = new NpgsqlCommand("""
            SELECT s.device_id, s.t, s.power_w, s.energy_j, s.utilization_pct, s.memory_mib, s.temperature_c, s.provenance, s.source_line
            FROM samples s JOIN devices d ON d.id = s.device_id
            WHERE d.run_id = @run
            ORDER BY s.device_id, s.t, s.ctid
            """, connection);
        command.Parameters.AddWithValue("run", runId);
        using var reader = command.ExecuteReader();
        var samples = new List<SampleRecord>();
        while (reader.Read())
        {
            samples.Add(StoreRows.Sample(reader));
        }

        return samples;
    }
}
