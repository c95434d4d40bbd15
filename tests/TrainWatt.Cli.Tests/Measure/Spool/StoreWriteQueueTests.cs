using Microsoft.Extensions.Time.Testing;
using TrainWatt.Measurement.Spool;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Cli.Tests.Measure.Spool;

using Energy = TrainWatt.Core.Units.Energy;

/// <summary>The write queue of a live run against a store that fails on command, on a fake clock (no real waiting).</summary>
public class StoreWriteQueueTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly FlakyRunStore _store;
    private readonly List<string> _said = [];
    private readonly TempDirectory _dir = new();

    public StoreWriteQueueTests()
    {
        _store = new FlakyRunStore(_time);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_Keep_The_Failed_And_Later_Writes_And_Replay_Them_In_Order_Once_The_Store_Answers()
    {
        using var queue = Queue();
        queue.Enqueue(Batch(queue, 0, 3));
        Assert.Equal(PumpState.Drained, queue.Pump());

        // When: the store goes down, five more writes come, and it answers again 3 s later
        _store.Down = true;
        queue.Enqueue(Batch(queue, 3, 3));
        Assert.Equal(PumpState.Waiting, queue.Pump());
        queue.Enqueue(new StoreWrite.Epoch(new EpochRecord(1, T0, T0.AddSeconds(1), Energy.FromJoules(100), Provenance.Counter)));
        queue.Enqueue(queue.History.Annotation(new AnnotationRecord("metric", "acc=0.9")));
        queue.Enqueue(Batch(queue, 6, 3));
        queue.Enqueue(new StoreWrite.Finish(RunStatus.Completed, T0.AddSeconds(3), 0));
        _time.Advance(TimeSpan.FromSeconds(0.9));
        Assert.Equal(PumpState.Waiting, queue.Pump()); // not due: no attempt
        Assert.Equal(2, _store.Attempts.Count);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(PumpState.Waiting, queue.Pump()); // due at 1 s: tried, still down, next in 2 s
        Assert.Equal(3, _store.Attempts.Count);
        _store.Down = false;
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(PumpState.Waiting, queue.Pump());
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(PumpState.Drained, queue.Pump());

        // Then (oracle: the order the writes were queued in): every write once, in order; one warning, one recovery line
        Assert.Equal(["samples:3", "samples:3", "epoch:1", "annotation:acc=0.9", "samples:3", "finish"], _store.Log);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => T0.AddSeconds(i * 0.1)), _store.Samples.Select(s => s.Timestamp));
        Assert.Equal(2, _said.Count);
        Assert.StartsWith("warning: the store stopped answering (the server is down); measuring goes on", _said[0], StringComparison.Ordinal);
        // Outage from the first failure (t = 0) to the replay (t = 3 s: 1 s, then 2 s of backoff); 5 writes replayed.
        Assert.Equal("store back after 3.0 s: 5 batches replayed", _said[1]);
        Assert.False(queue.InOutage);
    }

    [Fact]
    public void Should_Back_Off_From_One_Second_Doubling_To_Thirty_Seconds()
    {
        using var queue = Queue();
        _store.Down = true;
        queue.Enqueue(Batch(queue, 0, 1));

        // When: the queue is pumped every 0.5 s (as queued writes would) for 3 minutes
        for (int i = 0; i < 360; i++)
        {
            queue.Pump();
            _time.Advance(TimeSpan.FromSeconds(0.5));
        }

        // Then: attempts at 0, 1, 3, 7, 15, 31, 61, 91, 121, 151 s (gaps 1, 2, 4, 8, 16, then the 30 s cap; 181 s is past the end)
        var gaps = _store.Attempts.Zip(_store.Attempts.Skip(1), (a, b) => (b - a).TotalSeconds);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30, 30], gaps);
        Assert.Single(_said); // one warning for the whole outage
    }

    [Fact]
    public void Should_Not_Store_A_Write_Twice_When_Its_Commit_Went_Through_But_Its_Acknowledgement_Was_Lost()
    {
        using var queue = Queue();
        queue.Enqueue(Batch(queue, 0, 2));
        queue.Enqueue(queue.History.Annotation(new AnnotationRecord("metric", "acc=0.9")));
        Assert.Equal(PumpState.Drained, queue.Pump());

        // When: the same metric again (a second legitimate row), then a batch, an epoch and the metric a third time,
        // each committed but its acknowledgement lost, then retried
        var writes = new StoreWrite[]
        {
            queue.History.Annotation(new AnnotationRecord("metric", "acc=0.9")),
            Batch(queue, 2, 2),
            new StoreWrite.Epoch(new EpochRecord(1, T0, T0.AddSeconds(1), Energy.FromJoules(100), Provenance.Counter)),
            queue.History.Annotation(new AnnotationRecord("metric", "acc=0.9")),
        };
        foreach (var write in writes)
        {
            queue.Enqueue(write);
            _store.CommitThenFailNext = true;
            Assert.Equal(PumpState.Waiting, queue.Pump());
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(PumpState.Drained, queue.Pump());
        }

        // Then (oracle: what was queued): 4 samples, one epoch 1 (a replay would hit the primary key and never drain),
        // and the metric exactly three times, as queued
        Assert.Equal(4, _store.Samples.Count);
        Assert.Single(_store.Epochs);
        Assert.Equal(3, _store.Annotations.Count);
        Assert.Equal(["samples:2", "annotation:acc=0.9", "annotation:acc=0.9", "samples:2", "epoch:1", "annotation:acc=0.9"], _store.Log);
    }

    [Fact]
    public void Should_Write_A_Failed_Write_Again_When_It_Was_Not_Committed()
    {
        // The control of the test above: a write that failed before its commit must not be taken as stored.
        using var queue = Queue();
        queue.Enqueue(Batch(queue, 0, 2));
        queue.Pump();
        _store.Down = true;
        queue.Enqueue(Batch(queue, 2, 2));
        queue.Enqueue(queue.History.Annotation(new AnnotationRecord("metric", "acc=0.9")));
        queue.Pump();
        _store.Down = false;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PumpState.Drained, queue.Pump());

        Assert.Equal(4, _store.Samples.Count);
        Assert.Single(_store.Annotations);
    }

    [Fact]
    public void Should_Move_The_Backlog_To_The_Spool_File_Beyond_The_Memory_Budget_And_Replay_It_First()
    {
        using var queue = Queue(budget: 10);
        _store.Down = true;

        // When: 12 batches of 3 samples (36 > 10) queue up during the outage, then the store answers
        for (int i = 0; i < 12; i++)
        {
            queue.Enqueue(Batch(queue, 3 * i, 3));
            queue.Pump();
            _time.Advance(TimeSpan.FromSeconds(0.5));
        }

        string spool = queue.SpoolPath!;
        Assert.True(File.Exists(spool));
        Assert.InRange(queue.PendingInMemory, 0, 4); // at most the budget (10 samples: 3 batches) plus one batch stays in memory
        _store.Down = false;
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(PumpState.Drained, queue.Pump());

        // Then (oracle: the 36 timestamps queued, 0.1 s apart): all there, in order, once; the spool file is gone
        Assert.Equal(Enumerable.Range(0, 36).Select(i => T0.AddSeconds(i * 0.1)), _store.Samples.Select(s => s.Timestamp));
        Assert.False(File.Exists(spool));
        Assert.Equal("spool-host-a-4242-run1.db", Path.GetFileName(spool));
    }

    [Fact]
    public void Should_Spool_Every_Write_Left_At_The_End_With_Its_Values_And_The_Target_Without_Password()
    {
        using var queue = Queue(budget: 4);
        _store.Down = true;
        var written = new List<StoreWrite>
        {
            Batch(queue, 0, 3),
            new StoreWrite.Epoch(new EpochRecord(1, T0, T0.AddSeconds(1), null, Provenance.Sampled, 512)),
            queue.History.Projection(new ProjectionEntry(1, Energy.FromJoules(900), Energy.FromJoules(800), Energy.FromJoules(1000), 0.9, "step", null, 10, 12, T0.AddSeconds(1))),
            Batch(queue, 3, 3),
            queue.History.Projection(new ProjectionEntry(2, Energy.FromJoules(950), Energy.FromJoules(850), Energy.FromJoules(1100), 0.9, "step", 1, 10, 12, T0.AddSeconds(2))
            {
                StartupEnergy = Energy.FromJoules(50), TailEnergy = Energy.FromJoules(20), TailPriorSource = "learned from 4 finished runs of this command",
                DriftPrior = 0.03, DriftPriorSource = "default",
            }),
            queue.History.Annotation(new AnnotationRecord("measure_note", "ünïcode note")),
            new StoreWrite.Finish(RunStatus.Failed, T0.AddSeconds(2), null),
        };
        foreach (var write in written)
        {
            queue.Enqueue(write);
            queue.Pump();
        }

        string path = queue.SpoolEverything()!;

        // Then (oracle: the queued writes): the file holds them all, in order, with the same values
        using var spool = SpoolFile.Open(path);
        Assert.Equal(new SpoolHeader("postgres://alice@db.example/runs", 1, "uuid-1", "host-a", 4242), spool.Header);
        var read = new List<StoreWrite>();
        while (spool.Peek() is { } next)
        {
            read.Add(next.Write);
            spool.MarkReplayed(next.Seq);
        }

        Assert.Equal(written.Count, read.Count); // and each one equal, the whole-job projection's parts and priors included
        for (int i = 0; i < written.Count; i++)
        {
            if (written[i] is StoreWrite.Samples samples)
            {
                var back = Assert.IsType<StoreWrite.Samples>(read[i]);
                Assert.Equal(samples.Rows, back.Rows);
                Assert.Equal(samples.Probe, back.Probe);
            }
            else
            {
                Assert.Equal(written[i], read[i]);
            }
        }

        Assert.Equal((0L, 0L, 7L), spool.Counts());
    }

    private StoreWriteQueue Queue(int budget = 200_000)
        => new(_store, 1, _time, _said.Add, [_dir.Path], () => new SpoolHeader("postgres://alice@db.example/runs", 1, "uuid-1", "host-a", 4242),
            new StoreWriteQueueOptions(budget));

    /// <summary>Samples <paramref name="from"/>..from+count-1 of one GPU, 0.1 s apart from T0, 200 W, counter 20 J per sample.</summary>
    private static StoreWrite.Samples Batch(StoreWriteQueue queue, int from, int count)
        => queue.History.Samples([.. Enumerable.Range(from, count).Select(i => new SampleRecord(
            10, T0.AddSeconds(i * 0.1), Power.FromWatts(200), Energy.FromJoules(20 * i), 50, 1024, 60, Provenance.Counter))]);
}
