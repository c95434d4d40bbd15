namespace TrainWatt.Analysis.Statistics;

/// <summary>Magnitude labels of Cliff's delta (Romano et al. 2006 thresholds 0.147 / 0.33 / 0.474).</summary>
public enum CliffMagnitude
{
    Negligible,
    Small,
    Medium,
    Large,
}

/// <summary>Cliff's delta = (#(x &gt; y) - #(x &lt; y)) / (n_x n_y), in [-1, 1], and its magnitude label.</summary>
public sealed record CliffsDeltaResult(double Delta, CliffMagnitude Magnitude);

/// <summary>Cliff's delta effect size, as the <c>cliffs_delta</c> Python package the paper's notebooks use.</summary>
public static class CliffsDelta
{
    public static CliffsDeltaResult Compute(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Descriptive.RequireFinite(x, nameof(x), 1);
        Descriptive.RequireFinite(y, nameof(y), 1);
        var sortedY = y.ToArray();
        Array.Sort(sortedY);
        long greater = 0;
        long less = 0;
        foreach (double v in x)
        {
            // Count of y strictly below v and strictly above v by binary search: O((n + m) log m).
            int below = LowerBound(sortedY, v);
            int notAbove = UpperBound(sortedY, v);
            greater += below;
            less += sortedY.Length - notAbove;
        }

        double delta = (greater - less) / ((double)x.Count * y.Count);
        return new CliffsDeltaResult(delta, Label(delta));
    }

    /// <summary>negligible |d| &lt; 0.147, small &lt; 0.33, medium &lt; 0.474, otherwise large.</summary>
    public static CliffMagnitude Label(double delta)
    {
        double d = Math.Abs(delta);
        return d < 0.147 ? CliffMagnitude.Negligible
            : d < 0.33 ? CliffMagnitude.Small
            : d < 0.474 ? CliffMagnitude.Medium
            : CliffMagnitude.Large;
    }

    private static int LowerBound(double[] sorted, double v)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double v)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
