using System.Globalization;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Cli.Telemetry;

/// <summary>
/// Wraps the store sink and feeds the live exporters: Prometheus state (<see cref="LiveMetrics"/>) and MLflow
/// (<see cref="MlflowLogger"/>). The store sink runs first and its failures propagate as before; the exporters never
/// throw into the measurement (MLflow is queued; the metrics state is in memory).
/// </summary>
internal sealed class TelemetrySink(IMeasurementSink inner, LiveMetrics? metrics, MlflowLogger? mlflow, TimeProvider time, string storeLocation) : IMeasurementSink
{
    private readonly List<MeasuredEpoch> _epochs = [];
    private double _cumulativeJ;
    private string _runId = "";

    public string BeginRun(MeasurementRunInfo run)
    {
        _runId = inner.BeginRun(run);
        metrics?.Begin(_runId, run);
        mlflow?.LogBatch([], [], [new("trainwatt.run_id", _runId), new("trainwatt.store", storeLocation)]);
        return _runId;
    }

    public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
    {
        inner.AppendSamples(samples);
        metrics?.Samples(samples);
    }

    public void RecordEpoch(MeasuredEpoch epoch)
    {
        inner.RecordEpoch(epoch);
        _epochs.Add(epoch);
        _cumulativeJ += epoch.Energy.Joules;
        metrics?.Epoch(epoch, _epochs);
        if (mlflow is not null)
        {
            double seconds = epoch.Duration.TotalSeconds;
            var projection = metrics?.Projector?.Invoke(_epochs, epoch.TotalEpochs);
            mlflow.LogBatch(
                MlflowLogger.EpochMetrics(epoch.Number, epoch.Energy.Joules, seconds > 0 ? epoch.Energy.Joules / seconds : 0, _cumulativeJ, projection,
                    time.GetUtcNow().ToUnixTimeMilliseconds()),
                [], []);
        }
    }

    public void RecordMetric(string name, double value, TimeSpan elapsed) => inner.RecordMetric(name, value, elapsed);

    public void FinishRun(MeasurementSummary summary)
    {
        inner.FinishRun(summary);
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
                new("trainwatt.provenance", string.Join(",", summary.Channels.Select(c => $"{c.Channel.Id}={Measure.MeasureReport.Name(c.Channel.Provenance)}"))),
            };
            mlflow.LogBatch([], parameters, tags);
        }
    }
}
