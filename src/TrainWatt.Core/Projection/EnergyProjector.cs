using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>What to project and how.</summary>
/// <param name="Method">Projection method.</param>
/// <param name="Horizon">What is known about the total epoch count N; null when unknown (no estimate then).</param>
/// <param name="Confidence">Two-sided confidence of the interval, strictly between 0 and 1.</param>
/// <param name="Seaa2023Parity">Reproduce the paper's formulas exactly (s = 10, w = 5; paper-notes 2.2).</param>
/// <param name="TotalDuration">The run's real total duration T (paper's power variant in parity mode), when known.</param>
/// <param name="CarbontrackerEpochs">k, the number of first epochs Carbontracker's rule averages (its default is 1).</param>
public sealed record ProjectionRequest(
    ProjectionMethod Method = ProjectionMethod.Step,
    EpochHorizon? Horizon = null,
    double Confidence = 0.9,
    bool Seaa2023Parity = false,
    TimeSpan? TotalDuration = null,
    int CarbontrackerEpochs = 1)
{
    /// <summary>
    /// Energy the process used before its first epoch began (start-up: interpreter, imports, data loading), measured;
    /// added to the projection of the whole job (<see cref="ProjectionMethod.Step"/> and <see cref="ProjectionMethod.StepPower"/>, not parity).
    /// </summary>
    public Energy StartupEnergy { get; init; }

    /// <summary>
    /// The time the process is expected to run after its last epoch; its mean (at the stable power) is added to the
    /// projection and its spread to the interval. Null: the projection ends at the last epoch.
    /// </summary>
    public TailPrior? Tail { get; init; }

    /// <summary>The slow-drift prior of the stable level; null: none (the interval assumes a constant level).</summary>
    public DriftPrior? Drift { get; init; }
}

/// <summary>
/// Projects a run's total energy from its finished epochs. Pure: the same epochs and request give the same answer.
/// </summary>
/// <remarks>
/// <para>TrainWatt's STEP (<see cref="ProjectionMethod.Step"/>): with n epochs seen and a stable window of m epochs
/// with mean energy μ and standard deviation σ, <c>Ê = E_measured(0..n−1) + μ·(N − n)</c>. The remaining R = N − n
/// epochs are predicted as a sum: its error has variance <c>σ²·(R + R²/m)</c> (new epochs' own scatter plus the
/// uncertainty of μ), scaled by Student's t with m − 1 degrees of freedom. When N is a range, the predictive
/// distribution is the equal-weight mixture over every N in it (at most 201 evenly spaced values), and the interval
/// is its central <c>Confidence</c> part; the point estimate is the mixture mean.</para>
/// <para>The whole job (<see cref="ProjectionMethod.Step"/> and <see cref="ProjectionMethod.StepPower"/>, not parity):
/// <c>Ê = E_start-up + E_measured(0..n−1) + μ·(N − n) + b̂·D + t̄·P</c>, with the measured start-up energy
/// (<see cref="ProjectionRequest.StartupEnergy"/>), the tail prior's mean time t̄ at the stable power P = μ / mean
/// window epoch time (<see cref="ProjectionRequest.Tail"/>), and the slow-drift trend: b ~ N(0, (τ·μ/N)²) a priori
/// (<see cref="ProjectionRequest.Drift"/>), updated by the window's own slope (OLS precision Σ(k − c)² / σ²ρ), b̂ its
/// posterior mean and D = Σ_{k=n}^{N−1} (k − c) = (N − n)·((n + N − 1)/2 − c) the distance of the epochs to come from
/// the window's centre c. Variance: <c>σ²ρ·(R + R²/m) + D²·Var(b | window) + (s_t·P)²</c>, ρ the persistence factor.</para>
/// <para><see cref="ProjectionMethod.StepPower"/>: the same with the window's mean sample power × mean epoch duration
/// in place of μ (per-epoch spread from sample power × duration).</para>
/// <para><see cref="ProjectionMethod.Carbontracker"/>: <c>Ê = mean(E_0..E_{k−1})·N</c>; its interval uses the spread of
/// those k epochs (none when k = 1: the interval then covers the range of N only, and <c>Reason</c> says so).</para>
/// <para>Parity (paper-notes 2.2): epoch variant <c>Ê = Σ_{e&lt;s} E_e + (Σ_{e=s}^{s+w−1} E_e / w)·(N − s)</c>; power
/// variant <c>Ê = P̄_window·T</c> with P̄ the mean of the raw samples of the window epochs and T the true duration.
/// Their intervals come from the window spread as above.</para>
/// </remarks>
public static class EnergyProjector
{
    private const int MaxHorizonPoints = 201;

