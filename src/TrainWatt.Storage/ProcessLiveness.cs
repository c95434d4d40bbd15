using System.Diagnostics;

namespace TrainWatt.Storage;

/// <summary>Tells whether the process that owns a "running" run still exists.</summary>
public interface IProcessLiveness
{
    /// <summary>True or false when it can tell; null when it cannot (the run was written on another host).</summary>
    bool? IsAlive(string host, int processId);
}

/// <summary>
/// Checks processes on this machine (by host name and process id). Runs written on other hosts are unknown; the store
/// then falls back to the run's heartbeat age. A reused process id keeps a dead run "running" until its heartbeat is stale.
/// </summary>
public sealed class LocalProcessLiveness : IProcessLiveness
{
    public static LocalProcessLiveness Instance { get; } = new();

    public bool? IsAlive(string host, int processId)
    {
        if (!string.Equals(host, Environment.MachineName, StringComparison.Ordinal))
        {
            return null;
        }

        if (processId == Environment.ProcessId)
        {
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{processId}");
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no process with this id
        }
        catch (InvalidOperationException)
        {
            return false; // it exited while we looked
        }
    }
}
