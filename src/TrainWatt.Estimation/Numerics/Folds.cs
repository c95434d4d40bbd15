namespace TrainWatt.Estimation.Numerics;

/// <summary>Seeded splits of row indices into training and test parts.</summary>
public static class Folds
{
    /// <summary>A seeded Fisher–Yates permutation of 0..n−1 (System.Random with a seed is deterministic across runs).</summary>
    public static int[] Permutation(int n, int seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }

        return p;
    }

    /// <summary>k folds of a seeded permutation; each fold's test part has ⌊n/k⌋ or ⌈n/k⌉ rows and the parts cover all rows once.</summary>
    public static IReadOnlyList<(int[] Train, int[] Test)> KFold(int n, int k, int seed)
    {
        if (k < 2 || k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 2 and the number of rows ({n}).");
        }

        var p = Permutation(n, seed);
        var result = new List<(int[], int[])>();
        int start = 0;
        for (int f = 0; f < k; f++)
        {
            int size = n / k + (f < n % k ? 1 : 0);
            var test = p[start..(start + size)];
            var train = p[..start].Concat(p[(start + size)..]).ToArray();
            result.Add((train, test));
            start += size;
        }

        return result;
    }

    /// <summary>One split: ⌈testFraction·n⌉ rows of a seeded permutation for testing, the rest for training.</summary>
    public static (int[] Train, int[] Test) HoldOut(int n, double testFraction, int seed)
    {
        var p = Permutation(n, seed);
        int nTest = (int)Math.Ceiling(testFraction * n);
        return (p[nTest..], p[..nTest]);
    }

    /// <summary>
    /// k folds over groups: the distinct labels (ordinal order) are permuted with the seed and cut into k parts as
    /// <see cref="KFold"/> cuts rows; each fold's test part is every row of its groups, so no group is on both sides.
    /// </summary>
    public static IReadOnlyList<(int[] Train, int[] Test)> GroupKFold(IReadOnlyList<string> labels, int k, int seed)
    {
        var groups = labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        return KFold(groups.Length, k, seed).Select(fold =>
        {
            var testGroups = fold.Test.Select(g => groups[g]).ToHashSet(StringComparer.Ordinal);
            return (
                Enumerable.Range(0, labels.Count).Where(i => !testGroups.Contains(labels[i])).ToArray(),
                Enumerable.Range(0, labels.Count).Where(i => testGroups.Contains(labels[i])).ToArray());
        }).ToList();
    }

    /// <summary>Leave-one-group-out: one split per distinct label (ordinal order), test = that group's rows.</summary>
    public static IReadOnlyList<(string Group, int[] Train, int[] Test)> LeaveOneGroupOut(IReadOnlyList<string> labels)
    {
        return labels.Distinct().Order(StringComparer.Ordinal).Select(g =>
        (
            g,
            Enumerable.Range(0, labels.Count).Where(i => labels[i] != g).ToArray(),
            Enumerable.Range(0, labels.Count).Where(i => labels[i] == g).ToArray()
        )).ToList();
    }
}
