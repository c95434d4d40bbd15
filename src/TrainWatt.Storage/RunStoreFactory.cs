using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Storage;

/// <summary>A store engine that lives in its own assembly (PostgreSQL: TrainWatt.Storage.Postgres).</summary>
public interface IRunStoreProvider
{
    /// <summary>True when this provider opens <paramref name="location"/>.</summary>
    bool Handles(string location);

    /// <summary>Opens (and migrates) the store; throws <see cref="StoreException"/> with a masked location.</summary>
    IRunStore Open(string location, TimeProvider time);
}

/// <summary>
/// Opens the store a location names: <c>postgres://</c> / <c>postgresql://</c> URLs through a registered
/// <see cref="IRunStoreProvider"/> (the composition root registers TrainWatt.Storage.Postgres), anything else an SQLite
/// file (built in: the embedded default needs no other assembly).
/// </summary>
public static class RunStoreFactory
{
    private static readonly Lock Gate = new();
    private static IRunStoreProvider[] _providers = [];

    /// <summary>Adds a provider (idempotent per provider type). Called once by the application's composition root.</summary>
    public static void Register(IRunStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (Gate)
        {
            if (_providers.All(p => p.GetType() != provider.GetType()))
            {
                _providers = [.. _providers, provider];
            }
        }
    }

    /// <summary>Opens (and migrates) the store at <paramref name="location"/>. Throws <see cref="StoreException"/> with a masked location.</summary>
    public static IRunStore Open(string location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        foreach (var provider in _providers)
        {
            if (provider.Handles(location))
            {
                return provider.Open(location, time);
            }
        }

        if (StoreUrl.IsPostgres(location))
        {
            string masked = StoreUrl.Mask(location);
            throw new StoreException(masked, $"{masked}: PostgreSQL support is not loaded in this program (TrainWatt.Storage.Postgres). Use the trainwatt CLI, or call RunStoreFactory.Register(new PostgresStoreProvider()) first.");
        }

        return SqliteRunStore.Open(location, new SqliteStoreOptions { Time = time });
    }
}
