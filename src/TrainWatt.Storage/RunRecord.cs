namespace TrainWatt.Storage;

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
