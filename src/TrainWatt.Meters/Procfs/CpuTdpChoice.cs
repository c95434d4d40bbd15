using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Procfs;

/// <summary>
/// The TDP the CPU model charges for the CPUs the run may use, and why: <c>--cpu-tdp</c>; else the part's row of
/// <c>data/cpus.csv</c> scaled to the CPUs we have; else <see cref="ProcessTreeMeter.DefaultCpuTdp"/>.
/// </summary>
/// <param name="Tdp">The power the model multiplies by the utilisation of the CPUs we may use.</param>
/// <param name="Provenance"><see cref="Core.Provenance.UserGiven"/> for <c>--cpu-tdp</c>, else <see cref="Core.Provenance.Model"/>.</param>
/// <param name="Source">One line: where <paramref name="Tdp"/> comes from and how it was scaled.</param>
/// <param name="Spec">The table row used, or null.</param>
/// <param name="Warning">Set when a VM or container slice is charged the default's whole socket: give <c>--cpu-tdp</c>.</param>
public sealed record CpuTdpChoice(Power Tdp, Provenance Provenance, string Source, CpuSpec? Spec, string? Warning)
{
    private static string W(Power p) => p.Watts.ToString("0.##", CultureInfo.InvariantCulture) + " W";

    private static string N(double n) => n.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// Chooses the TDP. With a table row: in a VM (cpuinfo's <c>hypervisor</c> flag) each available CPU is a virtual
    /// CPU, one hardware thread: TDP × available / threads per socket. On bare metal the available CPUs are counted in
    /// cores (available / the threads per core the kernel sees): per-core TDP × cores, at most sockets × TDP.
    /// </summary>
    public static CpuTdpChoice Choose(CpuIdentity identity, Power? userTdp, CpuSpecTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        double available = identity.AvailableCpus;
        if (userTdp is Power given)
        {
            return new CpuTdpChoice(given, Provenance.UserGiven, $"TDP {W(given)} (--cpu-tdp) for the {N(available)} CPUs we may use", null, null);
        }

        var spec = (table ?? CpuSpecTable.Default).Match(identity.ModelName);
        if (spec is not null)
        {
            string cited = $"{spec.Name}: {W(spec.ThermalDesignPower)} per socket of {spec.Cores} cores / {spec.Threads} threads (data/cpus.csv: {spec.Source}, {spec.Year})";
            if (identity.Hypervisor)
            {
                var slice = spec.PerThread * Math.Min(available, spec.Threads);
                return new CpuTdpChoice(slice, Provenance.Model,
                    $"{cited}; a VM with {N(available)} virtual CPUs, each one thread: {W(spec.PerThread)} × {N(available)} = {W(slice)}", spec, null);
            }

            double threadsPerCore = identity.Cores > 0 ? Math.Max(1.0, (double)identity.Threads / identity.Cores) : 1.0;
            double cores = available / threadsPerCore;
            var tdp = spec.PerCore * Math.Min(cores, (double)spec.Cores * identity.Sockets);
            return new CpuTdpChoice(tdp, Provenance.Model,
                $"{cited}; {N(cores)} cores available: {W(spec.PerCore)} per core × {N(cores)} = {W(tdp)}", spec, null);
        }

        var fallback = ProcessTreeMeter.DefaultCpuTdp;
        string model = identity.ModelName is null ? "CPU without a model name" : $"CPU \"{identity.ModelName}\"";
        string? warning = identity.Hypervisor || identity.Limited
            ? $"{model} is not in data/cpus.csv, and this is a {(identity.Hypervisor ? "VM" : "container")} slice of {N(available)} CPUs: the model would charge the default {W(fallback)} of a whole CPU to it. " +
              $"Give --cpu-tdp WATTS: the part's TDP per core × {N(available)}."
            : null;
        return new CpuTdpChoice(fallback, Provenance.Model, $"default TDP {W(fallback)} ({model} is not in data/cpus.csv; give --cpu-tdp for your CPU)", null, warning);
    }
}
