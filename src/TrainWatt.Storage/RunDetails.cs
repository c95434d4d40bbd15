using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>A run with everything attached to it, except the samples (read those with <see cref="IRunStore.ReadSamples"/>).</summary>
public sealed record RunDetails(
    RunRecord Run,
    IReadOnlyList<StoredDevice> Devices,
    IReadOnlyList<StoredDeviceEnergy> Energy,
    IReadOnlyList<EpochRecord> Epochs,
    IReadOnlyList<AnnotationRecord> Annotations)
{
    /// <summary>Sum of the devices' energies that are known.</summary>
    public Energy TotalEnergy => Energy.Where(e => e.Energy is not null).Aggregate(Core.Units.Energy.Zero, (sum, e) => sum + e.Energy!.Value);
}
