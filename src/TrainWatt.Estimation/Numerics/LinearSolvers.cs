using MathNet.Numerics.LinearAlgebra;

namespace TrainWatt.Estimation.Numerics;

/// <summary>A fitted affine model y = intercept + w·x.</summary>
public sealed record LinearFit(double Intercept, double[] Weights)
{
    public double Predict(double[] x)
    {
        double s = Intercept;
        for (int j = 0; j < x.Length; j++)
        {
            s += Weights[j] * x[j];
        }

        return s;
    }
}

/// <summary>Least squares and ridge with an unpenalised intercept (scikit-learn's LinearRegression and Ridge).</summary>
public static class LinearSolvers
{
    /// <summary>
    /// Ridge: centres X and y, solves (XcᵀXc + αI) w = Xcᵀyc by Cholesky, intercept = ȳ − x̄·w (scikit-learn's Ridge
    /// with fit_intercept). α = 0 falls back to <see cref="LeastSquares"/> (rank-deficient designs are common:
    /// image height = width).
    /// </summary>
    public static LinearFit Ridge(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double alpha)
    {
        if (alpha < 0 || !double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite and >= 0.");
        }

        if (alpha == 0)
        {
            return LeastSquares(x, y);
        }

        var (xc, yc, xMean, yMean) = Centre(x, y);
        var a = xc.TransposeThisAndMultiply(xc);
        for (int j = 0; j < a.ColumnCount; j++)
        {
            a[j, j] += alpha;
        }

        var w = a.Cholesky().Solve(xc.TransposeThisAndMultiply(yc));
        return new LinearFit(yMean - w.DotProduct(xMean), w.ToArray());
    }

    /// <summary>Minimum-norm least squares through the SVD (numpy.linalg.lstsq, rcond = eps·max(n, p)), with a centred intercept.</summary>
    public static LinearFit LeastSquares(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        var (xc, yc, xMean, yMean) = Centre(x, y);
        var svd = xc.Svd(true);
        var s = svd.S;
        double cutoff = s.Count == 0 ? 0 : s[0] * 2.220446049250313e-16 * Math.Max(xc.RowCount, xc.ColumnCount);
        var uty = svd.U.TransposeThisAndMultiply(yc);
        var coef = Vector<double>.Build.Dense(xc.ColumnCount);
        for (int k = 0; k < s.Count; k++)
        {
            if (s[k] > cutoff)
            {
                coef += svd.VT.Row(k) * (uty[k] / s[k]);
            }
        }

        return new LinearFit(yMean - coef.DotProduct(xMean), coef.ToArray());
    }

    private static (Matrix<double> Xc, Vector<double> Yc, Vector<double> XMean, double YMean) Centre(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        if (x.Count == 0 || x.Count != y.Count)
        {
            throw new ArgumentException($"Need as many targets as rows and at least one row; got {x.Count} rows and {y.Count} targets.");
        }

        var m = Matrix<double>.Build.DenseOfRowArrays(x);
        var xMean = Vector<double>.Build.Dense(m.ColumnCount, j => m.Column(j).Average());
        double yMean = y.Average();
        var xc = Matrix<double>.Build.Dense(m.RowCount, m.ColumnCount, (i, j) => m[i, j] - xMean[j]);
        var yc = Vector<double>.Build.Dense(y.Count, i => y[i] - yMean);
        return (xc, yc, xMean, yMean);
    }
}
