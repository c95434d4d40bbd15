using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>Lifecycle of a stored run.</summary>
public enum RunStatus
{
    /// <summary>Being measured or imported now. Read back as <see cref="Incomplete"/> once its owner process is gone.</summary>
    Running,

    /// <summary>Finished normally; the wrapped command's exit code is recorded.</summary>
    Completed,

    /// <summary>The recording stopped before the run finished (TrainWatt was killed, an import was interrupted, a trace lost its tail).</summary>
    Incomplete,

    /// <summary>The measurement itself failed (no meter could be read).</summary>
    Failed,
}

/// <summary>What a new run is created with.</summary>
/// <param name="Source">Where the run came from: "measure", "import:nvidia-smi", "import:seaa2023".</param>
/// <param name="Started">Start of the run.</param>
/// <param name="SourceKey">Stable key of the imported input (e.g. "seaa2023:cloud/vgg16/20221205T095541"); unique in a store, null for live runs.</param>
/// <param name="Command">The wrapped command line, when there is one.</param>
/// <param name="Tags">User tags (k=v).</param>
/// <param name="JobId">Distributed job id (SLURM_JOB_ID, TORCHELASTIC_RUN_ID, --job-id).</param>
/// <param name="Metadata">Free-form JSON object text (model, environment, the source table's row...).</param>
/// <param name="Status">Initial status; imports that write everything at once create the run as completed/incomplete directly.</param>
public sealed record NewRun(
    string Source,
    DateTimeOffset Started,
    string? SourceKey = null,
    string? Command = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    string? JobId = null,
    string? Metadata = null,
    RunStatus Status = RunStatus.Running);

/// <summary>A measured thing within a run (a GPU, a CPU package, a process).</summary>
/// <param name="Key">Stable key within the run: "gpu:0", "cpu:package-0", "process".</param>
/// <param name="Component">"gpu", "cpu", "dram", "ram", "psys" or "process".</param>
/// <param name="Name">Human name ("NVIDIA GeForce RTX 3090").</param>
/// <param name="Provenance">How this device's energy is obtained.</param>
/// <param name="Uuid">Hardware UUID when known (GPU), to de-duplicate devices shared by several processes.</param>
/// <param name="Note">Why this provenance, or where the data came from.</param>
public sealed record DeviceRegistration(string Key, string Component, string? Name, Provenance Provenance, string? Uuid = null, string? Note = null);

/// <summary>A stored device with its id.</summary>
public sealed record StoredDevice(long Id, long RunId, string Key, string Component, string? Name, Provenance Provenance, string? Uuid, string? Note);

/// <summary>
/// One sample of one device. Null fields were not reported (never zero).
/// </summary>
/// <param name="DeviceId">Id returned by <see cref="IRunStore.RegisterDevice"/>.</param>
/// <param name="Timestamp">When the sample was taken. Sources without a zone (nvidia-smi CSV) are stored as written, with offset zero.</param>
/// <param name="Power">Instantaneous power.</param>
/// <param name="CumulativeEnergy">Hardware counter energy since the meter was opened (counter devices only).</param>
/// <param name="UtilizationPercent">Utilisation 0-100 (GPU utilisation, or process CPU share).</param>
/// <param name="MemoryUsedMiB">Device memory used (GPU) or resident memory (process), MiB.</param>
/// <param name="TemperatureCelsius">Temperature, °C.</param>
/// <param name="Provenance">How this sample's energy figure is obtained (Counter when <paramref name="CumulativeEnergy"/> is set, else Sampled or Model).</param>
/// <param name="SourceLine">Line in the source file for imported samples.</param>
public readonly record struct SampleRecord(
    long DeviceId,
    DateTimeOffset Timestamp,
    Power? Power,
    Energy? CumulativeEnergy,
    double? UtilizationPercent,
    double? MemoryUsedMiB,
    double? TemperatureCelsius,
    Provenance Provenance,
    int? SourceLine = null);

/// <summary>One epoch of a run.</summary>
/// <param name="Number">1-based epoch number.</param>
/// <param name="Start">Start of the epoch.</param>
/// <param name="End">End of the epoch.</param>
/// <param name="Energy">Energy of the epoch over all devices, when known.</param>
/// <param name="Provenance">How <paramref name="Energy"/> was obtained.</param>
/// <param name="SamplesSeen">Training samples (images, sequences) processed in the epoch, when known.</param>
public sealed record EpochRecord(int Number, DateTimeOffset Start, DateTimeOffset End, Energy? Energy, Provenance Provenance, long? SamplesSeen = null);

