using TrainWatt.Storage;

namespace TrainWatt.Reporting;

/// <summary>A stored run as the report's plots draw it.</summary>
public static class StoredTimeline
{
    /// <summary>Time buckets of a device's power over its time range: two per pixel column of the plot.</summary>
    public const int Buckets = 2 * ReportPlots.Width;

    /// <summary>
    /// Power series per device and epoch spans of one stored run, in seconds since its start. The samples are read once
    /// per device (<see cref="IRunStore.VisitSamples"/>) and not held: a device with more than 4 × <see cref="Buckets"/>
    /// power readings is cut into <see cref="Buckets"/> equal time buckets, each kept as its first, lowest, highest and
    /// last reading in time order (M4 aggregation: the line through them covers the same pixels as the line through
    /// every reading), so memory is bounded by the plot's width, not the run's length. Energies come from the run's
    /// <see cref="RunDetails"/>, never from these points.
    /// </summary>
    public static (IReadOnlyList<PowerSeries> Series, IReadOnlyList<EpochSpan> Epochs) Timeline(IRunStore store, RunDetails details)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(details);
        var start = details.Run.Started;
        var builders = details.Devices.Select(device =>
        {
            var energy = details.Energy.FirstOrDefault(e => e.Device.Id == device.Id);
            return new PowerSeriesBuilder(start, energy?.First, energy?.Last, energy?.Samples ?? 0, Buckets);
        }).ToList();
        store.VisitSamples(details.Run.Id, [.. details.Devices.Select((d, i) => (d.Id, (ISampleVisitor)builders[i]))]);
        return (Series(details, builders), Epochs(details));
    }

    /// <summary>
    /// The run (<see cref="IRunStore.GetRun(long)"/>) and its timeline in one read of the samples: for an ended run the
    /// buckets span the run (start to end; decimated when the run has more than 4 × <see cref="Buckets"/> samples), read
    /// in the pass that computes the energies; a run still going is read again by <see cref="Timeline"/>. Null when
    /// there is no such run.
    /// </summary>
    public static (RunDetails Details, IReadOnlyList<PowerSeries> Series, IReadOnlyList<EpochSpan> Epochs)? Read(IRunStore store, long runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var builders = new Dictionary<long, PowerSeriesBuilder>();
        var details = store.GetRun(runId, (run, device) => run.Ended is { } end
            ? builders[device.Id] = new PowerSeriesBuilder(run.Started, run.Started, end, run.SampleCount, Buckets)
            : null);
        if (details is null)
        {
            return null;
        }

        if (details.Devices.All(d => builders.ContainsKey(d.Id)))
        {
            return (details, Series(details, [.. details.Devices.Select(d => builders[d.Id])]), Epochs(details));
        }

        var (series, epochs) = Timeline(store, details);
        return (details, series, epochs);
    }

    private static List<PowerSeries> Series(RunDetails details, IReadOnlyList<PowerSeriesBuilder> builders)
    {
        var series = new List<PowerSeries>();
        for (int i = 0; i < builders.Count; i++)
        {
            var (seconds, watts) = builders[i].Points();
            if (seconds.Length == 0)
            {
                continue;
            }

            var device = details.Devices[i];
            series.Add(new PowerSeries($"{device.Key} ({(device.Name is null ? "" : device.Name + ", ")}{Core.ProvenanceText.Name(device.Provenance)})", seconds, watts));
        }

        return series;
    }

    private static EpochSpan[] Epochs(RunDetails details) => [.. details.Epochs
        .Select(e => new EpochSpan(e.Number, (e.Start - details.Run.Started).TotalSeconds, (e.End - details.Run.Started).TotalSeconds, e.Energy?.Joules))];
}

/// <summary>
/// One device's power readings for the timeline, in seconds since <c>start</c>: every reading when the device has at most
/// 4 × <c>buckets</c> samples, else the first, lowest, highest and last reading of each of <c>buckets</c> equal time
/// buckets between its first and last sample (ties: the earliest), in time order, each once.
/// </summary>
internal sealed class PowerSeriesBuilder(DateTimeOffset start, DateTimeOffset? first, DateTimeOffset? last, long samples, int buckets) : ISampleVisitor
{
    private readonly bool _decimate = samples > 4L * buckets && first is not null && last > first;
    private readonly double _from = first is { } f ? (f - start).TotalSeconds : 0;
    private readonly double _span = first is { } f && last is { } l ? (l - f).TotalSeconds : 0;
    private readonly List<double> _seconds = [];
    private readonly List<double> _watts = [];
    private int _bucket = -1;
    private (double T, double W) _first, _low, _high, _last;

    public void Visit(in SampleRecord sample)
    {
        if (sample.Power is not { } power)
        {
            return;
        }

        double t = (sample.Timestamp - start).TotalSeconds, w = power.Watts;
        if (!_decimate)
        {
            _seconds.Add(t);
            _watts.Add(w);
            return;
        }

        int bucket = Math.Clamp((int)((t - _from) / _span * buckets), 0, buckets - 1);
        if (bucket != _bucket)
        {
            Flush();
            _bucket = bucket;
            _first = _low = _high = (t, w);
        }

        if (w < _low.W)
        {
            _low = (t, w);
        }

        if (w > _high.W)
        {
            _high = (t, w);
        }

        _last = (t, w);
    }

    /// <summary>The points kept, in time order.</summary>
    public (double[] Seconds, double[] Watts) Points()
    {
        Flush();
        _bucket = -1;
        return ([.. _seconds], [.. _watts]);
    }

    private void Flush()
    {
        if (_bucket < 0)
        {
            return;
        }

        (double T, double W) previous = (double.NaN, double.NaN);
        foreach (var point in new[] { _first, _low, _high, _last }.OrderBy(p => p.T))
        {
            if (!point.Equals(previous))
            {
                _seconds.Add(point.T);
                _watts.Add(point.W);
                previous = point;
            }
        }
    }
}
