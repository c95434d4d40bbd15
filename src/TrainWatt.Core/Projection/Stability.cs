namespace TrainWatt.Core.Projection;

/// <summary>
/// Where a run's epochs became stable, or why they are not stable yet. When stable, epochs
/// <see cref="StableFromEpoch"/> to <see cref="WindowEndEpoch"/> − 1 form the window a projection averages.
/// </summary>
/// <param name="StableFromEpoch">First epoch of the stable window; null when not stable yet.</param>
/// <param name="WindowEndEpoch">One past the last epoch of the stable window; null when not stable yet.</param>
/// <param name="EpochsSeen">Number of epochs the detector looked at.</param>
/// <param name="Reason">Why the run is not stable yet (null when stable).</param>
/// <param name="LastChangeEpoch">The epoch where the last detected change starts (the first epoch after it), if any.</param>
public sealed record StabilityResult(int? StableFromEpoch, int? WindowEndEpoch, int EpochsSeen, string? Reason, int? LastChangeEpoch = null)
{
    public bool IsStable => StableFromEpoch is not null;

    /// <summary>Number of epochs in the stable window (0 when not stable).</summary>
    public int StableEpochs => IsStable ? WindowEndEpoch!.Value - StableFromEpoch!.Value : 0;

    public static StabilityResult Stable(int from, int windowEnd, int seen, int? lastChange = null) => new(from, windowEnd, seen, null, lastChange);

    public static StabilityResult NotYet(int seen, string reason, int? lastChange = null) => new(null, null, seen, reason, lastChange);
}

/// <summary>Decides from which epoch a run's per-epoch cost is stable enough to project from.</summary>
public interface IStabilityDetector
{
    /// <summary>Short name for reports ("fixed-s10-w5", "change-point").</summary>
    string Name { get; }

    /// <summary>Looks at the finished epochs (in order, 0-based, consecutive) and returns the stable window or a reason.</summary>
    StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs);
}

/// <summary>
/// The paper's rule (paper-notes 2.2-2.3): epochs from <see cref="StableFrom"/> (s = 10) are stable, and the window is
/// the <see cref="Window"/> (w = 5) epochs s..s+w−1. Stable once s + w epochs are finished.
/// </summary>
public sealed class FixedStabilityDetector(int stableFrom = 10, int window = 5) : IStabilityDetector
{
    public int StableFrom { get; } = stableFrom >= 0 ? stableFrom : throw new ArgumentOutOfRangeException(nameof(stableFrom), stableFrom, "The stabilising epoch must be 0 or more.");

    public int Window { get; } = window >= 1 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "The window must hold at least 1 epoch.");

    public string Name => $"fixed-s{StableFrom}-w{Window}";

    public StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        int needed = StableFrom + Window;
        return epochs.Count >= needed
            ? StabilityResult.Stable(StableFrom, needed, epochs.Count)
            : StabilityResult.NotYet(epochs.Count, $"{epochs.Count} epochs finished; the paper's rule (s = {StableFrom}, w = {Window}) needs epochs 0-{needed - 1}.");
    }
}

/// <summary>Which per-epoch series the change-point detector tests. Stability needs every selected series to be stable.</summary>
[Flags]
public enum EpochSeries
{
    Energy = 1,
    MeanPower = 2,
    Duration = 4,
}

/// <summary>Settings of <see cref="ChangePointStabilityDetector"/>.</summary>
/// <param name="MinStableEpochs">Epochs needed after the last change before the run counts as stable (at least 3).</param>
/// <param name="FalseAlarmRate">Family-wise false-alarm probability of one change test (Bonferroni over all splits).</param>
/// <param name="MinRelativeShift">Changes smaller than this fraction of the later level are ignored even when
/// statistically clear (a 0.5 % shift does not matter to a projection and would shorten its window).</param>
/// <param name="Series">The series tested.</param>
public sealed record ChangePointOptions(
    int MinStableEpochs = 5,
    double FalseAlarmRate = 0.05,
    double MinRelativeShift = 0.01,
    EpochSeries Series = EpochSeries.Energy | EpochSeries.MeanPower);

/// <summary>
/// TrainWatt's adaptive detector: finds the last change in the level of the per-epoch series by binary segmentation
/// and calls the run stable once enough epochs follow it. On the epochs after the last accepted change point it
/// looks for the split t that maximises the two-sample t statistic |mean(left) − mean(right)| / (s_pooled ·
/// √(1/n_left + 1/n_right)), sides of one epoch allowed (so a long first epoch or a jump at the latest epoch is a
/// change too); the split is a change when that statistic exceeds the Bonferroni-corrected Student-t critical value
/// for all splits at <see cref="ChangePointOptions.FalseAlarmRate"/> and the shift is at least
/// <see cref="ChangePointOptions.MinRelativeShift"/> of the later level. The search then continues to the right of
/// the change. The pooled standard deviation is not robust on purpose: periodic validation epochs raise it, so a
/// regular pattern is read as noise rather than as a change.
/// </summary>
/// <remarks>
/// Handles: a long first epoch (a change after epoch 0), a step change (head training to fine-tuning, learning-rate
/// schedule), a ramp (several changes), noise and periodic validation epochs (a wider pooled spread). With fewer than
/// <see cref="ChangePointOptions.MinStableEpochs"/> epochs after the last change it answers "not yet stable" with the
/// reason. The paper's FLUSS segmentation of the raw power series is not used: it finds one regime change per run and
/// needs the whole series.
/// </remarks>
public sealed class ChangePointStabilityDetector : IStabilityDetector
{
    public ChangePointStabilityDetector(ChangePointOptions? options = null)
    {
        Options = options ?? new ChangePointOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MinStableEpochs, 3, nameof(Options.MinStableEpochs));
        if (!(Options.FalseAlarmRate > 0 && Options.FalseAlarmRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.FalseAlarmRate, "The false-alarm rate must be strictly between 0 and 1.");
        }

