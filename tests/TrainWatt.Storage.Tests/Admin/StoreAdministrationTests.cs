using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Admin;

/// <summary>
/// <see cref="StoreAdministration"/> on SQLite stores (the PostgreSQL paths run end to end in the CLI's
/// SyncAndDbCommandTests against a real server).
/// </summary>
public sealed class StoreAdministrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Migrate_Creates_The_Store_And_Check_Reports_Its_Version_And_Runs()
    {
        string db = _temp.File("s.db");

        var migrated = StoreAdministration.Migrate(db, TimeProvider.System);
        var checkedStatus = StoreAdministration.Check(db, TimeProvider.System);

        Assert.Equal(new StoreStatus(db, SqliteRunStore.SchemaVersion), migrated);
        Assert.Equal(new StoreStatus(db, SqliteRunStore.SchemaVersion, 0), checkedStatus);
    }

    [Fact]
    public void Check_Of_A_Missing_File_Says_How_To_Create_It_And_Creates_Nothing()
    {
        string db = _temp.File("none.db");

        var e = Assert.Throws<FileNotFoundException>(() => StoreAdministration.Check(db, TimeProvider.System));

        Assert.Equal($"there is no store at {db}. Create it with `trainwatt db migrate --db {db}` (or by measuring a run).", e.Message);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Sync_Refuses_A_Target_That_Is_Not_Postgres_And_A_Missing_Source_Before_Connecting()
    {
        Assert.Throws<ArgumentException>(() => StoreAdministration.Sync(_temp.File("a.db"), _temp.File("b.db"), TimeProvider.System));
        var e = Assert.Throws<FileNotFoundException>(() => StoreAdministration.Sync(_temp.File("a.db"), "postgres://u@127.0.0.1:1/db", TimeProvider.System));
        Assert.Contains("does not exist. Give the local SQLite store", e.Message);
    }
}
