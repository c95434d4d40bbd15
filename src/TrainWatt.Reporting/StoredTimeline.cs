using System.Globalization;
using TrainWatt.Storage;

namespace TrainWatt.Reporting;

/// <summary>A stored run as the report's plots draw it.</summary>
public static class StoredTimeline
{
    /// <summary>Power series per device and epoch spans of one stored run, in seconds since its start.</summary>
    public static (IReadOnlyList<PowerSeries> Series, IReadOnlyList<EpochSpan> Epochs) Timeline(IRunStore store, RunDetails details)
    {
        var start = details.Run.Started;
        var samples = store.ReadSamples(details.Run.Id);
        var series = new List<PowerSeries>();
        foreach (var device in details.Devices)
        {
            var points = samples.Where(s => s.DeviceId == device.Id && s.Power is not null).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            series.Add(new PowerSeries(
                $"{device.Key} ({(device.Name is null ? "" : device.Name + ", ")}{Core.ProvenanceText.Name(device.Provenance)})",
                points.Select(p => (p.Timestamp - start).TotalSeconds).ToArray(),
                points.Select(p => p.Power!.Value.Watts).ToArray()));
        }

        var epochs = details.Epochs
            .Select(e => new EpochSpan(e.Number, (e.Start - start).TotalSeconds, (e.End - start).TotalSeconds, e.Energy?.Joules))
            .ToArray();
        return (series, epochs);
    }
}
