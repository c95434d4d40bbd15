using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// The one STEP projector of a measured run: after each finished epoch it projects the whole process's total energy
/// (<see cref="LiveProjector"/>) and returns an <see cref="EpochReport"/> that the pipeline hands to the recorder
/// (projection history) and to every observer (console line, Prometheus, MLflow). It prints nothing itself.
/// </summary>
/// <remarks>
/// Epoch numbers are the run's own (1-based, as in the epochs table), as the Core projector takes and gives them. Epochs the
/// projector cannot place are skipped: the partial epoch cut by the command's exit, and numbers out of sequence (a
/// marker that skipped or repeated a number). Called from the sampling thread only (the sink contract).
/// </remarks>
public sealed class LiveProjection(LiveProjectorOptions options, TimeProvider time)
{
    private readonly LiveProjector _projector = new(options, time);
    private bool _saidHorizonUnknown;

    /// <summary>Every projection made so far, oldest first (the projector's own history: one record type end to end).</summary>
    public IReadOnlyList<ProjectionEntry> History => _projector.History;

    /// <summary>Projects after <paramref name="epoch"/>.</summary>
    public EpochReport Observe(MeasuredEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (epoch.EndedAtExit || epoch.Number != _projector.ExpectedNumber)
        {
            return new EpochReport(epoch, null, null);
        }

        var now = time.GetUtcNow();
        // With the run's energy and time at the epoch's end the projection is of the whole process: the measured
        // start-up before epoch 1, the epochs (each with any pause before it) and the tail prior after the last.
        var result = _projector.OnEpochEnd(new EpochObservation(
            epoch.Number, now.UtcDateTime, epoch.Duration, epoch.Energy, TotalEpochs: epoch.TotalEpochs)
        {
            RunEnergy = epoch.RunEnergy,
            RunElapsed = epoch.RunEnergy is null ? null : epoch.End,
        });
        if (result.Estimate is null)
        {
            bool first = result.Stability.IsStable && result.Horizon is null && !_saidHorizonUnknown;
            _saidHorizonUnknown |= first;
            string reason = first
                ? $"stable from epoch {result.Stability.StableFromNumber}, but no projection: {result.Reason}"
                : result.Reason ?? "not yet stable";
            return new EpochReport(epoch, null, reason, first);
        }

        var entry = _projector.History[^1]; // the record the projector kept for this estimate
        return new EpochReport(epoch, entry, null);
    }

    /// <summary>
    /// The live line, e.g. <c>epoch 17: projected total 1.23 MJ [1.18, 1.29] (90 %, step, stable from epoch 11, N 40-60)</c>;
    /// the three energies share the estimate's unit.
    /// </summary>
    public static string Line(ProjectionEntry p)
    {
        ArgumentNullException.ThrowIfNull(p);
        string unit = p.Projected.ReadableUnit;
        string F(Energy e) => e.ToString(unit + ":F2", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}: projected total {F(p.Projected)} [{F(p.Lower)}, {F(p.Upper)}] ({p.Confidence * 100:0.#} %, {p.Method}, stable from epoch {(p.StableFromEpoch is int s ? s.ToString(CultureInfo.InvariantCulture) : "?")}, N {Range(p)})");
    }

    /// <summary>"40" for an exact N, "40-60" for a range, "?" when unknown.</summary>
    public static string Range(ProjectionEntry p)
        => p.TotalEpochsMin is not int min ? "?"
            : p.TotalEpochsMax is int max && max != min ? string.Create(CultureInfo.InvariantCulture, $"{min}-{max}")
            : min.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Scores a stored history against the measured total (Core's <see cref="ProjectionHistory.FinalError"/>); null
    /// when there is no projection or the measured total is not positive.
    /// </summary>
    public static ProjectionErrorSummary? FinalError(IReadOnlyList<ProjectionEntry> history, Energy measured)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0 || measured <= Energy.Zero)
        {
            return null;
        }

        return ProjectionHistory.FinalError(
            history,
            measured);
    }

    /// <summary>One summary line: the last projection's error against the measured total, and how the history fared.</summary>
    public static string ErrorLine(ProjectionErrorSummary e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Create(CultureInfo.InvariantCulture,
            $"projection: the last (epoch {e.LastEpoch}) was {e.LastRelativeError * 100:+0.0;-0.0;0.0} % off the measured {e.Measured} (interval {(e.LastCovered ? "held it" : "missed it")}); {e.Projections} projections from epoch {e.FirstEpoch}, mean |error| {e.MeanAbsoluteRelativeError * 100:0.0} %, {e.Coverage * 100:0} % of the intervals held the measured total");
    }
}
