using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>One traced run to evaluate projections on.</summary>
/// <param name="Id">Run label for reports ("cloud/resnet50/3").</param>
/// <param name="Samples">The GPU trace's samples, in time order.</param>
/// <param name="TrainingStart">Start of the training window (first sample of the training process's own trace).</param>
/// <param name="TrainingEnd">End of the training window (last sample of the process trace).</param>
/// <param name="TotalEpochs">The run's epoch count N, used for pseudo-epochs and as the known N (paper's parity assumption).</param>
public sealed record StepEvaluationInput(string Id, IReadOnlyList<GpuSample> Samples, DateTime TrainingStart, DateTime TrainingEnd, int TotalEpochs);

/// <summary>Settings of <see cref="StepEvaluation"/>.</summary>
/// <param name="Detector">The adaptive detector used by TrainWatt's <c>step</c>; null means the defaults with
/// <see cref="DefaultMinStableEpochs"/> stable epochs required (<see cref="ChangePointOptions.MinStableEpochs"/>).</param>
/// <param name="MinEpochsBeforeProjection">The earliest projection point of <c>step</c>, in finished epochs: 15, the
/// paper's own observation budget (s + w), so that both use at least the same data.</param>
/// <param name="CarbontrackerEpochs">k of Carbontracker's rule (its default: 1).</param>
/// <param name="TargetRelativeHalfWidth">The projection point is the first one at which the projection's 90 % interval
/// half-width is at most this fraction of the estimate (a projection "stops looking" once precise enough); null
/// projects at the first stable epoch.</param>
public sealed record StepEvaluationOptions(ChangePointOptions? Detector = null, int MinEpochsBeforeProjection = Seaa2023Parity.EpochsNeeded, int CarbontrackerEpochs = 1, double? TargetRelativeHalfWidth = null)
{
    /// <summary>Stable epochs the evaluation's detector requires by default: 15 (see <see cref="StepEvaluation"/>).</summary>
    public const int DefaultMinStableEpochs = 15;
}

/// <summary>Truth and every method's estimate for one run.</summary>
/// <param name="Id">Run label.</param>
/// <param name="Truth">GPU energy in the training window: trapezoid over the samples, the window edges interpolated.</param>
/// <param name="Duration">Length T of the training window.</param>
/// <param name="TotalEpochs">N.</param>
/// <param name="Estimates">Estimate per method name (<see cref="StepEvaluation.Methods"/>).</param>
/// <param name="StepProjectionEpoch">Epochs finished when <c>step</c> projected (its projection point; also the 1-based number of the last epoch it used).</param>
/// <param name="StepStableFromIndex">0-based index of the first epoch of <c>step</c>'s stable window.</param>
/// <param name="StepFellBack">True when the detector never found stability and <c>step</c> used the paper's s = 10 rule.</param>
/// <param name="LostTail">True when the GPU log ended before the training process (the window is cut at the last GPU sample).</param>
/// <param name="StepLower">Lower bound of <c>step</c>'s 90 % interval (null when it fell back).</param>
/// <param name="StepUpper">Upper bound of <c>step</c>'s 90 % interval (null when it fell back).</param>
public sealed record StepRunEvaluation(
    string Id,
    Energy Truth,
    TimeSpan Duration,
    int TotalEpochs,
    IReadOnlyDictionary<string, Energy> Estimates,
    int StepProjectionEpoch,
    int StepStableFromIndex,
    bool StepFellBack,
    bool LostTail,
    Energy? StepLower = null,
    Energy? StepUpper = null)
{
    /// <summary>Whether <c>step</c>'s interval held the truth (false when there was no interval).</summary>
    public bool StepCovered => StepLower <= Truth && Truth <= StepUpper;
}

/// <summary>RMSE (kJ) and MAPE (fraction) per method over a set of runs.</summary>
public sealed record StepEvaluationSummary(int Runs, IReadOnlyDictionary<string, double> RmseKilojoules, IReadOnlyDictionary<string, double> Mape);