        if (Options.Series == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.Series, "Select at least one epoch series to test.");
        }
    }

    public ChangePointOptions Options { get; }

    public string Name => "change-point";

    public StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        int n = epochs.Count;
        int need = Options.MinStableEpochs;
        if (n < need)
        {
            return StabilityResult.NotYet(n, $"{n} epochs finished; at least {need} are needed before stability can be judged.");
        }

        int start = 0;
        string? which = null;
        foreach (EpochSeries series in new[] { EpochSeries.Energy, EpochSeries.MeanPower, EpochSeries.Duration })
        {
            if ((Options.Series & series) == 0)
            {
                continue;
            }

            double[] x = epochs.Select(e => Value(e, series)).ToArray();
            int s = LastChange(x);
            if (s > start)
            {
                start = s;
                which = series switch
                {
                    EpochSeries.Energy => "epoch energy",
                    EpochSeries.MeanPower => "mean power",
                    _ => "epoch duration",
                };
            }
        }

        int? change = start > 0 ? start : null;
        if (n - start < need)
        {
            return StabilityResult.NotYet(
                n,
                $"the {which} changed at epoch {start}; {n - start} epoch(s) since then, {need} needed before projecting.",
                change);
        }

        return StabilityResult.Stable(start, n, n, change);
    }

    /// <summary>Start index of the last segment found by binary segmentation of <paramref name="x"/>.</summary>
    public int LastChange(IReadOnlyList<double> x)
    {
        int start = 0;
        while (x.Count - start >= 3)
        {
            var (split, pValue, shift, level) = BestSplit(x, start);
            if (split < 0)
            {
                break;
            }

            int splits = x.Count - start - 1;
            bool relevant = Math.Abs(shift) >= Options.MinRelativeShift * Math.Abs(level);
            if (pValue * splits > Options.FalseAlarmRate || !relevant)
            {
                break;
            }

            start = split;
        }

        return start;
    }

    /// <summary>
    /// The split of x[start..] with the smallest p-value of the shift between the mean before and the mean after it.
    /// The noise scale is the spread of the part after the split (n_right − 1 degrees of freedom) when it holds at least
    /// <see cref="MinRightForOwnSpread"/> epochs, else the pooled spread of both parts: the question is whether the
    /// latest regime differs from what came before, so an irregular past (a pause, a dip, its own changes) must not
    /// hide the change by inflating the noise.
    /// </summary>
    private static (int Split, double PValue, double Shift, double Level) BestSplit(IReadOnlyList<double> x, int start)
    {
        int n = x.Count - start;
        double total = 0;
        for (int i = start; i < x.Count; i++)
        {
            total += x[i];
        }

        double totalMean = total / n;
        double totalSq = 0;
        for (int i = start; i < x.Count; i++)
        {
            totalSq += (x[i] - totalMean) * (x[i] - totalMean);
        }

        // Right-side sums of squares by a backward pass (centred on the overall mean for accuracy).
        var rightSq = new double[n + 1];
        var rightSum = new double[n + 1];
        for (int j = n - 1; j >= 0; j--)
        {
            double d = x[start + j] - totalMean;
            rightSum[j] = rightSum[j + 1] + d;
            rightSq[j] = rightSq[j + 1] + d * d;
        }

        int best = -1;
        double bestP = double.PositiveInfinity, bestShift = 0, bestLevel = 0;
        for (int nl = 1; nl < n; nl++)
        {
            int nr = n - nl;
            double sr = rightSum[nl], qr = rightSq[nl];
            double sl = -sr, ql = totalSq - qr; // deviations sum to zero over the whole segment
            double ml = sl / nl, mr = sr / nr;
            double ssl = Math.Max(0, ql - nl * ml * ml);
            double ssr = Math.Max(0, qr - nr * mr * mr);
            double variance, df;
            if (nr >= MinRightForOwnSpread)
            {
                variance = ssr / (nr - 1);
                df = nr - 1;
            }
            else
            {
                variance = (ssl + ssr) / (n - 2);
                df = n - 2;
            }

            double diff = mr - ml;
            double se = Math.Sqrt(variance * (1.0 / nl + 1.0 / nr));
            double p = se > 0
                ? 2 * Distributions.StudentTCdf(-Math.Abs(diff) / se, df)
                : diff == 0 ? 1 : 0;
            if (p < bestP)
            {
                bestP = p;
                best = start + nl;
                bestShift = diff;
                bestLevel = mr + totalMean;
            }
        }

        return (best, bestP, bestShift, bestLevel);
    }

    /// <summary>Right parts at least this long use their own spread as the noise scale.</summary>
    private const int MinRightForOwnSpread = 4;

    private static double Value(EpochMeasurement e, EpochSeries series) => series switch
    {
        EpochSeries.Energy => e.Energy.Joules,
        EpochSeries.MeanPower => e.MeanPower.Watts,
        _ => e.Duration.TotalSeconds,
    };
}
