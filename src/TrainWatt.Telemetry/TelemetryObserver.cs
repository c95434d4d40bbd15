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
/// <param name="keySuffix">Appended to every MLflow metric and tag key (<see cref="MlflowLogger.KeySuffix"/>): ".node.rankR" in distributed jobs.</param>
internal sealed class TelemetryObserver(LiveMetrics? metrics, MlflowLogger? mlflow, TimeProvider time, string storeLocation, Action<string> say, MeasureExporters? exporters = null, string keySuffix = "")
    : IMeasurementObserver
{
    private double _cumulativeJ;
    private string _runId = "";

    public void RunStarted(string runId, MeasurementRunInfo run)
    {
        _runId = runId;
        metrics?.Begin(_runId, run);
        exporters?.StartPushing(say);
        mlflow?.LogBatch([], QualifiedTags([new("trainwatt.run_id", _runId), new("trainwatt.store", storeLocation)]));
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
                Qualified(MlflowLogger.EpochMetrics(epoch.Number, epoch.Energy.Joules, seconds > 0 ? epoch.Energy.Joules / seconds : double.NaN, _cumulativeJ, projection,
                    time.GetUtcNow().ToUnixTimeMilliseconds())),
                []);
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

    /// <summary>
    /// The run's totals as MLflow metrics at the step of the epoch count (metrics, not params: params are immutable):
    /// <c>trainwatt_total_energy_j</c>, <c>trainwatt_total_duration_s</c>, <c>trainwatt_total_epochs</c>,
    /// <c>trainwatt_total_net_energy_j</c> (with an idle baseline) and <c>trainwatt_total_energy_j.CHANNEL</c> per valid channel.
    /// </summary>
    internal static IReadOnlyList<MlflowMetric> TotalMetrics(MeasurementSummary summary, long timestampMs)
    {
        long step = summary.Epochs.Count;
        var metrics = new List<MlflowMetric>
        {
            new("trainwatt_total_energy_j", summary.Energy.Joules, timestampMs, step),
            new("trainwatt_total_duration_s", summary.Duration.TotalSeconds, timestampMs, step),
            new("trainwatt_total_epochs", summary.Epochs.Count, timestampMs, step),
        };
        if (summary.NetEnergy is { } net)
        {
            metrics.Add(new("trainwatt_total_net_energy_j", net.Joules, timestampMs, step));
        }

        foreach (var channel in summary.Channels.Where(c => c.Valid))
        {
            metrics.Add(new($"trainwatt_total_energy_j.{channel.Channel.Id.Replace(':', '_')}", channel.Energy.Joules, timestampMs, step));
        }

        return metrics;
    }

    public void RunFinished(MeasurementSummary summary)
    {
        metrics?.Finish(summary);
        if (mlflow is not null)
        {
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
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

            mlflow.LogBatch(Qualified([.. TotalMetrics(summary, now), .. PhaseMetrics(phases, now)]), QualifiedTags(tags));
        }
    }

    private IReadOnlyList<MlflowMetric> Qualified(IReadOnlyList<MlflowMetric> metrics)
        => keySuffix.Length == 0 ? metrics : [.. metrics.Select(m => m with { Key = m.Key + keySuffix })];

    private IReadOnlyList<KeyValuePair<string, string>> QualifiedTags(IReadOnlyList<KeyValuePair<string, string>> tags)
        => keySuffix.Length == 0 ? tags : [.. tags.Select(t => new KeyValuePair<string, string>(t.Key + keySuffix, t.Value))];
}