/// <summary>
/// Scores STEP and the baselines on traced runs that have no epoch boundaries, under the paper's own parity
/// assumption (N and T known): the training window of length T is cut into N pseudo-epochs of equal length T / N.
/// </summary>
/// <remarks>
/// <para>Methods (paper-notes 2.2 and 4): <c>step_paper</c> = epoch variant, s = 10, w = 5, true N;
/// <c>step_paper_power</c> = mean raw power of epochs 10-14 × T; <c>step</c> = TrainWatt's change-point detector and
/// projector, from the data up to its projection point only, with N known (the paper's own assumption, used by every
/// method here); <c>green_algorithms</c> = TDP × mean GPU utilisation × T (GPU term only: the truth is GPU energy, so
/// a RAM term would add energy the truth does not hold); <c>ml_co2_impact</c> = TDP × T; <c>carbontracker</c> = mean
/// energy of the first k epochs × N. TDP is nvidia-smi's <c>power.max_limit</c>.</para>
/// <para>The projection point of <c>step</c> is the first epoch count, from
/// <see cref="StepEvaluationOptions.MinEpochsBeforeProjection"/> (15, the paper's s + w) on, at which the detector
/// declares stability; by default the detector requires <see cref="StepEvaluationOptions.DefaultMinStableEpochs"/>
/// (15) epochs after the last change, so on these runs it projects at a median of 21 epochs of about 80. With the
/// live default of 5 stable epochs it projects at epoch 15 like the paper, with about the paper's error: slow drifts
/// of about 1 % over a run, not the detection, then dominate (see the issue note).</para>
/// <para>Truth: the trapezoidal GPU energy between the first and the last sample of the training process's own
/// trace (window edges interpolated), cut at the last GPU sample when the GPU log lost its tail.</para>
/// </remarks>
public static class StepEvaluation
{
    public static IReadOnlyList<string> Methods { get; } =
        ["step", "step_paper", "step_paper_power", "green_algorithms", "ml_co2_impact", "carbontracker"];

