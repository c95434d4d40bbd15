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

    /// <summary>
    /// The same merge as <see cref="Samples"/>, each sample given to <paramref name="visitor"/> instead of yielded (no
    /// enumerator per sample). A row that does not decode is a damaged <c>sample_chunks</c> row
    /// (<see cref="StoreRowException"/>); what the visitor throws passes through unchanged.
    /// </summary>
    public static void Visit(IEnumerable<ChunkRow> rows, ISampleVisitor visitor)
    {
        using var source = rows.GetEnumerator();
        bool hasPending = source.MoveNext();
        PriorityQueue<SampleChunkDecoder, (long, long)>? waiting = null;
        SampleChunkDecoder? current = null;
        while (true)
        {
            if (current is null)
            {
                if (waiting is { Count: > 0 })
                {
                    current = waiting.Dequeue();
                }
                else if (hasPending)
                {
                    current = Guarded(source.Current, null);
                    hasPending = source.MoveNext();
                    if (current is null)
                    {
                        continue;
                    }
                }
                else
                {
                    return;
                }
            }

            while (hasPending && source.Current.DeviceId == current.DeviceId && source.Current.FirstMicroseconds <= current.CurrentMicroseconds)
            {
                var next = Guarded(source.Current, null);
                hasPending = source.MoveNext();
                if (next is not null)
                {
                    waiting ??= new();
                    waiting.Enqueue(next, (next.CurrentMicroseconds, next.Sequence));
                }
            }

            if (waiting is not null && waiting.TryPeek(out var earliest, out var key) && key.CompareTo((current.CurrentMicroseconds, current.Sequence)) < 0)
            {
                waiting.Dequeue();
                waiting.Enqueue(current, (current.CurrentMicroseconds, current.Sequence));
                current = earliest;
            }

            if (waiting is null)
            {
                // No overlapping chunk so far: the common case, one chunk after another, decoded in a tight loop.
                do
                {
                    visitor.Visit(current.Current);
                }
                while (Guarded(default, current) is not null && (!hasPending || source.Current.DeviceId != current.DeviceId || source.Current.FirstMicroseconds > current.CurrentMicroseconds));

                if (current.Done)
                {
                    current = null;
                }

                continue;
            }

            visitor.Visit(current.Current);
            if (Guarded(default, current) is null)
            {
                current = null;
            }
        }
    }

    /// <summary>Opens <paramref name="row"/> (when <paramref name="decoder"/> is null) or moves <paramref name="decoder"/> on: the decoder, or null when it has no more samples; decoding failures as <see cref="StoreRowException"/>.</summary>
    private static SampleChunkDecoder? Guarded(ChunkRow row, SampleChunkDecoder? decoder)
    {
        try
        {
            return decoder is null ? Open(row) : decoder.MoveNext() ? decoder : null;
        }
        catch (Exception e) when (e is not StoreRowException)
        {
            throw new StoreRowException("sample_chunks", e);
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
