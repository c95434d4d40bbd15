using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Measurement.Spool;

/// <summary>
/// One write of a live run into the store, kept in the <see cref="StoreWriteQueue"/> until the store has it, and in a
/// <see cref="SpoolFile"/> when it has to outlive the process. Every write is one transaction in the store.
/// </summary>
/// <remarks>
/// Each write can tell whether it is already stored (<see cref="IsStored"/>), for the one write that may have been
/// committed although its acknowledgement was lost (the write in flight when the connection dropped): its rows are
/// counted with <see cref="IRunStore.CountWritten"/> and compared with <c>Prior</c>, the number of such rows this run
/// had written before it (known when the write is queued, because writes reach the store strictly in order).
/// </remarks>
internal abstract record StoreWrite
{
    /// <summary>Samples this write carries (0 for the others); the memory budget is counted in samples.</summary>
    public virtual int SampleCount => 0;

    /// <summary>The spool's name for this kind of write.</summary>
    public abstract string Kind { get; }

    /// <summary>Writes it (one transaction).</summary>
    public abstract void Apply(IRunStore store, long runId);

    /// <summary>True when the store already holds this write (its commit went through before the connection dropped).</summary>
    public abstract bool IsStored(IRunStore store, long runId);

    /// <summary>A batch of samples. <paramref name="Probe"/>: the first sample's device, the batch's first time of that device, and how many samples of that device at or after that time the run had before; null when that is unknown (timestamps out of order: the batch is then written again, at least once).</summary>
    public sealed record Samples(IReadOnlyList<SampleRecord> Rows, SampleProbe? Probe) : StoreWrite
    {
        public override int SampleCount => Rows.Count;

        public override string Kind => "samples";

        public override void Apply(IRunStore store, long runId) => store.AppendSamples(runId, Rows);

        public override bool IsStored(IRunStore store, long runId)
            => Probe is { } p && store.CountWritten(runId, new WriteProbe.SamplesFrom(p.DeviceId, p.From)) >= p.Prior + p.Count;
    }

    /// <summary>An epoch; its number is its key in the run (at most one row).</summary>
    public sealed record Epoch(EpochRecord Record) : StoreWrite
    {
        public override string Kind => "epoch";

        public override void Apply(IRunStore store, long runId) => store.AddEpoch(runId, Record);

        public override bool IsStored(IRunStore store, long runId) => store.CountWritten(runId, new WriteProbe.Epoch(Record.Number)) > 0;
    }

    /// <summary>An annotation (metric, note, planned epochs); <paramref name="Prior"/> annotations with the same kind and message were written before.</summary>
    public sealed record Annotation(AnnotationRecord Record, long Prior) : StoreWrite
    {
        public override string Kind => "annotation";

        public override void Apply(IRunStore store, long runId) => store.AddAnnotation(runId, Record);

        public override bool IsStored(IRunStore store, long runId) => store.CountWritten(runId, new WriteProbe.Annotation(Record.Kind, Record.Message)) > Prior;
    }

    /// <summary>A live projection; <paramref name="Prior"/> projections after the same epoch were written before.</summary>
    public sealed record Projection(ProjectionEntry Entry, long Prior) : StoreWrite
    {
        public override string Kind => "projection";

        public override void Apply(IRunStore store, long runId) => store.AddProjection(runId, Entry);

        public override bool IsStored(IRunStore store, long runId) => store.CountWritten(runId, new WriteProbe.Projection(Entry.Epoch)) > Prior;
    }

    /// <summary>The run's end. Setting the same status, end and exit code twice changes nothing, so it is simply written again.</summary>
    public sealed record Finish(RunStatus Status, DateTimeOffset Ended, int? ExitCode) : StoreWrite
    {
        public override string Kind => "finish";

        public override void Apply(IRunStore store, long runId) => store.FinishRun(runId, Status, Ended, ExitCode);

        public override bool IsStored(IRunStore store, long runId) => false;
    }
}

/// <summary>What tells whether a sample batch is stored: samples of <paramref name="DeviceId"/> at or after <paramref name="From"/> number <paramref name="Prior"/> + <paramref name="Count"/> once it is.</summary>
internal sealed record SampleProbe(long DeviceId, DateTimeOffset From, long Prior, long Count);

/// <summary>
/// Computes the <c>Prior</c> of each write as it is queued (see <see cref="StoreWrite"/>): per device the latest sample
/// time written and how many samples share it, per annotation kind and message and per projection epoch a count.
/// </summary>
internal sealed class WriteHistory
{
    private readonly Dictionary<long, (double LastT, long AtLast)> _devices = [];
    private readonly Dictionary<(string Kind, string Message), long> _annotations = [];
    private readonly Dictionary<int, long> _projections = [];

    public StoreWrite.Samples Samples(IReadOnlyList<SampleRecord> rows)
    {
        SampleProbe? probe = null;
        if (rows.Count > 0)
        {
            long device = rows[0].DeviceId;
            double from = double.MaxValue;
            long count = 0;
            foreach (var row in rows)
            {
                if (row.DeviceId == device)
                {
                    from = Math.Min(from, WriteProbe.StoreSeconds(row.Timestamp));
                    count++;
                }
            }

            // Samples of a channel come in time order, so earlier batches hold samples at or after `from` only when
            // they share its exact time; an earlier batch with a later time makes the count unknowable (no probe).
            var firstTime = rows.Where(r => r.DeviceId == device).MinBy(r => WriteProbe.StoreSeconds(r.Timestamp)).Timestamp;
            if (!_devices.TryGetValue(device, out var last) || last.LastT < from)
            {
                probe = new SampleProbe(device, firstTime, 0, count);
            }
            else if (last.LastT == from)
            {
                probe = new SampleProbe(device, firstTime, last.AtLast, count);
            }
        }

        foreach (var row in rows)
        {
            double t = WriteProbe.StoreSeconds(row.Timestamp);
            _devices.TryGetValue(row.DeviceId, out var last);
            _devices[row.DeviceId] = !_devices.ContainsKey(row.DeviceId) || t > last.LastT ? (t, 1) : t == last.LastT ? (t, last.AtLast + 1) : last;
        }

        return new StoreWrite.Samples(rows, probe);
    }

    public StoreWrite.Annotation Annotation(AnnotationRecord record)
    {
        var key = (record.Kind, record.Message);
        _annotations.TryGetValue(key, out long prior);
        _annotations[key] = prior + 1;
        return new StoreWrite.Annotation(record, prior);
    }

    public StoreWrite.Projection Projection(ProjectionEntry entry)
    {
        _projections.TryGetValue(entry.Epoch, out long prior);
        _projections[entry.Epoch] = prior + 1;
        return new StoreWrite.Projection(entry, prior);
    }
}
