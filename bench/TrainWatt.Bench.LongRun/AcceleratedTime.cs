using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TrainWatt.Bench.LongRun;

/// <summary>
/// A clock that runs <see cref="Scale"/> times faster than the machine's from the moment it is created: every time
/// stamp (<see cref="GetTimestamp"/>, <see cref="GetUtcNow"/>) is the real time elapsed since then times the scale, and
/// every timer's due time and period are divided by it. The sampler, the progress loop and the store writer all take
/// their waits and stamps from the injected <see cref="TimeProvider"/>, so this drives the real pipeline through a long
/// run in minutes.
/// </summary>
/// <remarks>
/// Timers run on one dedicated thread: .NET's own timers have millisecond resolution, and at a scale of 500 the
/// sampler's 100 ms period is 200 µs of real time. The thread sleeps with <c>nanosleep</c> (timer slack set to 1 µs)
/// and fires a periodic timer's callback itself (a <see cref="PeriodicTimer"/> only completes its waiter, which runs
/// on the thread pool); a one-shot callback goes to the thread pool. A periodic timer that is more than one period late
/// skips the missed ticks, as .NET's timers do, and counts them in <see cref="SkippedTicks"/>.
/// </remarks>
internal sealed partial class AcceleratedTime : TimeProvider, IDisposable
{
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _utcOrigin = DateTimeOffset.UtcNow;
    private readonly object _gate = new();
    private readonly List<Timer> _timers = [];
    private readonly Thread _thread;
    private bool _stopped;
    private long _fired;
    private long _skipped;
    private long _maxLateReal;

    public AcceleratedTime(double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1.0);
        Scale = scale;
        _thread = new Thread(Loop) { IsBackground = true, Name = "accelerated timers", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Simulated seconds per real second.</summary>
    public double Scale { get; }

    /// <summary>Timer callbacks fired.</summary>
    public long FiredTicks => Interlocked.Read(ref _fired);

    /// <summary>Periodic ticks skipped because the timer thread was more than a period late.</summary>
    public long SkippedTicks => Interlocked.Read(ref _skipped);

    /// <summary>The latest a timer fired after its due time, in real time.</summary>
    public TimeSpan MaxLateReal => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxLateReal));

    /// <summary>The <see cref="Stopwatch"/> time stamp (CLOCK_MONOTONIC) at which the clock was created: simulated time zero.</summary>
    public long Origin => _origin;

    /// <summary>Simulated time since the clock was created.</summary>
    public TimeSpan SimulatedElapsed => GetElapsedTime(_origin);

    /// <summary>Real time since the clock was created.</summary>
    public TimeSpan RealElapsed => Stopwatch.GetElapsedTime(_origin);

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() => _origin + (long)((Stopwatch.GetTimestamp() - _origin) * Scale);

    public override DateTimeOffset GetUtcNow()
        => _utcOrigin + TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - _origin) * Scale * TimeSpan.TicksPerSecond / Stopwatch.Frequency));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new Timer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
    }

    private long ToReal(TimeSpan simulated) => (long)(simulated.Ticks / Scale * Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    private void Loop()
    {
        _ = prctl(PrSetTimerSlack, 1, 0, 0, 0); // nanosleep wakes within ~1 µs of its time instead of 50 µs
        while (true)
        {
            Timer? due = null;
            bool periodic;
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                foreach (var t in _timers)
                {
                    if (t.Due >= 0 && (due is null || t.Due < due.Due))
                    {
                        due = t;
                    }
                }

                if (due is null)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                long now = Stopwatch.GetTimestamp();
                long wait = due.Due - now;
                if (wait > 3 * OneMillisecond)
                {
                    Monitor.Wait(_gate, TimeSpan.FromTicks((wait - (2 * OneMillisecond)) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    continue;
                }

                if (wait > 0)
                {
                    due = null; // sleep outside the lock, then look again (a Change may have come meanwhile)
                    Sleep(wait);
                    continue;
                }

                long late = -wait;
                if (late > _maxLateReal)
                {
                    Interlocked.Exchange(ref _maxLateReal, late);
                }

                periodic = due.Period > 0;
                if (periodic)
                {
                    long next = due.Due + due.Period;
                    if (next <= now)
                    {
                        long missed = ((now - next) / due.Period) + 1;
                        Interlocked.Add(ref _skipped, missed);
                        next += missed * due.Period;
                    }

                    due.Due = next;
                }
                else
                {
                    due.Due = -1;
                }
            }

            Interlocked.Increment(ref _fired);
            if (periodic)
            {
                due.Fire();
            }
            else
            {
                var t = due;
                ThreadPool.UnsafeQueueUserWorkItem(_ => t.Fire(), null);
            }
        }
    }

    private static void Sleep(long stopwatchTicks)
    {
        long ns = stopwatchTicks * 1_000_000_000 / Stopwatch.Frequency;
        var request = new Timespec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
        _ = nanosleep(in request, IntPtr.Zero);
    }

    private const int PrSetTimerSlack = 29;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int nanosleep(in Timespec request, IntPtr remaining);

    [LibraryImport("libc", SetLastError = false)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    private sealed class Timer(AcceleratedTime owner, TimerCallback callback, object? state) : ITimer
    {
        /// <summary>Real due time (a <see cref="Stopwatch"/> timestamp); -1: not armed.</summary>
        public long Due = -1;

        /// <summary>Real period in <see cref="Stopwatch"/> ticks; 0: one-shot.</summary>
        public long Period;

        private bool _disposed;

        public void Fire()
        {
            if (!Volatile.Read(ref _disposed))
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (_disposed)
                {
                    return false;
                }

                Due = dueTime == Timeout.InfiniteTimeSpan ? -1 : Stopwatch.GetTimestamp() + Math.Max(0, owner.ToReal(dueTime));
                Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : Math.Max(1, owner.ToReal(period));
                Monitor.PulseAll(owner._gate);
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                _disposed = true;
                Due = -1;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