/// <summary>A fault or note attached to a run (a truncated trace line, a lost tail...).</summary>
/// <param name="Kind">snake_case kind, e.g. "truncated_line", "lost_tail" (see <see cref="AnnotationKinds"/>).</param>
/// <param name="Message">Human explanation.</param>
/// <param name="File">Source file, when the annotation concerns one.</param>
/// <param name="Line">1-based line, or null when it concerns the whole file.</param>
/// <param name="DeviceId">Device concerned, when one.</param>
public sealed record AnnotationRecord(string Kind, string Message, string? File = null, int? Line = null, long? DeviceId = null);

/// <summary>A stored run as listed.</summary>
/// <remarks>
/// <c>Status</c> is the effective status: a run stored as running whose owning process is gone (or whose heartbeat is
/// stale) reads as <see cref="RunStatus.Incomplete"/>; <c>StoredStatus</c> is the column as written. Times are UTC
/// instants, or the source's wall clock as written (offset zero) for imported traces without a zone.
/// </remarks>
public sealed record RunRecord(
    long Id,
    string Uuid,
    string Source,
    string? SourceKey,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    RunStatus Status,
    RunStatus StoredStatus,
    int? ExitCode,
    string? Command,
    IReadOnlyDictionary<string, string> Tags,
    string? JobId,
    string? Host,
    int? ProcessId,
    string? Metadata,
    int DeviceCount,
    long SampleCount,
    int AnnotationCount)
{
    /// <summary>True when the run was left "running" by a process that no longer exists.</summary>
    public bool IsAbandoned => StoredStatus == RunStatus.Running && Status == RunStatus.Incomplete;

    public TimeSpan? Duration => Ended is { } end ? end - Started : null;
}

/// <summary>Energy and power of one device computed from its stored samples.</summary>
/// <remarks>
/// <c>Energy</c> is the counter difference (last − first cumulative energy) for counter devices, else Core's
/// <c>EnergyAccounting.Integrate</c> with its defaults (trapezoid on the real time stamps; intervals longer than 5 s are
/// gaps, left out and counted in <c>ExcludedDuration</c>), so <c>runs show</c> agrees with <c>trainwatt energy</c> on
/// the same trace; null when the device has no power or energy data. <c>Provenance</c> says which.
/// <c>MaxGap</c> is the longest interval between consecutive samples. <c>MeanPower</c> is the arithmetic mean of the
/// power samples.
/// </remarks>
public sealed record StoredDeviceEnergy(
    StoredDevice Device,
    long Samples,
    DateTimeOffset? First,
    DateTimeOffset? Last,
    Energy? Energy,
    Provenance Provenance,
    Power? MeanPower,
    Power? MaxPower,
    TimeSpan? MaxGap,
    TimeSpan ExcludedDuration);

/// <summary>A run with everything attached to it, except the samples (read those with <see cref="IRunStore.ReadSamples"/>).</summary>
public sealed record RunDetails(
    RunRecord Run,
    IReadOnlyList<StoredDevice> Devices,
    IReadOnlyList<StoredDeviceEnergy> Energy,
    IReadOnlyList<EpochRecord> Epochs,
    IReadOnlyList<AnnotationRecord> Annotations)
{
    /// <summary>Sum of the devices' energies that are known.</summary>
    public Energy TotalEnergy => Energy.Where(e => e.Energy is not null).Aggregate(Core.Units.Energy.Zero, (sum, e) => sum + e.Energy!.Value);
}

/// <summary>The annotation kinds TrainWatt writes itself.</summary>
public static class AnnotationKinds
{
    /// <summary>snake_case name of a trace fault kind: LostTail → "lost_tail".</summary>
    public static string From(Core.Traces.FaultKind kind) => kind switch
    {
        Core.Traces.FaultKind.TruncatedLine => "truncated_line",
        Core.Traces.FaultKind.Garbage => "garbage",
        Core.Traces.FaultKind.UnparsableValue => "unparsable_value",
        Core.Traces.FaultKind.Gap => "gap",
        Core.Traces.FaultKind.NonMonotonicTime => "non_monotonic_time",
        Core.Traces.FaultKind.LostTail => "lost_tail",
        Core.Traces.FaultKind.EarlyProcessEnd => "early_process_end",
        Core.Traces.FaultKind.Fatal => "fatal",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The import did not find a process trace to pair with a GPU trace.</summary>
    public const string Unpaired = "unpaired";
}
