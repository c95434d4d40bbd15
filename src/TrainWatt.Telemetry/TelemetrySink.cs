using System.Globalization;
using TrainWatt.Meters.Sampling;
using TrainWatt.Measurement;

namespace TrainWatt.Telemetry;

/// <summary>
/// Wraps the store sink and feeds the live exporters: Prometheus state (<see cref="LiveMetrics"/>) and MLflow
/// (<see cref="MlflowLogger"/>). Creating the run in the store fails the measurement as before (exit 73). A store
/// outage later (a PostgreSQL server going away) is queued and replayed by the store sink, which does not throw for it;
/// should an inner sink throw a <see cref="TrainWatt.Storage.StoreException"/> anyway, it is reported once and that
/// sink is not called again, but the exporters keep getting every sample and epoch: the store does not blind the
/// monitoring. The exporters never throw into the measurement (MLflow is queued; the metrics state is in memory).
/// </summary>
/// <param name="inner">The store sink.</param>
/// <param name="metrics">Prometheus state, or null.</param>
/// <param name="mlflow">MLflow logger, or null.</param>
/// <param name="time">Clock for MLflow metric timestamps.</param>
/// <param name="storeLocation">Masked store location, logged as a tag.</param>
/// <param name="say">Where the one store-failure warning goes (stderr).</param>
/// <param name="projector">
/// Hook for the STEP projector (h/step's <c>LiveProjector</c>): called once per finished epoch, in order, from the
/// sampling thread; returns the projected total or null (not yet stable). Until it is wired (null), Prometheus serves
/// only the projection gauge's HELP/TYPE lines and MLflow gets no projection metrics.
/// </param>
internal sealed class TelemetrySink(IMeasurementSink inner, LiveMetrics? metrics, MlflowLogger? mlflow, TimeProvider time, string storeLocation,
    Func<MeasuredEpoch, EnergyProjection?>? projector = null, Action<string>? say = null) : IMeasurementSink
{
    private bool _storeFailed;

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
        metrics?.Samples(samples);
        if (!_storeFailed)
        {
            try
            {
                inner.AppendSamples(samples);
            }
            catch (TrainWatt.Storage.StoreException e)
            {
                StoreFailed(e);
            }
        }
    }

    public void RecordEpoch(MeasuredEpoch epoch)
    {
        Store(() => inner.RecordEpoch(epoch));
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

    public void RecordMetric(string name, double value, TimeSpan elapsed) => Store(() => inner.RecordMetric(name, value, elapsed));

    private void Store(Action write)
    {
        if (_storeFailed)
        {
            return;
        }

        try
        {
            write();
        }
        catch (TrainWatt.Storage.StoreException e)
        {
            StoreFailed(e);
        }
    }

    private void StoreFailed(TrainWatt.Storage.StoreException e)
    {
        _storeFailed = true;
        say?.Invoke($"warning: the store could not be written ({e.Message}); measuring and the metrics exporters continue, but samples are no longer saved.");
    }

    public void FinishRun(MeasurementSummary summary)
    {
        if (!_storeFailed)
        {
            inner.FinishRun(summary);
        }

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
                new("trainwatt.provenance", string.Join(",", summary.Channels.Select(c => $"{c.Channel.Id}={TrainWatt.Core.ProvenanceText.Name(c.Channel.Provenance)}"))),
            };
            mlflow.LogBatch([], parameters, tags);
        }
    }
}
