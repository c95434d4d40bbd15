using System.Text.Json;
using System.Text.Json.Serialization;
using TrainWatt.Storage.Sqlite;

using TrainWatt.Core;
using TrainWatt.Core.Accounting;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Export;

/// <summary>
/// A stored run as JSON (<c>runs list --json</c>, <c>"run"</c> in <c>runs show --json</c> and <c>export --format json</c>);
/// docs/summary-schema.md describes every key.
/// </summary>
public sealed record RunRecordJson(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("source_key")] string? SourceKey,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("stored_status")] string StoredStatus,
    [property: JsonPropertyName("started")] string Started,
    [property: JsonPropertyName("ended")] string? Ended,
    [property: JsonPropertyName("duration_s")] double? DurationSeconds,
    [property: JsonPropertyName("exit_code")] int? ExitCode,
    [property: JsonPropertyName("command")] string? Command,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string> Tags,
    [property: JsonPropertyName("job_id")] string? JobId,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("pid")] int? ProcessId,
    [property: JsonPropertyName("devices")] int Devices,
    [property: JsonPropertyName("samples")] long Samples,
    [property: JsonPropertyName("annotations")] int Annotations,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata)
{
    /// <summary>The run's JSON: tags in ordinal key order, metadata as the stored JSON (numbers as written there), times ISO 8601.</summary>
    public static RunRecordJson From(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        JsonElement? metadata = null;
        if (run.Metadata is not null)
        {
            using var document = JsonDocument.Parse(run.Metadata);
            metadata = document.RootElement.Clone();
        }

        return new RunRecordJson(
            run.Id,
            run.Uuid,
            run.Source,
            run.SourceKey,
            SqliteRunStore.StatusText(run.Status),
            SqliteRunStore.StatusText(run.StoredStatus),
            RunJson.Time(run.Started),
            run.Ended is { } ended ? RunJson.Time(ended) : null,
            run.Duration?.TotalSeconds,
            run.ExitCode,
            run.Command,
            SortedTags(run.Tags),
            run.JobId,
            run.Host,
            run.ProcessId,
            run.DeviceCount,
            run.SampleCount,
            run.AnnotationCount,
            metadata);
    }

    private static SortedDictionary<string, string> SortedTags(IReadOnlyDictionary<string, string> tags)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            sorted.Add(key, value);
        }

        return sorted;
    }
}

