using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>
/// One sample of one device. Null fields were not reported (never zero).
/// </summary>
/// <param name="DeviceId">Id returned by <see cref="IRunStore.RegisterDevice"/>.</param>
/// <param name="Timestamp">When the sample was taken. Sources without a zone (nvidia-smi CSV) are stored as written, with offset zero.</param>
/// <param name="Power">Instantaneous power.</param>
/// <param name="CumulativeEnergy">Hardware counter energy since the meter was opened (counter devices only).</param>
/// <param name="UtilizationPercent">Utilisation 0-100 (GPU utilisation, or process CPU share).</param>
/// <param name="MemoryUsedMiB">Device memory used (GPU) or resident memory (process), MiB.</param>
/// <param name="TemperatureCelsius">Temperature, °C.</param>
/// <param name="Provenance">How this sample's energy figure is obtained (Counter when <paramref name="CumulativeEnergy"/> is set, else Sampled or Model).</param>
/// <param name="SourceLine">Line in the source file for imported samples.</param>
public readonly record struct SampleRecord(
    long DeviceId,
    DateTimeOffset Timestamp,
    Power? Power,
    Energy? CumulativeEnergy,
    double? UtilizationPercent,
    double? MemoryUsedMiB,
    double? TemperatureCelsius,
    Provenance Provenance,
    int? SourceLine = null);
