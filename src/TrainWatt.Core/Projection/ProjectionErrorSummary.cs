using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>How a run's projections fared against its measured total.</summary>
/// <param name="Measured">The measured total energy of the finished run (J).</param>
/// <param name="Projections">Number of projections in the history.</param>
/// <param name="FirstEpoch">The 1-based epoch number of the first projection (its record's <see cref="ProjectionEntry.Epoch"/>).</param>
/// <param name="FirstRelativeError">(first projection − measured) / measured: signed.</param>
/// <param name="FirstCovered">Whether the first projection's interval held the measured total.</param>
/// <param name="LastEpoch">The 1-based epoch number of the last projection.</param>
/// <param name="LastRelativeError">(last projection − measured) / measured: signed.</param>
/// <param name="LastCovered">Whether the last projection's interval held the measured total.</param>
/// <param name="MeanAbsoluteRelativeError">Mean over all projections of |projection − measured| / measured.</param>
/// <param name="Coverage">Fraction of the projections whose interval held the measured total.</param>
public sealed record ProjectionErrorSummary(
    Energy Measured,
    int Projections,
    int FirstEpoch,
    double FirstRelativeError,
    bool FirstCovered,
    int LastEpoch,
    double LastRelativeError,
    bool LastCovered,
    double MeanAbsoluteRelativeError,
    double Coverage);

/// <summary>Scores a projection history against the measured total, for the final report.</summary>
public static class ProjectionHistory
{
    /// <summary>
    /// Compares every projection with <paramref name="measured"/>; null when the history is empty (the run never
    /// became stable, or N was never known). The measured total must be positive.
    /// </summary>
    public static ProjectionErrorSummary? FinalError(IReadOnlyList<ProjectionEntry> history, Energy measured)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (measured <= Energy.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(measured), measured, "The measured total must be positive to compute relative errors.");
        }

        if (history.Count == 0)
        {
            return null;
        }

        double Rel(ProjectionEntry r) => (r.Projected - measured) / measured;
        bool Covers(ProjectionEntry r) => r.Lower <= measured && measured <= r.Upper;
        var first = history[0];
        var last = history[^1];
        return new ProjectionErrorSummary(
            measured,
            history.Count,
            first.Epoch,
            Rel(first),
            Covers(first),
            last.Epoch,
            Rel(last),
            Covers(last),
            history.Average(r => Math.Abs(Rel(r))),
            history.Count(Covers) / (double)history.Count);
    }
}
