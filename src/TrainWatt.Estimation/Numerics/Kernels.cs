namespace TrainWatt.Estimation.Numerics;

/// <summary>The RBF kernel k(u, v) = exp(−γ·Σ_j (u_j − v_j)²), from direct squared differences.</summary>
public static class Kernels
{
    public static double Rbf(double[] u, double[] v, double gamma)
    {
        double d = 0;
        for (int j = 0; j < u.Length; j++)
        {
            double t = u[j] - v[j];
            d += t * t;
        }

        return Math.Exp(-gamma * d);
    }

    /// <summary>
    /// Groups bit-identical rows: returns the distinct rows (first-seen order) and, for each input row, the index of its
    /// distinct row. Duplicated configurations are common in PRE data (857 journal rows hold 49 distinct vectors).
    /// </summary>
    public static (double[][] Unique, int[] Index) Distinct(IReadOnlyList<double[]> rows)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<double[]>();
        var index = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            string key = string.Join(',', rows[i].Select(v => BitConverter.DoubleToInt64Bits(v)));
            if (!map.TryGetValue(key, out int k))
            {
                k = unique.Count;
                map[key] = k;
                unique.Add(rows[i]);
            }

            index[i] = k;
        }

        return (unique.ToArray(), index);
    }

    public static double[,] Gram(double[][] points, double gamma)
    {
        int m = points.Length;
        var k = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            k[i, i] = 1.0;
            for (int j = 0; j < i; j++)
            {
                k[i, j] = k[j, i] = Rbf(points[i], points[j], gamma);
            }
        }

        return k;
    }
}
