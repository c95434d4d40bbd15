using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Measurement;

/// <summary>
/// A finished measurement split into its phases (<see cref="RunPhases"/>) from the sampler's own boundary readings: the
/// run's energy at the first epoch's start and at the last epoch's end are the channels' energies read there
/// (<see cref="MeasuredEpoch.RunEnergyAtStart"/>), so the split is exact for counters and the same trapezoid as the
/// total for sampled and modelled channels. <c>runs show</c> and the report compute the same split from the stored
/// samples (<see cref="TrainWatt.Storage.StoredRunPhases"/>).
/// </summary>
public static class MeasuredPhases
{
    /// <summary>The phases of <paramref name="summary"/>; null when it has no epoch (or its epochs carry no boundary readings).</summary>
    public static RunPhases? From(MeasurementSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Epochs.Count == 0 || summary.Epochs[0].RunEnergyAtStart is not { } atFirst || summary.Epochs[^1].RunEnergyAtStart is not { } atLast)
        {
            return null;
        }

        var last = summary.Epochs[^1];
        Energy before = Energy.Zero, through = Energy.Zero;
        for (int i = 0; i < summary.Channels.Count; i++)
        {
            if (summary.Channels[i].Valid && i < atFirst.Count && i < atLast.Count && i < last.ChannelEnergies.Count)
            {
                before += atFirst[i];
                through += atLast[i] + last.ChannelEnergies[i];
            }
        }

        var provenance = summary.Channels.Where(c => c.Valid).Select(c => ProvenanceText.Name(c.Channel.Provenance)).Distinct().ToList();
        return RunPhases.Split(summary.Duration, summary.Energy, [.. summary.Epochs.Select(e => (e.Start, e.End, ValidEnergy(summary, e)))], before, through, provenance);
    }

    /// <summary>The epoch's energy over the channels the total counts (a channel without data has none anyway).</summary>
    private static Energy ValidEnergy(MeasurementSummary summary, MeasuredEpoch epoch)
    {
        var sum = Energy.Zero;
        for (int i = 0; i < summary.Channels.Count && i < epoch.ChannelEnergies.Count; i++)
        {
            sum += summary.Channels[i].Valid ? epoch.ChannelEnergies[i] : Energy.Zero;
        }

        return sum;
    }
}
