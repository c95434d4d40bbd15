using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Accounting;

/// <summary>The energy of one device's trace, with the numbers that explain it.</summary>
/// <param name="Samples">Samples integrated (after trimming, without those lacking power).</param>
/// <param name="First">Time stamp of the first integrated sample.</param>
/// <param name="Last">Time stamp of the last integrated sample.</param>
/// <param name="IntegratedDuration">Sum of the intervals that were integrated (the wall span less excluded gaps and backward steps).</param>
/// <param name="ExcludedDuration">Sum of the gap intervals left out under <see cref="GapPolicy.Exclude"/>; zero otherwise.</param>
/// <param name="Energy">Integrated energy in joules (via <see cref="Units.Energy"/>).</param>
/// <param name="MeanPower">Arithmetic mean of the integrated samples' power (what the SEAA authors call average power).</param>
/// <param name="TimeWeightedMeanPower">Energy / integrated duration: the mean that does not over-weight bursts of fast samples.</param>
/// <param name="MaxPower">Highest sample power.</param>
/// <param name="MinPower">Lowest sample power.</param>
/// <param name="Method">The integration rule used.</param>
/// <param name="Provenance">Always <see cref="Core.Provenance.Sampled"/>: integrated from sampled instantaneous power.</param>
public sealed record EnergyResult(
    int Samples,
    DateTime First,
    DateTime Last,
    TimeSpan IntegratedDuration,
    TimeSpan ExcludedDuration,
    Energy Energy,
    Power MeanPower,
    Power TimeWeightedMeanPower,
    Power MaxPower,
    Power MinPower,
    IntegrationMethod Method,
    Provenance Provenance)
{
    /// <summary>Wall-clock span from the first to the last integrated sample (gaps included).</summary>
    public TimeSpan Duration => Last - First;
}

/// <summary>
/// The outcome of integrating one device of one trace: a result when at least two samples with power span a positive
/// time, and in every case the faults found (gaps, backward time, missing power, and a <see cref="FaultKind.Fatal"/>
/// fault when no energy could be computed: never a silent zero).
/// </summary>
/// <param name="File">The trace file.</param>
/// <param name="Device">The device key (<see cref="DeviceTrace.Device"/>).</param>
/// <param name="GpuName">The GPU name, when the trace has one.</param>
/// <param name="Result">The energy, or null when none could be computed.</param>
/// <param name="Faults">Faults found while integrating (reader faults are not repeated here).</param>
public sealed record DeviceEnergy(string File, string Device, string? GpuName, EnergyResult? Result, IReadOnlyList<TraceFault> Faults)
{
    /// <summary>True when an energy was computed.</summary>
    public bool HasResult => Result is not null;
}

/// <summary>Gross energy and the same energy net of an idle baseline, side by side.</summary>
/// <param name="Gross">Everything the device drew over the integrated time.</param>
/// <param name="Net">Gross − baseline × integrated duration. May be negative (reported as such, not clamped).</param>
/// <param name="Baseline">The idle power subtracted.</param>
/// <param name="Duration">The integrated duration the baseline was applied over.</param>
/// <param name="BaselineProvenance"><see cref="Provenance.Sampled"/> when measured from the trace, <see cref="Provenance.UserGiven"/> when given.</param>
public sealed record BaselineEnergy(Energy Gross, Energy Net, Power Baseline, TimeSpan Duration, Provenance BaselineProvenance);
