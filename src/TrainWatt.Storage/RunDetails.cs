using System.Globalization;
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
    /// <summary>
    /// Sum of the devices' energies that are known; null when no device has an energy measurement (a run with no
    /// devices, or whose samples carry no power or energy value, such as an import where every power was [N/A]), so
    /// that no output reports a silent 0 J. <see cref="NoEnergyReason"/> says why.
    /// </summary>
    public Energy? TotalEnergy => Energy.Any(e => e.Energy is not null)
        ? Energy.Where(e => e.Energy is not null).Aggregate(Core.Units.Energy.Zero, (sum, e) => sum + e.Energy!.Value)
        : null;

    /// <summary>Why <see cref="TotalEnergy"/> is null, naming each device and what its samples lack; null when it is known.</summary>
    public string? NoEnergyReason => TotalEnergy is not null ? null
        : Energy.Count == 0 ? "no energy measurement: the run has no devices"
        : "no energy measurement: " + string.Join("; ", Energy.Select(Why));

    /// <summary>How many devices have no energy measurement while others do (their energy is not in <see cref="TotalEnergy"/>).</summary>
    public int DevicesWithoutEnergy => Energy.Count(e => e.Energy is null);

    private static string Why(StoredDeviceEnergy e)
    {
        string samples = string.Create(CultureInfo.InvariantCulture, $"{e.Samples} sample{(e.Samples == 1 ? "" : "s")}");
        return e switch
        {
            { Samples: 0 } => $"{e.Device.Key} has no samples",
            { MeanPower: null } => $"{e.Device.Key} has {samples}, none with a power or energy value",
            _ => $"{e.Device.Key} has {samples} whose power spans no time to integrate (one sample, or all at one time stamp)",
        };
    }
}
