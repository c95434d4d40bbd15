using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>What a probe's progress is counted in.</summary>
public enum ProbeUnit
{
    /// <summary>Epochs (fractional between epoch ends when steps are shown).</summary>
    Epoch,

    /// <summary>Optimisation steps of the whole run.</summary>
    Step,
}

/// <summary>How a probe is projected.</summary>
/// <param name="EpochsMin">Planned epochs given by the user (the low end of a range); null: from the log.</param>
/// <param name="EpochsMax">The high end of the range (equal to <paramref name="EpochsMin"/> for one number).</param>
/// <param name="Steps">Planned optimisation steps given by the user; null: from the log.</param>
/// <param name="Band">Which band of unseen change to allow for.</param>
/// <param name="ValidationShare">The share of an epoch's time spent after its training steps (validation), added to
/// the upper bounds when the probe saw no whole epoch; null: <see cref="ProbeProjector.DefaultValidationShare"/>.</param>
public sealed record ProbeSettings(double? EpochsMin = null, double? EpochsMax = null, long? Steps = null, ProbeBand Band = ProbeBand.Phases, double? ValidationShare = null);

/// <summary>Why a probe could not be projected.</summary>
public enum ProbeFailureKind
{
    /// <summary>The output showed no epoch end and no step progress.</summary>
    NoProgress,

    /// <summary>Progress was shown, but not how much is planned (no <c>Epoch k/N</c>, no <c>total=</c>, no --epochs/--steps).</summary>
    NoPlannedTotal,

    /// <summary>The planned total is below the progress already made.</summary>
    PlannedBelowProgress,

    /// <summary>
    /// The probe ended before two progress intervals after the warm-up, or before the command printed anything: it was
    /// shorter than the warm-up.
    /// </summary>
    WarmupNotOver,
}

/// <summary>Why a probe could not be projected, with what is known.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="FirstProgress">When the first progress was seen (null: never).</param>
/// <param name="WarmupEnd">When the warm-up ended, when it did.</param>
/// <param name="Detail">What was seen, in words.</param>
public sealed record ProbeFailure(ProbeFailureKind Kind, TimeSpan? FirstProgress, TimeSpan? WarmupEnd, string Detail);

/// <summary>How wide each part of a probe's 90 % interval is, as fractions of the remaining run (0.05 = 5 %).</summary>
/// <param name="EnergySpread">The probe's own spread of energy per unit: t quantile × batch-means standard error.</param>
/// <param name="DurationSpread">The same for seconds per unit.</param>
/// <param name="Band">The band allowed for.</param>
/// <param name="BandLow">Lower factor of the band (e.g. 0.92).</param>
/// <param name="BandHigh">Upper factor of the band (e.g. 1.47).</param>
/// <param name="Validation">Upper allowance for the end-of-epoch work the probe did not see (0 when it saw a whole epoch).</param>
public sealed record ProbeIntervalParts(double EnergySpread, double DurationSpread, ProbeBand Band, double BandLow, double BandHigh, double Validation);

