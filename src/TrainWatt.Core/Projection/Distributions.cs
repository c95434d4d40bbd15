namespace TrainWatt.Core.Projection;

/// <summary>
/// The few distribution functions projection intervals need, BCL-only: the standard normal and Student's t
/// (CDF through the regularised incomplete beta function, quantiles by bisection). CDF accuracy about 1e-10,
/// checked against scipy in the tests.
/// </summary>
public static class Distributions
{
    /// <summary>Standard normal CDF Φ(z).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Student's t CDF with <paramref name="degreesOfFreedom"/> (> 0) degrees of freedom.</summary>
    public static double StudentTCdf(double t, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (double.IsPositiveInfinity(degreesOfFreedom))
        {
            return NormalCdf(t);
        }

        double x = degreesOfFreedom / (degreesOfFreedom + t * t);
        double tail = 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The <paramref name="p"/>-quantile of Student's t (0 &lt; p &lt; 1).</summary>
    public static double StudentTQuantile(double p, double degreesOfFreedom)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A quantile needs a probability strictly between 0 and 1.");
        }

        double lo = -1, hi = 1;
        while (StudentTCdf(lo, degreesOfFreedom) > p)
        {
            lo *= 2;
        }

        while (StudentTCdf(hi, degreesOfFreedom) < p)
        {
            hi *= 2;
        }

        for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, Math.Abs(lo)); i++)
        {
            double mid = (lo + hi) / 2;
            if (StudentTCdf(mid, degreesOfFreedom) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    /// <summary>Complementary error function, as the regularised upper incomplete gamma Q(1/2, x²) (series below x² = 1.5, continued fraction above).</summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        // erfc(x) = Q(1/2, x²), the regularised upper incomplete gamma function.
        return x == 0 ? 1 : UpperIncompleteGammaHalf(x * x);
    }

    private static double UpperIncompleteGammaHalf(double x)
    {
        const double a = 0.5;
        double lnGammaA = 0.5 * Math.Log(Math.PI);
        if (x < a + 1)
        {
            // Series for P(a, x).
            double sum = 1 / a, term = sum, ap = a;
            for (int n = 0; n < 500; n++)
            {
                ap += 1;
                term *= x / ap;
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-16)
                {
                    break;
                }
            }

            return 1 - sum * Math.Exp(-x + a * Math.Log(x) - lnGammaA);
        }

        // Continued fraction for Q(a, x) (modified Lentz).
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
        for (int i = 1; i < 500; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < 1e-300)
            {
                d = 1e-300;
            }

            c = b + an / c;
            if (Math.Abs(c) < 1e-300)
            {
                c = 1e-300;
            }

            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x + a * Math.Log(x) - lnGammaA) * h;
    }

    /// <summary>Regularised incomplete beta I_x(a, b) (Numerical Recipes continued fraction).</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        double lnFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x < (a + 1) / (a + b + 2))
        {
            return Math.Exp(lnFront) * BetaContinuedFraction(a, b, x) / a;
        }

        return 1 - Math.Exp(lnFront) * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny)
        {
            d = tiny;
        }

        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 1000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15).</summary>
    public static double LogGamma(double x)
    {
        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        double sum = g[0];
        for (int i = 1; i < g.Length; i++)
        {
            sum += g[i] / (x + i);
        }

        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
