using System.Globalization;
using System.Reflection;
using System.Text.Json;
using TrainWatt.Core;

namespace TrainWatt.Storage.Export;

/// <summary>
/// Writes one run as a BoAmps report (Boavizta's "AI energy report" JSON, the data model of
/// <c>Boavizta/BoAmps model/report_schema.json</c>, format 1.1): header, task, measures, system, infrastructure,
/// environment and quality. Checked against the schema's required fields and enums: task (taskStage, taskFamily,
/// algorithms ≥ 1, dataset ≥ 1 with dataUsage and dataType), measures ≥ 1 (measurementMethod, powerConsumption in kWh),
/// infrastructure (infraType, components ≥ 1 with componentType and nbComponent), environment (country).
/// </summary>
/// <remarks>
/// <para>What TrainWatt cannot know comes from the run's tags, else a neutral value: <c>task</c> (taskFamily, else
/// "unspecified"), <c>stage</c> (taskStage, else "training"), <c>model</c> (algorithmName), <c>framework</c>,
/// <c>dataset</c> (named in taskDescription; its sourceUri when it is a URI; the one dataset item has dataUsage "input"
/// and dataType from the tag <c>data_type</c>, else "other"), <c>infra_type</c> (one of BoAmps'
/// infraType values, else "other": TrainWatt does not know whether a machine is on premise or in a cloud).</para>
/// <para>powerConsumption is the facility energy (IT × PUE) in kWh, as CodeCarbon's BoAmps output writes its
/// energy_consumed. The idle calibration (<c>measure --idle</c>) gives powerCalibrationMeasurement (idle power × idle
/// duration, kWh) and durationCalibrationMeasurement (s). <c>quality</c> follows the provenance of the energy:
/// <c>high</c> (±10 %) when every component is a hardware counter or sampled power, <c>low</c> (±50 %) when modelled
/// components hold more than half of the energy, else <c>medium</c> (±25 %). environment is written only when the
/// country is known (BoAmps requires it there).</para>
/// </remarks>
public static class BoAmpsExporter
{
    /// <summary>The BoAmps data model version written in <c>header.formatVersion</c>.</summary>
    public const string FormatVersion = "1.1";

    /// <summary>BoAmps' infraType values.</summary>
    public static IReadOnlyList<string> InfraTypes { get; } = ["publicCloud", "privateCloud", "onPremise", "other"];

    /// <summary>BoAmps' dataset dataType values.</summary>
    public static IReadOnlyList<string> DataTypes { get; } = ["tabular", "audio", "boolean", "image", "video", "object", "text", "token", "word", "other"];

