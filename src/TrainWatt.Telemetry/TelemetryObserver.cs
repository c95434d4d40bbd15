using System.Globalization;
using TrainWatt.Meters.Sampling;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;

using TrainWatt.Core;
using TrainWatt.Core.Accounting;

namespace TrainWatt.Telemetry;

/// <summary>
/// Feeds the live exporters from the measurement pipeline: Prometheus state (<see cref="LiveMetrics"/>) and MLflow
/// (<see cref="MlflowLogger"/>), with each epoch's live projection; at the end the Pushgateway push and the MLflow
/// drain (<see cref="MeasureExporters.Finish"/>). The exporters never throw into the measurement (MLflow is queued;
/// the metrics state is in memory), and they never see the store: its outages are the recorder's alone.
/// </summary>
/// <param name="metrics">Prometheus state, or null.</param>
/// <param name="mlflow">MLflow logger, or null.</param>
/// <param name="time">Clock for MLflow metric timestamps.</param>
/// <param name="storeLocation">Masked store location, logged as a tag.</param>
/// <param name="say">Warnings (stderr).</param>
/// <param name="exporters">The started exporters, finished (push, drain) when the run is complete; null in tests.</param>
internal sealed class TelemetryObserver(LiveMetrics? metrics, MlflowLogger? mlflow, TimeProvider time, string storeLocation, Action<string> say, MeasureExporters? exporters = null)
    : IMeasurementObserver
{
    private double _cumulativeJ;
    private string _runId = "";

    public void RunStarted(string runId, MeasurementRunInfo run)
    {
        _runId = runId;
        metrics?.Begin(_runId, run);
        mlflow?.LogBatch([], [], [new("trainwatt.run_id", _runId), new("trainwatt.store", storeLocation)]);
    }

    public void Samples(ReadOnlySpan<ChannelSample> samples) => metrics?.Samples(samples);

    public void EpochEnded(EpochReport report)
    {
        var epoch = report.Epoch;
        _cumulativeJ += epoch.Energy.Joules;
        var projection = report.Projection;
        metrics?.Epoch(epoch, projection);
        if (mlflow is not null)
        {
            double seconds = epoch.Duration.TotalSeconds;
            mlflow.LogBatch(
                MlflowLogger.EpochMetrics(epoch.Number, epoch.Energy.Joules, seconds > 0 ? epoch.Energy.Joules / seconds : 0, _cumulativeJ, projection,
                    time.GetUtcNow().ToUnixTimeMilliseconds()),
                [], []);
        }
    }

    public void RunCompleted(MeasureResult result) => exporters?.Finish(say);

    /// <summary>
    /// The phases side by side as MLflow metrics at the step of the last epoch: <c>trainwatt_{phase}_energy_j</c> and
    /// <c>trainwatt_{phase}_s</c> for each of <see cref="RunPhaseNames"/> (startup, epochs, between_epochs, tail,
    /// whole_process); none without epochs.
    /// </summary>
    internal static IReadOnlyList<MlflowMetric> PhaseMetrics(RunPhases? phases, long timestampMs)
    {
        if (phases is null)
        {
            return [];
        }

        var metrics = new List<MlflowMetric>();
        foreach (var phase in phases.All)
        {
            metrics.Add(new($"trainwatt_{phase.Name}_energy_j", phase.Energy.Joules, timestampMs, phases.EpochCount));
            metrics.Add(new($"trainwatt_{phase.Name}_s", phase.Duration.TotalSeconds, timestampMs, phases.EpochCount));
        }

        return metrics;
    }

    public void RunFinished(MeasurementSummary summary)
    {
        metrics?.Finish(summary);
        if (mlflow is not null)
        {
            string J(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            var parameters = new List<KeyValuePair<string, string>>
            {
                new("trainwatt_energy_j", J(summary.Energy.Joules)),
                new("trainwatt_duration_s", J(summary.Duration.TotalSeconds)),
                new("trainwatt_epochs", summary.Epochs.Count.ToString(CultureInfo.InvariantCulture)),
            };
            if (summary.NetEnergy is { } net)
            {
                parameters.Add(new("trainwatt_net_energy_j", J(net.Joules)));
            }

            foreach (var channel in summary.Channels.Where(c => c.Valid))
            {
                parameters.Add(new($"trainwatt_energy_j.{channel.Channel.Id.Replace(':', '_')}", J(channel.Energy.Joules)));
            }

            var tags = new List<KeyValuePair<string, string>>
            {
                new("trainwatt.exit_code", summary.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"),
                new("trainwatt.provenance", string.Join(",", summary.Channels.Select(c => $"{c.Channel.Id}={ProvenanceText.Name(c.Channel.Provenance)}"))),
            };
            var phases = MeasuredPhases.From(summary);
            if (phases is not null)
            {
                tags.Add(new("trainwatt.phases_split", RunPhaseNames.Split));
            }

            mlflow.LogBatch(PhaseMetrics(phases, time.GetUtcNow().ToUnixTimeMilliseconds()), parameters, tags);
        }
    }
}
