namespace TrainWatt.Core.Traces;

/// <summary>What reading one process trace produced: its samples in file order plus every fault found.</summary>
/// <param name="File">Path of the source file as given.</param>
/// <param name="Samples">Parsed samples in file order; empty when the file was unusable.</param>
/// <param name="Faults">Faults in file order. A <see cref="FaultKind.Fatal"/> fault means the file gave no data.</param>
public sealed record ProcessTraceReadResult(string File, IReadOnlyList<ProcessSample> Samples, IReadOnlyList<TraceFault> Faults)
{
    public bool IsFatal => Faults.Any(f => f.Kind == FaultKind.Fatal);

    /// <summary>First sample time, or null when there are no samples.</summary>
    public DateTime? First => Samples.Count > 0 ? Samples[0].Timestamp : null;

    /// <summary>Last sample time, or null when there are no samples.</summary>
    public DateTime? Last => Samples.Count > 0 ? Samples[^1].Timestamp : null;
}
