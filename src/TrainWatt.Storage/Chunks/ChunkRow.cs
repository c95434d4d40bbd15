namespace TrainWatt.Storage.Chunks;

/// <summary>One <c>sample_chunks</c> row as read: its device, id, first time (µs), sample count and encoding.</summary>
internal readonly record struct ChunkRow(long DeviceId, long Id, long FirstMicroseconds, int Count, byte[] Data);

/// <summary>
/// The samples of chunk rows given by device, then first time, then id: per device in time order, samples at the same
/// time in the order they were written (the earlier chunk's first). Chunks that overlap in time (a batch that went back
/// in time) are merged; a device's chunks are decoded one after another, so memory stays constant.
/// </summary>
internal static class ChunkMerge
{
    /// <summary>Merges <paramref name="rows"/>; a row that does not decode throws <see cref="InvalidDataException"/> (or what the unit types throw).</summary>
    public static IEnumerable<SampleRecord> Samples(IEnumerable<ChunkRow> rows)
    {
        using var source = rows.GetEnumerator();
        bool hasPending = source.MoveNext();
        var waiting = new PriorityQueue<SampleChunkDecoder, (long, long)>();
        SampleChunkDecoder? current = null;
        while (true)
        {
            if (current is null)
            {
                if (waiting.Count > 0)
                {
                    current = waiting.Dequeue();
                }
                else if (hasPending)
                {
                    current = Open(source.Current);
                    hasPending = source.MoveNext();
                    if (current is null)
                    {
                        continue;
                    }
                }
                else
                {
                    yield break;
                }
            }

            while (hasPending && source.Current.DeviceId == current.DeviceId && source.Current.FirstMicroseconds <= current.CurrentMicroseconds)
            {
                var next = Open(source.Current);
                hasPending = source.MoveNext();
                if (next is not null)
                {
                    waiting.Enqueue(next, (next.CurrentMicroseconds, next.Sequence));
                }
            }

            if (waiting.TryPeek(out var earliest, out var key) && key.CompareTo((current.CurrentMicroseconds, current.Sequence)) < 0)
            {
                waiting.Dequeue();
                waiting.Enqueue(current, (current.CurrentMicroseconds, current.Sequence));
                current = earliest;
            }

            yield return current.Current;
            if (!current.MoveNext())
            {
                current = null;
            }
        }
    }

    /// <summary>A decoder on the row's first sample; null for a row of no samples.</summary>
    private static SampleChunkDecoder? Open(ChunkRow row)
    {
        var decoder = new SampleChunkDecoder(row.DeviceId, row.Id, row.Count, row.Data);
        return decoder.MoveNext() ? decoder : null;
    }

    /// <summary>How many of the rows' samples are at or after <paramref name="fromMicroseconds"/>.</summary>
    public static long CountFrom(IEnumerable<ChunkRow> rows, long fromMicroseconds)
    {
        long count = 0;
        foreach (var row in rows)
        {
            if (row.FirstMicroseconds >= fromMicroseconds)
            {
                count += row.Count;
                continue;
            }

            var decoder = new SampleChunkDecoder(row.DeviceId, row.Id, row.Count, row.Data);
            while (decoder.MoveNext())
            {
                if (decoder.CurrentMicroseconds >= fromMicroseconds)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
