using TrainWatt.Core.Projection;
using TrainWatt.Meters.Sampling;
using TrainWatt.Measurement;

namespace TrainWatt.Telemetry;

/// <summary>Adapts Core's STEP <see cref="LiveProjector"/> to the exporters' per-epoch projection hook.</summary>
internal static class StepProjection
{
    /// <summary>
    /// A projector for one run: each finished epoch goes to a <see cref="LiveProjector"/> (STEP, 90 % interval; N from
    /// <c>--total-epochs</c> or what the output announces). Returns null while STEP has no estimate (not yet stable,
    /// N unknown), for the partial epoch cut by the command's exit, and for epoch numbers out of sequence (a marker
    /// that skipped or repeated a number), which STEP cannot place.
    /// </summary>
    public static Func<MeasuredEpoch, EnergyProjection?> Create(int? totalEpochs, TimeProvider time)
    {
        var projector = new LiveProjector(new LiveProjectorOptions(TotalEpochs: totalEpochs), time);
        return epoch =>
        {
            if (epoch.EndedAtExit || epoch.Number != projector.ExpectedNumber)
            {
                return null;
            }

            var result = projector.OnEpochEnd(new EpochObservation(
                epoch.Number, time.GetUtcNow().UtcDateTime, epoch.Duration, epoch.Energy, TotalEpochs: epoch.TotalEpochs));
            return result.Estimate is { } estimate ? new EnergyProjection(estimate, result.Lower!.Value, result.Upper!.Value) : null;
        };
    }
}
