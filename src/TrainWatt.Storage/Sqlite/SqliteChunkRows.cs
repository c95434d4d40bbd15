using Microsoft.Data.Sqlite;
using TrainWatt.Storage.Chunks;

namespace TrainWatt.Storage.Sqlite;

/// <summary>The <c>sample_chunks</c> writes of the SQLite store: two statements prepared once, run in <see cref="Transaction"/>.</summary>
internal sealed class SqliteChunkRows : IChunkRows, IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;

    public SqliteChunkRows(SqliteConnection connection)
    {
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO sample_chunks (device_id, first_us, last_us, n, data) VALUES ($device, $first, $last, $n, $data) RETURNING id";
        _insert.Parameters.Add("$device", SqliteType.Integer);
        _insert.Parameters.Add("$first", SqliteType.Integer);
        _insert.Parameters.Add("$last", SqliteType.Integer);
        _insert.Parameters.Add("$n", SqliteType.Integer);
        _insert.Parameters.Add("$data", SqliteType.Blob);
        _update = connection.CreateCommand();
        _update.CommandText = "UPDATE sample_chunks SET last_us = $last, n = $n, data = $data WHERE id = $id";
        _update.Parameters.Add("$last", SqliteType.Integer);
        _update.Parameters.Add("$n", SqliteType.Integer);
        _update.Parameters.Add("$data", SqliteType.Blob);
        _update.Parameters.Add("$id", SqliteType.Integer);
    }

    /// <summary>The open transaction the statements join.</summary>
    public SqliteTransaction? Transaction { get; set; }

    public long Insert(long deviceId, long firstMicroseconds, long lastMicroseconds, int count, byte[] data)
    {
        _insert.Transaction = Transaction;
        _insert.Parameters[0].Value = deviceId;
        _insert.Parameters[1].Value = firstMicroseconds;
        _insert.Parameters[2].Value = lastMicroseconds;
        _insert.Parameters[3].Value = count;
        _insert.Parameters[4].Value = data;
        try
        {
            return (long)_insert.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"Sample for unknown device id {deviceId} (register the device of this run first): {e.Message}", e);
        }
    }

    public bool Update(long chunkId, long lastMicroseconds, int count, byte[] data)
    {
        _update.Transaction = Transaction;
        _update.Parameters[0].Value = lastMicroseconds;
        _update.Parameters[1].Value = count;
        _update.Parameters[2].Value = data;
        _update.Parameters[3].Value = chunkId;
        return _update.ExecuteNonQuery() > 0;
    }

    public void Delete(IReadOnlyList<long> chunkIds)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        using var delete = _update.Connection!.CreateCommand();
        delete.Transaction = Transaction;
        delete.CommandText = "DELETE FROM sample_chunks WHERE id = $id";
        var id = delete.Parameters.Add("$id", SqliteType.Integer);
        foreach (long chunkId in chunkIds)
        {
            id.Value = chunkId;
            delete.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
    }
}
