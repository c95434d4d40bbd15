namespace TrainWatt.Analysis.Statistics;

/// <summary>Order statistics, ranks and tie counts shared by the tests.</summary>
public static class Descriptive
{
    /// <summary>The median (mean of the two middle values for an even count), as numpy.median.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        RequireFinite(values, nameof(values), 1);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }

    /// <summary>The quantile <paramref name="q"/> in [0, 1] with linear interpolation (numpy's default, R type 7).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        RequireFinite(values, nameof(values), 1);
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must lie in [0, 1].");
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    public static double Mean(IReadOnlyList<double> values)
    {
        RequireFinite(values, nameof(values), 1);
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }

    /// <summary>Ranks 1..n with ties given their average rank (scipy.stats.rankdata, method='average').</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[n];
        int i = 0;
        while (i < n)
        {
            int j = i;
            while (j + 1 < n && keys[j + 1] == keys[i])
            {
                j++;
            }

            double rank = 0.5 * (i + j) + 1.0;
            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = rank;
            }

            i = j + 1;
        }

        return ranks;
    }

    /// <summary>The tie term sum over tie groups of (t^3 - t).</summary>
    public static double TieSum(IReadOnlyList<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        double sum = 0;
        int i = 0;
        while (i < sorted.Length)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[i])
            {
                j++;
            }

            double t = j - i + 1;
            sum += (t * t * t) - t;
            i = j + 1;
        }

        return sum;
    }

    internal static void RequireFinite(IReadOnlyList<double> values, string name, int minimum)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count < minimum)
        {
            throw new ArgumentException($"{name} needs at least {minimum} value(s); got {values.Count}.", name);
        }

        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}; statistics need finite values.", name);
            }
        }
    }

    internal static void RequireGroups(IReadOnlyList<IReadOnlyList<double>> groups, int minimumGroups, int minimumPerGroup)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count < minimumGroups)
        {
            throw new ArgumentException($"The test needs at least {minimumGroups} groups; got {groups.Count}.", nameof(groups));
        }

        for (int g = 0; g < groups.Count; g++)
        {
            RequireFinite(groups[g], $"groups[{g}]", minimumPerGroup);
        }
    }
}
