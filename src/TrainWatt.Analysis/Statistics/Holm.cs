namespace TrainWatt.Analysis.Statistics;

/// <summary>Holm-Bonferroni step-down adjustment (statsmodels multipletests method='holm', R p.adjust "holm").</summary>
public static class Holm
{
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            running = Math.Max(running, Math.Min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }

        return adjusted;
    }
}
