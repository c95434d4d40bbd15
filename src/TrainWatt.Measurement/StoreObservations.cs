using System.Globalization;
using TrainWatt.Analysis.Data;
using TrainWatt.Measurement;
using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// Turns stored runs into analysis observations: keys are the run's tags; energy is the sum over its devices; duration
/// is start to end; samples seen is the sum over epochs when every epoch reports it, else the run metadata's <c>samples_seen</c> (an imported table's count); scores are the
/// <c>##trainwatt metric name=value</c> lines stored as "metric" annotations (the last value of each name wins).
/// Runs that are not completed, whose command exited non-zero, or that are probes (<c>estimate --probe</c>) are left out.
/// </summary>
internal static class StoreObservations
{
    public static IReadOnlyList<Observation> Load(IRunStore store, Func<RunRecord, bool> include)
    {
        var list = new List<Observation>();
        foreach (var run in store.ListRuns().Where(include))
        {
            // Only runs that finished and whose command succeeded: an interrupted or failed training is not a sample.
            if (!Usable(run))
            {
                continue;
            }

            var details = store.GetRun(run.Id);
            if (details is null)
            {
                continue;
            }

            list.Add(FromDetails(details));
        }

        return list;
    }

    /// <summary>True for a run that completed, whose command exited 0 (or that has no command), and that is not a probe.</summary>
    public static bool Usable(RunRecord run) => run.Status == RunStatus.Completed && run.ExitCode is null or 0 && !RunSources.IsProbe(run);

    public static Observation FromDetails(RunDetails details)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var a in details.Annotations.Where(a => a.Kind == StoreMeasurementSink.MetricKind))
        {
            int eq = a.Message.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && double.TryParse(a.Message[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
            {
                scores[a.Message[..eq]] = v;
            }
        }

        long? samples = details.Epochs.Count > 0 && details.Epochs.All(e => e.SamplesSeen is not null) ? details.Epochs.Sum(e => e.SamplesSeen!.Value) : details.Run.SamplesSeen;
        return new Observation(
            details.Run.Id.ToString(CultureInfo.InvariantCulture),
            details.Run.Tags,
            details.TotalEnergy,
            details.Run.Duration,
            samples,
            scores);
    }
}
