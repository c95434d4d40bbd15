using System.Globalization;

namespace TrainWatt.Core.Projection;

/// <summary>
/// The slow-drift prior of a projection: the stable level may change linearly over the run, by a relative amount d
/// (d = −0.02: the last epoch costs 2 % less than the first stable one would at that rate, measured over all N
/// epochs) drawn from a normal law with mean 0 and standard deviation <see cref="RelativeSd"/>. The projector combines
/// it with the slope the stable window shows (a Bayesian linear trend), so the interval widens with the distance
/// between the window and the epochs still to come, and a long window's own slope moves the estimate.
/// </summary>
/// <param name="RelativeSd">τ, the standard deviation of the relative change of the level over the whole run (0.01 = 1 %).</param>
/// <param name="Source">Where τ came from: "default", "--drift-prior", "learned from K finished runs".</param>
public sealed record DriftPrior(double RelativeSd, string Source)
{
    /// <summary>
    /// The default τ = 1 %: "real runs drift by about 1 % over their course" (issue 4's finding on the SEAA 2023 runs);
    /// with it the first live projections' 90 % intervals hold the truth in about 90 % of those runs (docs/step.md).
    /// </summary>
    public const double DefaultRelativeSd = 0.01;

    /// <summary>Finished runs a store needs before τ is learned from it rather than taken from <see cref="Default"/>.</summary>
    public const int MinRunsToLearn = 10;

    public static DriftPrior Default { get; } = new(DefaultRelativeSd, "default");

    /// <summary>A prior given on the command line (<c>--drift-prior</c>).</summary>
    public static DriftPrior Given(double relativeSd)
        => relativeSd >= 0 && relativeSd <= 1 && double.IsFinite(relativeSd)
            ? new(relativeSd, "--drift-prior")
            : throw new ArgumentOutOfRangeException(nameof(relativeSd), relativeSd, "The drift prior is a relative standard deviation from 0 to 1 (e.g. 0.01 for 1 %).");

    /// <summary>"1.0 % (default)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RelativeSd * 100:0.0#} % ({Source})");

    /// <summary>
    /// Learns τ from finished runs (their epochs in order, N = their count): each run is replayed epoch by epoch as the
    /// live projector sees it (<paramref name="options"/>, N known), and at its first projection the smallest τ whose
    /// interval holds the run's real epoch total is found; τ is the ⌈(K + 1)·c⌉-th smallest of those K values, c the
    /// <see cref="LiveProjectorOptions.Confidence"/> (the split-conformal rank), so that a new run like these has its
    /// first interval hold with probability at least c.
    /// Null when fewer than <see cref="MinRunsToLearn"/> runs give a first projection.
    /// </summary>
    public static DriftPrior? Learn(IEnumerable<IReadOnlyList<EpochMeasurement>> finishedRuns, LiveProjectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(finishedRuns);
        options ??= new LiveProjectorOptions();
        var detector = new ChangePointStabilityDetector(options.Detector);
        var needed = new List<double>();
        foreach (var run in finishedRuns)
        {
            if (NeededDrift(run, detector, options) is { } tau)
            {
                needed.Add(tau);
            }
        }

        if (needed.Count < MinRunsToLearn)
        {
            return null;
        }

        // The ⌈(K + 1)·confidence⌉-th smallest of K values (split-conformal rank): for a new run exchangeable with
        // these, its first interval then holds with probability at least the confidence.
        needed.Sort();
        double q = needed[Math.Min(needed.Count, (int)Math.Ceiling(options.Confidence * (needed.Count + 1))) - 1];
        return new DriftPrior(Math.Min(1, q), string.Create(CultureInfo.InvariantCulture, $"learned from {needed.Count} finished runs"));
    }

