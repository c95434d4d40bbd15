using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Storage.Export;

/// <summary>
/// Writes runs as CodeCarbon-compatible <c>emissions.csv</c> rows: CodeCarbon's 31 columns in its order, with its units
/// (duration s, emissions kg CO2eq, emissions_rate kg/s, *_power W, *_energy and energy_consumed kWh), then TrainWatt's
/// own columns (provenance of each component, IT energy, the carbon intensity used and its source, data flags).
/// </summary>
/// <remarks>
/// Values CodeCarbon would fill from the running machine (os, python_version, cpu_count, coordinates...) are empty: a
/// stored run does not know them, and TrainWatt leaves a cell empty rather than guess. A component without any device
/// (no CPU meter) is empty, not 0. Energies: gpu = devices of component "gpu", cpu = "cpu", ram = "ram" and "dram";
/// <c>*_power</c> is the mean power of the component over each device's sampled span.
/// <c>energy_consumed</c> = (cpu + gpu + ram) × PUE; <c>emissions</c> = energy_consumed × intensity.
/// </remarks>
public static class CodeCarbonExporter
{
    /// <summary>CodeCarbon's emissions.csv columns (v2.x), in its order.</summary>
    public static IReadOnlyList<string> CodeCarbonColumns { get; } =
    [
        "timestamp", "project_name", "run_id", "duration", "emissions", "emissions_rate",
        "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
        "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region", "os", "python_version",
        "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude",
        "ram_total_size", "tracking_mode", "on_cloud", "pue",
    ];

    /// <summary>TrainWatt's columns, after CodeCarbon's.</summary>
    public static IReadOnlyList<string> TrainWattColumns { get; } =
    [
        "trainwatt_run_id", "source", "status", "cpu_energy_provenance", "gpu_energy_provenance", "ram_energy_provenance",
        "it_energy_kwh", "carbon_intensity_g_per_kwh", "carbon_intensity_source", "flags",
    ];

    public static string Header => string.Join(',', CodeCarbonColumns.Concat(TrainWattColumns));

    /// <summary>Writes the header (when <paramref name="includeHeader"/>) and one row per run, "\n" line ends.</summary>
    public static void Write(TextWriter writer, IEnumerable<RunDetails> runs, CarbonSettings settings, bool includeHeader = true, string defaultProject = "trainwatt")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(settings);
        if (includeHeader)
        {
            writer.Write(Header);
            writer.Write('\n');
        }

        foreach (var run in runs)
        {
            writer.Write(Row(run, settings, defaultProject));
            writer.Write('\n');
        }
    }

    /// <summary>One row (no line end).</summary>
    public static string Row(RunDetails details, CarbonSettings settings, string defaultProject = "trainwatt")
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(settings);
        if (!double.IsFinite(settings.Pue) || settings.Pue < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Pue, $"PUE must be at least 1.0; got {settings.Pue.ToString(CultureInfo.InvariantCulture)}.");
        }

        var run = details.Run;
        var cpu = Component(details, "cpu");
        var gpu = Component(details, "gpu");
        var ram = Component(details, "ram", "dram");
        var known = new[] { cpu, gpu, ram }.Where(c => c.Energy is not null).ToList();
        Energy? it = known.Count == 0 ? null : known.Aggregate(Energy.Zero, (sum, c) => sum + c.Energy!.Value);
        Energy? facility = it is { } itEnergy ? itEnergy * settings.Pue : null;
        CarbonMass? emissions = facility is { } f ? f * settings.Intensity : null;
        TimeSpan duration = run.Duration ?? (details.Energy.Where(e => e.First is not null && e.Last is not null)
            .Select(e => e.Last!.Value - e.First!.Value).DefaultIfEmpty(TimeSpan.Zero).Max());

        var gpuModels = details.Devices.Where(d => d.Component == "gpu")
            .GroupBy(d => d.Name ?? "unknown GPU", StringComparer.Ordinal)
            .Select(g => $"{g.Count()} x {g.Key}");
        var cpuModels = details.Devices.Where(d => d.Component == "cpu" && d.Name is not null).Select(d => d.Name!).Distinct(StringComparer.Ordinal);
        var flags = details.Annotations.Select(a => a.Kind).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal);

        string[] values =
        [
            (run.Ended ?? run.Started).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            run.Tags.TryGetValue("project", out string? project) ? project : defaultProject,
            run.Uuid,
            Number(duration.TotalSeconds),
            Number(emissions?.Kilograms),
            Number(emissions is { } e && duration > TimeSpan.Zero ? e.Kilograms / duration.TotalSeconds : null),
            Number(cpu.MeanPower?.Watts),
            Number(gpu.MeanPower?.Watts),
            Number(ram.MeanPower?.Watts),
            Number(cpu.Energy?.KilowattHours),
            Number(gpu.Energy?.KilowattHours),
            Number(ram.Energy?.KilowattHours),
            Number(facility?.KilowattHours),
            settings.CountryName ?? "",
            settings.CountryIsoCode ?? "",
            "", // region
            "", // cloud_provider
            "", // cloud_region
            "", // os
            "", // python_version
            "", // codecarbon_version
            "", // cpu_count
            string.Join(" + ", cpuModels),
            details.Devices.Count(d => d.Component == "gpu").ToString(CultureInfo.InvariantCulture),
            string.Join(" + ", gpuModels),
            "", // longitude
            "", // latitude
            "", // ram_total_size
            "machine",
            "", // on_cloud
            Number(settings.Pue),
            run.Id.ToString(CultureInfo.InvariantCulture),
            run.Source,
            SqliteRunStore.StatusText(run.Status),
            cpu.Provenance,
            gpu.Provenance,
            ram.Provenance,
            Number(it?.KilowattHours),
            Number(settings.Intensity.GramsPerKilowattHour),
            settings.Source,
            string.Join(';', flags),
        ];
        return string.Join(',', values.Select(RunExporter.Csv));
    }

    private static (Energy? Energy, Power? MeanPower, string Provenance) Component(RunDetails details, params string[] components)
    {
        var devices = details.Energy.Where(e => components.Contains(e.Device.Component, StringComparer.Ordinal) && e.Energy is not null).ToList();
        if (devices.Count == 0)
        {
            return (null, null, "");
        }

        var energy = devices.Aggregate(Energy.Zero, (sum, d) => sum + d.Energy!.Value);
        double watts = devices
            .Where(d => d.First is not null && d.Last is not null && d.Last > d.First)
            .Sum(d => d.Energy!.Value.Joules / (d.Last!.Value - d.First!.Value).TotalSeconds);
        string provenance = string.Join('+', devices.Select(d => ProvenanceText.Name(d.Provenance)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return (energy, Power.FromWatts(watts), provenance);
    }

    private static string Number(double? value) => RunExporter.Number(value);
}
