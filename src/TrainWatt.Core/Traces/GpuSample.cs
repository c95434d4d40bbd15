using TrainWatt.Core.Units;

namespace TrainWatt.Core.Traces;

/// <summary>
/// One row of a GPU power trace (nvidia-smi CSV, NVML poll). Fields the source did not report, or reported as
/// <c>[N/A]</c> / <c>[Not Supported]</c>, are null — never zero.
/// </summary>
/// <param name="Timestamp">Wall-clock time of the sample as written by the source (no zone: <see cref="DateTimeKind.Unspecified"/>).</param>
/// <param name="Power">Instantaneous board power (nvidia-smi <c>power.draw</c>), null when not reported.</param>
/// <param name="UtilizationPercent">GPU utilisation in percent, 0-100.</param>
/// <param name="MemoryUsedMiB">Device memory used in MiB.</param>
/// <param name="PowerLimit">Enforced/max power limit (<c>power.max_limit</c> or <c>power.limit</c>).</param>
/// <param name="TemperatureCelsius">GPU temperature.</param>
/// <param name="Line">1-based line number in the source file (0 when the sample did not come from a file).</param>
public readonly record struct GpuSample(
    DateTime Timestamp,
    Power? Power,
    double? UtilizationPercent,
    double? MemoryUsedMiB,
    Power? PowerLimit,
    double? TemperatureCelsius,
    int Line);
