using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>Energy and power of one device computed from its stored samples.</summary>
/// <remarks>
/// <c>Energy</c> is the counter difference (last − first cumulative energy) for counter devices, else Core's
/// <c>EnergyAccounting.Integrate</c>'s trapezoid on the real time stamps, with the run's <c>SampleGapRule</c> deciding
/// which intervals are gaps (left out and counted in <c>ExcludedDuration</c>): for a measured run the rule the live
/// sampler applied (gaps over max(5 s, 3 × its sampling interval)), so <c>runs show</c> and the exports agree with the
/// measure summary; for an imported trace (no interval known) gaps over 5 s, so <c>runs show</c> agrees with
/// <c>trainwatt energy</c> on the same trace. Null when the device has no power or energy data. <c>Provenance</c> says which.
/// <c>MaxGap</c> is the longest interval between consecutive samples. <c>MeanPower</c> is the arithmetic mean of the
/// power samples. <c>SampledEnergy</c>, for a counter device, is the same trapezoid over its power samples, kept
/// beside the counter's energy to check it (<c>CounterCheck</c>).
/// </remarks>
public sealed record StoredDeviceEnergy(
    StoredDevice Device,
    long Samples,
    DateTimeOffset? First,
    DateTimeOffset? Last,
    Energy? Energy,
    Provenance Provenance,
    Power? MeanPower,
    Power? MaxPower,
    TimeSpan? MaxGap,
    TimeSpan ExcludedDuration)
{
    /// <summary>A counter device's sampled power integrated over its samples; null for other devices or without two power samples.</summary>
    public Energy? SampledEnergy { get; init; }

    /// <summary>
    /// The device's energy over its samples at or before the run's first epoch start (the same rule as
    /// <see cref="Energy"/>, zero when there are none), read in the same pass as the total; null when not computed
    /// (no epochs). <c>StoredRunPhases</c> splits the run with it.
    /// </summary>
    public Energy? EnergyAtFirstEpochStart { get; init; }

    /// <summary>The same at the run's last epoch end.</summary>
    public Energy? EnergyAtLastEpochEnd { get; init; }
}
