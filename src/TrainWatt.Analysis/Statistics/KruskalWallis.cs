namespace TrainWatt.Analysis.Statistics;

/// <summary>
/// Tie-corrected H, its chi-squared p-value with k - 1 degrees of freedom, and the effect size
/// eta^2_H = (H - k + 1) / (n - k) (Tomczak and Tomczak 2014; the paper's notebooks use it).
/// </summary>
public sealed record KruskalWallisResult(double H, double P, int Df, double EtaSquared, int N);

/// <summary>Kruskal-Wallis H test, as scipy.stats.kruskal (ties corrected by 1 - sum(t^3 - t)/(n^3 - n)).</summary>
public static class KruskalWallis
{
    public static KruskalWallisResult Test(IReadOnlyList<IReadOnlyList<double>> groups)
    {
        Descriptive.RequireGroups(groups, 2, 1);
        var all = groups.SelectMany(g => g).ToArray();
        int n = all.Length;
        int k = groups.Count;
        if (n <= k)
        {
            throw new ArgumentException($"Kruskal-Wallis needs more values ({n}) than groups ({k}).", nameof(groups));
        }

        var ranks = Descriptive.AverageRanks(all);
        double sum = 0;
        int offset = 0;
        foreach (var group in groups)
        {
            double r = 0;
            for (int i = 0; i < group.Count; i++)
            {
                r += ranks[offset + i];
            }

            sum += r * r / group.Count;
            offset += group.Count;
        }

        double h = (12.0 / (n * (n + 1.0)) * sum) - (3.0 * (n + 1.0));
        double ties = 1.0 - (Descriptive.TieSum(all) / ((double)n * n * n - n));
        if (ties <= 0)
        {
            throw new ArgumentException("Kruskal-Wallis is undefined when all values are equal.", nameof(groups));
        }

        h /= ties;
        return new KruskalWallisResult(h, Tails.ChiSquaredUpper(h, k - 1), k - 1, (h - k + 1.0) / (n - k), n);
    }
}
