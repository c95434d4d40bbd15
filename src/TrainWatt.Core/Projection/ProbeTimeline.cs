using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Projection;

/// <summary>
/// What a probe of a training command saw, in the order it happened: the run's cumulative energy (all channels), the
/// epoch ends, the steps within epochs or within the run, and the planned totals the log printed. Times are elapsed
/// since the run started. Filled by the measuring side, read by <see cref="ProbeProjector"/>. Not thread-safe: the
/// caller serialises the calls.
/// </summary>
public sealed class ProbeTimeline
{
    private readonly List<(TimeSpan Elapsed, double Joules)> _energy = [];
    private readonly List<(int Number, TimeSpan End)> _epochEnds = [];
    private readonly List<(TimeSpan Elapsed, double Epochs)> _epochSteps = [];
    private readonly List<(TimeSpan Elapsed, long Step, long Total)> _runSteps = [];

    /// <summary>The run's cumulative energy in joules at elapsed times, oldest first (one point per reading).</summary>
    public IReadOnlyList<(TimeSpan Elapsed, double Joules)> Energy => _energy;

    /// <summary>Epoch ends: the 1-based number and when it ended.</summary>
    public IReadOnlyList<(int Number, TimeSpan End)> EpochEnds => _epochEnds;

    /// <summary>Progress within epochs as fractional epochs done: step s of T in epoch e is (e - 1) + s / T.</summary>
    public IReadOnlyList<(TimeSpan Elapsed, double Epochs)> EpochSteps => _epochSteps;

    /// <summary>Progress as steps of the whole run (the Hugging Face Trainer's bar).</summary>
    public IReadOnlyList<(TimeSpan Elapsed, long Step, long Total)> RunSteps => _runSteps;

    /// <summary>Planned epochs as the log printed them (Keras <c>Epoch k/N</c>, a marker's <c>total=</c>, Hugging Face <c>Num Epochs</c>).</summary>
    public int? PlannedEpochs { get; set; }

    /// <summary>Planned optimisation steps as the log printed them (Hugging Face <c>Total optimization steps</c>).</summary>
    public long? PlannedSteps { get; set; }

    /// <summary>Output lines (and <c>\r</c> redraws) the command printed.</summary>
    public long OutputLines { get; set; }

    /// <summary>Steps per epoch, from the last within-epoch progress reading (null when none was seen).</summary>
    public long? StepsPerEpoch { get; private set; }

    /// <summary>Records the run's cumulative energy at <paramref name="elapsed"/> (a later point at the same time replaces it).</summary>
    public void AddEnergy(TimeSpan elapsed, double joules)
    {
        if (!double.IsFinite(joules))
        {
            return;
        }

        if (_energy.Count > 0 && _energy[^1].Elapsed >= elapsed)
        {
            if (_energy[^1].Elapsed == elapsed)
            {
                _energy[^1] = (elapsed, joules);
            }

            return;
        }

        _energy.Add((elapsed, joules));
    }

    /// <summary>Records the end of epoch <paramref name="number"/>.</summary>
    public void AddEpochEnd(int number, TimeSpan end) => _epochEnds.Add((number, end));

    /// <summary>
    /// Records a progress reading. <paramref name="epochInProgress"/> is the epoch the reading belongs to when the line
    /// does not name one (the caller's count of ended epochs + 1).
    /// </summary>
    public void AddStep(TimeSpan elapsed, StepProgress progress, int epochInProgress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Scope == ProgressScope.Run)
        {
            _runSteps.Add((elapsed, progress.Step, progress.Total));
            return;
        }

        int epoch = progress.Epoch ?? epochInProgress;
        StepsPerEpoch = progress.Total;
        _epochSteps.Add((elapsed, epoch - 1 + (double)progress.Step / progress.Total));
    }

    /// <summary>The cumulative energy at <paramref name="elapsed"/>, linear between readings, held flat beyond them (0 without any).</summary>
    public double EnergyAt(TimeSpan elapsed)
    {
        if (_energy.Count == 0)
        {
            return 0;
        }

        if (elapsed <= _energy[0].Elapsed)
        {
            return _energy[0].Joules;
        }

        if (elapsed >= _energy[^1].Elapsed)
        {
            return _energy[^1].Joules;
        }

        int lo = 0, hi = _energy.Count - 1; // _energy[lo] < elapsed <= _energy[hi]
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            if (_energy[mid].Elapsed < elapsed)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var (t0, e0) = _energy[hi - 1];
        var (t1, e1) = _energy[hi];
        return e0 + ((e1 - e0) * (elapsed - t0).TotalSeconds / (t1 - t0).TotalSeconds);
    }
}
