namespace TrainWatt.Core.Traces;

/// <summary>The samples of one device from one trace file, in file order.</summary>
/// <param name="File">Path of the source file as given.</param>
/// <param name="Device">Device key: the <c>index</c> column, else <c>pci.bus_id</c>, else "0" for single-device traces.</param>
/// <param name="GpuName">The <c>name</c>/<c>gpu_name</c> column of the first sample, when present.</param>
/// <param name="Samples">Parsed samples in file order.</param>
public sealed record DeviceTrace(string File, string Device, string? GpuName, IReadOnlyList<GpuSample> Samples);

/// <summary>What reading one trace file produced: one trace per device, plus every fault found.</summary>
/// <param name="Devices">Per-device traces, ordered by device key; empty when the file was unusable.</param>
/// <param name="Faults">Faults in file order. A <see cref="FaultKind.Fatal"/> fault means the file gave no data.</param>
public sealed record TraceReadResult(IReadOnlyList<DeviceTrace> Devices, IReadOnlyList<TraceFault> Faults)
{
    public bool IsFatal => Faults.Any(f => f.Kind == FaultKind.Fatal);
}
