using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>Energy of one stored device from its samples (used by <c>runs show</c> and the exporters).</summary>
public static class DeviceEnergyCalculator
{
    /// <summary>
    /// Counter devices: last minus first cumulative energy (provenance Counter). Otherwise Core's
    /// <see cref="EnergyAccounting.Integrate(DeviceTrace, EnergyOptions?)"/> with its defaults over the samples that report
    /// power (trapezoid on the real time stamps, gaps over 5 s left out; provenance of the device, normally Sampled).
    /// Samples must be in time order.
    /// </summary>
    public static StoredDeviceEnergy Compute(StoredDevice device, IReadOnlyList<SampleRecord> samples)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return new StoredDeviceEnergy(device, 0, null, null, null, device.Provenance, null, null, null, TimeSpan.Zero);
        }

        TimeSpan maxGap = TimeSpan.Zero;
        Energy? firstCounter = null;
        Energy? lastCounter = null;
        var withPower = new List<GpuSample>(samples.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (i > 0 && sample.Timestamp - samples[i - 1].Timestamp > maxGap)
            {
                maxGap = sample.Timestamp - samples[i - 1].Timestamp;
            }

            if (sample.CumulativeEnergy is { } counter)
            {
                firstCounter ??= counter;
                lastCounter = counter;
            }

            if (sample.Power is not null)
            {
                withPower.Add(new GpuSample(sample.Timestamp.UtcDateTime, sample.Power, null, null, null, null, sample.SourceLine ?? 0));
            }
        }

        EnergyResult? integrated = withPower.Count >= 2
            ? EnergyAccounting.Integrate(new DeviceTrace(device.Key, device.Key, device.Name, withPower)).Result
            : null;

        Energy? energy = null;
        var provenance = device.Provenance;
        if (firstCounter is { } first && lastCounter is { } last && device.Provenance == Provenance.Counter)
        {
            energy = last - first;
            provenance = Provenance.Counter;
        }
        else if (integrated is not null)
        {
            energy = integrated.Energy;
            provenance = device.Provenance == Provenance.Counter ? Provenance.Sampled : device.Provenance;
        }

        Power? mean = null;
        Power? max = null;
        if (withPower.Count > 0)
        {
            mean = Power.FromWatts(withPower.Average(s => s.Power!.Value.Watts));
            max = Power.FromWatts(withPower.Max(s => s.Power!.Value.Watts));
        }

        return new StoredDeviceEnergy(
            device,
            samples.Count,
            samples[0].Timestamp,
            samples[^1].Timestamp,
            energy,
            provenance,
            mean,
            max,
            samples.Count > 1 ? maxGap : null,
            integrated?.ExcludedDuration ?? TimeSpan.Zero);
    }
}
