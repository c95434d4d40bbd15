using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Storage;

/// <summary>Opens the store a location names: <c>postgres://</c> / <c>postgresql://</c> URLs are PostgreSQL, anything else an SQLite file.</summary>
public static class RunStoreFactory
{
    /// <summary>Opens (and migrates) the store at <paramref name="location"/>. Throws <see cref="StoreException"/> with a masked location.</summary>
    public static IRunStore Open(string location, TimeProvider time)
        => PostgresConnectionString.IsPostgres(location)
            ? PostgresRunStore.Open(location, new PostgresStoreOptions { Time = time })
            : SqliteRunStore.Open(location, new SqliteStoreOptions { Time = time });
}
