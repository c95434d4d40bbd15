using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// The one place the live STEP projector's options are made: <c>trainwatt measure</c> (<see cref="Pipeline.MeasureOptions.Projection"/>)
/// and <c>trainwatt evaluate step --live</c> both call <see cref="Options"/>, so what is evaluated is what users see.
/// </summary>
public static class LiveProjectionSetup
{
    /// <summary>Most recent finished runs of a store the priors are learned from.</summary>
    public const int MaxRunsToLearnFrom = 50;

    /// <summary>
    /// The live projector's options: the detector's defaults (<see cref="ChangePointOptions"/>), 90 % intervals, the
    /// epoch bounds given, the drift prior (default <see cref="DriftPrior.Default"/>) and the tail prior (default
    /// <see cref="TailPrior.Default"/>) of the whole-job projection.
    /// </summary>
    public static LiveProjectorOptions Options(int? totalEpochs, int? maxEpochs, int? patience, DriftPrior? drift = null, TailPrior? tail = null)
        => new(TotalEpochs: totalEpochs, MaxEpochs: maxEpochs, EarlyStoppingPatience: patience)
        {
            Drift = drift ?? DriftPrior.Default,
            Tail = tail ?? TailPrior.Default,
        };

    /// <summary>
    /// <paramref name="options"/> with the priors a store's finished runs teach, where it has enough of them: τ from its
    /// <see cref="MaxRunsToLearnFrom"/> most recent completed runs (exit 0) with epoch energies
    /// (<see cref="DriftPrior.Learn"/>, at least <see cref="DriftPrior.MinRunsToLearn"/> of them projected), unless
    /// <paramref name="driftGiven"/>; the tail from those of the same command (<see cref="TailPrior.Learn"/>, at least
    /// <see cref="TailPrior.MinRunsToLearn"/>). A store that cannot be read leaves the defaults.
    /// </summary>
    public static LiveProjectorOptions WithLearnedPriors(LiveProjectorOptions options, IRunStore store, string? command, bool driftGiven, Action<string>? say = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            var finished = store.ListRuns()
                .Where(r => r.Status == RunStatus.Completed && r.ExitCode == 0 && r.Ended is not null)
                .TakeLast(MaxRunsToLearnFrom)
                .Select(r => (Run: r, Epochs: store.GetEpochs(r.Id)))
                .Where(x => x.Epochs.Count >= 2)
                .ToList();
            var drift = driftGiven ? null : DriftPrior.Learn(finished.Select(x => EpochSeries(x.Epochs)).Where(e => e is not null)!, options);
            var tail = command is null ? null : TailPrior.Learn(finished
                .Where(x => x.Run.Command == command)
                .Select(x => x.Run.Ended!.Value - x.Epochs[^1].End)
                .ToList());
            return options with { Drift = drift ?? options.Drift, Tail = tail ?? options.Tail };
        }
        catch (Exception e) when (e is StoreException or ArgumentException or InvalidOperationException or ArithmeticException)
        {
            // The job is about to start: a store or a stored run that cannot teach the priors must not stop it.
            say?.Invoke($"warning: the projection priors stay at their defaults: {e.Message}");
            return options;
        }
    }

    /// <summary>A stored run's epochs as the projector sees them; null when an epoch has no energy.</summary>
    private static EpochMeasurement[]? EpochSeries(IReadOnlyList<EpochRecord> epochs)
    {
        if (epochs.Any(e => e.Energy is null))
        {
            return null;
        }

        return epochs.Select((e, i) => EpochMeasurement.FromEnergy(i, e.End - e.Start, e.Energy ?? Energy.Zero, e.End.UtcDateTime)).ToArray();
    }
}
