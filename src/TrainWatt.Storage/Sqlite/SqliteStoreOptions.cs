namespace TrainWatt.Storage.Sqlite;

/// <summary>How a <see cref="SqliteRunStore"/> is opened.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>Clock for heartbeats, creation times and staleness.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Decides whether the owner of a "running" run still exists.</summary>
    public IProcessLiveness Liveness { get; init; } = LocalProcessLiveness.Instance;

    /// <summary>
    /// A "running" run whose last heartbeat (sample batch) is older than this reads as incomplete even when its owner
    /// cannot be checked (another host) or its process id was reused. Live measurement writes a batch every second.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a write waits for another process's write transaction to finish (SQLite busy timeout).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
