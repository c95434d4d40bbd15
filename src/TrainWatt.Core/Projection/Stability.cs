using System.Globalization;
using TrainWatt.Core.Accounting;

namespace TrainWatt.Core.Projection;

/// <summary>
/// Where a run's epochs became stable, or why they are not stable yet. When stable, the epochs at indices
/// <see cref="StableFromIndex"/> to <see cref="WindowEndIndex"/> − 1 form the window a projection averages.
/// </summary>
/// <param name="StableFromIndex">0-based index of the first epoch of the stable window; null when not stable yet.</param>
/// <param name="WindowEndIndex">0-based index one past the last epoch of the stable window; null when not stable yet.</param>
/// <param name="EpochsSeen">Number of epochs the detector looked at.</param>
/// <param name="Reason">Why the run is not stable yet (null when stable).</param>
/// <param name="LastChangeIndex">0-based index of the epoch where the last detected change starts (the first epoch after it), if any.</param>
public sealed record StabilityResult(int? StableFromIndex, int? WindowEndIndex, int EpochsSeen, string? Reason, int? LastChangeIndex = null)
{
    public bool IsStable => StableFromIndex is not null;

    /// <summary>The run's 1-based number of the first epoch of the stable window (<see cref="StableFromIndex"/> + 1); null when not stable yet.</summary>
    public int? StableFromNumber => StableFromIndex is int index ? EpochNumbering.ToNumber(index) : null;

    /// <summary>Number of epochs in the stable window (0 when not stable).</summary>
    public int StableEpochs => IsStable ? WindowEndIndex!.Value - StableFromIndex!.Value : 0;

    public static StabilityResult Stable(int from, int windowEnd, int seen, int? lastChange = null) => new(from, windowEnd, seen, null, lastChange);

    public static StabilityResult NotYet(int seen, string reason, int? lastChange = null) => new(null, null, seen, reason, lastChange);
}

/// <summary>Decides from which epoch a run's per-epoch cost is stable enough to project from.</summary>
public interface IStabilityDetector
{
    /// <summary>Short name for reports ("fixed-s10-w5", "change-point").</summary>
    string Name { get; }

    /// <summary>Looks at the finished epochs (in order, indices 0-based and consecutive) and returns the stable window or a reason.</summary>
    StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs);
}

/// <summary>
/// The paper's rule (paper-notes 2.2-2.3): epochs from index <see cref="StableFromIndex"/> (s = 10) are stable, and the
/// window is the <see cref="Window"/> (w = 5) epochs at indices s..s+w−1. Stable once s + w epochs are finished.
/// </summary>
public sealed class FixedStabilityDetector(int stableFromIndex = Seaa2023Parity.StableFromIndex, int window = Seaa2023Parity.Window) : IStabilityDetector
{
    /// <summary>s, the 0-based index of the first stable epoch (s epochs come before the window).</summary>
    public int StableFromIndex { get; } = stableFromIndex >= 0 ? stableFromIndex : throw new ArgumentOutOfRangeException(nameof(stableFromIndex), stableFromIndex, "The stabilising epoch index must be 0 or more.");

