namespace TrainWatt.Storage.Postgres;

/// <summary>Opens <c>postgres://</c> locations for <see cref="RunStoreFactory"/>.</summary>
public sealed class PostgresStoreProvider : IRunStoreProvider
{
    /// <inheritdoc/>
    public bool Handles(string location) => StoreUrl.IsPostgres(location);

    /// <inheritdoc/>
    public IRunStore Open(string location, TimeProvider time) => PostgresRunStore.Open(location, new PostgresStoreOptions { Time = time });
}
