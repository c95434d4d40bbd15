using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core.Projection;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;

namespace TrainWatt.Measurement;

/// <summary>
/// A run's projection history in JSON (<c>runs show --json</c>; the summary document has the same members) and as a text table
/// (<c>runs show</c>): <c>"projections":[{"epoch":15,"projected_energy_j":x,"lower_j":x,"upper_j":x,"confidence":0.9,
/// "method":"step","stable_from_epoch":11,"total_epochs_min":40,"total_epochs_max":60,"time":"..."}]</c> and
/// <c>"projection_error"</c>: the projections scored against the measured total, or null.
/// </summary>
public static class ProjectionJson
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the members <c>projections</c> and <c>projection_error</c> (<see cref="ProjectionErrorJson"/>, or null) into the open object.</summary>
    public static void WriteMembers(Utf8JsonWriter json, IReadOnlyList<ProjectionEntry> history, ProjectionErrorSummary? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(history);
        RunJson.WriteProjections(json, history);
        json.WritePropertyName("projection_error");
        JsonSerializer.Serialize(json, ProjectionErrorJson.From(error), MeasurementJsonContext.Default.ProjectionErrorJson);
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