    public int Window { get; } = window >= 1 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "The window must hold at least 1 epoch.");

    public string Name => $"fixed-s{StableFromIndex}-w{Window}";

    public StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        int needed = StableFromIndex + Window;
        return epochs.Count >= needed
            ? StabilityResult.Stable(StableFromIndex, needed, epochs.Count)
            : StabilityResult.NotYet(epochs.Count, $"{epochs.Count} epochs finished; the paper's rule (s = {StableFromIndex}, w = {Window}) needs epochs 0-{needed - 1}.");
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
/// <param name="MinEpochsSeen">Epochs needed before any judgement; null means 2 × <paramref name="MinStableEpochs"/>. A change
/// followed by <paramref name="MinStableEpochs"/> epochs can only be told from noise with about as many epochs before
/// it; with fewer, several changes in a short series (warm-up, head training, fine-tuning) mask one another.</param>
/// <param name="MaxLevelDifference">Evidence of stability: a window shorter than <see cref="LongWindowEpochs"/> is stable
/// only when the 90 % upper bound of the difference between the mean energies of its first and second half
/// (<see cref="ChangePointStabilityDetector.CompareHalves"/>) is at most this fraction of its mean, or, for a scattered
/// window, at most twice its coefficient of variation, up to twice this fraction (a noisier level can only be pinned
/// down more loosely, and its interval is wider by as much). Finding no change point is not that evidence: a few
/// epochs across an unfinished phase switch pass the change test, whose Bonferroni bound over every split is strict.
/// 0 turns the check off.</param>
public sealed record ChangePointOptions(
    int MinStableEpochs = 5,
    double FalseAlarmRate = 0.05,
    double MinRelativeShift = 0.01,
    EpochSeries Series = EpochSeries.Energy | EpochSeries.MeanPower,
    int? MinEpochsSeen = null,
    double MaxLevelDifference = ChangePointOptions.DefaultMaxLevelDifference)
{
    /// <summary>The default <see cref="MaxLevelDifference"/>: 3 % (on the SEAA 2023 runs 2 % delays the first projection and 5 % lets windows across the head-training switch through; docs/step.md).</summary>
    public const double DefaultMaxLevelDifference = 0.03;

    /// <summary>The effective <see cref="MinEpochsSeen"/>.</summary>
    public int EpochsNeeded => Math.Max(MinEpochsSeen ?? 2 * MinStableEpochs, MinStableEpochs);

    /// <summary>A stable window this long (3 × <see cref="MinStableEpochs"/>) needs no equivalence evidence: the change test sees a shift in it on its own.</summary>
    public int LongWindowEpochs => 3 * MinStableEpochs;
}

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
        if (n < Options.EpochsNeeded)
        {
            return StabilityResult.NotYet(n, $"{n} epochs finished; at least {Options.EpochsNeeded} are needed before stability can be judged.");
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
            double[] adjusted = WithoutPeriodicPattern(x);
            int s = AfterIsolatedOutliers(adjusted, LastChange(adjusted));
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

        if (Options.MaxLevelDifference > 0 && n - start < Options.LongWindowEpochs
            && CompareHalves(WithoutPeriodicPattern(epochs.Select(e => e.Energy.Joules).ToArray()), start) is { } halves)
        {
            double allowed = Math.Clamp(2 * halves.Scatter, Options.MaxLevelDifference, 2 * Options.MaxLevelDifference);
            if (halves.Difference + halves.Noise > allowed)
            {
                return StabilityResult.NotYet(
                    n,
                    string.Create(CultureInfo.InvariantCulture, $"no evidence yet that the level is flat: the two halves of epochs {EpochNumbering.ToNumber(start)}-{n} may differ by up to {(halves.Difference + halves.Noise) * 100:0.0} % (90 % bound), more than the {allowed * 100:0.0} % allowed; {Options.LongWindowEpochs - (n - start)} more epoch(s) at most."),
                    change);
            }
        }

        return StabilityResult.Stable(start, n, n, change);
    }

    /// <summary>
    /// The mean energy of the second half of x[start..] against the first (h = ⌊m/2⌋ epochs each; the middle epoch of an
    /// odd window is in neither), as fractions of the window's mean: the |difference|, its noise (the one-sided
    /// Student-t 95 % quantile with m − 1 degrees of freedom × the window's standard deviation × √(2/h); difference +
    /// noise is the 90 % upper bound of the true difference) and the window's scatter (standard deviation / mean).
    /// Null for fewer than 3 epochs or a zero mean.
    /// </summary>
    public static (double Difference, double Noise, double Scatter)? CompareHalves(IReadOnlyList<double> x, int start)
    {
        ArgumentNullException.ThrowIfNull(x);
        int m = x.Count - start, h = m / 2;
        if (m < 3)
        {
            return null;
        }

        double mean = 0;
        for (int i = start; i < x.Count; i++)
        {
            mean += x[i];
        }

        mean /= m;
        double ss = 0, first = 0, second = 0;
        for (int i = start; i < x.Count; i++)
        {
            ss += (x[i] - mean) * (x[i] - mean);
        }

        for (int i = 0; i < h; i++)
        {
            first += x[start + i];
            second += x[x.Count - h + i];
        }

        if (mean == 0)
        {
            return null;
        }

        double sd = Math.Sqrt(ss / (m - 1));
        double noise = Distributions.StudentTQuantile(0.95, m - 1) * sd * Math.Sqrt(2.0 / h);
        return (Math.Abs(second - first) / h / Math.Abs(mean), noise / Math.Abs(mean), sd / Math.Abs(mean));
    }

    /// <summary>Start index of the last segment found by binary segmentation of <paramref name="x"/>.</summary>
    public int LastChange(IReadOnlyList<double> x)
    {
        int start = 0;
        while (x.Count - start >= 3)
        {
            var (split, pValue, shift, level) = BestSplit(x, start, RecentLeftEpochs);
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
    /// <see cref="MinRightForOwnSpread"/> epochs, else the pooled spread of that part and of the last
    /// <see cref="RecentLeftEpochs"/> epochs before the split (whose mean is then the level compared): the question is whether the
    /// latest regime differs from what came before, so an irregular past (a pause, a dip, its own changes) must not
    /// hide the change by inflating the noise.
    /// </summary>
    private static (int Split, double PValue, double Shift, double Level) BestSplit(IReadOnlyList<double> x, int start, int recentLeft)
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

        // Mid-ranks of the segment and their suffix sums, for the rank test.
        var order = Enumerable.Range(start, n).OrderBy(i => x[i]).ToArray();
        var ranks = new double[n];
        double tieTerm = 0;
        for (int a = 0; a < n;)
        {
            int b = a;
            while (b + 1 < n && x[order[b + 1]] == x[order[a]])
            {
                b++;
            }

            double mid = (a + b) / 2.0 + 1;
            for (int i = a; i <= b; i++)
            {
                ranks[order[i] - start] = mid;
            }

            double ties = b - a + 1;
            tieTerm += ties * ties * ties - ties;
            a = b + 1;
        }

        var rightRanks = new double[n + 1];
        for (int j = n - 1; j >= 0; j--)
        {
            rightRanks[j] = rightRanks[j + 1] + ranks[j];
        }

        int best = -1;
        double bestP = double.PositiveInfinity, bestShift = 0, bestLevel = 0;
        for (int nl = 1; nl < n; nl++)
        {
            int nr = n - nl;
            double sr = rightSum[nl], qr = rightSq[nl];
            double sl = -sr; // deviations sum to zero over the whole segment
            double ml = sl / nl, mr = sr / nr;
            int nlEffective = nl;
            double ssr = Math.Max(0, qr - nr * mr * mr);
            double variance, df;
            if (nr >= MinRightForOwnSpread)
            {
                variance = ssr / (nr - 1);
                df = nr - 1;
            }
            else
            {
                // Few epochs after the split: compare them with the regime just before it (its last epochs), so an
                // older warm-up or phase does not inflate the noise and mask a fresh change.
                int k = Math.Min(nl, recentLeft);
                double rs = 0, rq = 0;
                for (int i = start + nl - k; i < start + nl; i++)
                {
                    double d = x[i] - totalMean;
                    rs += d;
                    rq += d * d;
                }

                ml = rs / k;
                double ssk = Math.Max(0, rq - k * ml * ml);
                if (k + nr - 2 < 1)
                {
                    continue;
                }

                variance = (ssk + ssr) / (k + nr - 2);
                df = k + nr - 2;
                nlEffective = k;
            }

            double diff = mr - ml;
            double se = Math.Sqrt(variance * (1.0 / nlEffective + 1.0 / nr));
            double p = se > 0
                ? 2 * Distributions.StudentTCdf(-Math.Abs(diff) / se, df)
                : diff == 0 ? 1 : 0;
            // Rank test (Mann-Whitney U, normal approximation with tie correction, continuity 0.5) on the same split:
            // blind to spikes such as periodic validation epochs, which mask a change of level from the t test.
            if (nr >= MinRightForRankTest && nl >= MinRightForRankTest)
            {
                double u = rightRanks[nl] - nr * (nr + 1) / 2.0;
                double mu = nl * (double)nr / 2;
                double sigma = Math.Sqrt(nl * (double)nr / 12 * (n + 1 - tieTerm / ((double)n * (n - 1))));
                if (sigma > 0)
                {
                    double z = (Math.Abs(u - mu) - 0.5) / sigma;
                    p = Math.Min(p, 2 * Distributions.NormalCdf(-Math.Max(0, z)));
                }
            }

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

    /// <summary>
    /// Removes a periodic epoch pattern such as validation every k-th epoch (Keras <c>validation_freq</c>), so that its
    /// spikes neither hide a change of level nor pass for one. For each period k = 2..8 the spike of each epoch is
    /// its deviation from the median of its 5 neighbours; a phase r is periodic when its epochs (at least 3) all deviate
    /// the same way by more than <see cref="PeriodicRelativeDeviation"/> of the level while the other phases' median
    /// deviation stays under a third of it. The phase's median spike is then subtracted from its epochs. Returns the
    /// series unchanged when no such pattern exists.
    /// </summary>
    public static double[] WithoutPeriodicPattern(IReadOnlyList<double> x)
    {
        int n = x.Count;
        var result = x.ToArray();
        if (n < 9)
        {
            return result;
        }

        var spike = new double[n];
        for (int i = 0; i < n; i++)
        {
            int a = Math.Max(0, i - 2), b = Math.Min(n - 1, i + 2);
            var neighbours = new List<double>();
            for (int j = a; j <= b; j++)
            {
                if (j != i)
                {
                    neighbours.Add(x[j]);
                }
            }

            spike[i] = x[i] - Median(neighbours.ToArray());
        }

        double level = Math.Abs(Median(result));
        for (int k = 2; k <= 8 && 3 * k <= n; k++)
        {
            for (int r = 0; r < k; r++)
            {
                var phase = Enumerable.Range(0, n).Where(i => i % k == r).Select(i => spike[i]).ToArray();
                var others = Enumerable.Range(0, n).Where(i => i % k != r).Select(i => Math.Abs(spike[i])).ToArray();
                double threshold = PeriodicRelativeDeviation * level;
                bool allUp = phase.All(v => v > threshold), allDown = phase.All(v => v < -threshold);
                if (phase.Length >= 3 && (allUp || allDown) && Median(others) < Math.Abs(Median(phase)) / 3)
                {
                    double effect = Median(phase);
                    for (int i = r; i < n; i += k)
                    {
                        result[i] -= effect;
                    }

                    return result;
                }
            }
        }

        return result;
    }

    /// <summary>Smallest spike, as a fraction of the level, that a periodic phase must show in every period.</summary>
    private const double PeriodicRelativeDeviation = 0.05;

    /// <summary>
    /// Moves the window start past a one-off anomaly: epochs in x[start..] more than
    /// <see cref="OutlierRelativeDeviation"/> away from the window median and more than 5 robust standard deviations
    /// (1.4826 × MAD) away, forming a single run of consecutive epochs on one side (a pause, a recompilation, a
    /// transition). Anomalies that recur (two or more separate runs on the same side, such as periodic validation
    /// epochs) are part of the pattern and stay in the window.
    /// </summary>
    internal static int AfterIsolatedOutliers(IReadOnlyList<double> x, int start)
    {
        int n = x.Count - start;
        if (n < 3)
        {
            return start;
        }

        var window = x.Skip(start).ToArray();
        double median = Median(window);
        double mad = 1.4826 * Median(window.Select(v => Math.Abs(v - median)).ToArray());
        int Side(double v) => Math.Abs(v - median) > Math.Max(OutlierRelativeDeviation * Math.Abs(median), 5 * mad) ? Math.Sign(v - median) : 0;
        int lastOutlier = -1;
        int[] runs = new int[3]; // index 0: below, 2: above
        int previousSide = 0;
        for (int i = 0; i < n; i++)
        {
            int side = Side(window[i]);
            if (side != 0)
            {
                lastOutlier = start + i;
                if (side != previousSide)
                {
                    runs[side + 1]++;
                }
            }

            previousSide = side;
        }

        if (lastOutlier < 0)
        {
            return start;
        }

        int side0 = Math.Sign(x[lastOutlier] - median);
        return runs[side0 + 1] >= 2 ? start : lastOutlier + 1;
    }

    private static double Median(double[] values)
    {
        var v = (double[])values.Clone();
        Array.Sort(v);
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>Deviation from the window median, as a fraction of it, beyond which an epoch may be an anomaly.</summary>
    private const double OutlierRelativeDeviation = 0.10;

    /// <summary>Right parts at least this long use their own spread as the noise scale.</summary>
    private const int MinRightForOwnSpread = 4;

    /// <summary>Epochs before a split that stand for "the regime just before it" when few epochs follow the split.</summary>
    private const int RecentLeftEpochs = 5;

    /// <summary>Both parts need at least this many epochs for the rank test (fewer cannot reach significance).</summary>
    private const int MinRightForRankTest = 3;

    private static double Value(EpochMeasurement e, EpochSeries series) => series switch
    {
        EpochSeries.Energy => e.Energy.Joules,
        EpochSeries.MeanPower => e.MeanPower.Watts,
        _ => e.Duration.TotalSeconds,
    };
}
