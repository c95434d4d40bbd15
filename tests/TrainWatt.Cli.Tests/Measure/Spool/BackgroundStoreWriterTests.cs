using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Spool;
using TrainWatt.Storage;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure.Spool;

using Energy = TrainWatt.Core.Units.Energy;

/// <summary>
/// The store writer's own thread: woken by a queued write, and during an outage by a timer of the injected clock when
/// the next retry is due (a fake clock here: no real waiting; the waits are hang guards only).
/// </summary>
public class BackgroundStoreWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public void Writes_When_Signalled_And_Retries_An_Outage_When_The_Injected_Clock_Reaches_The_Next_Try()
    {
        // Given: a store that is down, a queued batch and a started writer
        var time = new FakeTimeProvider(T0);
        var store = new FlakyRunStore(time) { Down = true };
        using var dir = new TempDirectory();
        using var queue = new StoreWriteQueue(store, 1, time, _ => { }, [dir.Path],
            () => new SpoolHeader("sqlite:runs.db", 1, "uuid-1", "host-a", 4242), new StoreWriteQueueOptions());
        var writer = new BackgroundStoreWriter(queue, time);
        writer.Start();
        queue.Enqueue(queue.History.Samples([new SampleRecord(10, T0, Power.FromWatts(200), Energy.FromJoules(20), 50, 1024, 60, Provenance.Counter)]));

        // When: the write is signalled (it fails: outage), the store comes back, and the fake clock moves on in 100 ms steps
        writer.Signal();
        Assert.True(SpinWait.SpinUntil(() => store.Attempts.Count >= 1, HangGuard), "the signalled write was not tried");
        store.Down = false;
        var stepped = TimeSpan.Zero;
        while (!queue.Drained() && stepped < TimeSpan.FromMinutes(1))
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            stepped += TimeSpan.FromMilliseconds(100);
            SpinWait.SpinUntil(queue.Drained, TimeSpan.FromMilliseconds(50));
        }

        // Then: stored by the retry, which came when the clock reached the first backoff (1 s after the failure: not
        // before, which a writer that spun without waiting would do), and the end of the run finds nothing left
        Assert.True(queue.Drained(), "the write was not retried as the clock moved on");
        Assert.Equal(["samples:1"], store.Log);
        Assert.True(store.Attempts.Count >= 2);
        Assert.All(store.Attempts.Skip(1), at => Assert.True(at >= T0.AddSeconds(1), $"retried at {at:O}, before the 1 s backoff")); // the check whether the failed write is stored, then the write
        Assert.True(writer.Complete(TimeSpan.Zero));
    }
}

/// <summary>Test helpers for the write queue.</summary>
internal static class StoreWriteQueueTestExtensions
{
    public static bool Drained(this StoreWriteQueue queue) => queue.Backlog().Writes == 0 && !queue.InOutage;
}
