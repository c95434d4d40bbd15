namespace TrainWatt.Storage.Chunks;

/// <summary>The row operations one engine gives <see cref="ChunkedSampleWriter"/>, inside the caller's transaction.</summary>
internal interface IChunkRows
{
    /// <summary>Inserts a chunk row; returns its id. A device that does not exist is <see cref="InvalidOperationException"/>.</summary>
    long Insert(long deviceId, long firstMicroseconds, long lastMicroseconds, int count, byte[] data);

    /// <summary>Replaces an open chunk's samples (it grew); false when the row is gone (its run was deleted).</summary>
    bool Update(long chunkId, long lastMicroseconds, int count, byte[] data);

    /// <summary>Deletes chunk rows (their samples were written again as one chunk).</summary>
    void Delete(IReadOnlyList<long> chunkIds);
}

/// <summary>
/// Turns sample batches into <c>sample_chunks</c> rows: per device one open chunk that each batch extends (the row is
/// rewritten in the batch's transaction, so what a batch committed is stored whatever happens later), closed when it
/// holds <see cref="MaxSamples"/> samples or <see cref="MaxBytes"/> bytes, or when a batch goes back in time (the next
/// chunk then overlaps it; readers merge overlapping chunks by time).
/// </summary>
/// <remarks>
/// One writer per store instance. After a failed transaction call <see cref="Forget()"/>: the open chunks' rows are then
/// as the last commit left them, and the next batch starts new chunks.
/// </remarks>
internal sealed class ChunkedSampleWriter(bool appendDeltas = false)
{
    /// <summary>At most this many samples in a chunk.</summary>
    public const int MaxSamples = 4096;

    /// <summary>
    /// A chunk is closed once its encoding reaches this size: about a minute of one GPU at 10 Hz, and a SQLite row that
    /// still fits one 4 KiB page with its columns (a row's payload over 4,061 bytes spills into overflow pages).
    /// </summary>
    public const int MaxBytes = 3960;

    /// <summary>
    /// Instead of rewriting the open chunk's row, each batch inserts its own samples of the device as a small chunk row
    /// (a delta); when the open chunk closes, it is inserted whole and its deltas are deleted, in that batch's
    /// transaction. A batch then writes a few hundred bytes a device instead of the open chunk (up to
    /// <see cref="MaxBytes"/>), and the stored chunks are as large as without deltas. Readers merge the deltas like any
    /// chunks. Used by PostgreSQL, where a rewritten row over ~2 KB is rewritten in the TOAST table too.
    /// </summary>
    public bool AppendsDeltas { get; } = appendDeltas;

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

    /// <summary>
    /// Delta mode, when a run ends: each of its open chunks stored as more than one delta row is inserted whole in
    /// their place (in the caller's transaction), so a finished run's tail is one chunk a device. Then
    /// <see cref="Forget(long)"/> the run.
    /// </summary>
    public void CloseRun(IChunkRows rows, long runId)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!AppendsDeltas)
        {
            return;
        }

        foreach (var (device, chunk) in _open)
        {
            if (chunk.RunId == runId && chunk.DeltaIds.Count > 1)
            {
                Close(rows, device, chunk);
            }
        }
    }

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
            if (chunk is not null && (chunk.Encoder.Count >= MaxSamples || chunk.Encoder.ByteLength >= MaxBytes || us < chunk.Encoder.LastMicroseconds))
            {
                if (AppendsDeltas)
                {
                    Close(rows, device, chunk);
                }
                else
                {
                    Save(rows, device, chunk);
                }

                chunk = null;
            }

            if (chunk is null)
            {
                chunk = new OpenChunk(runId);
                _open[device] = chunk;
            }

            chunk.Encoder.Append(ordered[i], us);
            chunk.Unsaved = true;
            if (AppendsDeltas)
            {
                (chunk.Delta ??= new SampleChunkEncoder()).Append(ordered[i], us);
            }
        }

        if (chunk is not null)
        {
            if (AppendsDeltas)
            {
                SaveDelta(rows, device, chunk);
            }
            else
            {
                Save(rows, device, chunk);
            }
        }
    }

    /// <summary>Delta mode: inserts the samples of this batch not yet stored as one small chunk row.</summary>
    private static void SaveDelta(IChunkRows rows, long device, OpenChunk chunk)
    {
        if (chunk.Delta is { Count: > 0 } delta)
        {
            chunk.DeltaIds.Add(rows.Insert(device, delta.FirstMicroseconds, delta.LastMicroseconds, delta.Count, delta.ToArray()));
        }

        chunk.Delta = null;
        chunk.Unsaved = false;
    }

    /// <summary>Delta mode: the closing chunk is inserted whole and replaces its delta rows.</summary>
    private static void Close(IChunkRows rows, long device, OpenChunk chunk)
    {
        var encoder = chunk.Encoder;
        rows.Insert(device, encoder.FirstMicroseconds, encoder.LastMicroseconds, encoder.Count, encoder.ToArray());
        if (chunk.DeltaIds.Count > 0)
        {
            rows.Delete(chunk.DeltaIds);
        }

        chunk.DeltaIds.Clear();
        chunk.Delta = null;
        chunk.Unsaved = false;
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

        /// <summary>Delta mode: this batch's samples of the chunk, not yet stored.</summary>
        public SampleChunkEncoder? Delta { get; set; }

        /// <summary>Delta mode: the rows holding the chunk's samples until it closes.</summary>
        public List<long> DeltaIds { get; } = [];
    }
}