    public static ProjectionResult Project(IReadOnlyList<EpochMeasurement> epochs, IStabilityDetector detector, ProjectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(request);
        if (!(request.Confidence > 0 && request.Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Confidence, "The confidence must be strictly between 0 and 1 (e.g. 0.9).");
        }

        int n = epochs.Count;
        Energy measured = epochs.Aggregate(Energy.Zero, (sum, e) => sum + e.Energy);
        string? parity = request.Seaa2023Parity ? "seaa2023" : null;
        StabilityResult stability;
        if (request.Method == ProjectionMethod.Carbontracker)
        {
            int k = request.CarbontrackerEpochs;
            ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(request.CarbontrackerEpochs));
            stability = n >= k
                ? StabilityResult.Stable(0, k, n)
                : StabilityResult.NotYet(n, $"{n} epochs finished; Carbontracker's rule needs the first {k}.");
        }
        else
        {
            stability = (request.Seaa2023Parity ? new FixedStabilityDetector() : detector).Detect(epochs);
        }

        ProjectionResult Empty(string reason) => new(request.Method, parity, stability, n, null, null, null, request.Confidence, measured, request.Horizon, reason);

        if (!stability.IsStable)
        {
            return Empty("not yet stable: " + stability.Reason);
        }

        int from = stability.StableFromIndex!.Value, to = stability.WindowEndIndex!.Value;
        var window = epochs.Skip(from).Take(to - from).ToArray();
        int m = window.Length;

        if (request.Seaa2023Parity && request.Method == ProjectionMethod.StepPower)
        {
            if (request.TotalDuration is not { } duration)
            {
                return Empty("the paper's power variant needs the run's true total duration T, known only once the run has finished.");
            }

            double pooled = PooledSamplePower(window).Watts;
            double sd = MeanAndSd(window.Select(e => e.MeanSamplePower.Watts)).Sd;
            double est = pooled * duration.TotalSeconds;
            // Spread: the window's mean power has standard error sd/√m; T is exact.
            double half = m >= 2 ? Distributions.StudentTQuantile((1 + request.Confidence) / 2, m - 1) * sd / Math.Sqrt(m) * duration.TotalSeconds : 0;
            return new ProjectionResult(request.Method, parity, stability, n, Energy.FromJoules(est), Energy.FromJoules(est - half), Energy.FromJoules(est + half), request.Confidence, measured, request.Horizon,
                m >= 2 ? null : "one window epoch: the interval is a point.");
        }

        if (request.Horizon is not { } horizon)
        {
            return Empty("total epochs unknown: pass --total-epochs, or --max-epochs with the early-stopping bounds.");
        }

        if (horizon.Min < n && !request.Seaa2023Parity)
        {
            return Empty($"the assumed total of {horizon.Min} epochs is less than the {n} epochs already finished.");
        }

        // Per-epoch values, their mean and spread; and how each possible N maps to a centre and a count of predicted epochs.
        double[] values = request.Method switch
        {
            ProjectionMethod.StepPower => window.Select(e => e.MeanSamplePower.Watts * e.Duration.TotalSeconds).ToArray(),
            _ => window.Select(e => e.Energy.Joules).ToArray(),
        };
        var (mu, sigma) = MeanAndSd(values);
        double persistence = PersistenceFactor(values);
        if (request.Method == ProjectionMethod.StepPower)
        {
            mu = PooledSamplePower(window).Watts * window.Average(e => e.Duration.TotalSeconds);
        }

        double baseEnergy;
        int predictedFrom; // N − predictedFrom epochs are predicted by the mean
        int meanCount = m;
        bool remainingIncludesWindow = false;
        bool wholeJob = !request.Seaa2023Parity && request.Method != ProjectionMethod.Carbontracker;
        if (request.Seaa2023Parity)
        {
            baseEnergy = epochs.Take(from).Sum(e => e.Energy.Joules);
            predictedFrom = from;
            remainingIncludesWindow = true; // the formula replaces the window's own energy by w × mean
        }
        else if (request.Method == ProjectionMethod.Carbontracker)
        {
            baseEnergy = 0;
            predictedFrom = 0;
            remainingIncludesWindow = true;
        }
        else
        {
            baseEnergy = measured.Joules + request.StartupEnergy.Joules;
            predictedFrom = n;
        }

