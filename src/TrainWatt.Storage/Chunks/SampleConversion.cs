using System.Data.Common;

namespace TrainWatt.Storage.Chunks;

/// <summary>
/// The data step of schema 4: every row of the old <c>samples</c> table, read by device, then time, then the order the
/// rows were written, into <c>sample_chunks</c> (the same samples, as the readers of schema 3 returned them).
/// </summary>
internal static class SampleConversion
{
    /// <summary>Rows read and written at a time (PostgreSQL reads them through a cursor, as one connection cannot read and write at once).</summary>
    private const int Batch = 4096;

    public static void Run(DbConnection connection, DbTransaction transaction, IChunkRows rows, string order, bool cursor = false)
    {
        var writer = new ChunkedSampleWriter();
        var batch = new List<SampleRecord>(Batch);
        foreach (var sample in OldSamples(connection, transaction, order, cursor))
        {
            if (batch.Count == Batch || (batch.Count > 0 && batch[0].DeviceId != sample.DeviceId))
            {
                writer.Append(rows, 0, batch);
                batch.Clear();
            }

            batch.Add(sample);
        }

        writer.Append(rows, 0, batch);
    }

    private const string Columns = "device_id, t, power_w, energy_j, utilization_pct, memory_mib, temperature_c, provenance, source_line";

    private static IEnumerable<SampleRecord> OldSamples(DbConnection connection, DbTransaction transaction, string order, bool cursor)
    {
        if (!cursor)
        {
            using var command = Command(connection, transaction, $"SELECT {Columns} FROM samples {order}");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                yield return Decode(reader);
            }

            yield break;
        }

        using (var declare = Command(connection, transaction, $"DECLARE trainwatt_samples NO SCROLL CURSOR FOR SELECT {Columns} FROM samples {order}"))
        {
            declare.ExecuteNonQuery();
        }

        var page = new List<SampleRecord>(Batch);
        while (true)
        {
            page.Clear();
            using (var fetch = Command(connection, transaction, $"FETCH {Batch} FROM trainwatt_samples"))
            using (var reader = fetch.ExecuteReader())
            {
                while (reader.Read())
                {
                    page.Add(Decode(reader));
                }
            }

            foreach (var sample in page)
            {
                yield return sample;
            }

            if (page.Count < Batch)
            {
                break;
            }
        }

        using var close = Command(connection, transaction, "CLOSE trainwatt_samples");
        close.ExecuteNonQuery();
    }

    private static SampleRecord Decode(DbDataReader reader)
    {
        try
        {
            return StoreRows.Sample(reader);
        }
        catch (Exception e) when (e is not DbException)
        {
            throw new StoreRowException("samples", e);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