/// <summary>A probe's projection of the whole run, with 90 % intervals.</summary>
/// <param name="Unit">What progress is counted in.</param>
/// <param name="PlannedMin">Planned total (low end).</param>
/// <param name="PlannedMax">Planned total (high end).</param>
/// <param name="PlannedSource">Where the planned total came from.</param>
/// <param name="WarmupEnd">Where the steady window starts.</param>
/// <param name="WarmupRule">How the warm-up end was found, in words.</param>
/// <param name="WindowEnd">The last progress point seen (the steady window's end).</param>
/// <param name="ProgressAtWarmup">Progress done at <paramref name="WarmupEnd"/>.</param>
/// <param name="ProgressAtEnd">Progress done at <paramref name="WindowEnd"/>.</param>
/// <param name="Batches">The steady window's batches (epochs, or groups of step readings) the spread comes from.</param>
/// <param name="SecondsPerUnit">Steady seconds per epoch (or step).</param>
/// <param name="JoulesPerUnit">Steady energy per epoch (or step), all channels.</param>
/// <param name="MeasuredEnergy">Energy measured up to <paramref name="WindowEnd"/>.</param>
/// <param name="Energy">Projected total energy.</param>
/// <param name="EnergyLower">Lower bound of the 90 % interval.</param>
/// <param name="EnergyUpper">Upper bound.</param>
/// <param name="Duration">Projected total duration (from the run's start).</param>
/// <param name="DurationLower">Lower bound.</param>
/// <param name="DurationUpper">Upper bound.</param>
/// <param name="Parts">The interval's parts.</param>
public sealed record ProbeProjection(
    ProbeUnit Unit, double PlannedMin, double PlannedMax, string PlannedSource,
    TimeSpan WarmupEnd, string WarmupRule, TimeSpan WindowEnd, double ProgressAtWarmup, double ProgressAtEnd, int Batches,
    double SecondsPerUnit, double JoulesPerUnit, Energy MeasuredEnergy,
    Energy Energy, Energy EnergyLower, Energy EnergyUpper, TimeSpan Duration, TimeSpan DurationLower, TimeSpan DurationUpper,
    ProbeIntervalParts Parts)
{
    /// <summary>Steady power: energy per unit over seconds per unit.</summary>
    public Power SteadyPower => SecondsPerUnit > 0 ? Power.FromWatts(JoulesPerUnit / SecondsPerUnit) : Power.Zero;

    /// <summary>The length of the steady window.</summary>
    public TimeSpan Window => WindowEnd - WarmupEnd;
}

/// <summary>
/// Projects a whole training run from a short probe of it: skip the warm-up, measure the steady speed and energy per
/// unit of progress, and extend them to the planned total, with a 90 % interval (docs/pre.md, "Probe").
/// </summary>
/// <remarks>
/// <para><b>Progress.</b> In epochs when the planned epochs are known (fractional between epoch ends from step lines),
/// else in run steps (Hugging Face). Points are kept only where progress grows.</para>
/// <para><b>Warm-up.</b> The first epoch when the probe saw two more progress points after it; otherwise the first
/// 10 % of the progress seen (at least its first point). It is extended to the first point after the power first
/// reaches 90 % of its plateau (the median power of the probe's second half; a compiling or loading job draws less).</para>
/// <para><b>Projection.</b> Over the steady window [warm-up end, last progress point]: s = seconds per unit, e =
/// joules per unit. Duration = t_last + (N − p_last)·s, energy = E(t_last) + (N − p_last)·e, with N the planned total
/// (its midpoint for a range).</para>
/// <para><b>Interval</b> (on the remaining part; the measured part is exact): the probe's own spread, from batch
/// means (the window's epochs when it holds at least four, else up to eight groups of consecutive readings): t(0.95,
/// n−1) × sd/mean × √(1/n_eff + per-batch units/remaining units), n_eff = n (1 − r)/(1 + r) for the lag-1
/// autocorrelation r of the batches (<see cref="EffectiveCount"/>); combined in quadrature with the band of unseen drift and
/// phases (<see cref="ProbePowerBand"/>, applied to duration as to energy); plus, on the upper side, the validation
/// share when the window held no whole epoch. A range of planned totals widens the bounds to its ends.</para>
/// </remarks>
public static class ProbeProjector
{
    /// <summary>
    /// The end-of-epoch share assumed when the probe saw no whole epoch and the run's sizes are not given: validation
    /// of 10,203 samples against training on 23,807 (the SEAA data set), a validation sample costing a third of a
    /// training one (forward only): 10,203 / 3 / 23,807 = 0.143.
    /// </summary>
    public const double DefaultValidationShare = 10_203.0 / 3 / 23_807;

    /// <summary>Fewest progress intervals after the warm-up for a projection.</summary>
    public const int MinimumIntervals = 2;

    private const int MaxBatches = 8;

