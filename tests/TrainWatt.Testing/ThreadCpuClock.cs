using System.Globalization;

namespace TrainWatt.Testing;

/// <summary>
/// The CPU time the calling thread has used since <see cref="StartNew"/>, from Linux's
/// <c>/proc/thread-self/schedstat</c> (first field: nanoseconds on a CPU). Unlike a stopwatch it does not grow while
/// the thread waits for a core, so a bound on it holds on a loaded CI machine. Use it from one synchronous stretch of
/// code (the same thread at start and read). Elsewhere than Linux it falls back to wall time.
/// </summary>
public sealed class ThreadCpuClock
{
    private readonly long _start;
    private readonly System.Diagnostics.Stopwatch? _fallback;

    private ThreadCpuClock()
    {
        if (Read() is long ns)
        {
            _start = ns;
        }
        else
        {
            _fallback = System.Diagnostics.Stopwatch.StartNew();
        }
    }

    public static ThreadCpuClock StartNew() => new();

    public TimeSpan Elapsed => _fallback?.Elapsed ?? TimeSpan.FromTicks((Read()!.Value - _start) / 100);

    private static long? Read()
    {
        try
        {
            string text = File.ReadAllText("/proc/thread-self/schedstat");
            return long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
