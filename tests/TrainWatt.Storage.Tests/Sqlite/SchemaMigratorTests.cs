using Microsoft.Data.Sqlite;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Tests.Sqlite;

public class SchemaMigratorTests
{
    private static readonly Migration TestV2 = new(2, "test: add runs.note", "ALTER TABLE runs ADD COLUMN note TEXT; CREATE INDEX ix_runs_note ON runs (note);");

    private static IReadOnlyList<Migration> V1 => [SqliteSchema.Migrations[0]];

    private static IReadOnlyList<Migration> V1V2 => [SqliteSchema.Migrations[0], TestV2];

    [Fact]
    public void Should_Create_Every_Table_And_Record_The_Latest_Version_In_A_Fresh_Store()
    {
        using var temp = new TempDirectory();
        using var store = SqliteRunStore.Open(temp.File("fresh.db"));

        Assert.Equal(SqliteRunStore.SchemaVersion, store.ReadSchemaVersion());
        // Oracle: the table lists of SqliteSchema migrations 1, 2 (projections) and 4 (sample_chunks replaces samples), plus the migrator's own schema_version.
        Assert.Equal(
            ["annotations", "devices", "epochs", "projections", "runs", "sample_chunks", "schema_version"],
            Query(temp.File("fresh.db"), "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
    }

    [Fact]
    public void Should_Use_Wal_And_Normal_Synchronous_Mode()
    {
        using var temp = new TempDirectory();
        using var store = SqliteRunStore.Open(temp.File("wal.db"));

        // Oracle: SQLite docs, PRAGMA synchronous: 0 = OFF, 1 = NORMAL, 2 = FULL; journal_mode is persistent in the file.
        Assert.Equal("wal", store.QueryPragma("journal_mode"));
        Assert.Equal("1", store.QueryPragma("synchronous"));
        Assert.Equal("1", store.QueryPragma("foreign_keys"));
        Assert.Equal(["wal"], Query(temp.File("wal.db"), "PRAGMA journal_mode"));
    }

    [Fact]
    public void Should_Upgrade_A_Version_1_Store_Keeping_Its_Runs()
    {
        using var temp = new TempDirectory();
        string path = temp.File("v1.db");
        long id;
        using (var v1 = SqliteRunStore.Open(path, null, V1))
        {
            id = v1.CreateRun(new NewRun("measure", DateTimeOffset.UnixEpoch.AddSeconds(100)));
            Assert.Equal(1, v1.ReadSchemaVersion());
        }

        using var v2 = SqliteRunStore.Open(path, null, V1V2);

        Assert.Equal(2, v2.ReadSchemaVersion());
        Assert.Equal([id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Query(path, "SELECT id FROM runs"));
        Assert.Equal(["1", "2"], Query(path, "SELECT version FROM schema_version ORDER BY version"));
        Assert.Contains("note", Query(path, "SELECT name FROM pragma_table_info('runs')"));
    }

    [Fact]
    public void Should_Upgrade_A_Version_1_Store_To_The_Projections_Table_Keeping_Its_Runs()
    {
        // Given: a store written by the previous TrainWatt (schema 1: no projections table) with a run in it
        using var temp = new TempDirectory();
        string path = temp.File("v1-real.db");
        long id;
        using (var v1 = SqliteRunStore.Open(path, null, V1))
        {
            id = v1.CreateRun(new NewRun("measure", DateTimeOffset.UnixEpoch.AddSeconds(100)));
        }

        Assert.Empty(Query(path, "SELECT name FROM sqlite_master WHERE name = 'projections'"));

        // When: opened by this TrainWatt (all migrations)
        using var store = SqliteRunStore.Open(path);

        // Then: version 4 (SqliteSchema migrations 2, 3 and 4), the run kept, and projections can be stored for it
        Assert.Equal(4, store.ReadSchemaVersion());
        Assert.Equal(["1", "2", "3", "4"], Query(path, "SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal(id, Assert.Single(store.ListRuns()).Id);
        var p = new ProjectionEntry(15, Core.Units.Energy.FromJoules(5000), Core.Units.Energy.FromJoules(4800), Core.Units.Energy.FromJoules(5200), 0.9, "step", 11, 30, 30, DateTimeOffset.UnixEpoch.AddSeconds(200));
        store.AddProjection(id, p);
        Assert.Equal([p], store.GetProjections(id));

        // Migration 3: what a whole-job projection holds and its priors round-trip.
        var whole = p with
        {
            Epoch = 16, StartupEnergy = Core.Units.Energy.FromJoules(600), TailEnergy = Core.Units.Energy.FromJoules(400), TailPriorSource = "default",
            DriftPrior = 0.0275, DriftPriorSource = "learned from 30 finished runs",
        };
        store.AddProjection(id, whole);
        Assert.Equal([p, whole], store.GetProjections(id));
    }

    [Fact]
    public void Should_Not_Call_A_Schema_4_Store_Damaged_For_Lacking_The_Samples_Table_Migration_4_Dropped()
    {
        // Given: a fresh store (schema 4: samples live in sample_chunks; the samples table of migration 1 is dropped)
        using var temp = new TempDirectory();
        string path = temp.File("v4.db");
        using (SqliteRunStore.Open(path))
        {
        }

        // Then: hand oracle: tables of migrations 1 to 4 minus the dropped one; a reopen finds nothing missing
        Assert.Empty(Migration.MissingTables(SqliteSchema.Migrations, 4, Query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")));
        Assert.Equal(["samples"], Migration.MissingTables(SqliteSchema.Migrations, 3, Query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")));
        using var reopened = SqliteRunStore.Open(path);
        Assert.Equal(4, reopened.ReadSchemaVersion());
    }

    [Fact]
    public void Should_Refuse_A_Store_Written_By_A_Newer_Version()
    {
        using var temp = new TempDirectory();
        string path = temp.File("newer.db");
        using (SqliteRunStore.Open(path, null, V1V2))
        {
        }

        var error = Assert.Throws<StoreException>(() => SqliteRunStore.Open(path, null, V1));

        Assert.Contains("schema version 2", error.Message);
        Assert.Contains("up to 1", error.Message);
        Assert.Contains("upgrade TrainWatt", error.Message);
    }

    [Fact]
    public void Should_Roll_Back_A_Failing_Migration_And_Leave_The_Store_At_Its_Old_Version()
    {
        using var temp = new TempDirectory();
        string path = temp.File("rollback.db");
        using (SqliteRunStore.Open(path, null, V1))
        {
        }

        var broken = new Migration(2, "broken", "CREATE TABLE extra (x INTEGER); SELECT * FROM no_such_table;");
        var error = Assert.Throws<StoreException>(() => SqliteRunStore.Open(path, null, [SqliteSchema.Migrations[0], broken]));

        Assert.Contains("schema version 2", error.Message);
        Assert.Equal(["1"], Query(path, "SELECT version FROM schema_version"));
        Assert.Empty(Query(path, "SELECT name FROM sqlite_master WHERE name = 'extra'"));
    }

    [Fact]
    public void Should_Refuse_An_Sqlite_File_That_Is_Not_A_TrainWatt_Store()
    {
        using var temp = new TempDirectory();
        string path = temp.File("other.db");
        Execute(path, "CREATE TABLE something (x INTEGER)");

        var error = Assert.Throws<StoreException>(() => SqliteRunStore.Open(path));

        Assert.Contains("not a TrainWatt store", error.Message);
    }

    [Fact]
    public void Should_Refuse_A_File_That_Is_Not_Sqlite_With_The_Fix()
    {
        using var temp = new TempDirectory();
        string path = temp.File("garbage.db");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());

        var error = Assert.Throws<StoreException>(() => SqliteRunStore.Open(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("--db PATH", error.Message);
    }

    [Fact]
    public void Should_Explain_An_Unwritable_Location()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("a-file"), "x");
        // A folder cannot be created under a regular file, whoever runs the test (root included).
        string path = Path.Combine(temp.File("a-file"), "sub", "trainwatt.db");

        var error = Assert.Throws<StoreException>(() => SqliteRunStore.Open(path));

        Assert.Contains("Cannot create the folder", error.Message);
        Assert.Contains("TRAINWATT_DB", error.Message);
    }

    internal static List<string> Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