    /// <summary>Projects the run; exactly one of the two results is non-null.</summary>
    public static (ProbeProjection? Projection, ProbeFailure? Failure) Project(ProbeTimeline timeline, ProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(settings);
        var (unit, points, plannedMin, plannedMax, source, failure) = Progress(timeline, settings);
        if (failure is not null)
        {
            return (null, failure);
        }

        var (warmupIndex, rule) = Warmup(timeline, points, unit);
        int intervals = points.Count - 1 - warmupIndex;
        var first = points[0].Elapsed;
        if (intervals < MinimumIntervals)
        {
            var warmupEnd = warmupIndex < points.Count ? points[warmupIndex].Elapsed : (TimeSpan?)null;
            return (null, new ProbeFailure(ProbeFailureKind.WarmupNotOver, first, warmupEnd,
                $"{points.Count} progress points, {Math.Max(0, intervals)} after the warm-up ({rule}); a projection needs {MinimumIntervals}"));
        }

        var (tw, pw) = points[warmupIndex];
        var (tl, pl) = points[^1];
        if (plannedMin < pl - 1e-9)
        {
            return (null, new ProbeFailure(ProbeFailureKind.PlannedBelowProgress, first, tw,
                $"the log shows {pl:0.##} {Name(unit)} done, more than the planned {plannedMin:0.##} ({source})"));
        }

        double ew = timeline.EnergyAt(tw), el = timeline.EnergyAt(tl);
        double seconds = (tl - tw).TotalSeconds / (pl - pw);
        double joules = (el - ew) / (pl - pw);
        var batches = Batches(timeline, points, warmupIndex, unit);
        double mid = (plannedMin + plannedMax) / 2;
        double remainingMid = mid - pl;
        double spreadT = Spread(batches.Select(b => b.Seconds / b.Units).ToList(), batches.Average(b => b.Units), remainingMid);
        double spreadE = Spread(batches.Select(b => b.Joules / b.Units).ToList(), batches.Average(b => b.Units), remainingMid);
        var (bandLow, bandHigh) = ProbePowerBand.For(settings.Band, tl - tw);
        int epochEndsInWindow = timeline.EpochEnds.Count(e => e.End >= tw && e.End <= tl);
        double validation = epochEndsInWindow >= 2 ? 0 : settings.ValidationShare ?? DefaultValidationShare;
        double down(double spread) => Math.Exp(-Math.Sqrt((spread * spread) + Square(Math.Log(bandLow))));
        double up(double spread) => Math.Exp(Math.Sqrt((spread * spread) + Square(Math.Log(bandHigh)))) * (1 + validation);

        var energy = Energy.FromJoules(el + (remainingMid * joules));
        var energyLower = Energy.FromJoules(el + ((plannedMin - pl) * joules * down(spreadE)));
        var energyUpper = Energy.FromJoules(el + ((plannedMax - pl) * joules * up(spreadE)));
        var duration = tl + TimeSpan.FromSeconds(remainingMid * seconds);
        var durationLower = tl + TimeSpan.FromSeconds((plannedMin - pl) * seconds * down(spreadT));
        var durationUpper = tl + TimeSpan.FromSeconds((plannedMax - pl) * seconds * up(spreadT));
        return (new ProbeProjection(
            unit, plannedMin, plannedMax, source, tw, rule, tl, pw, pl, batches.Count, seconds, joules, Energy.FromJoules(el),
            energy, energyLower, energyUpper, duration, durationLower, durationUpper,
            new ProbeIntervalParts(spreadE, spreadT, settings.Band, bandLow, bandHigh, validation)), null);
    }

    /// <summary>"epochs" or "steps".</summary>
    public static string Name(ProbeUnit unit) => unit == ProbeUnit.Epoch ? "epochs" : "steps";

    private static double Square(double x) => x * x;

