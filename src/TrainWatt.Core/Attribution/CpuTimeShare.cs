namespace TrainWatt.Core.Attribution;

/// <summary>
/// The arithmetic of CPU attribution over one interval, on CPU-time counts in clock ticks (USER_HZ, the unit of both
/// <c>/proc/stat</c> and <c>/proc/PID/stat</c>). Pure: tests check it against hand derivations.
/// </summary>
public static class CpuTimeShare
{
    /// <summary>
    /// The process tree's share of the machine's busy CPU time: <paramref name="treeTicks"/> / <paramref name="busyTicks"/>,
    /// clamped to [0, 1] (the two files are read a few microseconds apart, so the tree can appear to use a tick more than
    /// the machine). An interval in which the machine was not busy gives 0 unless the tree used CPU time (then 1).
    /// </summary>
    public static double Of(long treeTicks, long busyTicks)
    {
        if (treeTicks <= 0)
        {
            return 0;
        }

        return busyTicks <= 0 ? 1 : Math.Min(1.0, (double)treeTicks / busyTicks);
    }

    /// <summary>
    /// Utilisation 0-1 of the CPUs we may use: <paramref name="ticks"/> of CPU time over the capacity of
    /// <paramref name="availableCpus"/> CPUs in the interval, which is <paramref name="totalTicks"/> (all CPUs
    /// <c>/proc/stat</c> counts, <paramref name="seenCpus"/> of them) × available / seen; clamped to [0, 1].
    /// With every CPU available this is the plain ticks / total.
    /// </summary>
    /// <param name="ticks">Busy ticks of the machine, or the process tree's ticks, in the interval.</param>
    /// <param name="totalTicks">Busy plus idle ticks of every CPU in <c>/proc/stat</c> in the interval.</param>
    /// <param name="seenCpus">CPUs counted by <c>/proc/stat</c> (its cpuN lines).</param>
    /// <param name="availableCpus">CPUs we may use (affinity, cgroup quota), at most <paramref name="seenCpus"/>.</param>
    public static double Utilisation(long ticks, long totalTicks, int seenCpus, double availableCpus)
    {
        if (ticks <= 0 || totalTicks <= 0)
        {
            return 0;
        }

        double fraction = seenCpus > 0 && availableCpus > 0 ? Math.Min(1.0, availableCpus / seenCpus) : 1.0;
        return Math.Min(1.0, ticks / (totalTicks * fraction));
    }
}