    /// <summary>The smallest τ whose interval at the run's first projection holds its epoch total; null when it never projects.</summary>
    internal static double? NeededDrift(IReadOnlyList<EpochMeasurement> run, IStabilityDetector detector, LiveProjectorOptions options)
    {
        int total = run.Count;
        double truth = run.Sum(e => e.Energy.Joules);
        var horizon = EpochHorizon.Exactly(total, "run finished");
        for (int seen = 1; seen < Math.Min(total, MaxEpochsReplayed); seen++)
        {
            var prefix = run.Take(seen).ToArray();
            var known = new KnownStability(detector.Detect(prefix));
            if (!known.Result.IsStable)
            {
                continue;
            }

            ProjectionResult Project(double tau) => EnergyProjector.Project(
                prefix, known, new ProjectionRequest(options.Method, horizon, options.Confidence) { Drift = new DriftPrior(tau, "learning") });
            var first = Project(0);
            if (first.Estimate is null)
            {
                continue;
            }

            bool Holds(ProjectionResult r) => r.Lower!.Value.Joules <= truth && truth <= r.Upper!.Value.Joules;
            if (Holds(first))
            {
                return 0;
            }

            if (!Holds(Project(1)))
            {
                return 1;
            }

            double lo = 0, hi = 1;
            for (int i = 0; i < 40; i++)
            {
                double mid = (lo + hi) / 2;
                (lo, hi) = Holds(Project(mid)) ? (lo, mid) : (mid, hi);
            }

            return hi;
        }

        return null;
    }

    /// <summary>A run not projected within this many epochs teaches nothing (and is not replayed further).</summary>
    public const int MaxEpochsReplayed = 200;

    /// <summary>A detector that answers what another already found for the same epochs (the bisection re-projects them).</summary>
    private sealed class KnownStability(StabilityResult result) : IStabilityDetector
    {
        public StabilityResult Result => result;

        public string Name => "known";

        public StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs) => result;
    }
}

/// <summary>
/// The tail prior of a whole-job projection: the time the process runs after its last epoch (a final evaluation, a
/// save, interpreter and driver teardown), at the stable epochs' mean power. Its mean is added to the projection and
/// its spread to the interval.
/// </summary>
/// <param name="Mean">Expected time after the last epoch.</param>
/// <param name="Sd">Its standard deviation.</param>
/// <param name="Source">"default", or "learned from K finished runs of this command".</param>
public sealed record TailPrior(TimeSpan Mean, TimeSpan Sd, string Source)
{
    /// <summary>Finished runs of the same command needed before the tail is learned from them.</summary>
    public const int MinRunsToLearn = 3;

    /// <summary>
    /// The default: 2 s ± 2 s. A Python training process typically spends a second or two after its last epoch line
    /// (a final save or evaluation, interpreter and driver teardown); the spread covers 0 to about 5 s at 90 %.
    /// </summary>
    public static TailPrior Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), "default");

    /// <summary>Smallest spread a learned tail keeps (repeated runs never end exactly alike).</summary>
    public static readonly TimeSpan MinLearnedSd = TimeSpan.FromSeconds(0.5);

    /// <summary>"2.0 s ± 2.0 s (default)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean.TotalSeconds:0.0} s ± {Sd.TotalSeconds:0.0} s ({Source})");

    /// <summary>
    /// Mean and standard deviation (at least <see cref="MinLearnedSd"/>) of the tails of finished runs of one command;
    /// null when fewer than <see cref="MinRunsToLearn"/> are given.
    /// </summary>
    public static TailPrior? Learn(IReadOnlyList<TimeSpan> tails)
    {
        ArgumentNullException.ThrowIfNull(tails);
        var s = tails.Where(t => t >= TimeSpan.Zero).Select(t => t.TotalSeconds).ToArray();
        if (s.Length < MinRunsToLearn)
        {
            return null;
        }

        double mean = s.Average();
        double sd = Math.Sqrt(s.Sum(x => (x - mean) * (x - mean)) / (s.Length - 1));
        return new TailPrior(
            TimeSpan.FromSeconds(mean),
            TimeSpan.FromSeconds(Math.Max(sd, MinLearnedSd.TotalSeconds)),
            string.Create(CultureInfo.InvariantCulture, $"learned from {s.Length} finished runs of this command"));
    }
}
