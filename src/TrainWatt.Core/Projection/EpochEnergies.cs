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
        ArgumentNullException.ThrowIfNull(epochEnds);
        var warnings = new List<string>();
        var points = new List<(DateTime Time, double Watts)>(samples.Count);
        int negative = 0;
        foreach (var sample in samples)
        {
            if (sample.Power is { Watts: < 0 } impossible)
            {
                // No meter reads a negative power: the sample is left out, as EnergyIntegrator does.
                if (negative++ == 0)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"line {sample.Line}: power {impossible.Watts:0.###} W is negative, which no meter reads; the sample is left out (as every negative one)."));
                }

                continue;
            }

            if (sample.Power is { } power)
            {
                if (points.Count > 0 && sample.Timestamp < points[^1].Time)
                {
                    return new EpochSplit([], warnings, $"time goes backwards at line {sample.Line} ({sample.Timestamp:yyyy-MM-dd HH:mm:ss.fff}); sort or repair the trace.");
                }

                points.Add((sample.Timestamp, power.Watts));
            }
        }

        if (points.Count == 0)
        {
            return new EpochSplit([], warnings, "the trace has no power samples.");
        }

        if (epochEnds.Count == 0)
        {
            return new EpochSplit([], warnings, "there are no epoch ends.");
        }

        if (epochEnds[0] < points[0].Time)
        {
            return new EpochSplit([], warnings, $"epoch 0 ends at {epochEnds[0]:yyyy-MM-dd HH:mm:ss.fff}, before the first power sample at {points[0].Time:yyyy-MM-dd HH:mm:ss.fff}: the epoch log and the trace do not share a clock.");
        }

        var epochs = new List<EpochMeasurement>(epochEnds.Count);
        int i = 0;
        (DateTime Time, double Watts)? carried = null;
        DateTime previousEnd = points[0].Time;
        for (int k = 0; k < epochEnds.Count; k++)
        {
            DateTime end = epochEnds[k];
            double joules = 0;
            double sumWatts = 0;
            int count = 0;
            var last = carried;
            while (i < points.Count && points[i].Time <= end)
            {
                var p = points[i];
                if (last is { } l)
                {
                    joules += (p.Time - l.Time).TotalSeconds * (p.Watts + l.Watts) / 2;
                }

                sumWatts += p.Watts;
                count++;
                last = p;
                i++;
            }

            if (count == 0)
            {
                warnings.Add($"epoch {k} has no power sample (it is shorter than the sampling interval); its energy is counted in the next epoch.");
            }

            var duration = end - previousEnd;
            var meanSample = count > 0
                ? Power.FromWatts(sumWatts / count)
                : duration > TimeSpan.Zero ? Energy.FromJoules(joules) / duration : Power.Zero;
            epochs.Add(new EpochMeasurement(k, end, duration, Energy.FromJoules(joules), meanSample, count));
            carried = last;
            previousEnd = end;
        }

        return new EpochSplit(epochs, warnings, null);
    }
}
