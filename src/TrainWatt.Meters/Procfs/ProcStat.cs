using System.Globalization;

namespace TrainWatt.Meters.Procfs;

/// <summary>The fields of <c>/proc/PID/stat</c> TrainWatt uses (proc(5)); times in clock ticks, RSS in pages.</summary>
/// <param name="Pid">Field 1.</param>
/// <param name="ParentPid">Field 4 (ppid).</param>
/// <param name="UserTicks">Field 14 (utime).</param>
/// <param name="SystemTicks">Field 15 (stime).</param>
/// <param name="ChildrenUserTicks">Field 16 (cutime): user time of waited-for children.</param>
/// <param name="ChildrenSystemTicks">Field 17 (cstime).</param>
/// <param name="RssPages">Field 24 (rss), in pages.</param>
public readonly record struct ProcessStat(int Pid, int ParentPid, long UserTicks, long SystemTicks, long ChildrenUserTicks, long ChildrenSystemTicks, long RssPages)
{
    /// <summary>Own CPU time plus that of reaped children, in ticks.</summary>
    public long TotalTicks => UserTicks + SystemTicks + ChildrenUserTicks + ChildrenSystemTicks;
}

/// <summary>The aggregate "cpu" line of <c>/proc/stat</c>, in ticks (USER_HZ).</summary>
/// <param name="BusyTicks">user + nice + system + irq + softirq + steal.</param>
/// <param name="TotalTicks">Busy plus idle and iowait (guest time is already inside user/nice).</param>
/// <param name="CpuCount">Number of "cpuN" lines (online logical CPUs).</param>
public readonly record struct SystemCpuStat(long BusyTicks, long TotalTicks, int CpuCount);

/// <summary>Parsers for procfs files (proc(5)). Pure: they take the file text.</summary>
public static class ProcParser
{
    /// <summary>Parses <c>/proc/PID/stat</c>. The command name (field 2) may contain spaces and parentheses, so fields are counted after the last ')'.</summary>
    /// <returns>False when the text is not a stat line.</returns>
    public static bool TryParseProcessStat(string text, out ProcessStat stat) => TryParseProcessStat(text.AsSpan(), out stat);

    /// <summary>As <see cref="TryParseProcessStat(string, out ProcessStat)"/>, without allocating.</summary>
    public static bool TryParseProcessStat(ReadOnlySpan<char> text, out ProcessStat stat)
    {
        stat = default;
        int open = text.IndexOf('(');
        int close = text.LastIndexOf(')');
        if (open <= 0 || close < open || !int.TryParse(text[..open].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        // After ")" comes field 3 (state); proc(5) numbers fields from 1.
        var rest = text[(close + 1)..];
        int field = 3;
        long ppid = 0, utime = 0, stime = 0, cutime = 0, cstime = 0, rss = 0;
        foreach (var range in rest.Split(' '))
        {
            var value = rest[range];
            if (value.IsEmpty)
            {
                continue;
            }

            if (field is 4 or (>= 14 and <= 17) or 24)
            {
                if (!long.TryParse(value.TrimEnd('\n'), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
                {
                    return false;
                }

                switch (field)
                {
                    case 4: ppid = v; break;
                    case 14: utime = v; break;
                    case 15: stime = v; break;
                    case 16: cutime = v; break;
                    case 17: cstime = v; break;
                    default: rss = v; break;
                }
            }

            if (++field > 24)
            {
                break;
            }
        }

        if (field <= 24 || ppid is < 0 or > int.MaxValue)
        {
            return false;
        }

        stat = new ProcessStat(pid, (int)ppid, utime, stime, cutime, cstime, rss);
        return true;
    }

    /// <summary>Parses <c>/proc/stat</c>: the aggregate "cpu" line and the count of "cpuN" lines.</summary>
    public static bool TryParseSystemStat(string text, out SystemCpuStat stat)
    {
        stat = default;
        long busy = -1, total = -1;
        int cpus = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                // cpu user nice system idle iowait irq softirq steal guest guest_nice
                var v = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(x => long.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : -1)
                    .ToArray();
                if (v.Length < 4 || v.Any(n => n < 0))
                {
                    return false;
                }

                long At(int i) => i < v.Length ? v[i] : 0;
                busy = At(0) + At(1) + At(2) + At(5) + At(6) + At(7);
                total = busy + At(3) + At(4);
            }
            else if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }

        if (busy < 0)
        {
            return false;
        }

        stat = new SystemCpuStat(busy, total, Math.Max(cpus, 1));
        return true;
    }
}
