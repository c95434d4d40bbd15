namespace TrainWatt.Meters.Sampling;

/// <summary>How an <see cref="EnergySampler"/> reads its meters.</summary>
/// <param name="Interval">Time between readings; 100 ms by default, at least 1 ms.</param>
/// <param name="FlushInterval">Samples reach the sink at least this often (1 s by default), so a kill loses at most this much.</param>
public sealed record SamplerOptions(TimeSpan Interval, TimeSpan FlushInterval)
{
    /// <summary>100 ms interval, 1 s flush.</summary>
    public static SamplerOptions Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    /// <summary>
    /// When every meter keeps its own samples (NVML's driver buffer) and the interval is under a second, wake once a
    /// second and take the readings in between from those buffers (true, the default); false polls every interval.
    /// </summary>
    public bool UseSampleBuffers { get; init; } = true;

    /// <summary>Throws when an interval is out of range, naming the value and the valid range.</summary>
    public void Validate()
    {
        if (Interval < TimeSpan.FromMilliseconds(1) || Interval > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The sampling interval must be between 1 ms and 10 min.");
        }

        if (FlushInterval < Interval)
        {
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, $"The flush interval must be at least the sampling interval ({Interval.TotalMilliseconds} ms).");
        }
    }
}
