using System.Globalization;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>Per-epoch measurements cut from a power trace, plus what was noticed while cutting.</summary>
/// <param name="Epochs">One measurement per epoch end, in order; empty when <see cref="Error"/> is set.</param>
/// <param name="Warnings">Non-fatal findings (an epoch without any sample).</param>
/// <param name="Error">Why no split could be made (no power samples, time going backwards), or null.</param>
public sealed record EpochSplit(IReadOnlyList<EpochMeasurement> Epochs, IReadOnlyList<string> Warnings, string? Error)
{
    /// <summary>Sum of all epoch energies: the trapezoidal energy of every kept sample, in joules.</summary>
    public Energy Total => Epochs.Aggregate(Energy.Zero, (sum, e) => sum + e.Energy);
}

/// <summary>
/// Cuts a power trace into epochs with the paper's rule (paper-notes 1.4-1.5, <c>_add_epoch_number</c> and
/// <c>build_epoch_energy_dataset</c>): a sample at time t belongs to epoch k when <c>end_{k−1} &lt; t ≤ end_k</c>
/// (samples before <c>end_0</c> belong to epoch 0, samples after the last end are dropped); the last sample of each
/// epoch is duplicated as the first point of the next, and each epoch is integrated with the trapezoidal rule over
/// real timestamps. The epoch energies therefore add up exactly to the trapezoidal energy of all kept samples.
/// Samples without a power value are skipped, never read as 0 W.
/// </summary>
public static class EpochEnergies
{
    public static EpochSplit Split(IReadOnlyList<GpuSample> samples, IReadOnlyList<DateTime> epochEnds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var splitter = new EpochSplitter(epochEnds);
        foreach (var sample in samples)
        {
            splitter.Add(sample);
        }

        return splitter.Complete();
    }
}

/// <summary>
/// <see cref="EpochEnergies.Split"/> as the samples arrive, in file order: memory holds one measurement per epoch and
/// the latest point, whatever the number of samples (<c>trainwatt project</c> streams its trace through one per GPU).
/// Same rule, same results, same warnings and errors as the list form, which is built on it.
/// </summary>
public sealed class EpochSplitter
{
    private readonly IReadOnlyList<DateTime> _ends;
    private readonly List<EpochMeasurement> _epochs;
    private readonly List<string> _epochWarnings = [];
    private string? _negativeWarning;
    private int _negative;
    private string? _backwards;
    private string? _clock;
    private bool _completed;

    private bool _any;
    private (DateTime Time, double Watts) _last;
    private DateTime _previousEnd;
    private int _epoch;
    private double _joules;
    private double _sumWatts;
    private int _count;
    private bool _carried;

    /// <param name="epochEnds">The epochs' end times, in order.</param>
    public EpochSplitter(IReadOnlyList<DateTime> epochEnds)
    {
        ArgumentNullException.ThrowIfNull(epochEnds);
        _ends = epochEnds;
        _epochs = new List<EpochMeasurement>(epochEnds.Count);
    }

    /// <summary>Adds the next sample (file order). Samples without power, or with a negative one, are left out.</summary>
    public void Add(in GpuSample sample)
    {
        if (_completed)
        {
            throw new InvalidOperationException("EpochSplitter.Add after Complete.");
        }

        if (_backwards is not null || sample.Power is not { } power)
        {
            return;
        }

        if (power.Watts < 0)
        {
            // No meter reads a negative power: the sample is left out, as EnergyIntegrator does.
            if (_negative++ == 0)
            {
                _negativeWarning = string.Create(CultureInfo.InvariantCulture,
                    $"line {sample.Line}: power {power.Watts:0.###} W is negative, which no meter reads; the sample is left out (as every negative one).");
            }

            return;
        }

        var point = (sample.Timestamp, power.Watts);
        if (!_any)
        {
            _any = true;
            _previousEnd = point.Timestamp;
            if (_ends.Count > 0 && _ends[0] < point.Timestamp)
            {
                _clock = $"epoch 0 ends at {_ends[0]:yyyy-MM-dd HH:mm:ss.fff}, before the first power sample at {point.Timestamp:yyyy-MM-dd HH:mm:ss.fff}: the epoch log and the trace do not share a clock.";
            }
        }
        else if (point.Timestamp < _last.Time)
        {
            _backwards = $"time goes backwards at line {sample.Line} ({sample.Timestamp:yyyy-MM-dd HH:mm:ss.fff}); sort or repair the trace.";
            return;
        }

        if (_clock is null)
        {
            while (_epoch < _ends.Count && point.Timestamp > _ends[_epoch])
            {
                CloseEpoch();
            }

            if (_epoch < _ends.Count)
            {
                if (_carried)
                {
                    _joules += (point.Timestamp - _last.Time).TotalSeconds * (point.Watts + _last.Watts) / 2;
                }

                _sumWatts += point.Watts;
                _count++;
                _carried = true;
            }
        }

        _last = point;
    }

    /// <summary>Ends the series: one measurement per epoch end, or the reason there can be none.</summary>
    public EpochSplit Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("EpochSplitter.Complete called twice.");
        }

        _completed = true;
        var warnings = new List<string>();
        if (_negativeWarning is not null)
        {
            warnings.Add(_negativeWarning);
        }

        string? error = _backwards
            ?? (!_any ? "the trace has no power samples." : null)
            ?? (_ends.Count == 0 ? "there are no epoch ends." : null)
            ?? _clock;
        if (error is not null)
        {
            return new EpochSplit([], warnings, error);
        }

        while (_epoch < _ends.Count)
        {
            CloseEpoch();
        }

        warnings.AddRange(_epochWarnings);
        return new EpochSplit(_epochs, warnings, null);
    }

    private void CloseEpoch()
    {
        DateTime end = _ends[_epoch];
        if (_count == 0)
        {
            _epochWarnings.Add($"epoch {_epoch} has no power sample (it is shorter than the sampling interval); its energy is counted in the next epoch.");
        }

        var duration = end - _previousEnd;
        var meanSample = _count > 0
            ? Power.FromWatts(_sumWatts / _count)
            : duration > TimeSpan.Zero ? Energy.FromJoules(_joules) / duration : Power.Zero;
        _epochs.Add(new EpochMeasurement(_epoch, end, duration, Energy.FromJoules(_joules), meanSample, _count));
        _previousEnd = end;
        _epoch++;
        (_joules, _sumWatts, _count) = (0, 0, 0);
    }
}
