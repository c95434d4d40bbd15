using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;

using TrainWatt.Core;

namespace TrainWatt.Measurement;

/// <summary>
/// The <c>measure --summary-json</c> document (docs/summary-schema.md, docs/summary.schema.json): run_id, exit_code,
/// duration_s, readings, epochs[], components[], energy_j, net_energy_j (with --idle), projections[],
/// projection_error, estimate (when the run was described for PRE) and phases. Energies in J, powers in W, times in s.
/// </summary>
public sealed record MeasureSummaryDocument(
    [property: JsonPropertyName("run_id"), JsonConverter(typeof(RunIdJsonConverter))] string RunId,
    [property: JsonPropertyName("exit_code")] int? ExitCode,
    [property: JsonPropertyName("duration_s")] double DurationSeconds,
    [property: JsonPropertyName("readings")] long Readings,
    [property: JsonPropertyName("epochs")] IReadOnlyList<SummaryEpochJson> Epochs,
    [property: JsonPropertyName("components")] IReadOnlyList<SummaryComponentJson> Components,
    [property: JsonPropertyName("energy_j")] double EnergyJoules,
    [property: JsonPropertyName("net_energy_j"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NetEnergyJoules,
    [property: JsonPropertyName("projections")] IReadOnlyList<ProjectionEntryJson> Projections,
    [property: JsonPropertyName("projection_error")] ProjectionErrorJson? ProjectionError,
    [property: JsonPropertyName("estimate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EstimateJson? Estimate)
{
    /// <summary>
    /// The run split into phases (<see cref="MeasuredPhases"/>): <c>epochs</c> (what STEP sums) next to
    /// <c>whole_process</c> (= energy_j), with <c>startup</c>, <c>between_epochs</c> and <c>tail</c>; null without epochs.
    /// </summary>
    [JsonPropertyName("phases")]
    public RunPhasesJson? Phases { get; init; }

    /// <summary>The run's CPU energy both ways and which one it is charged (<c>--cpu-attribution</c>); absent when no meter attributes CPU energy.</summary>
    [JsonPropertyName("cpu_attribution"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CpuAttributionJson? CpuAttribution { get; init; }

    /// <summary>The document of a finished <paramref name="outcome"/>, its live projection history and how it fared, and the PRE comparison when there is one.</summary>
    public static MeasureSummaryDocument Create(MeasurementOutcome outcome, IReadOnlyList<ProjectionEntry> projections, ProjectionErrorSummary? projectionError, PreComparison? estimate)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(projections);
        var summary = outcome.Summary;
        return new MeasureSummaryDocument(
            outcome.RunId,
            summary.ExitCode,
            summary.Duration.TotalSeconds,
            outcome.Readings,
            [.. summary.Epochs.Select(e => new SummaryEpochJson(e.Number, e.Start.TotalSeconds, e.End.TotalSeconds, e.Energy.Joules))],
            [.. summary.Channels.Select(SummaryComponentJson.From)],
            summary.Energy.Joules,
            summary.NetEnergy?.Joules,
            ProjectionEntryJson.From(projections),
            ProjectionErrorJson.From(projectionError),
            EstimateJson.From(estimate))
        {
            Phases = RunPhasesJson.From(MeasuredPhases.From(summary)),
        };
    }

    /// <summary>The document, indented by two spaces, with a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, MeasurementJsonContext.Default.MeasureSummaryDocument) + "\n";
}

/// <summary>One recognised epoch: its number, start and end (s since the run started) and energy over all channels (J).</summary>
public sealed record SummaryEpochJson(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("start_s")] double StartSeconds,
    [property: JsonPropertyName("end_s")] double EndSeconds,
    [property: JsonPropertyName("energy_j")] double EnergyJoules);

/// <summary>
/// One measured channel: its energy (null, never a silent 0 J, when it gave no value), provenance and idle power (with
/// --idle); for a counter channel also its sampled power integrated (<c>sampled_energy_j</c>), the relative difference
/// (sampled − counter) / counter and whether it exceeds 5 % (<see cref="CounterCheck"/>).
/// </summary>
public sealed record SummaryComponentJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("energy_j")] double? EnergyJoules,
    [property: JsonPropertyName("provenance")] string Provenance,
    [property: JsonPropertyName("idle_power_w"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? IdlePowerWatts)
{
    [JsonPropertyName("sampled_energy_j"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SampledEnergyJoules { get; init; }

    [JsonPropertyName("sampled_vs_counter"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SampledVersusCounter { get; init; }

    [JsonPropertyName("sampled_disagrees"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SampledDisagrees { get; init; }

    /// <summary>A GPU other processes used: the run's attributed share of <c>energy_j</c> (provenance "attributed", an estimate).</summary>
    [JsonPropertyName("attributed_energy_j"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AttributedEnergyJoules { get; init; }

    [JsonPropertyName("attributed_share"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AttributedShare { get; init; }

    [JsonPropertyName("attribution_basis"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AttributionBasis { get; init; }

    [JsonPropertyName("other_pids"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? OtherProcessIds { get; init; }

    public static SummaryComponentJson From(ChannelTotal channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var sampled = channel.Valid ? channel.SampledEnergy : null;
        return new(
            channel.Channel.Id,
            channel.Valid ? channel.Energy.Joules : null,
            ProvenanceText.Name(channel.Channel.Provenance),
            channel.IdlePower is Power idle ? idle.Watts : null)
        {
            SampledEnergyJoules = sampled?.Joules,
            SampledVersusCounter = sampled is Energy s ? CounterCheck.RelativeDifference(channel.Energy, s) : null,
            SampledDisagrees = sampled is Energy t && CounterCheck.RelativeDifference(channel.Energy, t) is not null ? CounterCheck.Disagrees(channel.Energy, t) : null,
            AttributedEnergyJoules = channel.Valid ? channel.Attribution?.Of(channel.Energy).Joules : null,
            AttributedShare = channel.Valid ? channel.Attribution?.Share : null,
            AttributionBasis = channel.Valid ? channel.Attribution?.Basis : null,
            OtherProcessIds = channel.Valid ? channel.Attribution?.OtherProcesses : null,
        };
    }
}

/// <summary>The projection history scored against the measured total (<see cref="ProjectionErrorSummary"/>).</summary>
public sealed record ProjectionErrorJson(
    [property: JsonPropertyName("measured_energy_j")] double MeasuredJoules,
    [property: JsonPropertyName("projections")] int Projections,
    [property: JsonPropertyName("relative")] double LastRelativeError,
    [property: JsonPropertyName("last_epoch")] int LastEpoch,
    [property: JsonPropertyName("last_covered")] bool LastCovered,
    [property: JsonPropertyName("first_epoch")] int FirstEpoch,
    [property: JsonPropertyName("first_relative")] double FirstRelativeError,
    [property: JsonPropertyName("first_covered")] bool FirstCovered,
    [property: JsonPropertyName("mean_absolute_relative")] double MeanAbsoluteRelativeError,
    [property: JsonPropertyName("coverage")] double Coverage)
{
    public static ProjectionErrorJson? From(ProjectionErrorSummary? e) => e is null ? null : new(
        e.Measured.Joules, e.Projections, e.LastRelativeError, e.LastEpoch, e.LastCovered, e.FirstEpoch, e.FirstRelativeError, e.FirstCovered, e.MeanAbsoluteRelativeError, e.Coverage);
}

/// <summary>
/// A PRE estimate next to what was measured (<see cref="PreComparison"/>): <c>"estimate"</c> in the summary and the
/// document of <c>estimate --run ID --json</c>.
/// </summary>
public sealed record EstimateJson(
    [property: JsonPropertyName("run")] long Run,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("lower_j")] double LowerJoules,
    [property: JsonPropertyName("upper_j")] double UpperJoules,
    [property: JsonPropertyName("measured_within_interval")] bool MeasuredWithinInterval,
    [property: JsonPropertyName("energy_j")] EstimatePairJson Energy,
    [property: JsonPropertyName("avg_power_w")] EstimatePairJson AveragePower,
    [property: JsonPropertyName("epoch_energy_j")] EstimatePairJson EpochEnergy,
    [property: JsonPropertyName("epoch_duration_s")] EstimatePairJson EpochDuration,
    [property: JsonPropertyName("model")] EstimateModelJson Model)
{
    public static EstimateJson? From(PreComparison? c)
    {
        if (c is null)
        {
            return null;
        }

        EstimatePairJson Pair(string name)
        {
            var (_, estimate, measured) = c.Pairs.Single(p => p.Name == name);
            return new EstimatePairJson(estimate, measured, PreComparison.ErrorPercent(estimate, measured));
        }

        return new EstimateJson(
            c.RunId,
            c.Epochs,
            c.Lower.Joules,
            c.Upper.Joules,
            c.Inside,
            Pair("energy_j"),
            Pair("avg_power_w"),
            Pair("epoch_energy_j"),
            Pair("epoch_duration_s"),
            new EstimateModelJson(c.Model.Name, c.Model.Description));
    }
}

/// <summary>One compared quantity: estimate, measured (in the unit its key names) and (estimate − measured) / measured in %.</summary>
public sealed record EstimatePairJson(
    [property: JsonPropertyName("estimate")] double Estimate,
    [property: JsonPropertyName("measured")] double Measured,
    [property: JsonPropertyName("error_pct")] double ErrorPercent);

/// <summary>The PRE model that made the estimate.</summary>
public sealed record EstimateModelJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description);

/// <summary>
/// A run id as the store gave it: a JSON number when it is a plain non-negative integer (SQLite and PostgreSQL ids),
/// else a string (e.g. the id of a spooled run).
/// </summary>
internal sealed class RunIdJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetInt64().ToString(CultureInfo.InvariantCulture),
        _ => reader.GetString(),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            writer.WriteNumberValue(id);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>Source-generated serialisation of the summary and estimate documents (invariant, shortest round-trip numbers; default escaping).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(MeasureSummaryDocument))]
[JsonSerializable(typeof(ProjectionErrorJson))]
[JsonSerializable(typeof(EstimateJson))]
internal sealed partial class MeasurementJsonContext : JsonSerializerContext;
