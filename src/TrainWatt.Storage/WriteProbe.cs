namespace TrainWatt.Storage;

/// <summary>
/// Names the rows one live write leaves in a run, so that a writer that lost the acknowledgement of a commit (the
/// connection dropped after COMMIT was sent) can count them and tell whether that write is already stored
/// (<see cref="IRunStore.CountWritten"/>). Each write is all or nothing (one transaction), so counting one key is enough.
/// </summary>
public abstract record WriteProbe
{
    private WriteProbe()
    {
    }

    /// <summary>The store's time value for <paramref name="time"/> (whole microseconds since the Unix epoch, in seconds as a double): probes compare times exactly as stored.</summary>
    public static double StoreSeconds(DateTimeOffset time) => StoreRows.ToMicroseconds(time) / 1_000_000.0;

    /// <summary>Samples of <paramref name="DeviceId"/> taken at or after <paramref name="From"/> (compared as <see cref="StoreSeconds"/>).</summary>
    public sealed record SamplesFrom(long DeviceId, DateTimeOffset From) : WriteProbe;

    /// <summary>Epochs numbered <paramref name="Number"/> (0 or 1: the epoch number is the key).</summary>
    public sealed record Epoch(int Number) : WriteProbe;

    /// <summary>Annotations with this kind and message.</summary>
    public sealed record Annotation(string Kind, string Message) : WriteProbe;

    /// <summary>Projections made after epoch <paramref name="EpochNumber"/>.</summary>
    public sealed record Projection(int EpochNumber) : WriteProbe;
}
