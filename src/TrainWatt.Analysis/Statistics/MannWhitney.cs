namespace TrainWatt.Analysis.Statistics;

/// <summary>How the Mann-Whitney p-value is computed (scipy.stats.mannwhitneyu's <c>method=</c>).</summary>
public enum MannWhitneyMethod
{
    /// <summary>Exact when either sample has at most 8 values and there are no ties, asymptotic otherwise (scipy &gt;= 1.7 default).</summary>
    Auto,

    /// <summary>Exact null distribution of U (no tie correction; meant for samples without ties).</summary>
    Exact,

    /// <summary>Normal approximation with tie correction and continuity correction.</summary>
    Asymptotic,
}

/// <summary>U of the first sample (scipy's statistic), the p-value and the method actually used.</summary>
public sealed record MannWhitneyResult(double U, double P, MannWhitneyMethod Method);

/// <summary>Mann-Whitney U test, matching scipy.stats.mannwhitneyu (use_continuity=True) for every method.</summary>
public static class MannWhitney
{
    public static MannWhitneyResult Test(
        IReadOnlyList<double> x,
        IReadOnlyList<double> y,
        Alternative alternative = Alternative.TwoSided,
        MannWhitneyMethod method = MannWhitneyMethod.Auto)
    {
        Descriptive.RequireFinite(x, nameof(x), 1);
        Descriptive.RequireFinite(y, nameof(y), 1);
        int n1 = x.Count;
        int n2 = y.Count;
        var all = x.Concat(y).ToArray();
        var ranks = Descriptive.AverageRanks(all);
        double r1 = 0;
        for (int i = 0; i < n1; i++)
        {
            r1 += ranks[i];
        }

        double u1 = r1 - (n1 * (n1 + 1.0) / 2.0);
        double u2 = ((double)n1 * n2) - u1;
        double tieSum = Descriptive.TieSum(all);
        if (method == MannWhitneyMethod.Auto)
        {
            method = (n1 > 8 && n2 > 8) || tieSum > 0 ? MannWhitneyMethod.Asymptotic : MannWhitneyMethod.Exact;
        }

        double u = alternative switch
        {
            Alternative.TwoSided => Math.Max(u1, u2),
            Alternative.Greater => u1,
            _ => u2,
        };

        double p;
        if (method == MannWhitneyMethod.Exact)
        {
            p = ExactUpper((int)Math.Round(u), n1, n2);
        }
        else
        {
            int n = n1 + n2;
            double s = Math.Sqrt(n1 * (double)n2 / 12.0 * ((n + 1.0) - (tieSum / (n * (n - 1.0)))));
            p = Tails.NormalUpper((u - (n1 * (double)n2 / 2.0) - 0.5) / s);
        }

        if (alternative == Alternative.TwoSided)
        {
            p *= 2.0;
        }

        return new MannWhitneyResult(u1, Math.Clamp(p, 0.0, 1.0), method);
    }

    /// <summary>P(U &gt;= u) under H0 without ties, from the counts of arrangements (Gaussian binomial coefficients).</summary>
    internal static double ExactUpper(int u, int m, int n)
    {
        if ((long)m * n > 250_000)
        {
            throw new ArgumentException($"The exact Mann-Whitney distribution is limited to n1 x n2 <= 250000; got {m} x {n}. Use the asymptotic method.");
        }

        // rows[j] = counts of U for sizes (i, j), built up over i: f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u).
        var previous = new double[n + 1][];
        for (int j = 0; j <= n; j++)
        {
            previous[j] = [1.0];
        }

        for (int i = 1; i <= m; i++)
        {
            var current = new double[n + 1][];
            current[0] = [1.0];
            for (int j = 1; j <= n; j++)
            {
                var f = new double[(i * j) + 1];
                var left = previous[j];
                for (int k = 0; k < left.Length; k++)
                {
                    f[k + j] += left[k];
                }

                var down = current[j - 1];
                for (int k = 0; k < down.Length; k++)
                {
                    f[k] += down[k];
                }

                current[j] = f;
            }

            previous = current;
        }

        var counts = previous[n];
        double total = 0;
        double upper = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            total += counts[k];
            if (k >= u)
            {
                upper += counts[k];
            }
        }

        return upper / total;
    }
}
