using System.Globalization;
using System.Text.Json;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Export;

/// <summary>
/// The JSON shapes of runs, shared by <c>runs list --json</c>, <c>runs show --json</c> and <c>export --format json</c>.
/// Names are snake_case with units in the name (<c>energy_j</c>, <c>duration_s</c>, <c>power_w</c>); times are ISO 8601;
/// numbers are invariant, shortest round-trip.
/// </summary>
public static class RunJson
{
    /// <summary>Version of these JSON shapes; bumped when a field changes meaning or disappears.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes one run as an object (<see cref="RunRecordJson"/>).</summary>
    public static void WriteRun(Utf8JsonWriter json, RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonSerializer.Serialize(json, RunRecordJson.From(run), RunJsonContext.Default.RunRecordJson);
    }

    /// <summary>
    /// Writes one run of <c>runs list --json</c>: the run's object (<see cref="RunRecordJson"/>) and <c>energy_j</c> (the
    /// sum over its devices; null when none has an energy) and <c>outcome</c> (running, completed, failed, incomplete:
    /// a completed run whose command exited non-zero is failed).
    /// </summary>
    public static void WriteListEntry(Utf8JsonWriter json, RunRecord run, double? energyJoules, string outcome)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        JsonMembers.Write(json, RunRecordJson.From(run), RunJsonContext.Default.RunRecordJson);
        WriteNumberOrNull(json, "energy_j", energyJoules);
        json.WriteString("outcome", outcome);
        json.WriteEndObject();
    }

    /// <summary>Writes the members of a run's details (run, devices with energy, total, epochs, annotations: <see cref="RunDetailsJson"/>) into the current object.</summary>
    public static void WriteDetailsMembers(Utf8JsonWriter json, RunDetails details)
        => JsonMembers.Write(json, RunDetailsJson.From(details), RunJsonContext.Default.RunDetailsJson);

    /// <summary>
    /// Writes the member <c>projections</c>: the run's live projection history in order, one object per projection
    /// (<see cref="ProjectionEntryJson"/>: <c>epoch</c>, <c>projected_energy_j</c>, <c>lower_j</c>, <c>upper_j</c>,
    /// <c>confidence</c>, <c>method</c>, <c>stable_from_epoch</c>, <c>total_epochs_min</c>, <c>total_epochs_max</c>,
    /// <c>time</c>); nulls where unknown.
    /// </summary>
    public static void WriteProjections(Utf8JsonWriter json, IReadOnlyList<ProjectionEntry> history)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(history);
        json.WritePropertyName("projections");
        JsonSerializer.Serialize(json, ProjectionEntryJson.From(history), RunJsonContext.Default.IReadOnlyListProjectionEntryJson);
    }

    /// <summary>Writes the member <c>phases</c> (<see cref="RunPhasesJson"/>, or null when the run has no epoch or has not ended).</summary>
    public static void WritePhases(Utf8JsonWriter json, Core.Accounting.RunPhases? phases)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WritePropertyName("phases");
        JsonSerializer.Serialize(json, RunPhasesJson.From(phases), RunJsonContext.Default.RunPhasesJson);
    }

    /// <summary>ISO 8601 with the offset, microsecond resolution: <c>2022-12-05T09:55:44.557223+00:00</c>.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture);

    internal static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
