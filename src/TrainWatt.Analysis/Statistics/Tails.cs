using MathNet.Numerics;

namespace TrainWatt.Analysis.Statistics;

/// <summary>
/// Upper-tail (survival) probabilities computed from the regularised incomplete gamma/beta functions, so that p-values
/// far below 1e-16 keep their relative precision (1 - CDF would round them to 0).
/// </summary>
public static class Tails
{
    /// <summary>P(Z &gt;= z) for a standard normal Z.</summary>
    public static double NormalUpper(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2.0));

    /// <summary>P(X &gt;= x) for X ~ chi-squared with <paramref name="df"/> degrees of freedom.</summary>
    public static double ChiSquaredUpper(double x, double df) =>
        x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(df / 2.0, x / 2.0);

    /// <summary>P(X &gt;= f) for X ~ F(<paramref name="df1"/>, <paramref name="df2"/>).</summary>
    public static double FUpper(double f, double df1, double df2)
    {
        if (f <= 0)
        {
            return 1.0;
        }

        if (double.IsPositiveInfinity(f))
        {
            return 0.0;
        }

        return SpecialFunctions.BetaRegularized(df2 / 2.0, df1 / 2.0, df2 / (df2 + (df1 * f)));
    }

    /// <summary>P(T &gt;= t) for T ~ Student t with <paramref name="df"/> degrees of freedom.</summary>
    public static double StudentTUpper(double t, double df)
    {
        if (double.IsPositiveInfinity(t))
        {
            return 0.0;
        }

        if (double.IsNegativeInfinity(t))
        {
            return 1.0;
        }

        double tail = 0.5 * SpecialFunctions.BetaRegularized(df / 2.0, 0.5, df / (df + (t * t)));
        return t >= 0 ? tail : 1.0 - tail;
    }
}