    /// <summary>Writes the report of <paramref name="details"/> as indented JSON.</summary>
    public static void Write(Stream output, RunDetails details, CarbonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(details);
        var f = EmissionsFigures.Of(details, settings);
        var run = details.Run;
        var machine = RunMachine.From(run.Metadata);
        string Tag(string key, string fallback) => run.Tags.TryGetValue(key, out string? v) && v.Length > 0 ? v : fallback;

        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();

        json.WriteStartObject("header");
        json.WriteString("formatVersion", FormatVersion);
        json.WriteString("formatVersionSpecificationUri", "https://github.com/Boavizta/BoAmps/tree/main/model");
        json.WriteString("reportId", run.Uuid);
        json.WriteString("reportDatetime", Stamp(run.Ended ?? run.Started));
        json.WriteString("reportStatus", "draft");
        json.WriteStartObject("publisher");
        json.WriteString("projectName", Tag("project", "trainwatt"));
        json.WriteString("confidentialityLevel", "internal");
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("task");
        json.WriteString("taskStage", Tag("stage", "training"));
        json.WriteString("taskFamily", Tag("task", "unspecified"));
        json.WriteStartArray("algorithms");
        json.WriteStartObject();
        json.WriteString("algorithmType", "neural network");
        if (run.Tags.TryGetValue("model", out string? model))
        {
            json.WriteString("algorithmName", model);
        }

        if (run.Tags.TryGetValue("framework", out string? framework))
        {
            json.WriteString("framework", framework);
        }

        if (details.Epochs.Count > 0)
        {
            json.WriteNumber("epochsNumber", details.Epochs.Count);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("dataset");
        json.WriteStartObject();
        json.WriteString("dataUsage", "input");
        string dataType = Tag("data_type", "other");
        json.WriteString("dataType", DataTypes.Contains(dataType, StringComparer.Ordinal) ? dataType : "other");
        if (run.Tags.TryGetValue("dataset", out string? dataset) && dataset.Contains("://", StringComparison.Ordinal))
        {
            json.WriteString("sourceUri", dataset);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        if (Accuracy(details) is double accuracy)
        {
            json.WriteNumber("measuredAccuracy", accuracy);
        }

        string on = dataset is { Length: > 0 } ? $" on {dataset}" : "";
        json.WriteString("taskDescription", run.Command is { Length: > 0 } command ? $"trainwatt {run.Source}{on}: {command}" : $"trainwatt {run.Source} run {run.Id}{on}");
        json.WriteEndObject();

        json.WriteStartArray("measures");
        json.WriteStartObject();
        json.WriteString("measurementMethod", "trainwatt");
        json.WriteString("version", Version());
        if (f.Cpu.Provenance.Length > 0)
        {
            json.WriteString("cpuTrackingMode", f.Cpu.Provenance);
        }

        if (f.Gpu.Provenance.Length > 0)
        {
            json.WriteString("gpuTrackingMode", f.Gpu.Provenance);
        }

        if (Calibration(run.Metadata) is { } idle)
        {
            json.WriteNumber("powerCalibrationMeasurement", idle.Kwh);
            json.WriteNumber("durationCalibrationMeasurement", idle.Seconds);
        }

        json.WriteNumber("powerConsumption", f.Facility?.KilowattHours
            ?? throw new InvalidOperationException($"run {run.Id} has no energy measurement ({details.NoEnergyReason}); a BoAmps report needs powerConsumption."));
        json.WriteNumber("measurementDuration", f.Duration.TotalSeconds);
        json.WriteString("measurementDateTime", Stamp(run.Started));
        json.WriteEndObject();
        json.WriteEndArray();

        if (machine.Os is { } os)
        {
            json.WriteStartObject("system");
            json.WriteString("os", os);
            json.WriteEndObject();
        }

        json.WriteStartObject("infrastructure");
        string infra = Tag("infra_type", "other");
        json.WriteString("infraType", InfraTypes.Contains(infra, StringComparer.Ordinal) ? infra : "other");
        json.WriteStartArray("components");
        int gpus = 0;
        foreach (var group in details.Devices.Where(d => d.Component == "gpu").GroupBy(d => d.Name ?? "unknown GPU", StringComparer.Ordinal))
        {
            Component(json, "gpu", $"{group.Count()} x {group.Key}", group.Count(), null);
            gpus++;
        }

        int cpus = details.Devices.Count(d => d.Component == "cpu");
        if (cpus > 0 || machine.CpuModel is not null)
        {
            Component(json, "cpu", machine.CpuModel ?? string.Join(" + ", f.CpuModels), Math.Max(cpus, 1), null);
        }

        if (f.Ram.Devices > 0 || machine.RamTotalGb is not null)
        {
            Component(json, "ram", null, 1, machine.RamTotalGb);
        }

        if (gpus == 0 && cpus == 0 && machine.CpuModel is null && f.Ram.Devices == 0 && machine.RamTotalGb is null)
        {
            Component(json, "other", "unknown (the run names no device)", 1, null);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        if (settings.CountryName is { } country)
        {
            json.WriteStartObject("environment");
            json.WriteString("country", country);
            json.WriteNumber("powerSourceCarbonIntensity", settings.Intensity.GramsPerKilowattHour);
            json.WriteEndObject();
        }

        json.WriteString("quality", Quality(details));
        json.WriteEndObject();
    }

    /// <summary>
    /// high when every device energy is a counter or sampled power, low when modelled devices hold more than half the
    /// energy, else medium (BoAmps: high ±10 %, medium ±25 %, low ±50 %).
    /// </summary>
    public static string Quality(RunDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var known = details.Energy.Where(e => e.Energy is not null).ToList();
        double total = known.Sum(e => e.Energy!.Value.Joules);
        double modelled = known.Where(e => e.Provenance is not (Provenance.Counter or Provenance.Sampled)).Sum(e => e.Energy!.Value.Joules);
        return modelled == 0 && known.Count > 0 ? "high" : total > 0 && modelled / total > 0.5 ? "low" : known.Count == 0 ? "low" : "medium";
    }

    private static void Component(Utf8JsonWriter json, string type, string? name, int count, double? memoryGb)
    {
        json.WriteStartObject();
        json.WriteString("componentType", type);
        if (!string.IsNullOrEmpty(name))
        {
            json.WriteString("componentName", name);
        }

        json.WriteNumber("nbComponent", count);
        if (memoryGb is double gb)
        {
            json.WriteNumber("memorySize", gb);
        }

        json.WriteEndObject();
    }

    /// <summary>The run's accuracy metric (acc, accuracy, val_accuracy, val_acc) in [0, 1], the last stored.</summary>
    private static double? Accuracy(RunDetails details)
    {
        string[] names = ["accuracy", "acc", "val_accuracy", "val_acc"];
        foreach (var annotation in details.Annotations.Where(a => a.Kind == "metric").Reverse())
        {
            int eq = annotation.Message.IndexOf('=');
            if (eq > 0 && names.Contains(annotation.Message[..eq], StringComparer.Ordinal)
                && double.TryParse(annotation.Message.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v is >= 0 and <= 1)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>Idle calibration of the run's metadata (<c>idle_s</c>, <c>idle_power_w</c>): kWh and seconds; null without one.</summary>
    private static (double Kwh, double Seconds)? Calibration(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata) || !metadata.Contains("idle_s", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("idle_s", out var s) || s.ValueKind != JsonValueKind.Number
                || !root.TryGetProperty("idle_power_w", out var p) || p.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            double seconds = s.GetDouble();
            double watts = p.EnumerateObject().Where(c => c.Value.ValueKind == JsonValueKind.Number).Sum(c => c.Value.GetDouble());
            return double.IsFinite(seconds) && seconds > 0 && double.IsFinite(watts) ? (watts * seconds / 3.6e6, seconds) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Version()
        => typeof(BoAmpsExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
