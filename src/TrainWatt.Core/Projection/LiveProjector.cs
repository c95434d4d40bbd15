using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>One finished epoch as a live measurement sees it.</summary>
/// <param name="Number">The run's 1-based epoch number; must be <see cref="LiveProjector.ExpectedNumber"/> (the previous observation's + 1).</param>
/// <param name="End">Wall-clock end of the epoch.</param>
/// <param name="Duration">Epoch duration.</param>
/// <param name="Energy">Energy measured over the epoch (J), all devices summed.</param>
/// <param name="MeanSamplePower">Mean of the raw power samples of the epoch (W), if known; else Energy / Duration.</param>
/// <param name="SampleCount">Power samples in the epoch (0 when unknown).</param>
/// <param name="TotalEpochs">A total announced by the run itself (Keras <c>Epoch k/N</c>, a marker's <c>total</c>), if any.</param>
public sealed record EpochObservation(int Number, DateTime End, TimeSpan Duration, Energy Energy, Power? MeanSamplePower = null, int SampleCount = 0, int? TotalEpochs = null)
{
    /// <summary>
    /// Energy of the whole process from its start to this epoch's end, all devices; with <see cref="RunElapsed"/> it
    /// makes the projection one of the whole job: the energy before epoch 1 began is the measured start-up, and each
    /// later epoch counts from the previous epoch's end (any pause between epochs is part of the epoch after it).
    /// </summary>
    public Energy? RunEnergy { get; init; }

    /// <summary>Time from the process's start to this epoch's end (with <see cref="RunEnergy"/>).</summary>
    public TimeSpan? RunElapsed { get; init; }
}

/// <summary>Settings of a <see cref="LiveProjector"/>.</summary>
/// <param name="Method">Projection method (default STEP, epoch-energy variant).</param>
/// <param name="Confidence">Interval confidence (default 0.9).</param>
/// <param name="TotalEpochs"><c>--total-epochs</c>: N when known in advance.</param>
/// <param name="MaxEpochs"><c>--max-epochs</c>: the upper bound of N under early stopping.</param>
/// <param name="MinEpochs"><c>--min-epochs</c>: a lower bound of N, if known.</param>
/// <param name="EarlyStoppingPatience"><c>--early-stopping-patience</c>: N ≥ patience + 1.</param>
/// <param name="Detector">The adaptive detector's settings.</param>
public sealed record LiveProjectorOptions(
    ProjectionMethod Method = ProjectionMethod.Step,
    double Confidence = 0.9,
    int? TotalEpochs = null,
    int? MaxEpochs = null,
    int? MinEpochs = null,
    int? EarlyStoppingPatience = null,
    ChangePointOptions? Detector = null)
{
    /// <summary>The slow-drift prior of the intervals; null: <see cref="DriftPrior.Default"/>.</summary>
    public DriftPrior? Drift { get; init; }

    /// <summary>The tail prior added after the last epoch when observations carry the run's energy; null: no tail (the projection ends at the last epoch).</summary>
    public TailPrior? Tail { get; init; }
}

/// <summary>
/// Projects a running training's total energy (the whole job when observations carry the run's energy) after every epoch: the API <c>trainwatt measure</c> calls once per
/// finished epoch. Every answer is a <see cref="ProjectionResult"/> (an estimate with its interval, or "not yet stable"
/// with the reason); every estimate is also kept in <see cref="History"/> as a <see cref="ProjectionEntry"/> for the
/// store. Not thread-safe: call it from the one thread that sees epochs end.
/// </summary>
public sealed class LiveProjector
{
    private readonly List<EpochMeasurement> _epochs = [];
    private readonly List<ProjectionEntry> _history = [];
    private readonly ChangePointStabilityDetector _detector;
    private readonly TimeProvider _time;
    private int? _announcedTotal;
    private Energy _startup;
    private EpochObservation? _previous;

    public LiveProjector(LiveProjectorOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new LiveProjectorOptions();
        _detector = new ChangePointStabilityDetector(Options.Detector);
        _time = time ?? TimeProvider.System;
    }