        // The tail after the last epoch: its prior time at the stable window's mean power.
        double windowSeconds = window.Average(e => e.Duration.TotalSeconds);
        double stablePower = windowSeconds > 0 ? mu / windowSeconds : 0;
        double tailMean = 0, tailVariance = 0;
        if (wholeJob && request.Tail is { } tail)
        {
            tailMean = tail.Mean.TotalSeconds * stablePower;
            tailVariance = Math.Pow(tail.Sd.TotalSeconds * stablePower, 2);
        }

        // The slow drift: a linear trend b (J per epoch) of the stable level, prior N(0, (τ·μ/N)²), combined with the
        // slope the window shows (noise variance σ² × persistence); the R epochs still to come lie D = Σ (k − c)
        // epochs past the window's centre c in all, so the trend adds b̂·D to their sum and D²·Var(b) to its variance.
        double noiseVariance = sigma * sigma * persistence;
        double centre = from + (m - 1) / 2.0, sxx = 0, sxy = 0, valuesMean = values.Average();
        for (int i = 0; i < m; i++)
        {
            double x = from + i - centre;
            sxx += x * x;
            sxy += x * (values[i] - valuesMean);
        }

        double tau = wholeJob && meanCount >= 2 && request.Drift is { } drift ? drift.RelativeSd : 0;
        var totals = HorizonPoints(horizon);
        var centres = new double[totals.Length];
        var scales = new double[totals.Length];
        for (int i = 0; i < totals.Length; i++)
        {
            int count = Math.Max(0, totals[i] - predictedFrom);
            centres[i] = baseEnergy + mu * count + tailMean;
            // Prediction error of the sum: only epochs not in the window are unknown; the mean's own error scales with count.
            int unseen = remainingIncludesWindow ? Math.Max(0, count - meanCount) : count;
            double variance = meanCount >= 2 ? noiseVariance * (unseen + (double)count * count / meanCount) : 0;
            if (tau > 0 && count > 0)
            {
                double priorSd = tau * Math.Abs(mu) / totals[i];
                double precision = 1 / (priorSd * priorSd) + (noiseVariance > 0 ? sxx / noiseVariance : 0);
                double slope = noiseVariance > 0 ? sxy / noiseVariance / precision : 0;
                double distance = count * ((n + totals[i] - 1) / 2.0 - centre);
                centres[i] += slope * distance;
                variance += distance * distance / precision;
            }

            scales[i] = Math.Sqrt(variance + tailVariance);
        }

