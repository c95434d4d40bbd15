using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>Energy and power of one device computed from its stored samples.</summary>
/// <remarks>
/// <c>Energy</c> is the counter difference (last − first cumulative energy) for counter devices, else Core's
/// <c>EnergyAccounting.Integrate</c> with its defaults (trapezoid on the real time stamps; intervals longer than 5 s are
/// gaps, left out and counted in <c>ExcludedDuration</c>), so <c>runs show</c> agrees with <c>trainwatt energy</c> on
/// the same trace; null when the device has no power or energy data. <c>Provenance</c> says which.
/// <c>MaxGap</c> is the longest interval between consecutive samples. <c>MeanPower</c> is the arithmetic mean of the
/// power samples.
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
    TimeSpan ExcludedDuration);
