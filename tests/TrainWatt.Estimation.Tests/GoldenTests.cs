using System.Text.Json;
using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation.Tests;

/// <summary>
/// Numerical kernels against scikit-learn on small synthetic data. Oracle: Golden/sklearn-golden.json, written by the
/// committed Golden/make_golden.py with Debian's python3-sklearn 1.2.1.
/// </summary>
public sealed class GoldenTests
{
    private static readonly JsonElement _g = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "sklearn-golden.json"))).RootElement;

    private static double[] Vec(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[][] Mat(JsonElement e) => e.EnumerateArray().Select(Vec).ToArray();

    private static readonly double[][] _x = Mat(_g.GetProperty("X"));
    private static readonly double[] _y = Vec(_g.GetProperty("y"));
    private static readonly double[][] _xq = Mat(_g.GetProperty("Xq"));

    private static void Close(double expected, double actual, double relative, double absolute = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= Math.Max(absolute, relative * Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Standardizer_Matches_StandardScaler()
    {
        var s = Standardizer.Fit(_x);
        var mean = Vec(_g.GetProperty("scaler").GetProperty("mean"));
        var scale = Vec(_g.GetProperty("scaler").GetProperty("scale"));
        for (int j = 0; j < mean.Length; j++)
        {
            Close(mean[j], s.Mean[j], 1e-13);
            Close(scale[j], s.Sd[j], 1e-13);
        }
    }

    [Fact]
    public void Ridge_Matches_Sklearn_Ridge()
    {
        var s = Standardizer.Fit(_x);
        var g = _g.GetProperty("ridge");
        var fit = LinearSolvers.Ridge(s.Transform(_x), _y, g.GetProperty("alpha").GetDouble());
        Close(g.GetProperty("intercept").GetDouble(), fit.Intercept, 1e-10);
        var coef = Vec(g.GetProperty("coef"));
        for (int j = 0; j < coef.Length; j++)
        {
            Close(coef[j], fit.Weights[j], 1e-10);
        }

        var pred = Vec(g.GetProperty("pred"));
        for (int i = 0; i < pred.Length; i++)
        {
            Close(pred[i], fit.Predict(s.Transform(_xq[i])), 1e-10);
        }
    }

    [Fact]
    public void Least_Squares_Matches_LinearRegression_On_A_Rank_Deficient_Design()
    {
        // The duplicated column makes XᵀX singular; sklearn (lstsq) returns the minimum-norm solution, splitting the weight.
        var xr = _x.Select(r => r.Append(r[0]).ToArray()).ToArray();
        var g = _g.GetProperty("ols_rank_deficient");
        var fit = LinearSolvers.LeastSquares(xr, _y);
        var coef = Vec(g.GetProperty("coef"));
        for (int j = 0; j < coef.Length; j++)
        {
            Close(coef[j], fit.Weights[j], 1e-8);
        }

        var pred = Vec(g.GetProperty("pred"));
        for (int i = 0; i < pred.Length; i++)
        {
            Close(pred[i], fit.Predict(_xq[i].Append(_xq[i][0]).ToArray()), 1e-10);
        }
    }

    [Fact]
    public void Kernel_Ridge_Matches_Sklearn_KernelRidge()
    {
        var s = Standardizer.Fit(_x);
        var g = _g.GetProperty("krr");
        var krr = KernelRidge.Fit(s.Transform(_x), _y, g.GetProperty("alpha").GetDouble(), g.GetProperty("gamma").GetDouble());
        var dual = Vec(g.GetProperty("dual_coef"));
        for (int i = 0; i < dual.Length; i++)
        {
            Close(dual[i], krr.Coefficients[i], 1e-8, 1e-9);
        }

        var pred = Vec(g.GetProperty("pred"));
        for (int i = 0; i < pred.Length; i++)
        {
            Close(pred[i], krr.Predict(s.Transform(_xq[i])), 1e-10);
        }
    }

    [Fact]
    public void Kernel_Ridge_Merging_Duplicated_Rows_Equals_The_Full_Solution()
    {
        // Oracle: sklearn's KernelRidge on the 30 rows (10 distinct, each three times with different targets).
        var s = Standardizer.Fit(_x);
        var z = s.Transform(_x);
        var zd = Enumerable.Range(0, 3).SelectMany(_ => z.Take(10)).ToArray();
        var g = _g.GetProperty("krr_duplicates");
        var krr = KernelRidge.Fit(zd, Vec(g.GetProperty("y")), g.GetProperty("alpha").GetDouble(), g.GetProperty("gamma").GetDouble());
        Assert.Equal(10, krr.Points.Length);
        var pred = Vec(g.GetProperty("pred"));
        for (int i = 0; i < pred.Length; i++)
        {
            Close(pred[i], krr.Predict(s.Transform(_xq[i])), 1e-10);
        }
    }

    [Fact]
    public void Svr_Smo_Matches_Sklearn_Svr()
    {
        var s = Standardizer.Fit(_x);
        var g = _g.GetProperty("svr");
        var svr = SupportVectorRegression.Fit(s.Transform(_x), _y, g.GetProperty("C").GetDouble(), g.GetProperty("epsilon").GetDouble(), g.GetProperty("gamma").GetDouble(), g.GetProperty("tol").GetDouble());
        Assert.Equal(g.GetProperty("n_support").GetInt32(), svr.Vectors.Length);
        Close(g.GetProperty("intercept").GetDouble(), svr.Intercept, 1e-4);
        var pred = Vec(g.GetProperty("pred"));
        for (int i = 0; i < pred.Length; i++)
        {
            Close(pred[i], svr.Predict(s.Transform(_xq[i])), 1e-5);
        }
    }

    [Fact]
    public void Metrics_Match_Sklearn()
    {
        var g = _g.GetProperty("metrics");
        var m = RegressionMetrics.Compute(Vec(g.GetProperty("actual")), Vec(g.GetProperty("predicted")));
        Close(g.GetProperty("r2").GetDouble(), m.R2, 1e-12);
        Close(100 * g.GetProperty("mape_fraction").GetDouble(), m.MapePercent, 1e-12);
        Close(g.GetProperty("rmse").GetDouble(), m.Rmse, 1e-12);
        Close(g.GetProperty("mae").GetDouble(), m.Mae, 1e-12);
        Assert.Equal(12, m.Count);
    }
}
