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
    /// <summary>The N assumed: the middle of its range, when known.</summary>
    public double? TotalEpochsAssumed => TotalEpochsMin is int min ? (min + (TotalEpochsMax ?? min)) / 2.0 : null;
}