/// <summary>One device of a run with its energy (<c>"devices"</c>).</summary>
public sealed record DeviceEnergyJson(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("component")] string Component,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("uuid")] string? Uuid,
    [property: JsonPropertyName("provenance")] string Provenance,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("samples")] long Samples,
    [property: JsonPropertyName("first")] string? First,
    [property: JsonPropertyName("last")] string? Last,
    [property: JsonPropertyName("duration_s")] double? DurationSeconds,
    [property: JsonPropertyName("energy_j")] double? EnergyJoules,
    [property: JsonPropertyName("energy_provenance")] string EnergyProvenance,
    [property: JsonPropertyName("mean_power_w")] double? MeanPowerWatts,
    [property: JsonPropertyName("max_power_w")] double? MaxPowerWatts,
    [property: JsonPropertyName("max_gap_s")] double? MaxGapSeconds,
    [property: JsonPropertyName("excluded_gap_s")] double ExcludedGapSeconds)
{
    /// <summary>For a counter device: its power samples integrated (J), beside the counter's <c>energy_j</c>; omitted otherwise.</summary>
    [JsonPropertyName("sampled_energy_j"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SampledEnergyJoules { get; init; }

    /// <summary>True when the sampled and counter energies differ by more than 5 % (<c>CounterCheck</c>); omitted without a sampled energy.</summary>
    [JsonPropertyName("sampled_disagrees"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SampledDisagrees { get; init; }

    public static DeviceEnergyJson From(StoredDeviceEnergy energy)
    {
        ArgumentNullException.ThrowIfNull(energy);
        var device = energy.Device;
        bool? disagrees = energy.Energy is { } c && energy.SampledEnergy is { } s && CounterCheck.RelativeDifference(c, s) is not null ? CounterCheck.Disagrees(c, s) : null;
        return new DeviceEnergyJson(
            device.Id,
            device.Key,
            device.Component,
            device.Name,
            device.Uuid,
            ProvenanceText.Name(device.Provenance),
            device.Note,
            energy.Samples,
            energy.First is { } first ? RunJson.Time(first) : null,
            energy.Last is { } last ? RunJson.Time(last) : null,
            energy.First is { } f && energy.Last is { } l ? (l - f).TotalSeconds : null,
            energy.Energy?.Joules,
            ProvenanceText.Name(energy.Provenance),
            energy.MeanPower?.Watts,
            energy.MaxPower?.Watts,
            energy.MaxGap?.TotalSeconds,
            energy.ExcludedDuration.TotalSeconds)
        {
            SampledEnergyJoules = energy.SampledEnergy?.Joules,
            SampledDisagrees = disagrees,
        };
    }
}

/// <summary>One stored epoch (<c>"epochs"</c>).</summary>
public sealed record EpochRecordJson(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("duration_s")] double DurationSeconds,
    [property: JsonPropertyName("energy_j")] double? EnergyJoules,
    [property: JsonPropertyName("provenance")] string Provenance,
    [property: JsonPropertyName("samples_seen")] long? SamplesSeen)
{
    public static EpochRecordJson From(EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return new EpochRecordJson(
            epoch.Number,
            RunJson.Time(epoch.Start),
            RunJson.Time(epoch.End),
            (epoch.End - epoch.Start).TotalSeconds,
            epoch.Energy?.Joules,
            ProvenanceText.Name(epoch.Provenance),
            epoch.SamplesSeen);
    }
}

/// <summary>One annotation of a run (<c>"annotations"</c>).</summary>
public sealed record AnnotationJson(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("file")] string? File,
    [property: JsonPropertyName("line")] int? Line,
    [property: JsonPropertyName("device_id")] long? DeviceId,
    [property: JsonPropertyName("message")] string Message)
{
    public static AnnotationJson From(AnnotationRecord annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        return new AnnotationJson(annotation.Kind, annotation.File, annotation.Line, annotation.DeviceId, annotation.Message);
    }
}

/// <summary>One live projection of the run's total energy (<c>"projections"</c>); nulls where unknown.</summary>
public sealed record ProjectionEntryJson(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("projected_energy_j")] double ProjectedJoules,
    [property: JsonPropertyName("lower_j")] double LowerJoules,
    [property: JsonPropertyName("upper_j")] double UpperJoules,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("stable_from_epoch")] int? StableFromEpoch,
    [property: JsonPropertyName("total_epochs_min")] int? TotalEpochsMin,
    [property: JsonPropertyName("total_epochs_max")] int? TotalEpochsMax,
    [property: JsonPropertyName("time")] string Time)
{
    /// <summary>Measured start-up energy (before epoch 1) the projection holds; absent when it covers the epochs only.</summary>
    [JsonPropertyName("startup_energy_j")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? StartupJoules { get; init; }

    /// <summary>The tail prior's mean energy (after the last epoch) the projection holds; absent when none.</summary>
    [JsonPropertyName("tail_energy_j")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TailJoules { get; init; }

    /// <summary>Where the tail prior came from; absent when none.</summary>
    [JsonPropertyName("tail_prior_source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TailPriorSource { get; init; }

    /// <summary>The drift prior τ of the interval; absent when none.</summary>
    [JsonPropertyName("drift_prior")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DriftPrior { get; init; }

    /// <summary>Where τ came from; absent when none.</summary>
    [JsonPropertyName("drift_prior_source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DriftPriorSource { get; init; }

    public static ProjectionEntryJson From(ProjectionEntry p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ProjectionEntryJson(
            p.Epoch, p.Projected.Joules, p.Lower.Joules, p.Upper.Joules, p.Confidence, p.Method, p.StableFromEpoch, p.TotalEpochsMin, p.TotalEpochsMax, RunJson.Time(p.Time))
        {
            StartupJoules = p.StartupEnergy?.Joules,
            TailJoules = p.TailEnergy?.Joules,
            TailPriorSource = p.TailPriorSource,
            DriftPrior = p.DriftPrior,
            DriftPriorSource = p.DriftPriorSource,
        };
    }

    public static IReadOnlyList<ProjectionEntryJson> From(IReadOnlyList<ProjectionEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. history.Select(From)];
    }
}

/// <summary>
/// The members a run's details add to the object they are written into (<c>runs show --json</c>, <c>export --format
/// json</c>): <c>run</c>, <c>devices</c> with energy, the total <c>energy_j</c> (null when no device has an energy
/// measurement, with <c>no_energy_reason</c> saying why; that key is absent otherwise), <c>epochs</c> and <c>annotations</c>.
/// </summary>
public sealed record RunDetailsJson(
    [property: JsonPropertyName("run")] RunRecordJson Run,
    [property: JsonPropertyName("devices")] IReadOnlyList<DeviceEnergyJson> Devices,
    [property: JsonPropertyName("energy_j")] double? EnergyJoules,
    [property: JsonPropertyName("no_energy_reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NoEnergyReason,
    [property: JsonPropertyName("epochs")] IReadOnlyList<EpochRecordJson> Epochs,
    [property: JsonPropertyName("annotations")] IReadOnlyList<AnnotationJson> Annotations)
{
    public static RunDetailsJson From(RunDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new RunDetailsJson(
            RunRecordJson.From(details.Run),
            [.. details.Energy.Select(DeviceEnergyJson.From)],
            details.TotalEnergy?.Joules,
            details.NoEnergyReason,
            [.. details.Epochs.Select(EpochRecordJson.From)],
            [.. details.Annotations.Select(AnnotationJson.From)]);
    }
}

/// <summary>One phase of a run (<c>"phases"</c>): its duration (s) and energy over all devices (J).</summary>
public sealed record RunPhaseJson(
    [property: JsonPropertyName("duration_s")] double DurationSeconds,
    [property: JsonPropertyName("energy_j")] double EnergyJoules)
{
    public static RunPhaseJson From(RunPhase phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return new RunPhaseJson(phase.Duration.TotalSeconds, phase.Energy.Joules);
    }
}

/// <summary>
/// A run split into phases (<see cref="RunPhases"/>; <c>"phases"</c> of <c>runs show --json</c> and <c>measure
/// --summary-json</c>): the epochs' energy (what STEP sums) next to the whole process's, with the start-up, the time
/// between epochs and the tail; the five keys are <see cref="RunPhaseNames"/>. <c>provenance</c>: how the channels'
/// energies were obtained; <c>split</c>: how they were split.
/// </summary>
public sealed record RunPhasesJson(
    [property: JsonPropertyName("provenance")] IReadOnlyList<string> Provenance,
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("epoch_count")] int EpochCount,
    [property: JsonPropertyName(RunPhaseNames.Startup)] RunPhaseJson Startup,
    [property: JsonPropertyName(RunPhaseNames.Epochs)] RunPhaseJson Epochs,
    [property: JsonPropertyName(RunPhaseNames.BetweenEpochs)] RunPhaseJson BetweenEpochs,
    [property: JsonPropertyName(RunPhaseNames.Tail)] RunPhaseJson Tail,
    [property: JsonPropertyName(RunPhaseNames.WholeProcess)] RunPhaseJson WholeProcess)
{
    public static RunPhasesJson? From(RunPhases? phases) => phases is null ? null : new(
        phases.Provenance,
        RunPhaseNames.Split,
        phases.EpochCount,
        RunPhaseJson.From(phases.Startup),
        RunPhaseJson.From(phases.Epochs),
        RunPhaseJson.From(phases.BetweenEpochs),
        RunPhaseJson.From(phases.Tail),
        RunPhaseJson.From(phases.WholeProcess));
}

/// <summary>Source-generated serialisation of the run JSON (invariant, shortest round-trip numbers; default escaping).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(RunRecordJson))]
[JsonSerializable(typeof(RunDetailsJson))]
[JsonSerializable(typeof(IReadOnlyList<ProjectionEntryJson>))]
[JsonSerializable(typeof(RunPhasesJson))]
internal sealed partial class RunJsonContext : JsonSerializerContext;
