using System.Globalization;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

public sealed class AnalyzeCommandTests
{
    private const string Header = "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score";

    private static JsonElement GoldenSeaa()
    {
        // Oracle: tests/TrainWatt.Analysis.Tests/Golden/seaa2023.json, written by generate_golden.py (scipy 1.10.1).
        string path = Path.Combine(SharedData.RepositoryRoot, "tests", "TrainWatt.Analysis.Tests", "Golden", "seaa2023.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static void Close(double expected, double actual, double rel, string what) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void Seaa_cloud_json_reports_kruskal_wallis_and_dunn_holm_equal_to_scipy()
    {
        string seaa = SharedData.RequireSeaa2023();
        var (code, stdout, stderr) = CliHarness.Run("analyze", "--seaa2023", seaa, "--filter", "environment=Cloud", "--by", "architecture", "--metric", "energy-per-sample", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var golden = GoldenSeaa().GetProperty("cloud");
        Close(golden.GetProperty("kruskal_wallis").GetProperty("h").GetDouble(), root.GetProperty("kruskal_wallis").GetProperty("h").GetDouble(), 1e-6, "H");
        Close(golden.GetProperty("kruskal_wallis").GetProperty("p").GetDouble(), root.GetProperty("kruskal_wallis").GetProperty("p").GetDouble(), 1e-6, "p");
        Assert.Equal(5, root.GetProperty("groups").GetArrayLength());
        Assert.Equal(30, root.GetProperty("groups")[0].GetProperty("n").GetInt32());
        var pairs = root.GetProperty("posthoc").EnumerateArray().ToArray();
        var expected = golden.GetProperty("posthoc").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, pairs.Length);
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(expected[i].GetProperty("a").GetString(), pairs[i].GetProperty("a").GetProperty("architecture").GetString());
            Close(expected[i].GetProperty("p_holm").GetDouble(), pairs[i].GetProperty("p_holm").GetDouble(), 1e-6, "p_holm");
            Assert.Equal(expected[i].GetProperty("cliffs_delta").GetDouble(), pairs[i].GetProperty("cliffs_delta").GetDouble(), 12);
        }
    }

    [Fact]
    public void Synthetic_runs_give_hand_derived_medians_and_h_in_invariant_text_under_a_german_culture()
    {
        // Hand derivation: a = {1,2,3} J/image, b = {4,5,6} -> medians 2 and 5, H = 3.857142857 (see GroupAnalysisTests).
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("runs.csv"),
        [
            Header,
            "Cloud,a,0,1,G,1,1000000,0.9", "Cloud,a,1,1,G,2,1000000,0.9", "Cloud,a,2,1,G,3,1000000,0.9",
            "Cloud,b,0,1,G,4,1000000,0.8", "Cloud,b,1,1,G,5,1000000,0.8", "Cloud,b,2,1,G,6,1000000,0.8",
        ]);
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var (code, stdout, stderr) = CliHarness.Run("analyze", "--seaa2023", dir.Path, "--by", "architecture", "--metric", "energy-per-sample");
            Assert.True(code == 0, stderr);
            Assert.Contains("H = 3.85714", stdout, StringComparison.Ordinal);
            Assert.Contains("eta2 = 0.7143", stdout, StringComparison.Ordinal);
            Assert.Matches(@"a\s+3\s+2\s", stdout);

            var (jsonCode, json, _) = CliHarness.Run("analyze", "--seaa2023", dir.Path, "--by", "architecture", "--metric", "f1", "--json");
            Assert.Equal(0, jsonCode);
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(0.9, doc.RootElement.GetProperty("groups")[0].GetProperty("median").GetDouble());
            Assert.Equal("1", doc.RootElement.GetProperty("unit").GetString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Bad_inputs_give_one_clear_message_and_a_non_zero_exit()
    {
        using var dir = new TempDirectory();
        var (missing, _, missingErr) = CliHarness.Run("analyze", "--seaa2023", dir.Path, "--by", "architecture");
        Assert.Equal(65, missing);
        Assert.Contains("runs.csv does not exist", missingErr, StringComparison.Ordinal);

        File.WriteAllLines(dir.File("runs.csv"), [Header, "Cloud,a,0,1,G,1,1000000,0.9", "Cloud,a,1,1,G,abc,1000000,0.9"]);
        var (bad, _, badErr) = CliHarness.Run("analyze", "--seaa2023", dir.Path, "--by", "architecture");
        Assert.Equal(65, bad);
        Assert.Contains("runs.csv:3: column \"energy (MJ)\" holds \"abc\"", badErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", badErr, StringComparison.Ordinal);

        File.WriteAllLines(dir.File("runs.csv"), [Header, "Cloud,a,0,1,G,1,1000000,0.9", "Cloud,b,1,1,G,2,1000000,0.9"]);
        var (filter, _, filterErr) = CliHarness.Run("analyze", "--seaa2023", dir.Path, "--by", "architecture", "--filter", "environment=Moon");
        Assert.Equal(64, filter);
        Assert.Contains("environment: Cloud", filterErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_on_seaa_picks_mobilenet_on_the_rtx_3070_with_the_golden_saving()
    {
        string seaa = SharedData.RequireSeaa2023();
        var (code, stdout, stderr) = CliHarness.Run("recommend", "--seaa2023", seaa, "--metric", "f1", "--max-loss", "0.02", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var chosen = doc.RootElement.GetProperty("chosen").GetProperty("key");
        Assert.Equal("mobilenet_v2", chosen.GetProperty("architecture").GetString());
        Assert.Equal("Local ML Engineer/Gamer", chosen.GetProperty("environment").GetString());
        var saving = doc.RootElement.GetProperty("savings").EnumerateArray()
            .Single(s => s.GetProperty("against_label").GetString() == "vgg16 / Local ML Engineer/Gamer");
        Close(GoldenSeaa().GetProperty("recommend").GetProperty("saving_vs_vgg16_local").GetDouble(), saving.GetProperty("saving").GetDouble(), 1e-12, "saving");
    }
}
