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
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(gapRule);
        var integrator = new EnergyIntegrator(device.Key, device.Key, device.Name, gapRule.ApplyTo());
        long count = 0;
        long withPower = 0;
        double sumWatts = 0;
        double maxWatts = double.NegativeInfinity;
        DateTimeOffset? first = null;
        DateTimeOffset? previous = null;
        TimeSpan maxGap = TimeSpan.Zero;
        Energy? firstCounter = null;
        Energy? lastCounter = null;
        foreach (var sample in samples)
        {
            count++;
            first ??= sample.Timestamp;
            if (previous is { } before && sample.Timestamp - before > maxGap)
            {
                maxGap = sample.Timestamp - before;
            }

            previous = sample.Timestamp;
            if (sample.CumulativeEnergy is { } counter)
            {
                firstCounter ??= counter;
                lastCounter = counter;
            }

            if (sample.Power is { } power)
            {
                withPower++;
                sumWatts += power.Watts;
                maxWatts = Math.Max(maxWatts, power.Watts);
                integrator.Add(new GpuSample(sample.Timestamp.UtcDateTime, power, null, null, null, null, sample.SourceLine ?? 0));
            }
        }

        if (count == 0)
        {
            return new StoredDeviceEnergy(device, 0, null, null, null, device.Provenance, null, null, null, TimeSpan.Zero);
        }

        EnergyResult? integrated = integrator.Complete().Result;
        Energy? energy = null;
        var provenance = device.Provenance;
        if (firstCounter is { } start && lastCounter is { } end && device.Provenance == Provenance.Counter)
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
            count,
            first,
            previous,
            energy,
            provenance,
            withPower > 0 ? Power.FromWatts(sumWatts / withPower) : null,
            withPower > 0 ? Power.FromWatts(maxWatts) : null,
            count > 1 ? maxGap : null,
            integrated?.ExcludedDuration ?? TimeSpan.Zero)
        {
            SampledEnergy = isCounter && withPower > 1 ? integrated?.Energy : null,
        };
    }
}
