using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Tests.Statistics;

/// <summary>
/// Every test here compares against Golden/statistics.json, produced by Golden/generate_golden.py from scipy 1.10.1,
/// statsmodels 0.13.5 and R 4.2.2 on seeded synthetic samples that the file also holds.
/// </summary>
public sealed class StatisticsGoldenTests
{
    [Fact]
    public void Shapiro_wilk_matches_r_in_double_precision_and_scipy_in_single_precision()
    {
        // Oracles: R shapiro.test (swilk.c, double precision) to 1e-9; scipy.stats.shapiro (Fortran AS R94 in REAL*4,
        // its W and p are float32 values) to the precision of float32 propagated through log(1 - W).
        int cases = 0;
        foreach (var c in Golden.Statistics.GetProperty("shapiro").EnumerateArray())
        {
            var x = c.GetProperty("x").Doubles();
            var result = ShapiroWilk.Test(x);
            Golden.Close(c.D("w_r"), result.W, 1e-9, $"W (R), n={x.Length}");
            Golden.Close(c.D("p_r"), result.P, 1e-7, $"p (R), n={x.Length}");
            Golden.Close(c.D("w_scipy"), result.W, 2e-6, $"W (scipy), n={x.Length}");
            // float32 W carries ~6e-8 absolute error, amplified 1/(1 - W) times in log(1 - W): up to ~1e-3 in p at n = 1000.
            Assert.True(Math.Abs(c.D("p_scipy") - result.P) <= 2e-3 * Math.Max(c.D("p_scipy"), 1e-2), $"p (scipy), n={x.Length}: {c.D("p_scipy")} vs {result.P}");
            cases++;
        }

        Assert.Equal(21, cases);
    }

    [Fact]
    public void Levene_and_brown_forsythe_match_scipy()
    {
        foreach (var c in Golden.Statistics.GetProperty("levene").EnumerateArray())
        {
            var center = c.GetProperty("center").GetString() == "mean" ? LeveneCenter.Mean : LeveneCenter.Median;
            var result = Levene.Test(c.GetProperty("groups").Groups(), center);
            Golden.Close(c.D("w"), result.W, 1e-10, $"Levene W ({center})");
            Golden.Close(c.D("p"), result.P, 1e-9, $"Levene p ({center})");
        }
    }

    [Fact]
    public void Kruskal_wallis_with_ties_matches_scipy_and_eta_squared_its_formula()
    {
        foreach (var c in Golden.Statistics.GetProperty("kruskal").EnumerateArray())
        {
            var result = KruskalWallis.Test(c.GetProperty("groups").Groups());
            Golden.Close(c.D("h"), result.H, 1e-10, "H");
            Golden.Close(c.D("p"), result.P, 1e-9, "p");
            Golden.Close(c.D("eta2"), result.EtaSquared, 1e-9, "eta2");
        }
    }

    [Fact]
    public void Dunn_holm_matches_the_formula_and_statsmodels_holm()
    {
        foreach (var c in Golden.Statistics.GetProperty("kruskal").EnumerateArray())
        {
            var pairs = Dunn.Test(c.GetProperty("groups").Groups());
            var expected = c.GetProperty("dunn").EnumerateArray().ToArray();
            Assert.Equal(expected.Length, pairs.Count);
            for (int i = 0; i < pairs.Count; i++)
            {
                Assert.Equal(expected[i].GetProperty("a").GetInt32(), pairs[i].A);
                Assert.Equal(expected[i].GetProperty("b").GetInt32(), pairs[i].B);
                Golden.Close(expected[i].D("z"), pairs[i].Z, 1e-10, "Dunn z");
                Golden.Close(expected[i].D("p"), pairs[i].P, 1e-8, "Dunn p");
                Golden.Close(expected[i].D("p_holm"), pairs[i].PHolm, 1e-8, "Dunn p (Holm)");
            }
        }
    }

    [Fact]
    public void Holm_matches_statsmodels_multipletests()
    {
        var holm = Golden.Statistics.GetProperty("holm");
        var adjusted = Holm.Adjust(holm.GetProperty("p").Doubles());
        var expected = holm.GetProperty("adjusted").Doubles();
        for (int i = 0; i < expected.Length; i++)
        {
            Golden.Close(expected[i], adjusted[i], 1e-12, $"Holm[{i}]");
        }
    }

    [Fact]
    public void Cliffs_delta_matches_brute_force_over_all_pairs()
    {
        foreach (var c in Golden.Statistics.GetProperty("kruskal").EnumerateArray())
        {
            var groups = c.GetProperty("groups").Groups();
            var matrix = c.GetProperty("cliffs").EnumerateArray().Select(r => r.Doubles()).ToArray();
            for (int a = 0; a < groups.Length; a++)
            {
                for (int b = 0; b < groups.Length; b++)
                {
                    Assert.Equal(matrix[a][b], CliffsDelta.Compute(groups[a], groups[b]).Delta, 12);
                }
            }
        }
    }

    [Theory]
    [InlineData(0.0, CliffMagnitude.Negligible)]
    [InlineData(0.1469, CliffMagnitude.Negligible)]
    [InlineData(0.147, CliffMagnitude.Small)]
    [InlineData(-0.3299, CliffMagnitude.Small)]
    [InlineData(0.33, CliffMagnitude.Medium)]
    [InlineData(-0.4739, CliffMagnitude.Medium)]
    [InlineData(0.474, CliffMagnitude.Large)]
    [InlineData(-1.0, CliffMagnitude.Large)]
    public void Cliffs_delta_labels_follow_romano_thresholds(double delta, CliffMagnitude expected)
    {
        // Oracle: Romano et al. (2006) thresholds as used by the cliffs_delta package: 0.147 / 0.33 / 0.474.
        Assert.Equal(expected, CliffsDelta.Label(delta));
    }

