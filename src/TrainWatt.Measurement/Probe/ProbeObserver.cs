using TrainWatt.Core.Epochs;
using TrainWatt.Core.Projection;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Measurement.Probe;

/// <summary>
/// Follows a probed run through the pipeline and fills a <see cref="ProbeTimeline"/>: the run's cumulative energy from
/// every sample batch, each epoch end, and each progress line (<see cref="StepProgressParser"/>).
/// </summary>
/// <param name="started">Called once when the run exists (the command starts right after): starts the probe's clock.</param>
internal sealed class ProbeObserver(Action started) : IMeasurementObserver
{
    private readonly Lock _gate = new();
    private readonly ProbeTimeline _timeline = new();
    private readonly StepProgressParser _steps = new();
    private readonly Dictionary<int, double> _channelJoules = [];
    private int _epochsEnded;

    public void RunStarted(string runId, MeasurementRunInfo run) => started();

    public void Samples(ReadOnlySpan<ChannelSample> samples)
    {
        lock (_gate)
        {
            foreach (ref readonly var sample in samples)
            {
                _channelJoules[sample.ChannelIndex] = sample.Energy.Joules;
                _timeline.AddEnergy(sample.Elapsed, _channelJoules.Values.Sum());
            }
        }
    }

    public void EpochEnded(EpochReport report)
    {
        var epoch = report.Epoch;
        lock (_gate)
        {
            if (!epoch.EndedAtExit)
            {
                _timeline.AddEpochEnd(epoch.Number, epoch.End);
            }

            _epochsEnded = Math.Max(_epochsEnded, epoch.Number);
            if (epoch.TotalEpochs is int total)
            {
                _timeline.PlannedEpochs = total;
            }
        }
    }

    public void OutputLine(string line, TimeSpan elapsed)
    {
        lock (_gate)
        {
            _timeline.OutputLines++;
            if (_steps.Scan(line) is { } progress)
            {
                _timeline.AddStep(elapsed, progress, _epochsEnded + 1);
            }

            _timeline.PlannedSteps = _steps.PlannedSteps ?? _timeline.PlannedSteps;
            if (_timeline.PlannedEpochs is null && _steps.PlannedEpochs is int epochs)
            {
                _timeline.PlannedEpochs = epochs;
            }
        }
    }

    /// <summary>The timeline once the run is over; <paramref name="plannedEpochs"/> (the run's planned epochs as the detector read them) fills a gap.</summary>
    public ProbeTimeline Complete(int? plannedEpochs)
    {
        lock (_gate)
        {
            _timeline.PlannedEpochs ??= plannedEpochs;
            return _timeline;
        }
    }
}