    public static StepRunEvaluation EvaluateRun(StepEvaluationInput input, StepEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new StepEvaluationOptions();
        var points = input.Samples.Where(s => s.Power is not null).ToArray();
        if (points.Length < 2)
        {
            throw new ArgumentException($"{input.Id}: the GPU trace has fewer than two power samples.", nameof(input));
        }

        int n = input.TotalEpochs;
        if (n < Seaa2023Parity.EpochsNeeded)
        {
            throw new ArgumentException($"{input.Id}: {n} epochs; the paper's window needs at least {Seaa2023Parity.EpochsNeeded}.", nameof(input));
        }

        DateTime start = input.TrainingStart > points[0].Timestamp ? input.TrainingStart : points[0].Timestamp;
        bool lostTail = points[^1].Timestamp < input.TrainingEnd;
        DateTime end = lostTail ? points[^1].Timestamp : input.TrainingEnd;
        if (end <= start)
        {
            throw new ArgumentException($"{input.Id}: the GPU trace does not overlap the training window.", nameof(input));
        }

        var window = new List<GpuSample> { At(points, start) };
        window.AddRange(points.Where(p => p.Timestamp > start && p.Timestamp < end));
        window.Add(At(points, end));
        TimeSpan duration = end - start;
        var ends = Enumerable.Range(1, n).Select(k => k == n ? end : start + duration * k / n).ToArray();
        var split = EpochEnergies.Split(window, ends);
        if (split.Error is not null)
        {
            throw new ArgumentException($"{input.Id}: {split.Error}", nameof(input));
        }

        var epochs = split.Epochs;
        Energy truth = split.Total;
        var inside = points.Where(p => p.Timestamp >= start && p.Timestamp <= end).ToArray();
        double meanUtilisation = inside.Where(p => p.UtilizationPercent is not null).Select(p => p.UtilizationPercent!.Value).DefaultIfEmpty(0).Average() / 100;
        Power tdp = inside.Select(p => p.PowerLimit).FirstOrDefault(p => p is not null)
            ?? throw new ArgumentException($"{input.Id}: the trace has no power.max_limit column; GA and ML CO2 Impact need it.", nameof(input));

        var estimates = new Dictionary<string, Energy>(StringComparer.Ordinal)
        {
            ["step_paper"] = EnergyProjector.PaperEpochVariant(epochs, n),
            ["step_paper_power"] = EnergyProjector.PaperPowerVariant(epochs, duration),
            ["green_algorithms"] = tdp * meanUtilisation * duration,
            ["ml_co2_impact"] = tdp * duration,
            ["carbontracker"] = Energy.FromJoules(epochs.Take(options.CarbontrackerEpochs).Average(e => e.Energy.Joules) * n),
        };

        var detector = new ChangePointStabilityDetector(options.Detector ?? new ChangePointOptions(MinStableEpochs: StepEvaluationOptions.DefaultMinStableEpochs, MinEpochsSeen: options.MinEpochsBeforeProjection));
        var horizon = EpochHorizon.Exactly(n, "pseudo-epochs (N known)");
        int projectionPoint = -1, stableFrom = -1;
        Energy? lower = null, upper = null;
        for (int seen = Math.Max(options.MinEpochsBeforeProjection, 1); seen < n; seen++)
        {
            var prefix = epochs.Take(seen).ToArray();
            var result = EnergyProjector.Project(prefix, detector, new ProjectionRequest(ProjectionMethod.Step, horizon));
            if (result.Estimate is { } estimate
                && (options.TargetRelativeHalfWidth is not { } target || (result.Upper!.Value - result.Lower!.Value).Joules / 2 <= target * estimate.Joules))
            {
                estimates["step"] = estimate;
                (lower, upper) = (result.Lower, result.Upper);
                projectionPoint = seen;
                stableFrom = result.Stability.StableFromIndex!.Value;
                break;
            }
        }

        bool fellBack = projectionPoint < 0;
        if (fellBack)
        {
            estimates["step"] = estimates["step_paper"];
            projectionPoint = Seaa2023Parity.EpochsNeeded;
            stableFrom = Seaa2023Parity.StableFromIndex;
        }

        return new StepRunEvaluation(input.Id, truth, duration, n, estimates, projectionPoint, stableFrom, fellBack, lostTail, lower, upper);
    }

    /// <summary>RMSE in kJ and MAPE (a fraction) of every method over <paramref name="runs"/>.</summary>
    public static StepEvaluationSummary Summarize(IReadOnlyList<StepRunEvaluation> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("No runs to summarise.", nameof(runs));
        }

        var rmse = new Dictionary<string, double>(StringComparer.Ordinal);
        var mape = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string method in Methods)
        {
            double sq = 0, ape = 0;
            foreach (var run in runs)
            {
                double err = run.Estimates[method].Joules - run.Truth.Joules;
                sq += err * err;
                ape += Math.Abs(err) / run.Truth.Joules;
            }

            rmse[method] = Math.Sqrt(sq / runs.Count) / 1000;
            mape[method] = ape / runs.Count;
        }

        return new StepEvaluationSummary(runs.Count, rmse, mape);
    }

    /// <summary>A sample at <paramref name="time"/>, power linearly interpolated between its neighbours.</summary>
    private static GpuSample At(GpuSample[] points, DateTime time)
    {
        int i = Array.FindIndex(points, p => p.Timestamp >= time);
        if (i <= 0)
        {
            return points[Math.Max(i, 0)] with { Timestamp = time, Line = 0 };
        }

        var (a, b) = (points[i - 1], points[i]);
        double f = (time - a.Timestamp) / (b.Timestamp - a.Timestamp);
        double watts = a.Power!.Value.Watts + f * (b.Power!.Value.Watts - a.Power!.Value.Watts);
        return a with { Timestamp = time, Power = Power.FromWatts(watts), Line = 0 };
    }
}
