using TrainWatt.Meters.Sampling;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// The live lines on stderr: one per projection (<c>epoch 17: projected total 1.23 MJ [...]</c>), once "stable but no
/// projection" when STEP lacks the planned epoch count, once "projection stopped" when the epochs cannot be projected
/// (bad input), and with <paramref name="verbose"/> the reason there is no
/// projection yet and a status line every progress interval.
/// </summary>
public sealed class ConsoleLinesObserver(Action<string> say, bool verbose) : IMeasurementObserver
{
    public void EpochEnded(EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Projection is { } projection)
        {
            say(LiveProjection.Line(projection));
        }
        else if (report.ProjectionStopped)
        {
            say($"epoch {report.Epoch.Number}: projection stopped, the run goes on: {report.NoProjectionReason}");
        }
        else if (report.StableWithoutHorizon)
        {
            say($"epoch {report.Epoch.Number}: {report.NoProjectionReason}");
        }
        else if (verbose && report.NoProjectionReason is { } reason)
        {
            say($"epoch {report.Epoch.Number}: no projection yet ({reason})");
        }
    }

    public void Progress(SamplerSnapshot snapshot) => say(MeasureReport.Status(snapshot));
}
