using System.Globalization;
using System.Text;
using TrainWatt.Core;

namespace TrainWatt.Storage.Export;

/// <summary>
/// Writes the energy section of a model card for one run: the Hugging Face model-card metadata block
/// <c>co2_eq_emissions</c> (emissions in grams CO2eq, source, training_type, geographical_location, hardware_used) as
/// YAML front matter, then a Markdown section with what the EU AI Act's Annex XI asks providers of general-purpose
/// models to document about training: compute (FLOPs), training time, energy (measured or estimated, with method and
/// interval) and the assumptions behind the emissions.
/// </summary>
/// <remarks>
/// training_type is the run tag <c>training_type</c> (Hugging Face's values: "pre-training" or "fine-tuning"), else
/// "pre-training"; FLOPs the tag <c>train_flops</c> when given, else "not recorded". The energy method is each device's
/// provenance; a run whose energy is partly modelled says so, with BoAmps' uncertainty class
/// (<see cref="BoAmpsExporter.Quality"/>).
/// </remarks>
public static class ModelCardExporter
{
    /// <summary>Writes the front matter and the Markdown section.</summary>
    public static void Write(TextWriter writer, RunDetails details, CarbonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(details);
        var f = EmissionsFigures.Of(details, settings);
        var run = details.Run;
        var machine = RunMachine.From(run.Metadata);
        if (f.Facility is not { } facility || f.Emissions is not { } emissions)
        {
            throw new InvalidOperationException($"run {run.Id} has no energy measurement ({details.NoEnergyReason}); a model card needs the energy.");
        }

        string Tag(string key, string fallback) => run.Tags.TryGetValue(key, out string? v) && v.Length > 0 ? v : fallback;
        string hardware = string.Join(", ", f.GpuModels.Concat(machine.CpuModel is { } cpu ? [cpu] : f.CpuModels));
        string location = settings.CountryName ?? "unknown";
        string quality = BoAmpsExporter.Quality(details);
        string band = quality switch { "high" => "±10 %", "medium" => "±25 %", _ => "±50 %" };
        string method = string.Join(", ", details.Energy.Where(e => e.Energy is not null)
            .Select(e => $"{e.Device.Key} {ProvenanceText.Name(e.Provenance)}"));

        var text = new StringBuilder();
        text.Append("---\n");
        text.Append("co2_eq_emissions:\n");
        text.Append("  emissions: ").Append(Number(emissions.Grams)).Append('\n');
        text.Append("  source: ").Append(Yaml($"TrainWatt {Version()} measurement (trainwatt export --format model-card, run {run.Uuid})")).Append('\n');
        text.Append("  training_type: ").Append(Yaml(Tag("training_type", "pre-training"))).Append('\n');
        text.Append("  geographical_location: ").Append(Yaml(location)).Append('\n');
        text.Append("  hardware_used: ").Append(Yaml(hardware.Length > 0 ? hardware : "unknown")).Append('\n');
        text.Append("---\n\n");
        text.Append("## Environmental impact (training)\n\n");
        text.Append("| item | value |\n|---|---|\n");
        text.Append("| training compute | ").Append(run.Tags.TryGetValue("train_flops", out string? flops) ? flops + " FLOPs (user-given)" : "not recorded").Append(" |\n");
        text.Append("| training time | ").Append(Number(f.Duration.TotalHours, "0.####")).Append(" h (").Append(Number(f.Duration.TotalSeconds, "0.#")).Append(" s, wall clock)").Append(" |\n");
        if (details.Epochs.Count > 0)
        {
            text.Append("| epochs | ").Append(details.Epochs.Count.ToString(CultureInfo.InvariantCulture)).Append(" |\n");
        }

        text.Append("| hardware | ").Append(hardware.Length > 0 ? hardware : "unknown").Append(" |\n");
        text.Append("| energy (IT) | ").Append(Number(f.It!.Value.KilowattHours, "0.######")).Append(" kWh, measured: ").Append(method).Append(" |\n");
        text.Append("| energy uncertainty | ").Append(quality).Append(" (").Append(band).Append(quality == "high" ? ", hardware counters or sampled power" : ", part of the energy is modelled").Append(") |\n");
        text.Append("| PUE | ").Append(Number(settings.Pue)).Append(settings.Pue == 1.0 ? " (facility overhead not included)" : "").Append(" |\n");
        text.Append("| energy (facility) | ").Append(Number(facility.KilowattHours, "0.######")).Append(" kWh |\n");
        text.Append("| carbon intensity | ").Append(Number(settings.Intensity.GramsPerKilowattHour)).Append(" gCO2e/kWh (").Append(settings.Source).Append(") |\n");
        text.Append("| emissions | ").Append(Number(emissions.Kilograms, "0.######")).Append(" kg CO2e |\n");
        text.Append("| location | ").Append(location).Append(" |\n\n");
        text.Append("Assumptions: emissions = facility energy x the grid's annual average carbon intensity (location-based, no market ")
            .Append("instruments); the energy covers the measured devices only (network, storage and embodied emissions are not included). ")
            .Append("This section documents training energy as the EU AI Act's Annex XI asks of general-purpose AI models (computational ")
            .Append("resources, training time, known or estimated energy consumption).\n");
        writer.Write(text.ToString());
    }

    private static string Number(double value, string format = "R") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A double-quoted YAML scalar.</summary>
    private static string Yaml(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Version()
        => typeof(ModelCardExporter).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
}
