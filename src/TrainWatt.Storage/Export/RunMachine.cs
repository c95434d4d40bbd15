using System.Globalization;
using System.Text.Json;

namespace TrainWatt.Storage.Export;

/// <summary>
/// What a stored run's metadata says about the machine it ran on (<c>measure</c> writes the object
/// <c>"machine": {"os", "cpu_count", "cpu_model", "ram_total_gb"}</c>) and how CPU energy was attributed (key
/// <c>cpu_attribution</c>: <c>process</c> or <c>machine</c>). Every field is null when the run does not say (imported
/// traces, runs stored before these keys existed): exports leave the cell empty rather than guess.
/// </summary>
public sealed record RunMachine(string? Os, int? CpuCount, string? CpuModel, double? RamTotalGb, string? CpuAttribution)
{
    /// <summary>The metadata key of the machine object.</summary>
    public const string MachineKey = "machine";

    /// <summary>Nothing known.</summary>
    public static RunMachine Unknown { get; } = new(null, null, null, null, null);

    /// <summary>True when CPU energy was attributed to the measured process tree (metadata <c>cpu_attribution = process</c>).</summary>
    public bool ProcessAttributed => CpuAttribution == "process";

    /// <summary>Reads the metadata JSON of a run; <see cref="Unknown"/> (or partly known) when absent or malformed.</summary>
    public static RunMachine From(string? metadata)
    {
        if (string.IsNullOrWhiteSpace(metadata))
        {
            return Unknown;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Unknown;
            }

            string? attribution = root.TryGetProperty(TrainWatt.Core.Attribution.CpuAttributionText.MetadataKey, out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (!root.TryGetProperty(MachineKey, out var machine) || machine.ValueKind != JsonValueKind.Object)
            {
                return Unknown with { CpuAttribution = attribution };
            }

            return new RunMachine(
                Text(machine, "os"),
                Number(machine, "cpu_count") is double n && n is >= 1 and <= int.MaxValue ? (int)n : null,
                Text(machine, "cpu_model"),
                Number(machine, "ram_total_gb") is double gb && gb > 0 ? gb : null,
                attribution);
        }
        catch (JsonException)
        {
            return Unknown; // imported runs may carry other metadata shapes
        }
    }

    private static string? Text(JsonElement o, string name)
        => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static double? Number(JsonElement o, string name)
        => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) ? d
            : o.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String
              && double.TryParse(t.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && double.IsFinite(p) ? p : null;
}
