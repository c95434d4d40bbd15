using System.Globalization;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// The one rule that decides which interval between two consecutive power samples of a device is a <i>gap</i> (not
/// integrated, counted as excluded time), given the sampling interval of the run. The live sampler
/// (<c>EnergySampler</c>) and every recomputation from stored samples (<c>DeviceEnergyCalculator</c>,
/// <c>JobEnergy</c>, the PRE epoch windows) use it, so a run's live total and its stored total agree.
/// </summary>
/// <remarks>
/// <para>An interval is a gap when it is strictly longer than <see cref="Threshold"/> =
/// max(<see cref="MinimumThreshold"/>, <see cref="IntervalMultiple"/> × sampling interval):</para>
/// <list type="bullet">
/// <item>A sampler that misses one or two ticks (a slow read, a pause of its thread; the periodic timer does not queue
/// missed ticks) leaves intervals of up to 3 × the interval. The trapezoid over them is still an interpolation between
/// readings of an ordinarily sampled device, so they are integrated. Anything longer means at least three readings in a
/// row were not taken: the device was not observed.</item>
/// <item>The 5 s floor is the threshold that imported nvidia-smi traces have always used (1 Hz logging: 5 missed
/// samples); a fast-sampled run is never stricter than that, so a stall of a second or two on a loaded machine at
/// 100 ms is bridged as before.</item>
/// <item>Without the multiple, a run sampled every 10 s would have every interval judged a gap and its stored energy
/// would be nearly zero (the bug this rule fixes: 122 J stored against 1.92 kJ live for 60 W over 32 s).</item>
/// </list>
/// <para>With no known sampling interval (imported traces) the threshold is <see cref="MinimumThreshold"/>, today's
/// <see cref="EnergyOptions.GapThreshold"/> default. Counter channels are integrated by counter difference and are not
/// judged by this rule for their total.</para>
/// </remarks>
public sealed record SampleGapRule
{
    /// <summary>The 5 s floor, also the threshold when the sampling interval is unknown (the <see cref="EnergyOptions"/> default).</summary>
    public static readonly TimeSpan MinimumThreshold = TimeSpan.FromSeconds(5);

    /// <summary>How many sampling intervals an interval may span before it is a gap.</summary>
    public const int IntervalMultiple = 3;

    private SampleGapRule(TimeSpan? samplingInterval, TimeSpan threshold)
    {
        SamplingInterval = samplingInterval;
        Threshold = threshold;
    }

    /// <summary>The rule when the sampling interval is unknown (imported traces): gaps over 5 s.</summary>
    public static SampleGapRule Default { get; } = new(null, MinimumThreshold);

    /// <summary>The run's sampling interval, or null when unknown.</summary>
    public TimeSpan? SamplingInterval { get; }

    /// <summary>An interval strictly longer than this is a gap.</summary>
    public TimeSpan Threshold { get; }

    /// <summary>The rule for a run sampled every <paramref name="samplingInterval"/>; <see cref="Default"/> when null or not positive.</summary>
    public static SampleGapRule ForInterval(TimeSpan? samplingInterval)
    {
        if (samplingInterval is not { } interval || interval <= TimeSpan.Zero)
        {
            return Default;
        }

        // Saturate instead of overflowing for absurd intervals; 3 × interval is exact in ticks otherwise.
        TimeSpan multiple = interval.Ticks > TimeSpan.MaxValue.Ticks / IntervalMultiple
            ? TimeSpan.MaxValue
            : TimeSpan.FromTicks(interval.Ticks * IntervalMultiple);
        return new SampleGapRule(interval, multiple > MinimumThreshold ? multiple : MinimumThreshold);
    }

    /// <summary>True when an interval of <paramref name="between"/> between two consecutive samples is a gap.</summary>
    public bool IsGap(TimeSpan between) => between > Threshold;

    /// <summary><paramref name="options"/> (default <see cref="EnergyOptions.Default"/>) with this rule's threshold, for <see cref="EnergyIntegrator"/>.</summary>
    public EnergyOptions ApplyTo(EnergyOptions? options = null) => (options ?? EnergyOptions.Default) with { GapThreshold = Threshold };

    /// <summary>E.g. "longer than 30 s (3 × the 10 s sampling interval)" or "longer than 5 s".</summary>
    public string Description => SamplingInterval is { } interval && Threshold > MinimumThreshold
        ? $"longer than {Seconds(Threshold)} s ({IntervalMultiple} × the {Seconds(interval)} s sampling interval)"
        : $"longer than {Seconds(Threshold)} s";

    /// <summary>E.g. "gaps longer than 30 s (3 × the 10 s sampling interval)".</summary>
    public override string ToString() => "gaps " + Description;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
