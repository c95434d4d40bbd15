using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>Energy of one stored device from its samples (used by <c>runs show</c> and the exporters).</summary>
public static class DeviceEnergyCalculator
{
    /// <summary>
    /// Counter devices: last minus first cumulative energy (provenance Counter). Otherwise: trapezoidal rule of power on the
    /// real timestamps over consecutive samples that both report power (provenance of the samples, normally Sampled).
    /// Samples must be in time order.
    /// </summary>
    public static DeviceEnergy Compute(StoredDevice device, IReadOnlyList<SampleRecord> samples)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return new DeviceEnergy(device, 0, null, null, null, device.Provenance, null, null, null);
        }

        TimeSpan maxGap = TimeSpan.Zero;
        double sumPower = 0;
        int powerCount = 0;
        double? maxPower = null;
        double trapezoidJoules = 0;
        SampleRecord? previousWithPower = null;
        Energy? firstCounter = null;
        Energy? lastCounter = null;
        for (int i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (i > 0)
            {
                var gap = sample.Timestamp - samples[i - 1].Timestamp;
                if (gap > maxGap)
                {
                    maxGap = gap;
                }
            }

            if (sample.CumulativeEnergy is { } counter)
            {
                firstCounter ??= counter;
                lastCounter = counter;
            }

            if (sample.Power is { } power)
            {
                sumPower += power.Watts;
                powerCount++;
                maxPower = maxPower is null ? power.Watts : Math.Max(maxPower.Value, power.Watts);
                if (previousWithPower is { Power: { } previousPower } previous)
                {
                    double seconds = (sample.Timestamp - previous.Timestamp).TotalSeconds;
                    trapezoidJoules += seconds * (previousPower.Watts + power.Watts) / 2.0;
                }

                previousWithPower = sample;
            }
        }

        Energy? energy;
        Provenance provenance;
        if (firstCounter is { } first && lastCounter is { } last && device.Provenance == Provenance.Counter)
        {
            energy = last - first;
            provenance = Provenance.Counter;
        }
        else if (powerCount > 0)
        {
            energy = Energy.FromJoules(trapezoidJoules);
            provenance = device.Provenance == Provenance.Counter ? Provenance.Sampled : device.Provenance;
        }
        else
        {
            energy = null;
            provenance = device.Provenance;
        }

        return new DeviceEnergy(
            device,
            samples.Count,
            samples[0].Timestamp,
            samples[^1].Timestamp,
            energy,
            provenance,
            powerCount > 0 ? Power.FromWatts(sumPower / powerCount) : null,
            maxPower is { } max ? Power.FromWatts(max) : null,
            samples.Count > 1 ? maxGap : null);
    }
}
