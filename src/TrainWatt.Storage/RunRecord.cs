using System.Globalization;
using System.Text.Json;
using TrainWatt.Core.Accounting;

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

    /// <summary>The metadata key (in <c>runs.metadata</c>) under which <c>measure</c> stores its sampling interval, in milliseconds.</summary>
    public const string IntervalMetadataKey = "interval_ms";

    /// <summary>
    /// The metadata key of the samples the run trained on in all, for runs without per-epoch counts (an imported table's
    /// <c>total seen images</c>): analyses divide energy by it for energy per sample.
    /// </summary>
    public const string SamplesSeenMetadataKey = "samples_seen";

    /// <summary>The metadata's whole non-negative <c>samples_seen</c>; null when absent or not a whole number.</summary>
    public long? SamplesSeen => ParseNumber(Metadata, SamplesSeenMetadataKey) is { } n && n >= 0 && n < 9e18 && n == Math.Floor(n) ? (long)n : null;

    /// <summary>The sampling interval the run was measured at (metadata <c>interval_ms</c>); null when unknown (imported traces).</summary>
    public TimeSpan? SamplingInterval => ParseInterval(Metadata);

    /// <summary>Which intervals between the run's stored samples are gaps: the same rule the live sampler applied.</summary>
    public SampleGapRule GapRule => SampleGapRule.ForInterval(SamplingInterval);

    /// <summary>The positive <c>interval_ms</c> of a metadata JSON object; null when absent, malformed or not positive.</summary>
    internal static TimeSpan? ParseInterval(string? metadata)
    {
        double ms = ParseNumber(metadata, IntervalMetadataKey) ?? double.NaN;
        return double.IsFinite(ms) && ms > 0 && ms < TimeSpan.MaxValue.TotalMilliseconds / 4 ? TimeSpan.FromMilliseconds(ms) : null;
    }

    /// <summary>The number (or numeric string) under <paramref name="key"/> of a metadata JSON object; null when absent or malformed.</summary>
    private static double? ParseNumber(string? metadata, string key)
    {
        if (string.IsNullOrEmpty(metadata) || !metadata.Contains(key, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(key, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null; // imported runs may carry other metadata shapes
        }
    }
}
