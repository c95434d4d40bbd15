using TrainWatt.Core;
using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>Mapping of trace rows and faults to store records, shared by the importers.</summary>
internal static class ImportConversions
{
    /// <summary>
    /// Trace time stamps carry no zone (nvidia-smi and the SEAA process logger write local wall-clock time). They are
    /// stored as written, with offset zero, and the run's metadata says so.
    /// </summary>
    public static DateTimeOffset AsWritten(DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Unspecified), TimeSpan.Zero);

    public static SampleRecord ToSample(in GpuSample s, long deviceId)
        => new(deviceId, AsWritten(s.Timestamp), s.Power, null, s.UtilizationPercent, s.MemoryUsedMiB, s.TemperatureCelsius, Provenance.Sampled, s.Line > 0 ? s.Line : null);

    public static SampleRecord ToSample(in ProcessSample s, long deviceId)
        => new(deviceId, AsWritten(s.Timestamp), null, null, s.CpuPercent, s.MemoryMegabytes, s.TemperatureCelsius, Provenance.Sampled, s.Line > 0 ? s.Line : null);

    public static AnnotationRecord ToAnnotation(TraceFault fault)
        => new(AnnotationKinds.From(fault.Kind), fault.Message, fault.File, fault.Line > 0 ? fault.Line : null);
}
