using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// The sampler's sink in the pipeline: each call goes to the run recorder first, then (for an epoch) through the live
/// projection, then to every observer. The recorder queues and retries store outages itself and does not throw for
/// them; should it throw anyway after the run exists (a bug, a refused write), that is reported once and the recorder
/// is not called again, while the projection and the observers keep getting every sample and epoch: the store never
/// blinds the monitoring. Creating the run (<see cref="BeginRun"/>) is the one store failure that fails the measurement.
/// </summary>
/// <param name="recorder">The run recorder (the store).</param>
/// <param name="recordProjection">Appends a projection to the run's stored history (through the recorder's queue).</param>
/// <param name="projection">The run's one STEP projector.</param>
/// <param name="observers">Who follows the run.</param>
/// <param name="say">Where the one recorder-failure warning goes.</param>
/// <param name="guard">Checks each epoch before the projection (bad input stops it); null: every epoch goes to the projection.</param>
/// <param name="cpu">Takes the run's CPU figures both ways when the run begins and finishes (<c>--cpu-attribution</c>); null: none.</param>
internal sealed class PipelineSink(
    IMeasurementSink recorder, Action<ProjectionEntry> recordProjection, LiveProjection projection, ObserverSet observers, Action<string> say,
    ProjectionInputGuard? guard = null, CpuAttributionTracker? cpu = null) : IMeasurementSink
{
    private bool _recorderFailed;

    public string BeginRun(MeasurementRunInfo run)
    {
        cpu?.Start();
        string id = recorder.BeginRun(run);
        observers.RunStarted(id, run);
        return id;
    }

    public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
    {
        if (!_recorderFailed)
        {
            try
            {
                recorder.AppendSamples(samples);
            }
            catch (StoreException e)
            {
                RecorderFailed(e);
            }
        }

        observers.Samples(samples);
    }

    public void RecordEpoch(MeasuredEpoch epoch)
    {
        var report = guard?.Check(epoch) ?? projection.Observe(epoch);
        Record(() =>
        {
            recorder.RecordEpoch(epoch);
            if (report.Projection is { } entry)
            {
                recordProjection(entry);
            }
        });
        observers.EpochEnded(report);
    }

    public void RecordMetric(string name, double value, TimeSpan elapsed)
    {
        Record(() => recorder.RecordMetric(name, value, elapsed));
        observers.MetricReported(name, value, elapsed);
    }

    public void FinishRun(MeasurementSummary summary)
    {
        cpu?.Finish();
        Record(() => recorder.FinishRun(summary));
        observers.RunFinished(summary);
    }

    private void Record(Action write)
    {
        if (_recorderFailed)
        {
            return;
        }

        try
        {
            write();
        }
        catch (StoreException e)
        {
            RecorderFailed(e);
        }
    }

    private void RecorderFailed(StoreException e)
    {
        _recorderFailed = true;
        say($"warning: the store could not be written ({e.Message}); measuring and the metrics exporters continue, but samples are no longer saved.");
    }
}
