using System.Runtime.InteropServices;

namespace TrainWatt.Telemetry.Tests;

/// <summary>This process's open file descriptors (Linux /proc) and its RLIMIT_NOFILE soft limit.</summary>
internal static partial class FileDescriptors
{
    private const int RlimitNofile = 7; // Linux, every architecture .NET runs on

    /// <summary>How many descriptors this process has open now (the enumeration's own one included); -1 when none is left to look.</summary>
    public static int Open()
    {
        try
        {
            return Directory.GetFiles("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return -1; // "Too many open files": the listing itself needs a descriptor
        }
    }

    /// <summary>Lowers the soft RLIMIT_NOFILE to <paramref name="soft"/> until the result is disposed.</summary>
    public static IDisposable LimitTo(ulong soft)
    {
        if (GetRLimit(RlimitNofile, out var old) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var limited = old with { Current = Math.Min(soft, old.Max) };
        if (SetRLimit(RlimitNofile, in limited) != 0)
        {
            throw new InvalidOperationException($"setrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return new Restore(old);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Max);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    private sealed class Restore(RLimit old) : IDisposable
    {
        public void Dispose() => _ = SetRLimit(RlimitNofile, in old);
    }
}
