namespace TrainWatt.Measurement.Spool;

/// <summary>
/// Runs <see cref="StoreWriteQueue.Pump"/> on its own task: when a write is queued, and when the next retry of an outage
/// is due (a delay on the injected clock). At the end of the run <see cref="Complete"/> waits until the queue is drained
/// or, while the store is down, until the final retry window has passed.
/// </summary>
internal sealed class BackgroundStoreWriter(StoreWriteQueue queue, TimeProvider time)
{
    private TaskCompletionSource _wake = NewWake();
    private Task? _loop;
    private volatile bool _completing;
    private volatile bool _forceNext;
    private long _deadline;

    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>Something was queued: write it now (unless the store is down and the next retry is not due).</summary>
    public void Signal() => Volatile.Read(ref _wake).TrySetResult();

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
        _loop!.GetAwaiter().GetResult();
        return queue.Backlog().Writes == 0 && !queue.Failed;
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            var wake = NewWake();
            Volatile.Write(ref _wake, wake);
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

            using var cancel = new CancellationTokenSource();
            var delay = until is long due
                ? Task.Delay(TimeSpan.FromSeconds(Math.Max(0, due - now) / (double)time.TimestampFrequency), time, cancel.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, time, cancel.Token);
            await Task.WhenAny(wake.Task, delay).ConfigureAwait(false);
            await cancel.CancelAsync().ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
