using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// Pure functions from sampled power to energy: integration on the real time stamps, gaps, idle baseline, energy
/// per item. No I/O, no clock; every result carries <see cref="Provenance.Sampled"/> (or the baseline's own).
/// </summary>
public static class EnergyAccounting
{
    /// <summary>
    /// Integrates one device's power over time (joules from watts × seconds between real time stamps).
    /// </summary>
    /// <remarks>
    /// <para>Samples are used in file order after <see cref="EnergyOptions.TrimStart"/>/<see cref="EnergyOptions.TrimEnd"/>.
    /// A sample without power (<c>[N/A]</c>) is skipped (one <see cref="FaultKind.MissingValue"/> fault counts them) and
    /// its neighbours are joined; the joined interval is then judged like any other.</para>
    /// <para>An interval longer than <see cref="EnergyOptions.GapThreshold"/> is a <see cref="FaultKind.Gap"/>: with
    /// <see cref="GapPolicy.Exclude"/> (default) it is not integrated and its length goes to
    /// <see cref="EnergyResult.ExcludedDuration"/>; with <see cref="GapPolicy.Bridge"/> it is integrated and still
    /// reported. An interval whose time stamp goes backwards is never integrated
    /// (<see cref="FaultKind.NonMonotonicTime"/>).</para>
    /// <para>Fewer than two samples with power, or no positive integrated time, gives no result and a
    /// <see cref="FaultKind.Fatal"/> fault: never a silent zero.</para>
    /// </remarks>
    public static DeviceEnergy Integrate(DeviceTrace trace, EnergyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var integrator = new EnergyIntegrator(trace.File, trace.Device, trace.GpuName, options);
        foreach (var sample in trace.Samples)
        {
            integrator.Add(sample);
        }

        return integrator.Complete();
    }

    /// <summary>Integrates every device of a read result; fatal read results give an empty list.</summary>
    public static IReadOnlyList<DeviceEnergy> Integrate(TraceReadResult read, EnergyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.Devices.Select(d => Integrate(d, options)).ToList();
    }

    /// <summary>
    /// Idle power measured from a trace: the mean power of its first <paramref name="samples"/> samples that have
    /// power (taken before training starts, e.g. the 3 s the SEAA logger ran before training); negative readings,
    /// which <see cref="EnergyIntegrator"/> leaves out, are left out here too. Null when the trace has fewer such samples.
    /// </summary>
    public static Power? MeasureIdleBaseline(DeviceTrace trace, int samples)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        double sum = 0;
        int n = 0;
        foreach (var s in trace.Samples)
        {
            if (s.Power is { } p && p.Watts >= 0)
            {
                sum += p.Watts;
                if (++n == samples)
                {
                    return Power.FromWatts(sum / n);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Gross and net energy side by side: net = gross − <paramref name="baseline"/> × integrated duration.
    /// Net may be negative (a baseline above the run's mean power) and is reported as such.
    /// </summary>
    /// <param name="result">An integration result.</param>
    /// <param name="baseline">Idle power to subtract, in watts.</param>
    /// <param name="baselineProvenance"><see cref="Provenance.Sampled"/> when measured, <see cref="Provenance.UserGiven"/> when given.</param>
    public static BaselineEnergy SubtractBaseline(EnergyResult result, Power baseline, Provenance baselineProvenance)
    {
        ArgumentNullException.ThrowIfNull(result);
        var idle = baseline * result.IntegratedDuration;
        return new BaselineEnergy(result.Energy, result.Energy - idle, baseline, result.IntegratedDuration, baselineProvenance);
    }

    /// <summary>Energy per item (per seen image/sample/token): <paramref name="energy"/> / <paramref name="items"/>. Items must be positive.</summary>
    public static Energy PerItem(Energy energy, long items)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        return energy / items;
    }

    /// <summary>The sum of the energies of several devices (skipping those without a result).</summary>
    public static Energy Total(IEnumerable<DeviceEnergy> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var total = Energy.Zero;
        foreach (var d in devices)
        {
            if (d.Result is { } r)
            {
                total += r.Energy;
            }
        }

        return total;
    }
}
