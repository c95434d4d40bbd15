using MathNet.Numerics.Distributions;

namespace TrainWatt.Analysis.Statistics;

/// <summary>W statistic and p-value of the Shapiro-Wilk normality test.</summary>
public sealed record ShapiroWilkResult(double W, double P);

/// <summary>
/// Shapiro-Wilk test by Royston's approximation (Algorithm AS R94, Appl. Statist. 1995, 44(4)), the algorithm behind
/// scipy.stats.shapiro and R's shapiro.test, in double precision (scipy 1.10 runs the Fortran original in single
/// precision, so the two agree to about 1e-6 in W; R's C port is double precision). Valid for 3 &lt;= n &lt;= 5000.
/// </summary>
public static class ShapiroWilk
{
    private static readonly double[] C1 = [0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056];
    private static readonly double[] C2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
    private static readonly double[] C3 = [0.5440, -0.39978, 0.025054, -6.714e-4];
    private static readonly double[] C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
    private static readonly double[] C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
    private static readonly double[] C6 = [-0.4803, -0.082676, 0.0030302];
    private static readonly double[] G = [-2.273, 0.459];

    public static ShapiroWilkResult Test(IReadOnlyList<double> sample)
    {
        Descriptive.RequireFinite(sample, nameof(sample), 3);
        int n = sample.Count;
        if (n > 5000)
        {
            throw new ArgumentException($"Shapiro-Wilk (Royston) is defined for 3..5000 values; got {n}.", nameof(sample));
        }

        var x = sample.ToArray();
        Array.Sort(x);
        double range = x[n - 1] - x[0];
        if (range <= 0)
        {
            throw new ArgumentException("Shapiro-Wilk needs values that are not all equal (zero range).", nameof(sample));
        }

        int half = n / 2;
        var a = Coefficients(n, half);

        // W = (sum a_i (x_(n+1-i) - x_(i)))^2 / sum (x - mean)^2, scaled by the range for numerical safety.
        double mean = 0;
        foreach (double v in x)
        {
            mean += v / range;
        }

        mean /= n;
        double ssq = 0;
        foreach (double v in x)
        {
            double d = (v / range) - mean;
            ssq += d * d;
        }

        double b = 0;
        for (int i = 0; i < half; i++)
        {
            b += a[i] * ((x[n - 1 - i] - x[i]) / range);
        }

        double w = Math.Min(1.0, b * b / ssq);
        return new ShapiroWilkResult(w, PValue(w, n));
    }

    private static double[] Coefficients(int n, int half)
    {
        var a = new double[half];
        if (n == 3)
        {
            a[0] = Math.Sqrt(0.5);
            return a;
        }

        double an25 = n + 0.25;
        var m = new double[half];
        double summ2 = 0;
        for (int i = 0; i < half; i++)
        {
            m[i] = Normal.InvCDF(0, 1, (i + 1 - 0.375) / an25);
            summ2 += m[i] * m[i];
        }

        summ2 *= 2.0;
        double ssumm2 = Math.Sqrt(summ2);
        double rsn = 1.0 / Math.Sqrt(n);
        double a1 = Poly(C1, rsn) - (m[0] / ssumm2);
        int first;
        double fac;
        if (n > 5)
        {
            first = 2;
            double a2 = -(m[1] / ssumm2) + Poly(C2, rsn);
            fac = Math.Sqrt((summ2 - (2.0 * m[0] * m[0]) - (2.0 * m[1] * m[1])) / (1.0 - (2.0 * a1 * a1) - (2.0 * a2 * a2)));
            a[1] = a2;
        }
        else
        {
            first = 1;
            fac = Math.Sqrt((summ2 - (2.0 * m[0] * m[0])) / (1.0 - (2.0 * a1 * a1)));
        }

        a[0] = a1;
        for (int i = first; i < half; i++)
        {
            a[i] = -m[i] / fac;
        }

        return a;
    }

    private static double PValue(double w, int n)
    {
        if (n == 3)
        {
            const double pi6 = 6.0 / Math.PI;
            const double stqr = Math.PI / 3.0;
            return Math.Max(0.0, pi6 * (Math.Asin(Math.Sqrt(w)) - stqr));
        }

        if (w >= 1.0)
        {
            return 1.0;
        }

        double y = Math.Log(1.0 - w);
        double m;
        double s;
        if (n <= 11)
        {
            double gamma = Poly(G, n);
            if (y >= gamma)
            {
                return 1e-99;
            }

            y = -Math.Log(gamma - y);
            m = Poly(C3, n);
            s = Math.Exp(Poly(C4, n));
        }
        else
        {
            double xx = Math.Log(n);
            m = Poly(C5, xx);
            s = Math.Exp(Poly(C6, xx));
        }

        return Tails.NormalUpper((y - m) / s);
    }

    private static double Poly(double[] c, double x)
    {
        double result = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            result = (result * x) + c[i];
        }

        return result;
    }
}