    /// <summary>The unit, the progress points (strictly growing), the planned total and its source; or why there are none.</summary>
    private static (ProbeUnit Unit, List<(TimeSpan Elapsed, double Progress)> Points, double Min, double Max, string Source, ProbeFailure? Failure) Progress(
        ProbeTimeline timeline, ProbeSettings settings)
    {
        bool epochProgress = timeline.EpochEnds.Count > 0 || timeline.EpochSteps.Count > 0;
        bool stepProgress = timeline.RunSteps.Count > 0;
        if (!epochProgress && !stepProgress)
        {
            // Silence is a job still starting (imports, data loading, compilation); lines without progress lack progress.
            return (default, [], 0, 0, "", timeline.OutputLines == 0
                ? new ProbeFailure(ProbeFailureKind.WarmupNotOver, null, null, "the command printed nothing")
                : new ProbeFailure(ProbeFailureKind.NoProgress, null, null, $"{timeline.OutputLines} output lines, no epoch end and no step progress among them"));
        }

        (double Min, double Max, string Source)? epochs = settings.EpochsMin is { } min
            ? (min, settings.EpochsMax ?? min, "--epochs")
            : settings.Steps is { } s && timeline.StepsPerEpoch is { } perEpoch && !stepProgress
                ? ((double)s / perEpoch, (double)s / perEpoch, $"--steps / {perEpoch} steps per epoch")
                : timeline.PlannedEpochs is { } logged ? (logged, logged, "the log") : null;
        (double Min, double Max, string Source)? plannedSteps = settings.Steps is { } given
            ? (given, given, "--steps")
            : timeline.PlannedSteps is { } loggedSteps ? (loggedSteps, loggedSteps, "the log (Total optimization steps)")
            : timeline.RunSteps.Count > 0 ? (timeline.RunSteps[^1].Total, timeline.RunSteps[^1].Total, "the log (the progress bar's total)") : null;

        if (epochProgress && epochs is { } e && (settings.Steps is null || !stepProgress))
        {
            // A step reading at a whole epoch (Keras' final "45/45" line) is the epoch end itself: the end is kept.
            var steps = timeline.EpochEnds.Count == 0 ? timeline.EpochSteps : timeline.EpochSteps.Where(x => Math.Abs(x.Epochs - Math.Round(x.Epochs)) > 1e-9);
            var points = Growing(timeline.EpochEnds.Select(x => (x.End, (double)x.Number)).Concat(steps));
            return (ProbeUnit.Epoch, points, e.Min, e.Max, e.Source, null);
        }

        if (stepProgress && plannedSteps is { } st)
        {
            var points = Growing(timeline.RunSteps.Select(x => (x.Elapsed, (double)x.Step)));
            return (ProbeUnit.Step, points, st.Min, st.Max, st.Source, null);
        }

        var firstSeen = timeline.EpochEnds.Select(x => x.End).Concat(timeline.EpochSteps.Select(x => x.Elapsed)).Concat(timeline.RunSteps.Select(x => x.Elapsed)).Min();
        return (default, [], 0, 0, "", new ProbeFailure(ProbeFailureKind.NoPlannedTotal, firstSeen, null,
            $"{timeline.EpochEnds.Count} epoch ends and {timeline.EpochSteps.Count + timeline.RunSteps.Count} step readings, but no planned total"));
    }

    /// <summary>Points by time, keeping each only when its progress exceeds every earlier one.</summary>
    private static List<(TimeSpan Elapsed, double Progress)> Growing(IEnumerable<(TimeSpan Elapsed, double Progress)> points)
    {
        var kept = new List<(TimeSpan, double)>();
        double highest = double.NegativeInfinity;
        foreach (var p in points.OrderBy(p => p.Elapsed).ThenBy(p => p.Progress))
        {
            if (p.Progress > highest + 1e-12)
            {
                kept.Add(p);
                highest = p.Progress;
            }
        }

        return kept;
    }

    /// <summary>The index of the first steady point and how it was found.</summary>
    private static (int Index, string Rule) Warmup(ProbeTimeline timeline, List<(TimeSpan Elapsed, double Progress)> points, ProbeUnit unit)
    {
        int index;
        string rule;
        var firstEnd = timeline.EpochEnds.Count > 0 ? timeline.EpochEnds[0] : ((int Number, TimeSpan End)?)null;
        int afterFirstEpoch = firstEnd is { } f ? points.Count(p => p.Elapsed > f.End) : 0;
        if (unit == ProbeUnit.Epoch && firstEnd is { } end && afterFirstEpoch >= MinimumIntervals)
        {
            index = points.FindIndex(p => p.Elapsed >= end.End);
            rule = $"epoch {end.Number}, until {end.End.TotalSeconds:0.0} s";
        }
        else
        {
            double p0 = points[0].Progress, pl = points[^1].Progress;
            index = Math.Max(1, points.FindIndex(p => p.Progress >= p0 + (0.1 * (pl - p0))));
            index = Math.Min(index, points.Count - 1);
            rule = $"the first 10 % of the {Name(unit)} seen, until {points[index].Elapsed.TotalSeconds:0.0} s";
        }

        if (PowerPlateau(timeline, points[^1].Elapsed) is { } reached && reached > points[index].Elapsed)
        {
            int later = points.FindIndex(p => p.Elapsed >= reached);
            if (later > index)
            {
                index = later;
                rule += $"; power below 90 % of its plateau until {reached.TotalSeconds:0.0} s";
            }
        }

        return (index, rule);
    }

