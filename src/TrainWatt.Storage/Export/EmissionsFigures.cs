using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage.Export;

/// <summary>One component's part of a run (cpu, gpu or ram): IT energy, mean power, provenance, devices.</summary>
/// <param name="Energy">Sum of the component's device energies; null when no device of it has one.</param>
/// <param name="MeanPower">Sum over devices of energy / sampled span; null with <paramref name="Energy"/>.</param>
/// <param name="Provenance">The devices' provenances, '+'-joined in name order ("" when none).</param>
/// <param name="Devices">How many devices have an energy.</param>
public sealed record ComponentFigures(Energy? Energy, Power? MeanPower, string Provenance, int Devices);

/// <summary>
/// The numbers every emissions report of a stored run shares (CodeCarbon <c>emissions.csv</c>, BoAmps, model card):
/// component energies (IT, before PUE), IT energy, facility energy = IT × PUE, emissions = facility × intensity,
/// duration, and the hardware.
/// </summary>
/// <param name="Cpu">Devices of component "cpu".</param>
/// <param name="Gpu">Devices of component "gpu".</param>
/// <param name="Ram">Devices of component "ram" or "dram".</param>
/// <param name="It">IT energy (sum of the known components); null when none is known.</param>
/// <param name="Facility">IT × PUE.</param>
/// <param name="Emissions">Facility × intensity.</param>
/// <param name="Duration">The run's duration, else the longest sampled device span.</param>
/// <param name="GpuCount">GPU devices.</param>
/// <param name="GpuModels">"N x NAME" per GPU model.</param>
/// <param name="CpuModels">Distinct CPU device names.</param>
public sealed record EmissionsFigures(
    ComponentFigures Cpu,
    ComponentFigures Gpu,
    ComponentFigures Ram,
    Energy? It,
    Energy? Facility,
    CarbonMass? Emissions,
    TimeSpan Duration,
    int GpuCount,
    IReadOnlyList<string> GpuModels,
    IReadOnlyList<string> CpuModels)
{
    /// <summary>Computes the figures of <paramref name="details"/> under <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The PUE is below 1 or not finite.</exception>
    public static EmissionsFigures Of(RunDetails details, CarbonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(settings);
        if (!double.IsFinite(settings.Pue) || settings.Pue < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Pue, $"PUE must be at least 1.0; got {settings.Pue.ToString(CultureInfo.InvariantCulture)}.");
        }

        var cpu = Component(details, "cpu");
        var gpu = Component(details, "gpu");
        var ram = Component(details, "ram", "dram");
        var known = new[] { cpu, gpu, ram }.Where(c => c.Energy is not null).ToList();
        Energy? it = known.Count == 0 ? null : known.Aggregate(Energy.Zero, (sum, c) => sum + c.Energy!.Value);
        Energy? facility = it * settings.Pue;
        CarbonMass? emissions = facility is { } f ? f * settings.Intensity : null;
        TimeSpan duration = details.Run.Duration ?? (details.Energy.Where(e => e.First is not null && e.Last is not null)
            .Select(e => e.Last!.Value - e.First!.Value).DefaultIfEmpty(TimeSpan.Zero).Max());
        var gpuModels = details.Devices.Where(d => d.Component == "gpu")
            .GroupBy(d => d.Name ?? "unknown GPU", StringComparer.Ordinal)
            .Select(g => $"{g.Count()} x {g.Key}").ToList();
        var cpuModels = details.Devices.Where(d => d.Component == "cpu" && d.Name is not null).Select(d => d.Name!).Distinct(StringComparer.Ordinal).ToList();
        return new EmissionsFigures(cpu, gpu, ram, it, facility, emissions, duration, details.Devices.Count(d => d.Component == "gpu"), gpuModels, cpuModels);
    }

    private static ComponentFigures Component(RunDetails details, params string[] components)
    {
        var devices = details.Energy.Where(e => components.Contains(e.Device.Component, StringComparer.Ordinal) && e.Energy is not null).ToList();
        if (devices.Count == 0)
        {
            return new ComponentFigures(null, null, "", 0);
        }

        var energy = devices.Aggregate(Energy.Zero, (sum, d) => sum + d.Energy!.Value);
        double watts = devices
            .Where(d => d.First is not null && d.Last is not null && d.Last > d.First)
            .Sum(d => d.Energy!.Value.Joules / (d.Last!.Value - d.First!.Value).TotalSeconds);
        string provenance = string.Join('+', devices.Select(d => ProvenanceText.Name(d.Provenance)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return new ComponentFigures(energy, Power.FromWatts(watts), provenance, devices.Count);
    }
}
