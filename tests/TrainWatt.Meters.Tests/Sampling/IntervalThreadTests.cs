using Microsoft.Extensions.Time.Testing;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Meters.Tests.Sampling;

/// <summary>
/// The sampler's loop thread (IntervalThread): ticks on the injected clock, one wake-up per tick, at most one kept
/// tick when the action overruns (as PeriodicTimer), stop and failures. No timing assertions: the waits below are hang
/// guards only.
/// </summary>
public class IntervalThreadTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Theory]
    // Oracle (hand): due 1000, period 100. Returned at 1050: next due 1100. At 1100 exactly: 1100 has passed, tick at once.
    // At 1399 (three periods missed): one tick at once (1399), not three.
    [InlineData(1000, 1050, 100, 1100)]
    [InlineData(1000, 1099, 100, 1100)]
    [InlineData(1000, 1100, 100, 1100)]
    [InlineData(1000, 1399, 100, 1399)]
    public void Next_Due_Is_One_Period_On_Or_At_Once_When_That_Has_Passed(long due, long now, long period, long expected)
        => Assert.Equal(expected, IntervalThread.NextDue(due, now, period));

    [Fact]
    public async Task Ticks_Once_Per_Interval_Of_A_Fake_Clock_On_Its_Own_Thread()
    {
        // Given: a fake clock and an action that records the clock and its thread
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        long origin = time.GetTimestamp();
        var ticks = new List<(TimeSpan At, string? Thread, bool Pool)>();
        var loop = new IntervalThread("test ticks", Interval, time, () =>
        {
            lock (ticks)
            {
                ticks.Add((time.GetElapsedTime(origin), Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
            }
        });
        Assert.False(loop.OwnWaits);
        loop.Start();

        // When: five intervals, waiting for each tick before the next step
        for (int i = 1; i <= 5; i++)
        {
            time.Advance(Interval);
            Assert.True(SpinWait.SpinUntil(() => Count(ticks) >= i, HangGuard), $"tick {i} did not come");
        }

        await loop.StopAsync();

        // Then: one tick per interval, at 100, 200, ... 500 ms of the fake clock, all on the named dedicated thread
        Assert.Equal([100.0, 200, 300, 400, 500], ticks.Select(t => t.At.TotalMilliseconds));
        Assert.All(ticks, t => Assert.Equal(("test ticks", false), (t.Thread, t.Pool)));
    }

    [Fact]
    public async Task Keeps_One_Tick_That_Came_While_The_Action_Ran_And_Drops_The_Rest()
    {
        // Given: a first tick that blocks until the test lets it go (only the test thread moves the fake clock)
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        long origin = time.GetTimestamp();
        var at = new List<double>();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var token = TestContext.Current.CancellationToken;
        var loop = new IntervalThread("test overrun", Interval, time, () =>
        {
            int n;
            lock (at)
            {
                at.Add(time.GetElapsedTime(origin).TotalMilliseconds);
                n = at.Count;
            }

            if (n == 1)
            {
                entered.Set();
                release.Wait(HangGuard, token);
            }
        });
        loop.Start();

        // When: three intervals pass while the first tick runs, then (once the kept tick has run) one more
        time.Advance(Interval);
        Assert.True(entered.Wait(HangGuard, token), "the first tick did not come");
        time.Advance(3 * Interval);
        release.Set();
        Assert.True(SpinWait.SpinUntil(() => Count(at) >= 2, HangGuard), "the kept tick did not come");
        time.Advance(Interval);
        Assert.True(SpinWait.SpinUntil(() => Count(at) >= 3, HangGuard), "the next tick did not come");
        await loop.StopAsync();

        // Then (hand): tick at 100 ms; the kept tick at once when it returned (the clock at 400 ms); the next at 500 ms.
        // A loop that kept all three missed ticks would have run a third tick at 400 ms.
        Assert.Equal([100.0, 400, 500], at.Take(3));
    }

    [Fact]
    public async Task With_The_System_Clock_Waits_On_Its_Own_And_Ticks()
    {
        // Given: the system clock (no timer: the thread times its own waits) at 1 ms
        int ticks = 0;
        bool pool = false;
        var loop = new IntervalThread("test system", TimeSpan.FromMilliseconds(1), TimeProvider.System, () =>
        {
            pool |= Thread.CurrentThread.IsThreadPoolThread;
            Interlocked.Increment(ref ticks);
        });
        Assert.True(loop.OwnWaits);

        // When: it runs until three ticks have come
        loop.Start();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref ticks) >= 3, HangGuard), "no ticks on the system clock");
        await loop.StopAsync().WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        int atStop = Volatile.Read(ref ticks);

        // Then: no tick on a pool thread, and none after the stop completed
        Thread.Sleep(20);
        Assert.False(pool);
        Assert.Equal(atStop, Volatile.Read(ref ticks));
    }

    [Fact]
    public async Task Stop_Rethrows_What_The_Action_Threw_And_Works_Before_Start()
    {
        // Given: an action that fails on its first tick
        var time = new FakeTimeProvider();
        int ran = 0;
        var loop = new IntervalThread("test failure", Interval, time, () =>
        {
            Volatile.Write(ref ran, 1);
            throw new InvalidOperationException("meter bug");
        });
        await new IntervalThread("never started", Interval, time, () => { }).StopAsync(); // completes at once
        loop.Start();
        Assert.Throws<InvalidOperationException>(loop.Start);

        // When: it ticks (and the action has run: a stop before the tick would end the loop without it)
        time.Advance(Interval);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref ran) == 1, HangGuard), "the tick did not come");

        // Then: the loop ended and the stop reports the failure, as an awaited PeriodicTimer loop would
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.StopAsync().WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.Equal("meter bug", thrown.Message);
    }

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }
}
