using System.Globalization;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Samples.MeasureFromCode;

/// <summary>
/// An observer of the sample's own: prints each pipeline event. The pipeline calls observers after the run recorder,
/// from the sampling thread (keep these calls quick); <see cref="RunCompleted"/> comes once everything is stored.
/// </summary>
internal sealed class PrintingObserver(TextWriter output) : IMeasurementObserver
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void RunStarted(string runId, MeasurementRunInfo run)
        => output.WriteLine($"observer: run {runId} started with {run.Channels.Count} channel(s)");

    public void EpochEnded(EpochReport report)
    {
        var epoch = report.Epoch;
        string projection = report.Projection is { } p
            ? string.Create(Inv, $"projected total {p.Projected.Joules:0.0} J [{p.Lower.Joules:0.0}, {p.Upper.Joules:0.0}]")
            : $"no projection ({report.NoProjectionReason ?? "an epoch ended by the command's exit, or out of sequence, is not projected"})";
        output.WriteLine(string.Create(Inv,
            $"observer: epoch {epoch.Number}/{epoch.TotalEpochs?.ToString(Inv) ?? "?"} ended: {epoch.Duration.TotalSeconds:0.000} s, {epoch.Energy.Joules:0.000} J; {projection}"));
    }

    public void RunFinished(MeasurementSummary summary)
        => output.WriteLine(string.Create(Inv, $"observer: command exited with {summary.ExitCode?.ToString(Inv) ?? "none"} after {summary.Duration.TotalSeconds:0.000} s"));

    public void RunCompleted(MeasureResult result)
        => output.WriteLine($"observer: run {result.RunId} is {(result.Unwritten is null ? "stored" : "partly spooled")}");
}
