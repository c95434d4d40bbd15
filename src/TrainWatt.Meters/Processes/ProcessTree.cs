using System.Globalization;

namespace TrainWatt.Meters.Processes;

/// <summary>One process as procfs shows it: enough to find a command's tree and to tell a process from a reused pid.</summary>
/// <param name="Pid">Field 1.</param>
/// <param name="State">Field 3 (R, S, D, Z, T...).</param>
/// <param name="ParentPid">Field 4.</param>
/// <param name="ProcessGroup">Field 5.</param>
/// <param name="StartTicks">Field 22 (starttime, clock ticks after boot): with the pid, who the process is.</param>
public readonly record struct ProcessEntry(int Pid, char State, int ParentPid, int ProcessGroup, long StartTicks)
{
    /// <summary>True for a process that has exited and waits to be reaped (it can no longer run).</summary>
    public bool IsZombie => State is 'Z' or 'X' or 'x';

    /// <summary>Parses a <c>/proc/PID/stat</c> line; false when it is not one. Fields are counted after the last ')'.</summary>
    public static bool TryParse(string text, out ProcessEntry entry)
    {
        entry = default;
        int open = text.IndexOf('(', StringComparison.Ordinal);
        int close = text.LastIndexOf(')');
        if (open <= 0 || close < open || !int.TryParse(text.AsSpan(0, open).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries); // fields[0] is field 3
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int ppid)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pgrp)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out long start))
        {
            return false;
        }

        entry = new ProcessEntry(pid, fields[0][0], ppid, pgrp, start);
        return true;
    }
}

/// <summary>
/// A command's process tree from procfs: the root, every descendant (through the parent pid) and every process in a
/// process group the root or a descendant leads (a daemon that left the tree but kept its group). Linux only: where
/// procfs is missing the tree is the root alone.
/// </summary>
public static class ProcessTree
{
    /// <summary>Every process now in /proc (unreadable entries are skipped: a process can exit while it is read).</summary>
    public static IReadOnlyList<ProcessEntry> All(string procRoot = "/proc")
    {
        var list = new List<ProcessEntry>();
        if (!Directory.Exists(procRoot))
        {
            return list;
        }

        foreach (string dir in Directory.EnumerateDirectories(procRoot))
        {
            string name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            if (Read(procRoot, int.Parse(name, CultureInfo.InvariantCulture)) is { } entry)
            {
                list.Add(entry);
            }
        }

        return list;
    }

    /// <summary>One process, or null when it does not exist (any more).</summary>
    public static ProcessEntry? Read(string procRoot, int pid)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
            return ProcessEntry.TryParse(text, out var entry) ? entry : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The tree of <paramref name="root"/> in <paramref name="processes"/>: the root first, then its descendants and their groups' members.</summary>
    public static IReadOnlyList<ProcessEntry> Of(int root, IReadOnlyList<ProcessEntry> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var byParent = processes.ToLookup(p => p.ParentPid);
        var tree = new List<ProcessEntry>();
        var seen = new HashSet<int>();
        var queue = new Queue<int>();
        if (processes.FirstOrDefault(p => p.Pid == root) is { Pid: > 0 } rootEntry)
        {
            tree.Add(rootEntry);
            seen.Add(root);
            queue.Enqueue(root);
        }

        while (queue.Count > 0)
        {
            int pid = queue.Dequeue();
            foreach (var child in byParent[pid].Concat(processes.Where(p => p.ProcessGroup == pid)))
            {
                if (child.Pid != pid && seen.Add(child.Pid))
                {
                    tree.Add(child);
                    queue.Enqueue(child.Pid);
                }
            }
        }

        return tree;
    }

    /// <summary>True while the process that had <paramref name="entry"/>'s pid and start time is there and not a zombie.</summary>
    public static bool IsRunning(ProcessEntry entry, string procRoot = "/proc")
        => Read(procRoot, entry.Pid) is { } now && now.StartTicks == entry.StartTicks && !now.IsZombie;
}