    public LiveProjectorOptions Options { get; }

    /// <summary>Every projection made so far, oldest first (only epochs that gave an estimate).</summary>
    public IReadOnlyList<ProjectionEntry> History => _history;

    /// <summary>The epochs seen so far (epoch number k at index k − 1).</summary>
    public IReadOnlyList<EpochMeasurement> Epochs => _epochs;

    /// <summary>The 1-based number the next <see cref="OnEpochEnd"/> must carry: 1 first, then one more each time.</summary>
    public int ExpectedNumber => EpochNumbering.ToNumber(_epochs.Count);

    /// <summary>Adds a finished epoch and projects the total from all epochs so far.</summary>
    /// <exception cref="ArgumentException">The epoch number is not <see cref="ExpectedNumber"/>.</exception>
    public ProjectionResult OnEpochEnd(EpochObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Number != ExpectedNumber)
        {
            throw new ArgumentException($"Epoch {observation.Number} was reported where epoch {ExpectedNumber} was expected; epochs must be reported once each, in order from 1.", nameof(observation));
        }

        var (energy, duration) = (observation.Energy, observation.Duration);
        bool wholeJob = observation is { RunEnergy: not null, RunElapsed: not null };
        if (wholeJob && _previous is { RunEnergy: { } previousEnergy, RunElapsed: { } previousElapsed })
        {
            // The epoch as the job lives it: from the previous epoch's end, any pause before this epoch's start included.
            var cycleEnergy = observation.RunEnergy!.Value - previousEnergy;
            var cycleTime = observation.RunElapsed!.Value - previousElapsed;
            if (cycleEnergy >= energy && cycleTime >= duration)
            {
                (energy, duration) = (cycleEnergy, cycleTime);
            }
        }
        else if (wholeJob && _epochs.Count == 0 && observation.RunEnergy!.Value > energy)
        {
            _startup = observation.RunEnergy!.Value - energy;
        }

        _previous = observation;
        var power = observation.MeanSamplePower is { } given && energy == observation.Energy
            ? given
            : duration > TimeSpan.Zero ? energy / duration : Power.Zero;
        _epochs.Add(new EpochMeasurement(EpochNumbering.ToIndex(observation.Number), observation.End, duration, energy, power, observation.SampleCount));
        _announcedTotal = observation.TotalEpochs ?? _announcedTotal;

        var (horizon, horizonError) = EpochHorizon.Infer(
            _epochs.Count,
            runFinished: false,
            totalEpochs: Options.TotalEpochs ?? (Options.MaxEpochs is null && Options.EarlyStoppingPatience is null ? _announcedTotal : null),
            maxEpochs: Options.MaxEpochs ?? _announcedTotal,
            minEpochs: Options.MinEpochs,
            patience: Options.EarlyStoppingPatience);
        var result = EnergyProjector.Project(_epochs, _detector, new ProjectionRequest(Options.Method, horizon, Options.Confidence)
        {
            StartupEnergy = _startup,
            Tail = wholeJob ? Options.Tail : null,
            Drift = Options.Drift ?? DriftPrior.Default,
        });
        if (horizon is null && result.Stability.IsStable)
        {
            result = result with { Reason = horizonError };
        }

        if (result.Estimate is { } estimate)
        {
            _history.Add(new ProjectionEntry(
                observation.Number,
                estimate,
                result.Lower!.Value,
                result.Upper!.Value,
                result.Confidence,
                result.MethodName,
                result.Stability.StableFromNumber,
                result.Horizon?.Min,
                result.Horizon?.Max,
                _time.GetUtcNow())
            {
                StartupEnergy = wholeJob ? result.StartupEnergy : null,
                TailEnergy = result.Tail is null ? null : result.TailEnergy,
                TailPriorSource = result.Tail?.Source,
                DriftPrior = result.Drift?.RelativeSd,
                DriftPriorSource = result.Drift?.Source,
            });
        }

        return result;
    }
}
