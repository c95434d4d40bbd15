using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>
/// One projection made during a run, as the store keeps it (projection history).
/// </summary>
/// <param name="Epoch">The run's 1-based number of the last finished epoch when the projection was made.</param>
/// <param name="Projected">Projected total energy of the run (J).</param>
/// <param name="Lower">Lower bound of the interval (J).</param>
/// <param name="Upper">Upper bound of the interval (J).</param>
/// <param name="Confidence">Two-sided confidence of the interval.</param>
/// <param name="Method">"step", "step-power" or "carbontracker".</param>
/// <param name="StableFromEpoch">The run's 1-based number of the first epoch of the stable window used.</param>
/// <param name="TotalEpochsAssumed">The N assumed (the mean of its range), when known.</param>
/// <param name="Time">When the projection was made (from the injected <see cref="TimeProvider"/>).</param>
public sealed record ProjectionRecord(
    int Epoch,
    Energy Projected,
    Energy Lower,
    Energy Upper,
    double Confidence,
    string Method,
    int? StableFromEpoch,
    double? TotalEpochsAssumed,
    DateTimeOffset Time);

/// <summary>How a run's projections fared against its measured total.</summary>
/// <param name="Measured">The measured total energy of the finished run (J).</param>
/// <param name="Projections">Number of projections in the history.</param>
/// <param name="FirstEpoch">The 1-based epoch number of the first projection (its record's <see cref="ProjectionRecord.Epoch"/>).</param>
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
    public static ProjectionErrorSummary? FinalError(IReadOnlyList<ProjectionRecord> history, Energy measured)
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

        double Rel(ProjectionRecord r) => (r.Projected - measured) / measured;
        bool Covers(ProjectionRecord r) => r.Lower <= measured && measured <= r.Upper;
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
