using MathNet.Numerics.LinearAlgebra;

namespace TrainWatt.Analysis.Statistics;

/// <summary>One row of an ANOVA table: sum of squares, degrees of freedom, F, p and partial eta^2 = SS / (SS + SS_residual).</summary>
public sealed record AnovaTerm(string Name, double SumOfSquares, int Df, double F, double P, double PartialEtaSquared);

/// <summary>The two main effects, their interaction, and the residual of a two-way ANOVA.</summary>
public sealed record TwoWayAnovaResult(AnovaTerm A, AnovaTerm B, AnovaTerm Interaction, double ResidualSumOfSquares, int ResidualDf);

/// <summary>
/// Two-way between-subjects ANOVA with interaction and <b>type II</b> sums of squares (each main effect adjusted for the
/// other, the interaction for both), as statsmodels <c>anova_lm(ols('y ~ C(a) * C(b)'), typ=2)</c> and pingouin.anova
/// (the paper's tool), or R's <c>car::Anova(type = 2)</c>. For balanced designs types I, II and III coincide. Unbalanced
/// designs and empty cells are handled by least squares on a rank-revealing SVD of the dummy-coded design.
/// </summary>
public static class TwoWayAnova
{
    public static TwoWayAnovaResult Test(IReadOnlyList<string> a, IReadOnlyList<string> b, IReadOnlyList<double> y, string nameA = "A", string nameB = "B")
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Descriptive.RequireFinite(y, nameof(y), 3);
        if (a.Count != y.Count || b.Count != y.Count)
        {
            throw new ArgumentException($"Factor and response lengths differ: {a.Count}, {b.Count}, {y.Count}.");
        }

        var levelsA = a.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var levelsB = b.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (levelsA.Length < 2 || levelsB.Length < 2)
        {
            throw new ArgumentException($"Two-way ANOVA needs at least two levels per factor; got {levelsA.Length} and {levelsB.Length}.");
        }

        int n = y.Count;
        var response = Vector<double>.Build.DenseOfEnumerable(y);
        Func<int, double>[] intercept = [_ => 1.0];
        var dummiesA = levelsA.Skip(1).Select(l => (Func<int, double>)(i => a[i] == l ? 1.0 : 0.0)).ToArray();
        var dummiesB = levelsB.Skip(1).Select(l => (Func<int, double>)(i => b[i] == l ? 1.0 : 0.0)).ToArray();
        var products = dummiesA.SelectMany(da => dummiesB.Select(db => (Func<int, double>)(i => da(i) * db(i)))).ToArray();

        var (rssA, rankA) = Fit(n, response, [.. intercept, .. dummiesA]);
        var (rssB, rankB) = Fit(n, response, [.. intercept, .. dummiesB]);
        var (rssAB, rankAB) = Fit(n, response, [.. intercept, .. dummiesA, .. dummiesB]);
        var (rssFull, rankFull) = Fit(n, response, [.. intercept, .. dummiesA, .. dummiesB, .. products]);
        int dfResidual = n - rankFull;
        if (dfResidual <= 0)
        {
            throw new ArgumentException("Two-way ANOVA needs replicates: no residual degrees of freedom are left.");
        }

        double mse = rssFull / dfResidual;
        AnovaTerm Term(string name, double ss, int df)
        {
            ss = Math.Max(0.0, ss);
            double f = df > 0 ? ss / df / mse : double.NaN;
            double p = df > 0 ? Tails.FUpper(f, df, dfResidual) : double.NaN;
            return new AnovaTerm(name, ss, df, f, p, ss / (ss + rssFull));
        }

        return new TwoWayAnovaResult(
            Term(nameA, rssB - rssAB, rankAB - rankB),
            Term(nameB, rssA - rssAB, rankAB - rankA),
            Term($"{nameA}:{nameB}", rssAB - rssFull, rankFull - rankAB),
            rssFull,
            dfResidual);
    }

    private static (double Rss, int Rank) Fit(int n, Vector<double> y, Func<int, double>[] columns)
    {
        var x = Matrix<double>.Build.Dense(n, columns.Length, (i, j) => columns[j](i));
        var svd = x.Svd(computeVectors: true);
        double tolerance = svd.S[0] * Math.Max(n, columns.Length) * 1e-12;
        int rank = svd.S.Count(s => s > tolerance);
        var u = svd.U.SubMatrix(0, n, 0, rank);
        var residual = y - (u * (u.TransposeThisAndMultiply(y)));
        return (residual.DotProduct(residual), rank);
    }
}
