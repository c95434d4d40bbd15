namespace TrainWatt.Estimation.Numerics;

/// <summary>z = (x − mean) / sd per column, population sd (ddof 0, as scikit-learn's StandardScaler); a constant column keeps sd 1.</summary>
public sealed class Standardizer
{
    public Standardizer(double[] mean, double[] sd)
    {
        if (mean.Length != sd.Length)
        {
            throw new ArgumentException("mean and sd must have the same length.");
        }

        Mean = mean;
        Sd = sd;
    }

    public double[] Mean { get; }

    public double[] Sd { get; }

    /// <summary>Fits on the given rows only (the training fold).</summary>
    public static Standardizer Fit(IReadOnlyList<double[]> rows)
    {
        int p = rows[0].Length;
        var mean = new double[p];
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            foreach (var r in rows)
            {
                m += r[j];
            }

            m /= rows.Count;
            double s = 0;
            foreach (var r in rows)
            {
                s += (r[j] - m) * (r[j] - m);
            }

            mean[j] = m;
            double v = Math.Sqrt(s / rows.Count);
            sd[j] = v > 1e-12 * Math.Max(1, Math.Abs(m)) ? v : 1.0;
        }

        return new Standardizer(mean, sd);
    }

    public double[] Transform(double[] x)
    {
        var z = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            z[j] = (x[j] - Mean[j]) / Sd[j];
        }

        return z;
    }

    public double[][] Transform(IReadOnlyList<double[]> rows) => rows.Select(Transform).ToArray();
}
