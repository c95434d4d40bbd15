using System.Globalization;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Cli.Telemetry;

/// <summary>
/// Wraps the store sink and feeds the live exporters: Prometheus state (<see cref="LiveMetrics"/>) and MLflow
/// (<see cref="MlflowLogger"/>). The store sink runs first and its failures propagate as before; the exporters never
/// throw into the measurement (MLflow is queued; the metrics state is in memory).
/// </summary>
/// <param name="inner">The store sink.</param>
/// <param name="metrics">Prometheus state, or null.</param>
/// <param name="mlflow">MLflow logger, or null.</param>
/// <param name="time">Clock for MLflow metric timestamps.</param>
/// <param name="storeLocation">Masked store location, logged as a tag.</param>
/// <param name="projector">
/// Hook for the STEP projector (h/step's <c>LiveProjector</c>): called once per finished epoch, in order, from the
/// sampling thread; returns the projected total or null (not yet stable). Until it is wired (null), Prometheus serves
/// only the projection gauge's HELP/TYPE lines and MLflow gets no projection metrics.
/// </param>
internal sealed class TelemetrySink(IMeasurementSink inner, LiveMetrics? metrics, MlflowLogger? mlflow, TimeProvider time, string storeLocation,
    Func<MeasuredEpoch, EnergyProjection?>? projector = null) : IMeasurementSink
{
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
        _cumulativeJ += epoch.Energy.Joules;
        var projection = projector?.Invoke(epoch);
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
