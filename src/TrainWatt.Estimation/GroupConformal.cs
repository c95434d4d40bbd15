namespace TrainWatt.Estimation;

/// <summary>
/// Split-conformal intervals calibrated per group instead of per row. The score of a held-out prediction is
/// |ln(actual / predicted)| (infinite when either is not positive). Each group (an architecture, a GPU, a
/// configuration) weighs 1/G, shared equally by its rows, so a group with many runs does not set the interval for
/// all: in the journal set InceptionV3 has 73 % of the rows but is one architecture of six. The quantile is taken at
/// the level min(1, coverage × (G + 1) / G), the split-conformal correction applied to groups as the exchangeable units.
/// </summary>
public static class GroupConformal
{
    /// <summary>A calibration: the quantile from all groups, and its coverage measured by leaving each group out of the calibration.</summary>
    /// <param name="LogQuantile">q: the interval is [ŷ·e^−q, ŷ·e^q].</param>
    /// <param name="Groups">Number of groups G.</param>
    /// <param name="GroupCoverage">Mean over groups of the share of the group's rows inside the interval calibrated on the other groups.</param>
    /// <param name="RowCoverage">The same share pooled over rows.</param>
    /// <param name="Covered">Per row: inside the interval calibrated without its group.</param>
    public sealed record Calibration(double LogQuantile, int Groups, double GroupCoverage, double RowCoverage, bool[] Covered);

    /// <summary>|ln(actual / predicted)|, or +∞ when either is not positive (an interval around a non-positive estimate covers nothing).</summary>
    public static double Score(double actual, double predicted) =>
        actual > 0 && predicted > 0 && double.IsFinite(predicted) ? Math.Abs(Math.Log(actual / predicted)) : double.PositiveInfinity;

    /// <summary>The group-weighted conformal quantile of <paramref name="scores"/>.</summary>
    public static double Quantile(IReadOnlyList<double> scores, IReadOnlyList<string> groups, double coverage)
    {
        if (scores.Count == 0 || scores.Count != groups.Count)
        {
            throw new ArgumentException($"Need one group per score and at least one score; got {scores.Count} scores and {groups.Count} groups.");
        }

        var sizes = groups.GroupBy(g => g, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int count = sizes.Count;
        double level = Math.Min(1.0, coverage * (count + 1) / count);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double cumulative = 0;
        foreach (int i in order)
        {
            cumulative += 1.0 / (count * sizes[groups[i]]);
            if (cumulative >= level - 1e-12)
            {
                return scores[i];
            }
        }

        return scores[order[^1]];
    }

    /// <summary>Calibrates on all held-out predictions and measures coverage by leaving each group out of the calibration in turn.</summary>
    public static Calibration Calibrate(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, IReadOnlyList<string> groups, double coverage)
    {
        var scores = actual.Select((y, i) => Score(y, predicted[i])).ToArray();
        double q = Quantile(scores, groups, coverage);
        var names = groups.Distinct(StringComparer.Ordinal).ToArray();
        var covered = new bool[scores.Length];
        double groupShare = 0;
        foreach (string g in names)
        {
            var inside = Enumerable.Range(0, scores.Length).Where(i => groups[i] == g).ToArray();
            var others = Enumerable.Range(0, scores.Length).Where(i => groups[i] != g).ToArray();
            // With one group there is nothing to calibrate on without it: nothing counts as covered.
            double qWithout = others.Length == 0 ? double.NegativeInfinity : Quantile(others.Select(i => scores[i]).ToArray(), others.Select(i => groups[i]).ToArray(), coverage);
            foreach (int i in inside)
            {
                covered[i] = scores[i] <= qWithout;
            }

            groupShare += inside.Count(i => covered[i]) / (double)inside.Length;
        }

        return new Calibration(q, names.Length, groupShare / names.Length, covered.Count(c => c) / (double)covered.Length, covered);
    }
}
