namespace TrainWatt.Storage;

/// <summary>
/// How <see cref="IRunStore.CompleteRun"/> ends a run that was written piece by piece (an import streaming its
/// samples in batches): everything known only at the end of the input is set in one transaction, so the run turns
/// <see cref="Status"/> only once all its samples are stored.
/// </summary>
/// <param name="Status">The final status (completed or incomplete; not running).</param>
/// <param name="Started">The run's start, replacing the one it was created with.</param>
/// <param name="Ended">The run's end.</param>
public sealed record RunCompletion(RunStatus Status, DateTimeOffset Started, DateTimeOffset Ended)
{
    /// <summary>The source key the run takes now, replacing the one it was written under (null: keep it).</summary>
    public string? SourceKey { get; init; }

    /// <summary>A run deleted in the same transaction (the earlier import of the same input, being replaced), or null.</summary>
    public long? Replaces { get; init; }

    /// <summary>The run's metadata (JSON object text), replacing the one it was created with (null: keep it).</summary>
    public string? Metadata { get; init; }

    /// <summary>Annotations stored with the run.</summary>
    public IReadOnlyList<AnnotationRecord> Annotations { get; init; } = [];

    /// <summary>Device names learnt after the device was registered (device id to name).</summary>
    public IReadOnlyDictionary<long, string> DeviceNames { get; init; } = new Dictionary<long, string>();

    /// <summary>Devices deleted with their samples (a paired input that turned out unusable only at its end).</summary>
    public IReadOnlyList<long> DroppedDevices { get; init; } = [];
}
