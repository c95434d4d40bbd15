// Epoch numbering in TrainWatt.Core.Projection (issue 12: one meaning per name, across every layer).
//
//  * A member named ...Index (EpochMeasurement.Index, EpochEnd.Index, StabilityResult.StableFromIndex, WindowEndIndex,
//    LastChangeIndex, FixedStabilityDetector.StableFromIndex, StepRunEvaluation.StepStableFromIndex) is 0-based: the
//    position in the list of epochs the projector works on. The paper's formulas and its epoch log (epoch,end_time,
//    0-based) count this way, and so does `trainwatt project` (--after-epoch, stable_from_epoch).
//  * A member named ...Number or after an epoch (EpochObservation.Number, LiveProjector.ExpectedNumber,
//    StabilityResult.StableFromNumber, ProjectionEntry.Epoch and StableFromEpoch, ProjectionErrorSummary.FirstEpoch and
//    LastEpoch) is the run's 1-based epoch number: the numbering of Meters (MeasuredEpoch.Number), Storage
//    (EpochRecord.Number, ProjectionEntry.Epoch and StableFromEpoch) and every measure output. Types that cross into
//    other layers carry numbers, so no adapter adds or subtracts 1.
//  * Counts (EpochsUsed, EpochsSeen, StableEpochs, TotalEpochs) are counts; after k finished epochs the last one has
//    number k and index k − 1.
//
// EpochNumbering below is the one conversion between the two.

namespace TrainWatt.Core.Projection;

/// <summary>
/// Converts between a 0-based epoch index and the run's 1-based epoch number (number = index + 1). See the comment at
/// the top of this file for which members of <see cref="TrainWatt.Core.Projection"/> hold which.
/// </summary>
public static class EpochNumbering
{
    /// <summary>The run's 1-based epoch number of the epoch at 0-based <paramref name="index"/>.</summary>
    public static int ToNumber(int index) => index + 1;

    /// <summary>The 0-based index of the run's epoch <paramref name="number"/> (1-based).</summary>
    public static int ToIndex(int number) => number - 1;
}
