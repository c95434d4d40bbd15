using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>
/// One live projection of a run's total energy, made after an epoch ended: the one projection record type, from the
/// projector (<see cref="LiveProjector.History"/>) through the store's projection history to every output (console
/// line, Prometheus, MLflow, summary JSON, run JSON, report band).
/// </summary>
/// <param name="Epoch">The run's epoch number (1-based, as in the stored epochs) after which the projection was made.</param>
/// <param name="Projected">Projected total energy of the run (J).</param>
/// <param name="Lower">Lower bound of the interval (J).</param>
/// <param name="Upper">Upper bound of the interval (J).</param>
/// <param name="Confidence">Two-sided confidence of the interval, in (0, 1).</param>
/// <param name="Method">Projection method as the CLI spells it: "step", "step-power", "carbontracker".</param>
/// <param name="StableFromEpoch">First epoch (run numbering) of the stable window used, when known.</param>
/// <param name="TotalEpochsMin">Smallest total epoch count N assumed, when known.</param>
/// <param name="TotalEpochsMax">Largest total epoch count N assumed, when known.</param>
/// <param name="Time">When the projection was made.</param>
public sealed record ProjectionEntry(
    int Epoch,
    Energy Projected,
    Energy Lower,
    Energy Upper,
    double Confidence,
    string Method,
    int? StableFromEpoch,
    int? TotalEpochsMin,
    int? TotalEpochsMax,
    DateTimeOffset Time)
{
    /// <summary>
    /// Measured energy of the process before its first epoch (start-up) included in <see cref="Projected"/>; null when
    /// the projection covers the epochs only (no whole-process energy was given).
    /// </summary>
    public Energy? StartupEnergy { get; init; }

    /// <summary>The tail prior's mean energy (after the last epoch) included in <see cref="Projected"/>; null when none.</summary>
    public Energy? TailEnergy { get; init; }

    /// <summary>Where the tail prior came from ("default", "learned from 4 finished runs of this command"); null when none.</summary>
    public string? TailPriorSource { get; init; }

    /// <summary>The slow-drift prior τ (relative standard deviation of the level's change over the run) of the interval; null when none.</summary>
    public double? DriftPrior { get; init; }

    /// <summary>Where τ came from ("default", "--drift-prior", "learned from 12 finished runs"); null when none.</summary>
    public string? DriftPriorSource { get; init; }

    /// <summary>True when <see cref="Projected"/> is the whole process (start-up + epochs + tail), not the epochs alone.</summary>
    public bool IsWholeJob => StartupEnergy is not null;

    /// <summary>The N assumed: the middle of its range, when known.</summary>
    public double? TotalEpochsAssumed => TotalEpochsMin is int min ? (min + (TotalEpochsMax ?? min)) / 2.0 : null;
}
