using Npgsql;
using NpgsqlTypes;
using TrainWatt.Storage.Chunks;

namespace TrainWatt.Storage.Postgres;

/// <summary>The <c>sample_chunks</c> writes of the PostgreSQL store, run in <see cref="Transaction"/>.</summary>
internal sealed class PostgresChunkRows(NpgsqlConnection connection) : IChunkRows
{
    /// <summary>The open transaction the statements join.</summary>
    public NpgsqlTransaction? Transaction { get; set; }

    public long Insert(long deviceId, long firstMicroseconds, long lastMicroseconds, int count, byte[] data)
    {
        using var command = new NpgsqlCommand(
            "INSERT INTO sample_chunks (device_id, first_us, last_us, n, data) VALUES (@device, @first, @last, @n, @data) RETURNING id",
            connection, Transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("device", NpgsqlDbType.Bigint) { TypedValue = deviceId });
        command.Parameters.Add(new NpgsqlParameter<long>("first", NpgsqlDbType.Bigint) { TypedValue = firstMicroseconds });
        command.Parameters.Add(new NpgsqlParameter<long>("last", NpgsqlDbType.Bigint) { TypedValue = lastMicroseconds });
        command.Parameters.Add(new NpgsqlParameter<int>("n", NpgsqlDbType.Integer) { TypedValue = count });
        command.Parameters.Add(new NpgsqlParameter<byte[]>("data", NpgsqlDbType.Bytea) { TypedValue = data });
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new InvalidOperationException($"Sample for unknown device id {deviceId} (register the device of this run first).", e);
        }
    }

    public bool Update(long chunkId, long lastMicroseconds, int count, byte[] data)
    {
        using var command = new NpgsqlCommand("UPDATE sample_chunks SET last_us = @last, n = @n, data = @data WHERE id = @id", connection, Transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("last", NpgsqlDbType.Bigint) { TypedValue = lastMicroseconds });
        command.Parameters.Add(new NpgsqlParameter<int>("n", NpgsqlDbType.Integer) { TypedValue = count });
        command.Parameters.Add(new NpgsqlParameter<byte[]>("data", NpgsqlDbType.Bytea) { TypedValue = data });
        command.Parameters.Add(new NpgsqlParameter<long>("id", NpgsqlDbType.Bigint) { TypedValue = chunkId });
        return command.ExecuteNonQuery() > 0;
    }

    public void Delete(IReadOnlyList<long> chunkIds)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        using var command = new NpgsqlCommand("DELETE FROM sample_chunks WHERE id = ANY(@ids)", connection, Transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. chunkIds] });
        command.ExecuteNonQuery();
    }
}
