namespace TrainWatt.Core.Epochs;

/// <summary>Something <see cref="EpochDetector"/> recognised in one output segment. The caller stamps the time.</summary>
public abstract record DetectorEvent;

/// <summary>Epoch <paramref name="Number"/> (1-based) begins now.</summary>
/// <param name="Number">1-based epoch number.</param>
/// <param name="Total">Total planned epochs when the output says so (Keras <c>k/N</c>, marker <c>total=</c>).</param>
public sealed record EpochStarted(int Number, int? Total) : DetectorEvent
{
    /// <summary>True for a guessed start (a bare progress bar before any epoch); an explicit start overrides it.</summary>
    public bool Tentative { get; init; }
}

/// <summary>
/// Epoch <paramref name="Number"/> (1-based) ends now. When no <see cref="EpochStarted"/> came for it, the epoch began
/// at the previous epoch's end (or when the command started, for the first epoch).
/// </summary>
/// <param name="Number">1-based epoch number.</param>
/// <param name="Total">Total planned epochs when known.</param>
/// <param name="Samples">Training samples processed in the epoch, when the marker says (<c>samples=</c>).</param>
/// <param name="AtExit">True when the epoch was still open when the command exited and ends at the exit.</param>
public sealed record EpochEnded(int Number, int? Total, long? Samples, bool AtExit = false) : DetectorEvent;

/// <summary>A <c>##trainwatt metric name=value</c> pair (a run metric such as a final F1 score; dimensionless as given).</summary>
public sealed record MetricReported(string Name, double Value) : DetectorEvent;

/// <summary>The detector settled on a convention (auto mode) or ignored something; shown once as a diagnostic.</summary>
public sealed record DetectorNote(string Message) : DetectorEvent;
