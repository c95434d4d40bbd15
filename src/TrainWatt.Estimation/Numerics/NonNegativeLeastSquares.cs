using MathNet.Numerics.LinearAlgebra;

namespace TrainWatt.Estimation.Numerics;

/// <summary>
/// Non-negative least squares for a few columns: minimise Σ wᵢ² (xᵢ·θ − yᵢ)² subject to θ ≥ 0 (scipy.optimize.nnls on
/// the rows scaled by wᵢ). The problem is convex, so its minimiser is the unconstrained least-squares solution on the
/// columns it leaves positive. With p ≤ 8 columns every one of the 2^p supports is tried and the feasible solution
/// with the smallest residual kept: exact, no iteration or tolerance to tune.
/// </summary>
public static class NonNegativeLeastSquares
{
    /// <summary>The most columns <see cref="Fit"/> accepts (2^8 = 256 small solves).</summary>
    public const int MaxColumns = 8;

    /// <summary>θ ≥ 0 minimising Σ (wᵢ (xᵢ·θ − yᵢ))²; <paramref name="weights"/> null means all 1.</summary>
    public static double[] Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<double>? weights = null)
    {
        if (x.Count == 0 || x.Count != y.Count || (weights is not null && weights.Count != y.Count))
        {
            throw new ArgumentException($"Need as many targets (and weights) as rows and at least one row; got {x.Count} rows, {y.Count} targets.");
        }

        int n = x.Count, p = x[0].Length;
        if (p is < 1 or > MaxColumns)
        {
            throw new ArgumentException($"Non-negative least squares here takes 1 to {MaxColumns} columns; got {p}.");
        }

        // Columns scaled to a maximum of 1: the features differ by many orders of magnitude (layer-steps ~1e5, pixel-samples ~1e9).
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++)
            {
                m = Math.Max(m, Math.Abs(x[i][j]));
            }

            scale[j] = m > 0 ? m : 1;
        }

        var a = Matrix<double>.Build.Dense(n, p, (i, j) => (weights?[i] ?? 1) * x[i][j] / scale[j]);
        var b = Vector<double>.Build.Dense(n, i => (weights?[i] ?? 1) * y[i]);
        double bestResidual = b.DotProduct(b); // the empty support: θ = 0
        var best = new double[p];
        for (int mask = 1; mask < 1 << p; mask++)
        {
            var columns = Enumerable.Range(0, p).Where(j => (mask & (1 << j)) != 0).ToArray();
            var sub = Matrix<double>.Build.Dense(n, columns.Length, (i, k) => a[i, columns[k]]);
            if (sub.Rank() < columns.Length)
            {
                continue; // a rank-deficient support has a non-unique solution; a smaller support reaches the same residual
            }

            var theta = sub.QR().Solve(b);
            if (theta.Any(t => t < 0))
            {
                continue;
            }

            var r = sub * theta - b;
            double residual = r.DotProduct(r);
            if (residual < bestResidual)
            {
                bestResidual = residual;
                best = new double[p];
                for (int k = 0; k < columns.Length; k++)
                {
                    best[columns[k]] = theta[k] / scale[columns[k]];
                }
            }
        }

        return best;
    }
}