    [Fact]
    public void Mann_whitney_matches_scipy_for_auto_asymptotic_and_exact()
    {
        int exact = 0;
        foreach (var c in Golden.Statistics.GetProperty("mannwhitney").EnumerateArray())
        {
            var method = c.GetProperty("method").GetString() switch
            {
                "exact" => MannWhitneyMethod.Exact,
                "asymptotic" => MannWhitneyMethod.Asymptotic,
                _ => MannWhitneyMethod.Auto,
            };
            var alternative = ParseAlternative(c.GetProperty("alternative").GetString()!);
            var result = MannWhitney.Test(c.GetProperty("x").Doubles(), c.GetProperty("y").Doubles(), alternative, method);
            exact += result.Method == MannWhitneyMethod.Exact ? 1 : 0;
            Golden.Close(c.D("u"), result.U, 1e-12, $"U ({method}, {alternative})");
            Golden.Close(c.D("p"), result.P, 1e-9, $"p ({method}, {alternative})");
        }

        Assert.True(exact >= 6, "the golden set must exercise the exact distribution");
    }

    [Fact]
    public void Pearson_and_spearman_match_scipy_for_every_alternative()
    {
        foreach (var c in Golden.Statistics.GetProperty("correlation").EnumerateArray())
        {
            var x = c.GetProperty("x").Doubles();
            var y = c.GetProperty("y").Doubles();
            var alternative = ParseAlternative(c.GetProperty("alternative").GetString()!);
            var pearson = Correlation.Pearson(x, y, alternative);
            var spearman = Correlation.Spearman(x, y, alternative);
            Golden.Close(c.D("pearson_r"), pearson.R, 1e-10, "Pearson r");
            Golden.Close(c.D("pearson_p"), pearson.P, 1e-8, $"Pearson p ({alternative})");
            Golden.Close(c.D("spearman_r"), spearman.R, 1e-10, "Spearman rho");
            Golden.Close(c.D("spearman_p"), spearman.P, 1e-8, $"Spearman p ({alternative})");
        }
    }

    [Fact]
    public void Two_way_anova_type_ii_matches_statsmodels_on_an_unbalanced_design()
    {
        var g = Golden.Statistics.GetProperty("anova2");
        var a = g.GetProperty("a").EnumerateArray().Select(v => v.GetString()!).ToArray();
        var b = g.GetProperty("b").EnumerateArray().Select(v => v.GetString()!).ToArray();
        var result = TwoWayAnova.Test(a, b, g.GetProperty("y").Doubles());
        foreach (var (name, term) in new[] { ("A", result.A), ("B", result.B), ("AB", result.Interaction) })
        {
            var e = g.GetProperty(name);
            Golden.Close(e.D("ss"), term.SumOfSquares, 1e-9, $"{name} SS");
            Assert.Equal(e.GetProperty("df").GetInt32(), term.Df);
            Golden.Close(e.D("f"), term.F, 1e-9, $"{name} F");
            Golden.Close(e.D("p"), term.P, 1e-8, $"{name} p");
            Golden.Close(e.D("partial_eta2"), term.PartialEtaSquared, 1e-9, $"{name} partial eta2");
        }

        Golden.Close(g.D("residual_ss"), result.ResidualSumOfSquares, 1e-9, "residual SS");
        Assert.Equal(g.GetProperty("residual_df").GetInt32(), result.ResidualDf);
    }

    [Fact]
    public void Bootstrap_median_ci_endpoints_sit_at_the_exact_bootstrap_quantiles()
    {
        // Oracle: the exact bootstrap distribution of the median of an odd sample, P(median* <= x_(k)) =
        // P(Binom(n, k/n) >= (n+1)/2), computed by scipy.stats.binom in the script. With 10000 resamples the 2.5 % and
        // 97.5 % percentile endpoints must be order statistics whose exact CDF brackets 0.025 / 0.975, give or take
        // the Monte Carlo error (sd of a proportion near 0.025 with B = 10000 is 0.0016; we allow 0.006).
        foreach (var c in Golden.Statistics.GetProperty("bootstrap_median").EnumerateArray())
        {
            var x = c.GetProperty("x").Doubles();
            var cdf = c.GetProperty("cdf_at_order_statistic").Doubles();
            var ci = Bootstrap.MedianCi(x);
            Assert.Equal(c.D("median"), ci.Estimate);
            int lower = Array.IndexOf(x, ci.Lower);
            int upper = Array.IndexOf(x, ci.Upper);
            Assert.True(lower >= 0 && upper >= 0, "percentile endpoints of an odd-n median bootstrap are sample values");
            double below = lower == 0 ? 0 : cdf[lower - 1];
            Assert.True(below <= 0.025 + 0.006 && cdf[lower] >= 0.025 - 0.006, $"lower endpoint x_({lower + 1}): CDF {below}..{cdf[lower]}");
            double belowUpper = upper == 0 ? 0 : cdf[upper - 1];
            Assert.True(belowUpper <= 0.975 + 0.006 && cdf[upper] >= 0.975 - 0.006, $"upper endpoint x_({upper + 1}): CDF {belowUpper}..{cdf[upper]}");
            Assert.Equal(ci, Bootstrap.MedianCi(x));
        }
    }

    private static Alternative ParseAlternative(string s) => s switch
    {
        "greater" => Alternative.Greater,
        "less" => Alternative.Less,
        _ => Alternative.TwoSided,
    };
}
