namespace TrainWatt.Core.Traces;

/// <summary>
/// One row of a process trace (the SEAA 2023 <c>cpu-mem-usage-*.csv</c> format): the training process's CPU share,
/// resident memory and the CPU temperature at one instant. Fields the source did not report are null, never zero.
/// </summary>
/// <param name="Timestamp">Wall-clock time as written by the source (no zone: <see cref="DateTimeKind.Unspecified"/>).</param>
/// <param name="CpuPercent">CPU usage of the process in percent of the whole machine (the source divides by the CPU count).</param>
/// <param name="MemoryMegabytes">Resident memory of the process in the source's "MB" (psutil RSS / 2^20, i.e. MiB).</param>
/// <param name="TemperatureCelsius">CPU temperature in degrees Celsius.</param>
/// <param name="Line">1-based line number in the source file.</param>
public readonly record struct ProcessSample(
    DateTime Timestamp,
    double? CpuPercent,
    double? MemoryMegabytes,
    double? TemperatureCelsius,
    int Line);
