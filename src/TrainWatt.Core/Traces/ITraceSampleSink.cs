namespace TrainWatt.Core.Traces;

/// <summary>Receives the samples of a trace as <see cref="NvidiaSmiCsv.Scan"/> parses them, in file order.</summary>
public interface ITraceSampleSink
{
    /// <param name="device">Device key (<c>index</c>, else <c>pci.bus_id</c>, else "0"); interned, so equal keys are the same string.</param>
    /// <param name="gpuName">The GPU name on this line, when the trace has a name column.</param>
    /// <param name="sample">The sample (power in watts, null when not reported).</param>
    void OnSample(string device, string? gpuName, in GpuSample sample);
}

/// <summary>
/// Implemented by a sink (<see cref="ITraceSampleSink"/>, <see cref="IProcessSampleSink"/>) that wants to know how far
/// the reader is in its input, to show progress.
/// </summary>
public interface ITraceReadProgress
{
    /// <summary>Called on the reading thread after each block read, with the input bytes read so far (the compressed bytes of a gzip file).</summary>
    void OnBytesRead(long total);
}

/// <summary>What streaming a trace produced besides the samples themselves.</summary>
/// <param name="Faults">Faults in file order; a <see cref="FaultKind.Fatal"/> one means the data must be discarded.</param>
/// <param name="Samples">Samples delivered to the sink (all devices).</param>
public sealed record TraceScanResult(IReadOnlyList<TraceFault> Faults, int Samples)
{
    public bool IsFatal => Faults.Any(f => f.Kind == FaultKind.Fatal);
}
