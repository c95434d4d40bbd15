namespace TrainWatt.Meters.Rapl;

/// <summary>Pure arithmetic of RAPL energy counters (µJ, <c>energy_uj</c>), which wrap at <c>max_energy_range_uj</c>.</summary>
public static class RaplCounter
{
    /// <summary>
    /// Increase of a counter from <paramref name="previous"/> to <paramref name="current"/> in µJ, assuming at most one
    /// wrap in between. The counter counts up to <paramref name="maxEnergyRange"/> and restarts at 0, so after a wrap the
    /// increase is <c>max − previous + current</c> (the convention of the kernel documentation and of CodeCarbon and
    /// Scaphandre; whether the top value itself is reachable is a 1 µJ ambiguity).
    /// </summary>
    /// <returns>The increase (never negative), or null when the counter went backwards and the range is unknown (0).</returns>
    /// <remarks>
    /// Read the counter more often than it wraps: at 200 W a 262 J·10³ range wraps every ~22 minutes; the sampler reads
    /// every 100 ms-1 s. Values above <paramref name="maxEnergyRange"/> are treated as not wrapped.
    /// </remarks>
    public static ulong? Delta(ulong previous, ulong current, ulong maxEnergyRange)
    {
        if (current >= previous)
        {
            return current - previous;
        }

        if (maxEnergyRange == 0 || previous > maxEnergyRange)
        {
            return null;
        }

        return maxEnergyRange - previous + current;
    }
}