        double estimate = centres.Average();
        double df = Math.Max(1, meanCount - 1);
        var (lower, upper) = MixtureInterval(centres, scales, df, request.Confidence);
        string? caveat = meanCount < 2
            ? $"the interval covers the range of N only: {meanCount} epoch gives no spread."
            : null;
        return new ProjectionResult(request.Method, parity, stability, n, Energy.FromJoules(estimate), Energy.FromJoules(lower), Energy.FromJoules(upper), request.Confidence, measured, horizon, caveat)
        {
            StartupEnergy = wholeJob ? request.StartupEnergy : Energy.Zero,
            TailEnergy = Energy.FromJoules(tailMean),
            Drift = tau > 0 || (wholeJob && request.Drift is not null) ? request.Drift : null,
            Tail = wholeJob ? request.Tail : null,
        };
    }

    /// <summary>The paper's STEP epoch variant: <c>Σ_{e&lt;s} E_e + (Σ_{e=s}^{s+w−1} E_e / w)·(N − s)</c> (paper-notes 2.2).</summary>
    public static Energy PaperEpochVariant(IReadOnlyList<EpochMeasurement> epochs, int totalEpochs, int stableFromIndex = Seaa2023Parity.StableFromIndex, int window = Seaa2023Parity.Window)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count < stableFromIndex + window)
        {
            throw new ArgumentException($"The paper's epoch variant needs {stableFromIndex + window} epochs; got {epochs.Count}.", nameof(epochs));
        }

        double initial = epochs.Take(stableFromIndex).Sum(e => e.Energy.Joules);
        double windowSum = epochs.Skip(stableFromIndex).Take(window).Sum(e => e.Energy.Joules);
        return Energy.FromJoules(initial + windowSum / window * (totalEpochs - stableFromIndex));
    }

    /// <summary>The paper's STEP power variant: mean of the raw power samples of epochs s..s+w−1 × the total duration T.</summary>
    public static Energy PaperPowerVariant(IReadOnlyList<EpochMeasurement> epochs, TimeSpan totalDuration, int stableFromIndex = Seaa2023Parity.StableFromIndex, int window = Seaa2023Parity.Window)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count < stableFromIndex + window)
        {
            throw new ArgumentException($"The paper's power variant needs {stableFromIndex + window} epochs; got {epochs.Count}.", nameof(epochs));
        }

        return PooledSamplePower(epochs.Skip(stableFromIndex).Take(window).ToArray()) * totalDuration;
    }

    /// <summary>Mean of all raw samples of the given epochs (each epoch weighted by its sample count).</summary>
    public static Power PooledSamplePower(IReadOnlyList<EpochMeasurement> window)
    {
        int samples = window.Sum(e => e.SampleCount);
        if (samples == 0)
        {
            return Power.FromWatts(window.Average(e => e.MeanSamplePower.Watts));
        }

        return Power.FromWatts(window.Sum(e => e.MeanSamplePower.Watts * e.SampleCount) / samples);
    }

    /// <summary>
    /// Long-run variance factor (1 + ρ) / (1 − ρ) of an AR(1) series, ρ the lag-1 autocorrelation of the window,
    /// capped at <see cref="MaxPersistence"/>; 1 when ρ is not clearly positive or for windows shorter than
    /// <see cref="MinEpochsForPersistence"/>, where ρ cannot be estimated. Slow drifts (temperature, a creeping level) make neighbouring epochs alike, and
    /// then neither the mean nor a sum of future epochs averages out as fast as independent epochs would.
    /// </summary>
    public static double PersistenceFactor(IReadOnlyList<double> values)
    {
        int m = values.Count;
        if (m < MinEpochsForPersistence)
        {
            return 1;
        }

        double mean = values.Average();
        double num = 0, den = 0;
        for (int i = 0; i < m; i++)
        {
            double d = values[i] - mean;
            den += d * d;
            if (i > 0)
            {
                num += d * (values[i - 1] - mean);
            }
        }

        // Only a clearly positive ρ counts (one-sided 5 % test against white noise, sd 1/√m): independent epochs
        // keep the plain interval rather than one widened by chance.
        double rho = den > 0 ? num / den : 0;
        if (rho < 1.645 / Math.Sqrt(m))
        {
            return 1;
        }

        rho = Math.Min(rho, MaxPersistence);
        return (1 + rho) / (1 - rho);
    }

    private const int MinEpochsForPersistence = 8;
    private const double MaxPersistence = 0.8;

    private static int[] HorizonPoints(EpochHorizon horizon)
    {
        int count = horizon.Max - horizon.Min + 1;
        if (count <= MaxHorizonPoints)
        {
            return Enumerable.Range(horizon.Min, count).ToArray();
        }

        return Enumerable.Range(0, MaxHorizonPoints)
            .Select(i => horizon.Min + (int)Math.Round((double)i * (count - 1) / (MaxHorizonPoints - 1)))
            .ToArray();
    }

    private static (double Mean, double Sd) MeanAndSd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double sd = v.Length >= 2 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return (mean, sd);
    }

    /// <summary>Central interval of an equal-weight mixture of location-scale Student-t laws (scale 0: a point mass).</summary>
    internal static (double Lower, double Upper) MixtureInterval(double[] centres, double[] scales, double df, double confidence)
    {
        double Cdf(double x)
        {
            double sum = 0;
            for (int i = 0; i < centres.Length; i++)
            {
                sum += scales[i] > 0
                    ? Distributions.StudentTCdf((x - centres[i]) / scales[i], df)
                    : x >= centres[i] ? 1 : 0;
            }

            return sum / centres.Length;
        }

        double maxScale = scales.Max();
        double lo = centres.Min() - 60 * maxScale - 1, hi = centres.Max() + 60 * maxScale + 1;

        double Quantile(double p)
        {
            double a = lo, b = hi;
            for (int i = 0; i < 80 && b - a > 1e-9 * Math.Max(1, Math.Abs(a)); i++)
            {
                double mid = (a + b) / 2;
                if (Cdf(mid) < p)
                {
                    a = mid;
                }
                else
                {
                    b = mid;
                }
            }

            return b;
        }

        double alpha = (1 - confidence) / 2;
        return (Quantile(alpha), Quantile(1 - alpha));
    }
}
