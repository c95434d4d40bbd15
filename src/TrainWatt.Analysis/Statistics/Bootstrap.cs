namespace TrainWatt.Analysis.Statistics;

/// <summary>A point estimate with a percentile-bootstrap confidence interval at <see cref="Level"/> (e.g. 0.95).</summary>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, double Level);

/// <summary>
/// Seeded percentile bootstrap (Efron): resample each sample with replacement, recompute the statistic, take the
/// (1 - level)/2 and (1 + level)/2 quantiles of the resampled statistics. Same seed, same interval.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 10_000;
    public const int DefaultSeed = 20230901;

    /// <summary>The median with a bootstrap CI.</summary>
    public static ConfidenceInterval MedianCi(IReadOnlyList<double> values, double level = 0.95, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        Descriptive.RequireFinite(values, nameof(values), 1);
        CheckLevel(level, resamples);
        var random = new Random(seed);
        var source = values.ToArray();
        var buffer = new double[source.Length];
        var stats = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            stats[r] = ResampledMedian(source, buffer, random);
        }

        return Interval(Descriptive.Median(values), stats, level);
    }

    /// <summary>median(numerator) / median(denominator) with a CI from resampling both samples independently.</summary>
    public static ConfidenceInterval MedianRatioCi(IReadOnlyList<double> numerator, IReadOnlyList<double> denominator, double level = 0.95, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        Descriptive.RequireFinite(numerator, nameof(numerator), 1);
        Descriptive.RequireFinite(denominator, nameof(denominator), 1);
        CheckLevel(level, resamples);
        var random = new Random(seed);
        var top = numerator.ToArray();
        var bottom = denominator.ToArray();
        var topBuffer = new double[top.Length];
        var bottomBuffer = new double[bottom.Length];
        var stats = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            stats[r] = ResampledMedian(top, topBuffer, random) / ResampledMedian(bottom, bottomBuffer, random);
        }

        return Interval(Descriptive.Median(numerator) / Descriptive.Median(denominator), stats, level);
    }

    private static void CheckLevel(double level, int resamples)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie in (0, 1).");
        }

        if (resamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Use at least 100 bootstrap resamples.");
        }
    }

    private static double ResampledMedian(double[] source, double[] buffer, Random random)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = source[random.Next(source.Length)];
        }

        Array.Sort(buffer);
        int n = buffer.Length;
        return n % 2 == 1 ? buffer[n / 2] : 0.5 * (buffer[(n / 2) - 1] + buffer[n / 2]);
    }

    private static ConfidenceInterval Interval(double estimate, double[] stats, double level)
    {
        double alpha = (1.0 - level) / 2.0;
        return new ConfidenceInterval(estimate, Descriptive.Quantile(stats, alpha), Descriptive.Quantile(stats, 1.0 - alpha), level);
    }
}
