using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>
/// A stored run split into its phases (<see cref="RunPhases"/>), for <c>runs show</c> and the report. The run's energy at
/// the first epoch's start and at the last epoch's end is each device's energy (<see cref="DeviceEnergyCalculator"/>,
/// the rule of the run's total) over its samples up to that instant: the live sampler stored a reading at every epoch
/// boundary, so this is the same counter difference, or the same trapezoid, as the measure summary's split
/// (<c>MeasuredPhases</c>).
/// </summary>
public static class StoredRunPhases
{
    /// <summary>Null when the run has not ended, has no energy measurement, has no epoch, or an epoch has no energy.</summary>
    public static RunPhases? Compute(IRunStore store, RunDetails details)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(details);
        var run = details.Run;
        if (run.Ended is not { } ended || details.TotalEnergy is not { } total || details.Epochs.Count == 0 || details.Epochs.Any(e => e.Energy is null))
        {
            return null;
        }

        var first = details.Epochs[0].Start;
        var last = details.Epochs[^1].End;
        Energy before = Energy.Zero, through = Energy.Zero;
        foreach (var device in details.Energy.Where(e => e.Energy is not null))
        {
            // Read with the total in one pass by the store (StoredDeviceEnergy.EnergyAt...); else streamed twice (the
            // store gives a device's samples in time order): constant memory for a days-long run either way.
            before += device.EnergyAtFirstEpochStart ?? EnergyUpTo(device.Device, store.EnumerateSamples(run.Id, device.Device.Id), first, run.GapRule);
            through += device.EnergyAtLastEpochEnd ?? EnergyUpTo(device.Device, store.EnumerateSamples(run.Id, device.Device.Id), last, run.GapRule);
        }

        var provenance = details.Energy.Where(e => e.Energy is not null).Select(e => ProvenanceText.Name(e.Provenance)).Distinct().ToList();
        return RunPhases.Split(
            ended - run.Started,
            total,
            [.. details.Epochs.Select(e => (e.Start - run.Started, e.End - run.Started, e.Energy!.Value))],
            before,
            through,
            provenance);
    }

    private static Energy EnergyUpTo(StoredDevice device, IEnumerable<SampleRecord> samples, DateTimeOffset until, SampleGapRule gapRule)
        => DeviceEnergyCalculator.Compute(device, samples.TakeWhile(s => s.Timestamp <= until), gapRule).Energy ?? Energy.Zero;
}
