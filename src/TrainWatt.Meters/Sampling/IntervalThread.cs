namespace TrainWatt.Meters.Sampling;

/// <summary>
/// Calls an action every interval of an injected <see cref="TimeProvider"/> on a dedicated background thread, as a
/// <see cref="PeriodicTimer"/> loop would, but without waking the thread pool at each tick.
/// </summary>
/// <remarks>
/// <para>Why: a <see cref="PeriodicTimer"/> tick wakes the runtime's timer thread, which queues the tick to the thread
/// pool, which wakes a worker to run the loop's continuation: two or three thread wake-ups per tick, and pool workers
/// that spin and hand work to each other. At 10 Hz on a 2-core VM that cost 0.2-0.6 % of a core by itself
/// (docs/benchmarks.md, "Meter overhead"). This thread wakes once per tick.</para>
/// <para>Time: every time stamp and every wait comes from the injected provider. With any provider but
/// <see cref="TimeProvider.System"/> (a fake clock in tests, an accelerated clock in a benchmark) a periodic timer of
/// that provider signals the thread: a tick that comes while the action still runs is kept and runs at once when it
/// returns, further ones are dropped, as with <see cref="PeriodicTimer"/>. With <see cref="TimeProvider.System"/>, whose
/// timers are the operating system's real-time clock, the thread waits on its own until the next due time computed from
/// the provider's time stamps (<see cref="NextDue"/>), so no timer thread or pool worker is involved.</para>
/// <para>The action runs on this thread only, never twice at once. An exception it throws ends the loop and is
/// rethrown by <see cref="StopAsync"/>.</para>
/// </remarks>
public sealed class IntervalThread
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action _tick;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private bool _pending;
    private bool _stopping;
    private int _state; // 0 new, 1 started, 2 stopping

    /// <param name="name">The thread's name (shown by debuggers and in /proc/PID/task/*/comm).</param>
    /// <param name="interval">Time between ticks; more than zero.</param>
    /// <param name="time">The clock for every wait.</param>
    /// <param name="tick">Called once per tick on the dedicated thread.</param>
    public IntervalThread(string name, TimeSpan interval, TimeProvider time, Action tick)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _interval = interval;
        _time = time;
        _tick = tick;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>True when the thread waits with the operating system's clock (the provider is <see cref="TimeProvider.System"/>).</summary>
    public bool OwnWaits => ReferenceEquals(_time, TimeProvider.System);

    /// <summary>Starts ticking: the first tick comes one interval from now.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The interval thread has already been started.");
        }

        long start = _time.GetTimestamp();
        if (!OwnWaits)
        {
            _timer = _time.CreateTimer(static state => ((IntervalThread)state!).Signal(), this, _interval, _interval);
        }

        _thread.Start(start);
    }

    /// <summary>
    /// Stops ticking and completes once the thread has ended (after the tick that is running, if any); rethrows what
    /// the action threw. Safe to call more than once, and before <see cref="Start"/>.
    /// </summary>
    public Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 0)
        {
            return Task.CompletedTask; // never started
        }

        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        return _done.Task;
    }

    /// <summary>
    /// The next due time after a tick that was due at <paramref name="due"/> and returned at <paramref name="now"/>
    /// (time stamps, <paramref name="period"/> in time-stamp units): one period after <paramref name="due"/>, or at once
    /// when that has passed already (the tick ran longer than a period: one late tick, then the period restarts from
    /// it, as a <see cref="PeriodicTimer"/> keeps at most one missed tick).
    /// </summary>
    public static long NextDue(long due, long now, long period) => due + period > now ? due + period : now;

    private void Signal()
    {
        lock (_gate)
        {
            _pending = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Run(object? startState)
    {
        long period = Math.Max(1, (long)Math.Round(_interval.TotalSeconds * _time.TimestampFrequency));
        long due = (long)startState! + period;
        try
        {
            while (OwnWaits ? WaitUntil(due) : WaitForSignal())
            {
                _tick();
                if (OwnWaits)
                {
                    due = NextDue(due, _time.GetTimestamp(), period);
                }
            }

            _done.TrySetResult();
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
        }
        finally
        {
            _timer?.Dispose();
        }
    }

    /// <summary>Waits for the provider's timer; false when stopping.</summary>
    private bool WaitForSignal()
    {
        lock (_gate)
        {
            while (!_pending && !_stopping)
            {
                Monitor.Wait(_gate);
            }

            _pending = false;
            return !_stopping;
        }
    }

    /// <summary>Waits until the provider's clock reaches <paramref name="due"/>; false when stopping.</summary>
    private bool WaitUntil(long due)
    {
        lock (_gate)
        {
            while (!_stopping)
            {
                long left = due - _time.GetTimestamp();
                if (left <= 0)
                {
                    return true;
                }

                // Whole milliseconds, rounded up: never wakes before the due time, so never spins.
                double ms = Math.Ceiling(left * 1000.0 / _time.TimestampFrequency);
                Monitor.Wait(_gate, (int)Math.Min(ms, int.MaxValue));
            }

            return false;
        }
    }
}
