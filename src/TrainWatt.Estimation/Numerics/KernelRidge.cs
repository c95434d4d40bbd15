using MathNet.Numerics.LinearAlgebra;

namespace TrainWatt.Estimation.Numerics;

/// <summary>
/// RBF kernel ridge regression without intercept (scikit-learn's KernelRidge(kernel="rbf")): f(x) = Σ_i c_i k(x, p_i).
/// </summary>
public sealed class KernelRidge
{
    public KernelRidge(double[][] points, double[] coefficients, double gamma)
    {
        if (points.Length != coefficients.Length)
        {
            throw new ArgumentException($"{points.Length} points but {coefficients.Length} coefficients.");
        }

        Points = points;
        Coefficients = coefficients;
        Gamma = gamma;
    }

    public double[][] Points { get; }

    public double[] Coefficients { get; }

    public double Gamma { get; }

    /// <summary>
    /// Solves (K + αI) a = y. Identical rows are merged exactly: with P the row-to-distinct map and W the counts,
    /// Pᵀa = c solves (K_u + αW⁻¹) c = ȳ (group means), and f(x) = Σ_u c_u k(x, u) equals the full solution's.
    /// </summary>
    public static KernelRidge Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double alpha, double gamma)
    {
        if (!(alpha > 0) || !(gamma > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "alpha and gamma must be > 0.");
        }

        var (unique, index) = Kernels.Distinct(x);
        int m = unique.Length;
        var counts = new double[m];
        var sums = new double[m];
        for (int i = 0; i < index.Length; i++)
        {
            counts[index[i]]++;
            sums[index[i]] += y[i];
        }

        var k = Matrix<double>.Build.DenseOfArray(Kernels.Gram(unique, gamma));
        for (int u = 0; u < m; u++)
        {
            k[u, u] += alpha / counts[u];
        }

        var rhs = Vector<double>.Build.Dense(m, u => sums[u] / counts[u]);
        var c = k.Cholesky().Solve(rhs);
        return new KernelRidge(unique, c.ToArray(), gamma);
    }

    public double Predict(double[] z)
    {
        double s = 0;
        for (int i = 0; i < Points.Length; i++)
        {
            s += Coefficients[i] * Kernels.Rbf(z, Points[i], Gamma);
        }

        return s;
    }
}
