namespace TrainWatt.Analysis.Statistics;

/// <summary>
/// One pair of Dunn's test: z = (mean rank of A - mean rank of B) / SE, the two-sided normal p-value and the
/// Holm-adjusted p-value over all pairs of the family.
/// </summary>
public sealed record DunnPair(int A, int B, double Z, double P, double PHolm);

/// <summary>
/// Dunn's (1964) post-hoc test after Kruskal-Wallis on the pooled ranks, with the tie correction
/// SE^2 = (N(N+1)/12 - sum(t^3 - t)/(12(N - 1))) (1/n_A + 1/n_B), as scikit-posthocs posthoc_dunn and R's dunn.test;
/// p-values Holm-adjusted over the k(k-1)/2 pairs.
/// </summary>
public static class Dunn
{
    public static IReadOnlyList<DunnPair> Test(IReadOnlyList<IReadOnlyList<double>> groups)
    {
        Descriptive.RequireGroups(groups, 2, 1);
        var all = groups.SelectMany(g => g).ToArray();
        int n = all.Length;
        var ranks = Descriptive.AverageRanks(all);
        var meanRanks = new double[groups.Count];
        int offset = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            double r = 0;
            for (int i = 0; i < groups[g].Count; i++)
            {
                r += ranks[offset + i];
            }

            meanRanks[g] = r / groups[g].Count;
            offset += groups[g].Count;
        }

        double variance = (n * (n + 1.0) / 12.0) - (Descriptive.TieSum(all) / (12.0 * (n - 1.0)));
        var pairs = new List<(int A, int B, double Z, double P)>();
        for (int a = 0; a < groups.Count; a++)
        {
            for (int b = a + 1; b < groups.Count; b++)
            {
                double se = Math.Sqrt(variance * ((1.0 / groups[a].Count) + (1.0 / groups[b].Count)));
                double z = (meanRanks[a] - meanRanks[b]) / se;
                pairs.Add((a, b, z, Math.Min(1.0, 2.0 * Tails.NormalUpper(Math.Abs(z)))));
            }
        }

        var holm = Holm.Adjust(pairs.Select(p => p.P).ToArray());
        return pairs.Select((p, i) => new DunnPair(p.A, p.B, p.Z, p.P, holm[i])).ToArray();
    }
}
