using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Testing;

namespace TrainWatt.Analysis.Tests.Comparison;

/// <summary>
/// Acceptance on ../shared/data/seaa2023 (skipped when absent). Oracle: Golden/seaa2023.json, written by
/// Golden/generate_golden.py from the same runs.csv with scipy 1.10.1 (kruskal, shapiro, levene), the Dunn formula with
/// statsmodels' Holm, brute-force Cliff's delta and statsmodels anova_lm(typ=2).
/// </summary>
public sealed class Seaa2023AnalysisTests
{
    private static readonly System.Text.Json.JsonElement Expected = Golden.Load("seaa2023.json");

    [Fact]
    public void Cloud_energy_per_image_across_five_architectures_matches_scipy()
    {
        var runs = RunFilter.Parse(["environment=Cloud"]).Apply(Seaa2023Runs.Load(SharedData.RequireSeaa2023()));
        var result = GroupAnalysis.Run(runs, ["architecture"], Metric.EnergyPerSample);
        var cloud = Expected.GetProperty("cloud");

        var groups = cloud.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(groups.Length, result.Groups.Count);
        for (int i = 0; i < groups.Length; i++)
        {
            Assert.Equal(groups[i].GetProperty("architecture").GetString(), result.Groups[i].Key["architecture"]);
            Assert.Equal(groups[i].GetProperty("n").GetInt32(), result.Groups[i].N);
            Golden.Close(groups[i].D("median"), result.Groups[i].Median, 1e-12, "median J/image");
        }

        var kw = cloud.GetProperty("kruskal_wallis");
        Golden.Close(kw.D("h"), result.KruskalWallis!.H, 1e-6, "Kruskal-Wallis H");
        Golden.Close(kw.D("p"), result.KruskalWallis.P, 1e-6, "Kruskal-Wallis p");
        Golden.Close(kw.D("eta2"), result.KruskalWallis.EtaSquared, 1e-6, "eta2");

        var pairs = cloud.GetProperty("posthoc").EnumerateArray().ToArray();
        Assert.Equal(10, result.Posthoc.Count);
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(pairs[i].GetProperty("a").GetString(), result.Posthoc[i].A.Key["architecture"]);
            Assert.Equal(pairs[i].GetProperty("b").GetString(), result.Posthoc[i].B.Key["architecture"]);
            Golden.Close(pairs[i].D("p_holm"), result.Posthoc[i].PHolm, 1e-6, $"Dunn-Holm p {pairs[i].GetProperty("a")} vs {pairs[i].GetProperty("b")}");
            Assert.Equal(pairs[i].D("cliffs_delta"), result.Posthoc[i].CliffsDelta.Delta, 12);
        }

        Golden.Close(cloud.GetProperty("levene").D("p"), result.Levene!.P, 1e-8, "Levene p");
        var shapiro = cloud.GetProperty("shapiro").EnumerateArray().ToArray();
        for (int i = 0; i < shapiro.Length; i++)
        {
            // scipy's Shapiro-Wilk is single precision (see StatisticsGoldenTests).
            Golden.Close(shapiro[i].D("w"), result.Groups[i].Shapiro!.W, 2e-6, "Shapiro W");
            Assert.True(Math.Abs(shapiro[i].D("p") - result.Groups[i].Shapiro!.P) <= 2e-3 * Math.Max(shapiro[i].D("p"), 1e-2));
        }
    }

    [Fact]
    public void Architecture_by_environment_anova_matches_statsmodels_type_ii()
    {
        var runs = RunFilter.Parse(["environment=Cloud", "environment=Local ML Engineer/Gamer"]).Apply(Seaa2023Runs.Load(SharedData.RequireSeaa2023()));
        var result = GroupAnalysis.Run(runs, ["architecture", "environment"], Metric.EnergyPerSample);
        var anova = Expected.GetProperty("anova2");
        foreach (var (name, term) in new[] { ("architecture", result.Anova!.A), ("environment", result.Anova.B), ("interaction", result.Anova.Interaction) })
        {
            var e = anova.GetProperty(name);
            Golden.Close(e.D("f"), term.F, 1e-8, $"{name} F");
            Assert.Equal(e.GetProperty("df").GetInt32(), term.Df);
            Golden.Close(e.D("p"), term.P, 1e-6, $"{name} p");
            Golden.Close(e.D("partial_eta2"), term.PartialEtaSquared, 1e-9, $"{name} partial eta2");
        }

        Assert.Equal(anova.GetProperty("residual_df").GetInt32(), result.Anova.ResidualDf);
        Assert.Equal(10, result.Groups.Count);
    }

    [Fact]
    public void Energy_f1_trade_off_per_environment_matches_scipy_spearman_one_sided()
    {
        var runs = Seaa2023Runs.Load(SharedData.RequireSeaa2023());
        var result = TradeOff.Spearman(runs, Metric.EnergyPerSample, Metric.Parse("f1"), "environment");
        var expected = Expected.GetProperty("spearman_f1_energy").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, result.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].GetProperty("environment").GetString(), result[i].Within["environment"]);
            Assert.Equal(expected[i].GetProperty("n").GetInt32(), result[i].N);
            Golden.Close(expected[i].D("rho"), result[i].Rho, 1e-10, "Spearman rho");
            Golden.Close(expected[i].D("p"), result[i].PGreater, 1e-6, "Spearman p (greater)");
        }
    }
}
