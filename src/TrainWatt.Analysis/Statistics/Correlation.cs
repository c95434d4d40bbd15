namespace TrainWatt.Analysis.Statistics;

/// <summary>A correlation coefficient, its p-value under the chosen alternative, and the number of pairs.</summary>
public sealed record CorrelationResult(double R, double P, int N);

/// <summary>
/// Pearson and Spearman correlation with p-values from Student's t with n - 2 degrees of freedom, as
/// scipy.stats.pearsonr (exact under normality; scipy writes it as a beta distribution) and scipy.stats.spearmanr.
/// </summary>
public static class Correlation
{
    public static CorrelationResult Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y, Alternative alternative = Alternative.TwoSided)
    {
        Check(x, y);
        double r = Coefficient(x, y);
        return new CorrelationResult(r, PValue(r, x.Count, alternative), x.Count);
    }

    public static CorrelationResult Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y, Alternative alternative = Alternative.TwoSided)
    {
        Check(x, y);
        double r = Coefficient(Descriptive.AverageRanks(x), Descriptive.AverageRanks(y));
        return new CorrelationResult(r, PValue(r, x.Count, alternative), x.Count);
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Descriptive.RequireFinite(x, nameof(x), 3);
        Descriptive.RequireFinite(y, nameof(y), 3);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Correlation needs pairs: x has {x.Count} values, y has {y.Count}.", nameof(y));
        }
    }

    private static double Coefficient(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = Descriptive.Mean(x);
        double my = Descriptive.Mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        if (sxx == 0 || syy == 0)
        {
            throw new ArgumentException("Correlation is undefined when one variable is constant.");
        }

        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }

    private static double PValue(double r, int n, Alternative alternative)
    {
        int df = n - 2;
        double t = Math.Abs(r) >= 1.0 ? Math.CopySign(double.PositiveInfinity, r) : r * Math.Sqrt(df / ((1.0 - r) * (1.0 + r)));
        return alternative switch
        {
            Alternative.Greater => Tails.StudentTUpper(t, df),
            Alternative.Less => Tails.StudentTUpper(-t, df),
            _ => Math.Min(1.0, 2.0 * Tails.StudentTUpper(Math.Abs(t), df)),
        };
    }
}
