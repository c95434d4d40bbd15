using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>
/// One live projection of a run's total energy, made after an epoch ended (the run's projection history).
/// </summary>
/// <param name="Epoch">The run's epoch number (as in <see cref="EpochRecord.Number"/>) after which the projection was made.</param>
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
    DateTimeOffset Time);
