using System.Globalization;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Storage.Export;

/// <summary>
/// Writes runs as CodeCarbon-compatible <c>emissions.csv</c> rows: CodeCarbon 3.x's 38 columns in its order (checked
/// against <c>codecarbon/output_methods/emissions_data.py</c> of CodeCarbon 3.3.0), with its units (duration s,
/// emissions kg CO2eq, emissions_rate kg/s, *_power W, *_energy and energy_consumed kWh, water_consumed L,
/// ram_total_size GB), then TrainWatt's own columns (provenance of each component, IT energy, the carbon intensity used
/// and its source, data flags).
/// </summary>
/// <remarks>
/// As CodeCarbon 3.x, each component's energy is multiplied by the PUE, so <c>cpu_energy + gpu_energy + ram_energy =
/// energy_consumed</c>; <c>*_power</c> is the component's mean IT power (no PUE), and <c>emissions</c> = energy_consumed ×
/// intensity. <c>on_cloud</c> is <c>N</c> (TrainWatt does not know a cloud; CodeCarbon's dashboard fails on an empty
/// value), <c>wue</c> is 0 and <c>water_consumed</c> 0 L (CodeCarbon's defaults). <c>tracking_mode</c> is
/// <c>process</c> when the run's CPU energy was attributed to the measured process tree (metadata
/// <c>cpu_attribution</c>), else <c>machine</c>. Machine facts (os, cpu_count, cpu_model, ram_total_size) come from the
/// run's metadata (<see cref="RunMachine"/>); values a stored run does not know (python_version, codecarbon_version,
/// coordinates, utilisation) are empty: TrainWatt leaves a cell empty rather than guess. A component without any device
/// (no CPU meter) is empty, not 0. Energies: gpu = devices of component "gpu", cpu = "cpu", ram = "ram" and "dram".
/// </remarks>
public static class CodeCarbonExporter
{
    /// <summary>CodeCarbon 3.x's emissions.csv columns, in its order.</summary>
    public static IReadOnlyList<string> CodeCarbonColumns { get; } =
    [
        "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions", "emissions_rate",
        "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed", "water_consumed",
        "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region", "os", "python_version",
        "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude",
        "ram_total_size", "tracking_mode", "cpu_utilization_percent", "gpu_utilization_percent", "ram_utilization_percent",
        "ram_used_gb", "on_cloud", "pue", "wue",
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
        var f = EmissionsFigures.Of(details, settings);
        var run = details.Run;
        var machine = RunMachine.From(run.Metadata);
        var flags = details.Annotations.Select(a => a.Kind).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal);

        string[] values =
        [
            (run.Ended ?? run.Started).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            run.Tags.TryGetValue("project", out string? project) ? project : defaultProject,
            run.Uuid,
            run.Tags.TryGetValue("experiment", out string? experiment) ? experiment : "",
            Number(f.Duration.TotalSeconds),
            Number(f.Emissions?.Kilograms),
            Number(f.Emissions is { } e && f.Duration > TimeSpan.Zero ? e.Kilograms / f.Duration.TotalSeconds : null),
            Number(f.Cpu.MeanPower?.Watts),
            Number(f.Gpu.MeanPower?.Watts),
            Number(f.Ram.MeanPower?.Watts),
            Number((f.Cpu.Energy * settings.Pue)?.KilowattHours),
            Number((f.Gpu.Energy * settings.Pue)?.KilowattHours),
            Number((f.Ram.Energy * settings.Pue)?.KilowattHours),
            Number(f.Facility?.KilowattHours),
            f.Facility is null ? "" : "0", // water_consumed (L) = wue 0 x energy
            settings.CountryName ?? "",
            settings.CountryIsoCode ?? "",
            "", // region
            "", // cloud_provider
            "", // cloud_region
            machine.Os ?? "",
            "", // python_version
            "", // codecarbon_version
            machine.CpuCount?.ToString(CultureInfo.InvariantCulture) ?? "",
            machine.CpuModel ?? string.Join(" + ", f.CpuModels),
            f.GpuCount.ToString(CultureInfo.InvariantCulture),
            string.Join(" + ", f.GpuModels),
            "", // longitude
            "", // latitude
            Number(machine.RamTotalGb),
            machine.ProcessAttributed ? "process" : "machine",
            "", // cpu_utilization_percent
            "", // gpu_utilization_percent
            "", // ram_utilization_percent
            "", // ram_used_gb
            "N", // on_cloud
            Number(settings.Pue),
            "0", // wue
            run.Id.ToString(CultureInfo.InvariantCulture),
            run.Source,
            SqliteRunStore.StatusText(run.Status),
            f.Cpu.Provenance,
            f.Gpu.Provenance,
            f.Ram.Provenance,
            Number(f.It?.KilowattHours),
            Number(settings.Intensity.GramsPerKilowattHour),
            settings.Source,
            string.Join(';', flags),
        ];
        return string.Join(',', values.Select(RunExporter.Csv));
    }

    private static string Number(double? value) => RunExporter.Number(value);
}
