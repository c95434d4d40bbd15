using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// Follows one measured run (Prometheus, MLflow, Pushgateway, the console's live lines, a .NET caller's own code). The
/// pipeline calls every observer after the run recorder, in order: <see cref="RunStarted"/>, then any number of
/// <see cref="Samples"/>, <see cref="EpochEnded"/>, <see cref="MetricReported"/>, <see cref="OutputLine"/> and <see cref="Progress"/>, then
/// <see cref="RunFinished"/> (from the sampling thread: keep them quick, queue slow work), and
/// <see cref="RunCompleted"/> once everything is stored (off the sampling thread: slow work such as a push goes here).
/// </summary>
/// <remarks>
/// An observer that throws is reported once and not called again for the run; the run, the store and the other
/// observers go on. Observers never see the store: its outages are the recorder's business alone.
/// </remarks>
public interface IMeasurementObserver
{
    /// <summary>The run exists in the store under <paramref name="runId"/>.</summary>
    void RunStarted(string runId, MeasurementRunInfo run)
    {
    }

    /// <summary>A batch of samples (the span is only valid during the call).</summary>
    void Samples(ReadOnlySpan<ChannelSample> samples)
    {
    }

    /// <summary>An epoch ended, with the live projection made after it (or why there is none).</summary>
    void EpochEnded(EpochReport report)
    {
    }

    /// <summary>The command printed a run metric.</summary>
    void MetricReported(string name, double value, TimeSpan elapsed)
    {
    }

    /// <summary>
    /// The command printed a line (or a <c>\r</c> redraw), at <paramref name="elapsed"/> since the run started; on the
    /// output scanner thread, before the epoch detection reads the line.
    /// </summary>
    void OutputLine(string line, TimeSpan elapsed)
    {
    }

    /// <summary>The live state, every <see cref="MeasureOptions.ProgressEvery"/>.</summary>
    void Progress(SamplerSnapshot snapshot)
    {
    }

    /// <summary>The command ended (or never started) and the totals are known.</summary>
    void RunFinished(MeasurementSummary summary)
    {
    }

    /// <summary>The run is stored (or spooled) and its result complete.</summary>
    void RunCompleted(MeasureResult result)
    {
    }
}

/// <summary>One finished epoch and what the run's one STEP projector made of it.</summary>
/// <param name="Epoch">The epoch as measured (1-based number).</param>
/// <param name="Projection">The projection after this epoch; null when there is none.</param>
/// <param name="NoProjectionReason">Why there is no projection (not yet stable: reason; N unknown); null when there is one or the epoch cannot be placed.</param>
/// <param name="StableWithoutHorizon">True once, the first time the run is stable but STEP cannot project without the planned epoch count.</param>
public sealed record EpochReport(MeasuredEpoch Epoch, ProjectionEntry? Projection, string? NoProjectionReason, bool StableWithoutHorizon = false)
{
    /// <summary>
    /// True once, at the epoch that stopped the live projection for the rest of the run (bad input: an epoch count the
    /// run has passed, a zero-length epoch, skipped epoch numbers); <see cref="NoProjectionReason"/> says why and how to fix it.
    /// </summary>
    public bool ProjectionStopped { get; init; }
}