    /// <summary>When the power first held 90 % of its plateau (median of the second half) over 2 s; null when not found.</summary>
    private static TimeSpan? PowerPlateau(ProbeTimeline timeline, TimeSpan end)
    {
        var energy = timeline.Energy;
        var powers = new List<double>();
        for (int i = 1; i < energy.Count; i++)
        {
            var dt = (energy[i].Elapsed - energy[i - 1].Elapsed).TotalSeconds;
            if (energy[i].Elapsed > end / 2 && energy[i].Elapsed <= end && dt > 0)
            {
                powers.Add((energy[i].Joules - energy[i - 1].Joules) / dt);
            }
        }

        if (powers.Count == 0)
        {
            return null;
        }

        powers.Sort();
        double plateau = powers[powers.Count / 2];
        if (!(plateau > 0))
        {
            return null;
        }

        var window = TimeSpan.FromSeconds(2);
        foreach (var (t, _) in energy)
        {
            if (t + window > end)
            {
                break;
            }

            if ((timeline.EnergyAt(t + window) - timeline.EnergyAt(t)) / window.TotalSeconds >= 0.9 * plateau)
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>The steady window's batches: its epochs when there are at least four, else up to eight groups of readings.</summary>
    private static List<(double Seconds, double Joules, double Units)> Batches(
        ProbeTimeline timeline, List<(TimeSpan Elapsed, double Progress)> points, int warmupIndex, ProbeUnit unit)
    {
        var window = points.Skip(warmupIndex).ToList();
        List<(TimeSpan Elapsed, double Progress)> bounds;
        var ends = window.Where(p => timeline.EpochEnds.Any(e => e.End == p.Elapsed)).ToList();
        if (unit == ProbeUnit.Epoch && ends.Count >= 5)
        {
            bounds = ends[0] == window[0] ? ends : [window[0], .. ends];
        }
        else
        {
            int intervals = window.Count - 1;
            int count = Math.Min(MaxBatches, intervals);
            bounds = [.. Enumerable.Range(0, count + 1).Select(k => window[(int)Math.Round((double)k * intervals / count)])];
        }

        var batches = new List<(double, double, double)>();
        for (int i = 1; i < bounds.Count; i++)
        {
            var (t0, p0) = bounds[i - 1];
            var (t1, p1) = bounds[i];
            batches.Add(((t1 - t0).TotalSeconds, timeline.EnergyAt(t1) - timeline.EnergyAt(t0), p1 - p0));
        }

        return batches;
    }

    /// <summary>
    /// Relative half-width of the 90 % interval of the remaining run's mean from the batch values: t(0.95, n − 1) ×
    /// sd / mean × √(1/n + per-batch units / remaining units). Zero when the values are all zero or nothing remains.
    /// </summary>
    private static double Spread(IReadOnlyList<double> values, double unitsPerBatch, double remaining)
    {
        int n = values.Count;
        double mean = values.Average();
        if (n < 2 || !(mean > 0) || !(remaining > 0))
        {
            return 0;
        }

        double variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double t = Distributions.StudentTQuantile(0.95, n - 1);
        return t * Math.Sqrt(variance) / mean * Math.Sqrt((1.0 / EffectiveCount(values, mean)) + (unitsPerBatch / remaining));
    }

    /// <summary>
    /// How many independent batches the values are worth: n (1 − r) / (1 + r) with r their lag-1 autocorrelation (from
    /// four batches on; none below), between 1 and n. Slow batches that follow slow batches (a neighbour's load that
    /// lasts minutes) say less about the mean than independent ones.
    /// </summary>
    internal static double EffectiveCount(IReadOnlyList<double> values, double mean)
    {
        int n = values.Count;
        double squares = values.Sum(v => (v - mean) * (v - mean));
        if (n < 4 || !(squares > 0))
        {
            return n;
        }

        double lag = 0;
        for (int i = 1; i < n; i++)
        {
            lag += (values[i] - mean) * (values[i - 1] - mean);
        }

        double r = lag / squares;
        return Math.Clamp(n * (1 - r) / (1 + r), 1, n);
    }
}
