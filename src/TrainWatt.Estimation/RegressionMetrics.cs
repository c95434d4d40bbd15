namespace TrainWatt.Estimation;

/// <summary>Regression scores over paired actual and predicted values.</summary>
/// <param name="R2">Coefficient of determination 1 − SS_res/SS_tot (scikit-learn's r2_score).</param>
/// <param name="MapePercent">Mean absolute percentage error, in per cent (100 × scikit-learn's mean_absolute_percentage_error).</param>
/// <param name="Rmse">Root mean squared error, in the target's unit.</param>
/// <param name="Mae">Mean absolute error, in the target's unit.</param>
/// <param name="Count">Number of pairs.</param>
public sealed record RegressionMetrics(double R2, double MapePercent, double Rmse, double Mae, int Count)
{
    public static RegressionMetrics Compute(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        if (actual.Count != predicted.Count || actual.Count == 0)
        {
            throw new ArgumentException($"Need equal, non-zero numbers of actual and predicted values; got {actual.Count} and {predicted.Count}.");
        }

        int n = actual.Count;
        double mean = actual.Average();
        double ssRes = 0, ssTot = 0, abs = 0, ape = 0;
        for (int i = 0; i < n; i++)
        {
            double e = actual[i] - predicted[i];
            ssRes += e * e;
            ssTot += (actual[i] - mean) * (actual[i] - mean);
            abs += Math.Abs(e);
            ape += Math.Abs(e) / Math.Max(Math.Abs(actual[i]), 2.220446049250313e-16);
        }

        // scikit-learn: a constant target gives R² 1 when predicted perfectly, else 0.
        double r2 = ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1 : 0);
        return new RegressionMetrics(r2, 100 * ape / n, Math.Sqrt(ssRes / n), abs / n, n);
    }
}
