namespace TrainWatt.Measurement.Spool;

/// <summary>
/// Runs <see cref="StoreWriteQueue.Pump"/> on its own thread: when a write is queued, and when the next retry of an
/// outage is due (a timer of the injected clock). At the end of the run <see cref="Complete"/> waits until the queue is
/// drained or, while the store is down, until the final retry window has passed.
/// </summary>
/// <remarks>
/// A dedicated thread rather than a task on the thread pool: each queued batch (two a second while measuring) wakes
/// this one thread, instead of several pool hand-offs (a task continuation, a delay and its cancellation) that each
/// wake a pool worker; that cost more CPU than the store write itself (docs/benchmarks.md, issue 21 "Overhead").
/// While the store is up the thread waits without any timer.
/// </remarks>
internal sealed class BackgroundStoreWriter(StoreWriteQueue queue, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private bool _woken;
    private volatile bool _completing;
    private volatile bool _forceNext;
    private long _deadline;

    public void Start()
    {
        lock (_gate)
        {
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "trainwatt store" };
                _thread.Start();
            }
        }
    }

    /// <summary>Something was queued: write it now (unless the store is down and the next retry is not due).</summary>
    public void Signal()
    {
        lock (_gate)
        {
            _woken = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>
    /// Tries at once, then keeps retrying for at most <paramref name="retryWindow"/> while the store is down; returns
    /// true when every write is in the store (false: the store is still down, or refused a write for good).
    /// </summary>
    public bool Complete(TimeSpan retryWindow)
    {
        Start();
        _deadline = time.GetTimestamp() + (long)(retryWindow.TotalSeconds * time.TimestampFrequency);
        _forceNext = true;
        _completing = true;
        Signal();
        _done.Task.GetAwaiter().GetResult();
        return queue.Backlog().Writes == 0 && !queue.Failed;
    }

    private void Run()
    {
        try
        {
            Loop();
            _done.TrySetResult();
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
        }
    }

    private void Loop()
    {
        while (true)
        {
            lock (_gate)
            {
                _woken = false; // a write queued from here on wakes the wait below
            }

            bool completing = _completing;
            bool atDeadline = completing && time.GetTimestamp() >= _deadline;
            bool force = _forceNext || atDeadline;
            _forceNext = false;
            var state = queue.Pump(force);
            if (completing && (state != PumpState.Waiting || atDeadline))
            {
                return;
            }

            long now = time.GetTimestamp();
            long? until = state == PumpState.Waiting ? queue.NextAttempt : null;
            if (completing)
            {
                until = until is long u ? Math.Min(u, _deadline) : _deadline;
            }

            // A retry (or the end of the retry window) is due: a one-shot timer of the injected clock wakes the thread.
            using var timer = until is long due
                ? time.CreateTimer(static state => ((BackgroundStoreWriter)state!).Signal(), this,
                    TimeSpan.FromSeconds(Math.Max(0, due - now) / (double)time.TimestampFrequency), Timeout.InfiniteTimeSpan)
                : null;
            lock (_gate)
            {
                while (!_woken)
                {
                    Monitor.Wait(_gate);
                }
            }
        }
    }
}
