using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Tests.Sampling;

/// <summary>A scripted channel: power and (for counter channels) the exact cumulative energy as functions of seconds.</summary>
internal sealed record FakeChannel(string Id, Provenance Provenance, Func<double, double> PowerWatts, Func<double, double>? EnergyJoules = null)
{
    /// <summary>Counter value at t = 0, so tests prove the sampler subtracts the first reading.</summary>
    public double CounterOffsetJoules { get; init; } = 123_456.0;

    /// <summary>Reads (0-based) at which this channel reports no value.</summary>
    public ISet<int> MissingReads { get; init; } = new HashSet<int>();
}

/// <summary>
/// An <see cref="IMeter"/> driven by a <see cref="TimeProvider"/> and scripted curves; counts reads and can throw on
/// the Nth one (a meter that disappears).
/// </summary>
internal sealed class FakeMeter : IMeter
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly FakeChannel[] _channels;

    public FakeMeter(TimeProvider time, params FakeChannel[] channels)
    {
        _time = time;
        _start = time.GetTimestamp();
        _channels = channels;
        Channels = [.. channels.Select(c => new MeterChannel(c.Id, c.Id.Split(':')[0], "fake " + c.Id, c.Provenance))];
    }

    public string Name => "fake";

    public IReadOnlyList<MeterChannel> Channels { get; }

    public int Reads { get; private set; }

    public int ThrowOnRead { get; init; } = -1;

    /// <summary>A read (0-based) that advances the fake clock before reading, as a thread descheduled inside Read.</summary>
    public (int Read, TimeSpan Stall)? StallOnRead { get; set; }

    public MeterReading Read()
    {
        int read = Reads++;
        if (read == ThrowOnRead)
        {
            throw new InvalidOperationException("fake driver unloaded");
        }

        if (StallOnRead is { } stall && stall.Read == read && _time is Microsoft.Extensions.Time.Testing.FakeTimeProvider fake)
        {
            fake.Advance(stall.Stall);
        }

        var elapsed = _time.GetElapsedTime(_start);
        double t = elapsed.TotalSeconds;
        var values = new ChannelReading[_channels.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var c = _channels[i];
            values[i] = c.MissingReads.Contains(read)
                ? new ChannelReading(c.Id, null, null, Error: "scripted gap")
                : new ChannelReading(
                    c.Id,
                    Power.FromWatts(c.PowerWatts(t)),
                    c.EnergyJoules is null ? null : Energy.FromJoules(c.CounterOffsetJoules + c.EnergyJoules(t)));
        }

        return new MeterReading(_time.GetUtcNow(), elapsed, values);
    }

    public void Dispose()
    {
    }
}

/// <summary>An <see cref="Sampling.IMeasurementSink"/> that keeps everything in lists, with the elapsed time of each batch.</summary>
internal sealed class MemorySink : TrainWatt.Meters.Sampling.IMeasurementSink
{
    private readonly Func<TimeSpan>? _clock;

    public MemorySink(Func<TimeSpan>? clock = null) => _clock = clock;

    public TrainWatt.Meters.Sampling.MeasurementRunInfo? Run { get; private set; }

    public List<(TimeSpan FlushedAt, TrainWatt.Meters.Sampling.ChannelSample[] Samples)> Batches { get; } = [];

    public List<TrainWatt.Meters.Sampling.MeasuredEpoch> Epochs { get; } = [];

    public List<(string Name, double Value)> Metrics { get; } = [];

    public TrainWatt.Meters.Sampling.MeasurementSummary? Summary { get; private set; }

    public bool ThrowOnAppend { get; set; }

    public string BeginRun(TrainWatt.Meters.Sampling.MeasurementRunInfo run)
    {
        Run = run;
        return "run-1";
    }

    public void AppendSamples(ReadOnlySpan<TrainWatt.Meters.Sampling.ChannelSample> samples)
    {
        if (ThrowOnAppend)
        {
            throw new IOException("disk full");
        }

        Batches.Add((_clock?.Invoke() ?? TimeSpan.Zero, samples.ToArray()));
    }

    public void RecordEpoch(TrainWatt.Meters.Sampling.MeasuredEpoch epoch) => Epochs.Add(epoch);

    public void RecordMetric(string name, double value, TimeSpan elapsed) => Metrics.Add((name, value));

    public void FinishRun(TrainWatt.Meters.Sampling.MeasurementSummary summary) => Summary = summary;
}
