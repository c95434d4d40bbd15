namespace TrainWatt.Storage.Chunks;

/// <summary>The row operations one engine gives <see cref="ChunkedSampleWriter"/>, inside the caller's transaction.</summary>
internal interface IChunkRows
{
    /// <summary>Inserts a chunk row; returns its id. A device that does not exist is <see cref="InvalidOperationException"/>.</summary>
    long Insert(long deviceId, long firstMicroseconds, long lastMicroseconds, int count, byte[] data);

    /// <summary>Replaces an open chunk's samples (it grew); false when the row is gone (its run was deleted).</summary>
    bool Update(long chunkId, long lastMicroseconds, int count, byte[] data);
}

/// <summary>
/// Turns sample batches into <c>sample_chunks</c> rows: per device one open chunk that each batch extends (the row is
/// rewritten in the batch's transaction, so what a batch committed is stored whatever happens later), closed when it
/// holds <see cref="MaxSamples"/> samples or <see cref="ChunkBytes"/> bytes, or when a batch goes back in time (the next
/// chunk then overlaps it; readers merge overlapping chunks by time).
/// </summary>
/// <remarks>
/// One writer per store instance. After a failed transaction call <see cref="Forget()"/>: the open chunks' rows are then
/// as the last commit left them, and the next batch starts new chunks.
/// </remarks>
internal sealed class ChunkedSampleWriter(int maxBytes = ChunkedSampleWriter.MaxBytes)
{
    /// <summary>At most this many samples in a chunk.</summary>
    public const int MaxSamples = 4096;

    /// <summary>
    /// A chunk is closed once its encoding reaches this size: about a minute of one GPU at 10 Hz, and a SQLite row that
    /// still fits one 4 KiB page with its columns (a row's payload over 4,061 bytes spills into overflow pages).
    /// </summary>
    public const int MaxBytes = 3960;

    /// <summary>
    /// The chunk size at which a PostgreSQL store closes the open chunks that sample batches extend: each batch rewrites
    /// its device's open chunk, and a row over about 2 KB (TOAST_TUPLE_THRESHOLD, 2,032 bytes of an 8 KiB page) would
    /// move the encoding into the TOAST table, each rewrite then writing new TOAST rows and index entries. At 1,800
    /// bytes (plus at most one sample's bits) the row stays in line and a rewrite is on average half as large.
    /// </summary>
    public const int PostgresLiveMaxBytes = 1800;

    /// <summary>The size at which this writer closes a chunk (<see cref="MaxBytes"/> unless given).</summary>
    public int ChunkBytes { get; } = maxBytes is > 0 and <= MaxBytes ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes));

    private readonly Dictionary<long, OpenChunk> _open = [];
    private readonly Dictionary<long, List<SampleRecord>> _groups = [];
    private readonly List<long> _order = [];

    /// <summary>Writes <paramref name="samples"/> (of any devices; <paramref name="deviceId"/> overrides theirs).</summary>
    public void Append(IChunkRows rows, long runId, IReadOnlyList<SampleRecord> samples, long? deviceId = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }

        if (deviceId is { } only)
        {
            AppendDevice(rows, runId, only, samples);
            return;
        }

        long first = samples[0].DeviceId;
        bool single = true;
        for (int i = 1; i < samples.Count && single; i++)
        {
            single = samples[i].DeviceId == first;
        }

        if (single)
        {
            AppendDevice(rows, runId, first, samples);
            return;
        }

        _order.Clear();
        foreach (var group in _groups.Values)
        {
            group.Clear();
        }

        foreach (var sample in samples)
        {
            if (!_groups.TryGetValue(sample.DeviceId, out var group))
            {
                group = [];
                _groups[sample.DeviceId] = group;
            }

            if (group.Count == 0)
            {
                _order.Add(sample.DeviceId);
            }

            group.Add(sample);
        }

        foreach (long device in _order)
        {
            AppendDevice(rows, runId, device, _groups[device]);
        }

        if (_groups.Count > 64)
        {
            _groups.Clear();
        }
    }

    /// <summary>Forgets the open chunks (after a failed transaction, or when their run ended).</summary>
    public void Forget() => _open.Clear();

    /// <summary>Forgets the open chunks of one run (it ended or was deleted).</summary>
    public void Forget(long runId)
    {
        foreach (var (device, chunk) in _open.ToList())
        {
            if (chunk.RunId == runId)
            {
                _open.Remove(device);
            }
        }
    }

    private void AppendDevice(IChunkRows rows, long runId, long device, IReadOnlyList<SampleRecord> samples)
    {
        var ordered = InTimeOrder(samples, out long[] times);
        _open.TryGetValue(device, out var chunk);
        for (int i = 0; i < ordered.Count; i++)
        {
            long us = times[i];
            if (chunk is not null && (chunk.Encoder.Count >= MaxSamples || chunk.Encoder.ByteLength >= ChunkBytes || us < chunk.Encoder.LastMicroseconds))
            {
                Save(rows, device, chunk);
                chunk = null;
            }

            if (chunk is null)
            {
                chunk = new OpenChunk(runId);
                _open[device] = chunk;
            }

            chunk.Encoder.Append(ordered[i], us);
            chunk.Unsaved = true;
        }

        if (chunk is not null)
        {
            Save(rows, device, chunk);
        }
    }

    private static void Save(IChunkRows rows, long device, OpenChunk chunk)
    {
        if (!chunk.Unsaved)
        {
            return;
        }

        var encoder = chunk.Encoder;
        byte[] data = encoder.ToArray();
        if (chunk.Id is not { } id || !rows.Update(id, encoder.LastMicroseconds, encoder.Count, data))
        {
            chunk.Id = rows.Insert(device, encoder.FirstMicroseconds, encoder.LastMicroseconds, encoder.Count, data);
        }

        chunk.Unsaved = false;
    }

    /// <summary>The samples by store time, stable (equal times keep their order), with their times.</summary>
    private static IReadOnlyList<SampleRecord> InTimeOrder(IReadOnlyList<SampleRecord> samples, out long[] times)
    {
        times = new long[samples.Count];
        bool sorted = true;
        for (int i = 0; i < samples.Count; i++)
        {
            times[i] = StoreRows.ToMicroseconds(samples[i].Timestamp);
            sorted &= i == 0 || times[i] >= times[i - 1];
        }

        if (sorted)
        {
            return samples;
        }

        var index = Enumerable.Range(0, samples.Count).ToArray();
        var keys = times;
        var order = index.OrderBy(i => keys[i]).ToArray(); // OrderBy is stable
        var result = new SampleRecord[samples.Count];
        var resultTimes = new long[samples.Count];
        for (int i = 0; i < order.Length; i++)
        {
            result[i] = samples[order[i]];
            resultTimes[i] = keys[order[i]];
        }

        times = resultTimes;
        return result;
    }

    private sealed class OpenChunk(long runId)
    {
        public long RunId { get; } = runId;

        public long? Id { get; set; }

        public SampleChunkEncoder Encoder { get; } = new();

        public bool Unsaved { get; set; }
    }
}
