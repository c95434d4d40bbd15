using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>Energy of one stored device from its samples (used by <c>runs show</c> and the exporters).</summary>
public static class DeviceEnergyCalculator
{
    /// <summary>
    /// Counter devices: last minus first cumulative energy (provenance Counter). Otherwise Core's streaming
    /// <see cref="EnergyIntegrator"/> over the samples that report power: trapezoid on the real time stamps, intervals
    /// that <paramref name="gapRule"/> calls gaps left out (provenance of the device, normally Sampled). Pass the run's
    /// <see cref="RunRecord.GapRule"/> (from its stored sampling interval), the rule the live sampler applied; for a run with no known
    /// interval that is <see cref="SampleGapRule.Default"/> (gaps over 5 s), the same rule as
    /// <see cref="EnergyAccounting.Integrate(DeviceTrace, EnergyOptions?)"/> with its defaults. Samples must come in
    /// time order; they are read once, in constant memory, so a days-long 10 Hz run does not have to fit in memory.
    /// </summary>
    public static StoredDeviceEnergy Compute(StoredDevice device, IEnumerable<SampleRecord> samples, SampleGapRule gapRule)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var accumulator = new DeviceEnergyAccumulator(device, gapRule);
        foreach (var sample in samples)
        {
            accumulator.Visit(sample);
        }

        return accumulator.Result();
    }
}

/// <summary>
/// <see cref="DeviceEnergyCalculator.Compute"/> one sample at a time (an <see cref="ISampleVisitor"/>), and, in the same
/// pass, the device's energy up to the epoch boundaries given (<see cref="StoredDeviceEnergy.EnergyAtFirstEpochStart"/>,
/// <see cref="StoredDeviceEnergy.EnergyAtLastEpochEnd"/>): what <see cref="DeviceEnergyCalculator.Compute"/> gives for the
/// samples at or before each instant, so <c>runs show</c>'s phase split needs no second and third read of the samples.
/// </summary>
public sealed class DeviceEnergyAccumulator : ISampleVisitor
{
    private readonly StoredDevice _device;
    private readonly EnergyIntegrator _integrator;
    private readonly long[] _cutTicks;
    private readonly Energy[] _atCut;
    private readonly bool _swapped;
    private int _nextCut;
    private long _count;
    private long _withPower;
    private double _sumWatts;
    private double _maxWatts = double.NegativeInfinity;
    private DateTimeOffset? _first;
    private DateTimeOffset? _previous;
    private TimeSpan _maxGap = TimeSpan.Zero;
    private Energy? _firstCounter;
    private Energy? _lastCounter;

    /// <param name="device">The device.</param>
    /// <param name="gapRule">The run's gap rule (<see cref="RunRecord.GapRule"/>).</param>
    /// <param name="firstEpochStart">With <paramref name="lastEpochEnd"/>: also the energy up to these two instants.</param>
    /// <param name="lastEpochEnd">The last epoch's end (not before <paramref name="firstEpochStart"/>).</param>
    public DeviceEnergyAccumulator(StoredDevice device, SampleGapRule gapRule, DateTimeOffset? firstEpochStart = null, DateTimeOffset? lastEpochEnd = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(gapRule);
        _device = device;
        _integrator = new EnergyIntegrator(device.Key, device.Key, device.Name, gapRule.ApplyTo());
        // Visited in time order, so the instants in ascending order (a last end before the first start: swapped back in At).
        _swapped = firstEpochStart is { } a && lastEpochEnd is { } b && b.UtcTicks < a.UtcTicks;
        _cutTicks = firstEpochStart is { } start && lastEpochEnd is { } end ? [Math.Min(start.UtcTicks, end.UtcTicks), Math.Max(start.UtcTicks, end.UtcTicks)] : [];
        _atCut = new Energy[_cutTicks.Length];
    }

    public void Visit(in SampleRecord sample)
    {
        var timestamp = sample.Timestamp;
        while (_nextCut < _cutTicks.Length && timestamp.UtcTicks > _cutTicks[_nextCut])
        {
            _atCut[_nextCut++] = EnergySoFar();
        }

        _count++;
        _first ??= timestamp;
        if (_previous is { } before && timestamp - before > _maxGap)
        {
            _maxGap = timestamp - before;
        }

        _previous = timestamp;
        if (sample.CumulativeEnergy is { } counter)
        {
            _firstCounter ??= counter;
            _lastCounter = counter;
        }

        if (sample.Power is { } power)
        {
            _withPower++;
            _sumWatts += power.Watts;
            _maxWatts = Math.Max(_maxWatts, power.Watts);
            _integrator.Add(new GpuSample(timestamp.UtcDateTime, power, null, null, null, null, sample.SourceLine ?? 0));
        }
    }

    /// <summary>The device's energy over every sample visited (call once, after the last).</summary>
    public StoredDeviceEnergy Result()
    {
        while (_nextCut < _cutTicks.Length)
        {
            _atCut[_nextCut++] = EnergySoFar();
        }

        var device = _device;
        if (_count == 0)
        {
            return new StoredDeviceEnergy(device, 0, null, null, null, device.Provenance, null, null, null, TimeSpan.Zero) { EnergyAtFirstEpochStart = At(0), EnergyAtLastEpochEnd = At(1) };
        }

        EnergyResult? integrated = _integrator.Complete().Result;
        Energy? energy = null;
        var provenance = device.Provenance;
        if (_firstCounter is { } start && _lastCounter is { } end && device.Provenance == Provenance.Counter)
        {
            energy = end - start;
            provenance = Provenance.Counter;
        }
        else if (integrated is not null)
        {
            energy = integrated.Energy;
            provenance = device.Provenance == Provenance.Counter ? Provenance.Sampled : device.Provenance;
        }

        bool isCounter = provenance == Provenance.Counter;
        return new StoredDeviceEnergy(
            device,
            _count,
            _first,
            _previous,
            energy,
            provenance,
            _withPower > 0 ? Power.FromWatts(_sumWatts / _withPower) : null,
            _withPower > 0 ? Power.FromWatts(_maxWatts) : null,
            _count > 1 ? _maxGap : null,
            integrated?.ExcludedDuration ?? TimeSpan.Zero)
        {
            SampledEnergy = isCounter && _withPower > 1 ? integrated?.Energy : null,
            EnergyAtFirstEpochStart = At(0),
            EnergyAtLastEpochEnd = At(1),
        };
    }

    private Energy? At(int cut) => cut < _atCut.Length ? _atCut[_swapped ? 1 - cut : cut] : null;

    /// <summary>What <see cref="Result"/> would give as the energy of the samples visited so far, zero for none (<c>StoredRunPhases</c>' rule).</summary>
    private Energy EnergySoFar()
        => _count > 0 && _firstCounter is { } start && _lastCounter is { } end && _device.Provenance == Provenance.Counter
            ? end - start
            : _count > 0 ? _integrator.EnergySoFar() ?? Energy.Zero : Energy.Zero;
}
