using TrainWatt.Meters.Sampling;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// Calls every observer in order; one that throws is reported once (with its type) and not called again for the run,
/// so a failing exporter can never stop the measurement, the store or the other observers.
/// </summary>
internal sealed class ObserverSet(IReadOnlyList<IMeasurementObserver> observers, Action<string> say)
{
    private readonly bool[] _failed = new bool[observers.Count];

    public void RunStarted(string runId, MeasurementRunInfo run) => Each(o => o.RunStarted(runId, run));

    public void Samples(ReadOnlySpan<ChannelSample> samples)
    {
        for (int i = 0; i < observers.Count; i++)
        {
            if (_failed[i])
            {
                continue;
            }

            try
            {
                observers[i].Samples(samples);
            }
            catch (Exception e)
            {
                Failed(i, e);
            }
        }
    }

    public void EpochEnded(EpochReport report) => Each(o => o.EpochEnded(report));

    public void MetricReported(string name, double value, TimeSpan elapsed) => Each(o => o.MetricReported(name, value, elapsed));

    public void OutputLine(string line, TimeSpan elapsed)
    {
        for (int i = 0; i < observers.Count; i++)
        {
            if (_failed[i])
            {
                continue;
            }

            try
            {
                observers[i].OutputLine(line, elapsed);
            }
            catch (Exception e)
            {
                Failed(i, e);
            }
        }
    }

    public void Progress(SamplerSnapshot snapshot) => Each(o => o.Progress(snapshot));

    public void RunFinished(MeasurementSummary summary) => Each(o => o.RunFinished(summary));

    public void Completed(MeasureResult result) => Each(o => o.RunCompleted(result));

    private void Each(Action<IMeasurementObserver> call)
    {
        for (int i = 0; i < observers.Count; i++)
        {
            if (_failed[i])
            {
                continue;
            }

            try
            {
                call(observers[i]);
            }
            catch (Exception e)
            {
                Failed(i, e);
            }
        }
    }

    private void Failed(int index, Exception e)
    {
        _failed[index] = true;
        say($"warning: {observers[index].GetType().Name} failed ({e.GetType().Name}: {e.Message}); it is off for the rest of the run, the measurement goes on.");
    }
}
