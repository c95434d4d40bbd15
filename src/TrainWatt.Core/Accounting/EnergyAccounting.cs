using System.Globalization;
using System.Runtime.CompilerServices;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// Pure functions from sampled power to energy: integration on the real time stamps, gaps, idle baseline, energy
/// per item. No I/O, no clock; every result carries <see cref="Provenance.Sampled"/> (or the baseline's own).
/// </summary>
public static class EnergyAccounting
{
    private const int MaxListedFaults = 100;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DeviceEnergy Integrate(DeviceTrace trace, EnergyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        options ??= EnergyOptions.Default;
        var faults = new List<TraceFault>();
        int unlisted = 0;
        void Report(TraceFault fault)
        {
            if (faults.Count < MaxListedFaults)
            {
                faults.Add(fault);
            }
            else
            {
                unlisted++;
            }
        }

        var samples = trace.Samples;
        int from = Math.Min(options.TrimStart, samples.Count);
        int to = Math.Max(from, samples.Count - options.TrimEnd);
        bool trapezoid = options.Method == IntegrationMethod.Trapezoid;
        bool bridge = options.GapPolicy == GapPolicy.Bridge;
        long gapTicks = options.GapThreshold.Ticks;

        double joules = 0;
        long integratedTicks = 0;
        long excludedTicks = 0;
        double sumWatts = 0;
        double maxWatts = double.NegativeInfinity;
        double minWatts = double.PositiveInfinity;
        int used = 0;
        int missing = 0;
        int firstMissingLine = 0;
        DateTime first = default;
        DateTime last = default;
        long prevTicks = 0;
        double prevWatts = 0;
        int prevLine = 0;

        for (int i = from; i < to; i++)
        {
            var sample = samples[i];
            if (sample.Power is not { } power)
            {
                if (missing++ == 0)
                {
                    firstMissingLine = sample.Line;
                }

                continue;
            }

            double watts = power.Watts;
            long ticks = sample.Timestamp.Ticks;
            if (used == 0)
            {
                first = sample.Timestamp;
            }
            else
            {
                long dt = ticks - prevTicks;
                if (dt < 0)
                {
                    Report(new TraceFault(FaultKind.NonMonotonicTime, trace.File, sample.Line,
                        $"device {trace.Device}: time stamp {Format(sample.Timestamp)} is {Seconds(-dt)} s before the previous sample's (line {prevLine}); the interval is not integrated."));
                }
                else
                {
                    bool gap = dt > gapTicks;
                    if (gap)
                    {
                        Report(new TraceFault(FaultKind.Gap, trace.File, sample.Line,
                            $"device {trace.Device}: {Seconds(dt)} s without a sample between lines {prevLine} and {sample.Line} (threshold {Seconds(gapTicks)} s); " +
                            (bridge ? "bridged (integrated as one interval)." : "not integrated: the energy covers only the sampled time.")));
                    }

                    if (!gap || bridge)
                    {
                        double seconds = dt / (double)TimeSpan.TicksPerSecond;
                        joules += trapezoid ? seconds * (prevWatts + watts) * 0.5 : seconds * prevWatts;
                        integratedTicks += dt;
                    }
                    else
                    {
                        excludedTicks += dt;
                    }
                }
            }

            used++;
            sumWatts += watts;
            maxWatts = Math.Max(maxWatts, watts);
            minWatts = Math.Min(minWatts, watts);
            last = sample.Timestamp;
            prevTicks = ticks;
            prevWatts = watts;
            prevLine = sample.Line;
        }

        if (missing > 0)
        {
            faults.Insert(0, new TraceFault(FaultKind.MissingValue, trace.File, firstMissingLine,
                $"device {trace.Device}: {missing} sample(s) have no power reading ([N/A] or [Not Supported]; first at line {firstMissingLine}); they are skipped, not read as 0 W."));
        }

        if (unlisted > 0)
        {
            faults.Add(new TraceFault(FaultKind.Gap, trace.File, 0, $"device {trace.Device}: {unlisted} more gap/time faults not listed."));
        }

        if (used < 2 || integratedTicks == 0)
        {
            string why = used < 2
                ? $"has {used} sample(s) with power after trimming {options.TrimStart}+{options.TrimEnd}; at least 2 are needed to integrate energy"
                : "has no positive time between its samples (all intervals were gaps, backward steps or zero)";
            faults.Add(new TraceFault(FaultKind.Fatal, trace.File, 0, $"device {trace.Device} {why}; no energy reported."));
            return new DeviceEnergy(trace.File, trace.Device, trace.GpuName, null, faults);
        }

        var integrated = TimeSpan.FromTicks(integratedTicks);
        var energy = Energy.FromJoules(joules);
        var result = new EnergyResult(
            used,
            first,
            last,
            integrated,
            TimeSpan.FromTicks(excludedTicks),
            energy,
            Power.FromWatts(sumWatts / used),
            energy / integrated,
            Power.FromWatts(maxWatts),
            Power.FromWatts(minWatts),
            options.Method,
            Provenance.Sampled);
        return new DeviceEnergy(trace.File, trace.Device, trace.GpuName, result, faults);
    }

    /// <summary>Integrates every device of a read result; fatal read results give an empty list.</summary>
    public static IReadOnlyList<DeviceEnergy> Integrate(TraceReadResult read, EnergyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.Devices.Select(d => Integrate(d, options)).ToList();
    }

    /// <summary>
    /// Idle power measured from a trace: the mean power of its first <paramref name="samples"/> samples that have
    /// power (taken before training starts, e.g. the 3 s the SEAA logger ran before training). Null when the trace
    /// has fewer such samples.
    /// </summary>
    public static Power? MeasureIdleBaseline(DeviceTrace trace, int samples)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        double sum = 0;
        int n = 0;
        foreach (var s in trace.Samples)
        {
            if (s.Power is { } p)
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

    private static string Seconds(long ticks) => (ticks / (double)TimeSpan.TicksPerSecond).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Format(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
