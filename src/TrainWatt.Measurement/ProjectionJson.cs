using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainWatt.Core.Projection;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;

namespace TrainWatt.Measurement;

/// <summary>
/// A run's projection history in JSON (<c>runs show --json</c>, <c>measure --summary-json</c>) and as a text table
/// (<c>runs show</c>): <c>"projections":[{"epoch":15,"projected_energy_j":x,"lower_j":x,"upper_j":x,"confidence":0.9,
/// "method":"step","stable_from_epoch":11,"total_epochs_min":40,"total_epochs_max":60,"time":"..."}]</c> and
/// <c>"projection_error"</c>: the projections scored against the measured total, or null.
/// </summary>
internal static class ProjectionJson
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the members <c>projections</c> and <c>projection_error</c> into the open object.</summary>
    public static void WriteMembers(Utf8JsonWriter json, IReadOnlyList<ProjectionEntry> history, ProjectionErrorSummary? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(history);
        RunJson.WriteProjections(json, history);
        if (error is null)
        {
            json.WriteNull("projection_error");
            return;
        }

        json.WriteStartObject("projection_error");
        json.WriteNumber("measured_energy_j", error.Measured.Joules);
        json.WriteNumber("projections", error.Projections);
        json.WriteNumber("relative", error.LastRelativeError);
        json.WriteNumber("last_epoch", error.LastEpoch);
        json.WriteBoolean("last_covered", error.LastCovered);
        json.WriteNumber("first_epoch", error.FirstEpoch);
        json.WriteNumber("first_relative", error.FirstRelativeError);
        json.WriteBoolean("first_covered", error.FirstCovered);
        json.WriteNumber("mean_absolute_relative", error.MeanAbsoluteRelativeError);
        json.WriteNumber("coverage", error.Coverage);
        json.WriteEndObject();
    }

    /// <summary>Adds <c>projections</c> and <c>projection_error</c> to a JSON object document (the summary file), indented.</summary>
    public static string AddTo(string document, IReadOnlyList<ProjectionEntry> history, ProjectionErrorSummary? error)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteMembers(json, history, error);
            json.WriteEndObject();
        }

        var members = JsonNode.Parse(buffer.ToArray())!.AsObject();
        foreach (string name in members.Select(m => m.Key).ToList())
        {
            var value = members[name];
            members.Remove(name);
            root[name] = value;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The text section of <c>runs show</c>; empty when the run has no projection.</summary>
    public static string Text(IReadOnlyList<ProjectionEntry> history, ProjectionErrorSummary? error, Func<string[], IReadOnlyList<string[]>, string> table)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(table);
        if (history.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append('\n').Append(CultureInfo.InvariantCulture, $"Projections ({history.Count}):\n");
        var rows = history.Select(p => new[]
        {
            p.Epoch.ToString(Invariant),
            p.Projected.Joules.ToString("0.###", Invariant),
            p.Lower.Joules.ToString("0.###", Invariant),
            p.Upper.Joules.ToString("0.###", Invariant),
            (p.Confidence * 100).ToString("0.#", Invariant),
            p.Method,
            p.StableFromEpoch?.ToString(Invariant) ?? "-",
            LiveProjection.Range(p),
        }).ToList();
        text.Append(table(["EPOCH", "PROJECTED_J", "LOWER_J", "UPPER_J", "CONF_%", "METHOD", "STABLE_FROM", "N"], rows));
        if (error is not null)
        {
            text.Append(LiveProjection.ErrorLine(error)).Append('\n');
        }

        return text.ToString();
    }
}
