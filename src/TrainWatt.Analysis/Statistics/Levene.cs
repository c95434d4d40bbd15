namespace TrainWatt.Analysis.Statistics;

/// <summary>Where Levene's test centres each group: the median gives the Brown-Forsythe variant (scipy's default).</summary>
public enum LeveneCenter
{
    Median,
    Mean,
}

/// <summary>Levene's W (an F statistic), its p-value and degrees of freedom.</summary>
public sealed record LeveneResult(double W, double P, int DfBetween, int DfWithin);

/// <summary>Levene / Brown-Forsythe test of equal variances, as scipy.stats.levene (default center='median').</summary>
public static class Levene
{
    public static LeveneResult Test(IReadOnlyList<IReadOnlyList<double>> groups, LeveneCenter center = LeveneCenter.Median)
    {
        Descriptive.RequireGroups(groups, 2, 1);
        int k = groups.Count;
        var z = new double[k][];
        int total = 0;
        double grand = 0;
        for (int g = 0; g < k; g++)
        {
            double c = center == LeveneCenter.Median ? Descriptive.Median(groups[g]) : Descriptive.Mean(groups[g]);
            z[g] = groups[g].Select(v => Math.Abs(v - c)).ToArray();
            total += z[g].Length;
            grand += z[g].Sum();
        }

        if (total <= k)
        {
            throw new ArgumentException($"Levene's test needs more values ({total}) than groups ({k}).", nameof(groups));
        }

        grand /= total;
        double between = 0;
        double within = 0;
        for (int g = 0; g < k; g++)
        {
            double mean = z[g].Average();
            between += z[g].Length * (mean - grand) * (mean - grand);
            foreach (double v in z[g])
            {
                within += (v - mean) * (v - mean);
            }
        }

        int df1 = k - 1;
        int df2 = total - k;
        double w = df2 / (double)df1 * between / within;
        return new LeveneResult(w, Tails.FUpper(w, df1, df2), df1, df2);
    }
}
