using System.Text.RegularExpressions;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Core.Units;
using TrainWatt.Testing;

namespace TrainWatt.Reporting.Tests;

/// <summary>The decision first: its sentence and caveats, the pairs that matter, the CSV of all pairs, the heat map keys.</summary>
public sealed class ComparisonReportTests
{
    private static Observation Run(string id, IReadOnlyDictionary<string, string> keys, double joules, double f1)
        => new(id, keys, Energy.FromJoules(joules), TimeSpan.FromSeconds(10), 1000, new Dictionary<string, double> { ["f1"] = f1 });

    [Fact]
    public void Two_runs_a_side_whose_saving_interval_spans_zero_say_there_are_not_enough_repetitions()
    {
        // big: 100 and 300 J (median 200), f1 0.95; small: 150 and 230 J (median 190), f1 0.94: saving 1 - 190/200 = 5.0 %.
        // With two runs a side the bootstrap ratio of medians ranges from 150/300 to 230/100: its interval spans no saving.
        Observation[] runs =
        [
            Run("b1", new Dictionary<string, string> { ["model"] = "big" }, 100, 0.95),
            Run("b2", new Dictionary<string, string> { ["model"] = "big" }, 300, 0.95),
            Run("s1", new Dictionary<string, string> { ["model"] = "small" }, 150, 0.94),
            Run("s2", new Dictionary<string, string> { ["model"] = "small" }, 230, 0.94),
        ];
        var rec = Recommender.Recommend(runs, ["model"], Metric.Parse("f1"), 0.02, Metric.Energy);
        var d = ComparisonReport.Decide(rec, ["model"]);
        Assert.StartsWith("Use small: it uses 5.0 % less energy than the most accurate configuration, big (95 % CI ", d.Sentence, StringComparison.Ordinal);
        Assert.Contains("for 0.0100 less f1 (0.9400 against 0.9500; allowed loss 0.02)", d.Sentence, StringComparison.Ordinal);
        Assert.Contains(d.Caveats, c => c.StartsWith("Not enough repetitions to decide against big: the 95 % interval of the saving", StringComparison.Ordinal));
        Assert.Contains(d.Caveats, c => c.StartsWith("Fewer than 3 runs: big (n=2), small (n=2)", StringComparison.Ordinal));
    }

    [Fact]
    public void Seaa_decision_names_mobilenet_v2_and_its_saving_on_the_same_gpu()
    {
        var runs = Seaa2023Runs.Load(SharedData.RequireSeaa2023());
        var rec = Recommender.Recommend(runs, ["architecture", "environment"], Metric.Parse("f1"), 0.02);
        var d = ComparisonReport.Decide(rec, ["architecture", "environment"]);

        // docs/analysis.md (golden seaa2023.json): 81.66 % less energy per seen image than VGG16 on the same GPU; the most
        // accurate configuration is VGG16 on the RTX 3090 (Cloud).
        Assert.StartsWith("Use mobilenet_v2 / Local ML Engineer/Gamer: it uses ", d.Sentence, StringComparison.Ordinal);
        Assert.Contains("than the most accurate configuration, vgg16 / Cloud (95 % CI ", d.Sentence, StringComparison.Ordinal);
        Assert.StartsWith("Against the most accurate architecture on the same environment Local ML Engineer/Gamer, vgg16 / Local ML Engineer/Gamer: 81.7 % less energy-per-sample (95 % CI ", d.SameSetting, StringComparison.Ordinal);
        Assert.DoesNotContain(d.Caveats, c => c.StartsWith("Not enough repetitions", StringComparison.Ordinal));
    }

    [Fact]
    public void Seaa_report_leads_with_the_decision_and_keeps_the_pairs_with_the_recommendation_with_all_pairs_as_csv()
    {
        string seaa = SharedData.RequireSeaa2023();
        var runs = Seaa2023Runs.Load(seaa);
        using var dir = new TempDirectory();
        var report = RunReports.Seaa2023(runs, seaa, Metric.Parse("f1"), 0.02, null);
        string html = File.ReadAllText(report.Write(dir.Path));

        var headings = Regex.Matches(html, "<h2>([^<]+)</h2>").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
        Assert.Equal(["Decision", "Energy vs accuracy", "Saving against each configuration", "Energy per architecture × environment", "Energy per image per configuration", "Comparison"], headings[..6]);

        // 12 groups: 66 pairs in the CSV (header + 66 lines); the page's pair table holds the 11 with the recommendation.
        string[] csv = File.ReadAllLines(dir.File(ComparisonReport.PairwiseFile));
        Assert.Equal(67, csv.Length);
        Assert.Equal("a,b,z,p,p_holm,cliffs_delta,magnitude,significant_holm_0.05", csv[0]);
        Assert.Contains("<a href=\"pairwise.csv\">pairwise.csv</a>", html, StringComparison.Ordinal);
        string pairTable = html[html.LastIndexOf("<table><tr><th class=\"l\">A</th>", StringComparison.Ordinal)..];
        pairTable = pairTable[..(pairTable.IndexOf("</table>", StringComparison.Ordinal) + 8)];
        Assert.Equal(11, Regex.Matches(pairTable, "<tr><td").Count);
        Assert.Equal(11, Regex.Matches(pairTable, "mobilenet_v2 / Local ML Engineer/Gamer").Count);
        Assert.True(File.Exists(dir.File("heat-map.png")));
    }

    [Fact]
    public void Heat_map_takes_a_model_like_key_as_rows_and_an_environment_like_key_as_columns()
    {
        static Observation R(string model, string gpu, string rep) => Run(model + gpu + rep,
            new Dictionary<string, string> { ["experiment"] = "e", ["config"] = $"{model}-{gpu}", ["rep"] = rep, ["gpu"] = gpu, ["model"] = model, ["batch"] = "32" }, 100, 0.9);
        Observation[] runs = [R("a", "x", "1"), R("b", "y", "1"), R("a", "y", "2")];
        Assert.Equal(("model", "gpu"), ComparisonReport.HeatMapKeys(runs, out _));

        // One varied key only (batch is constant, experiment/config/rep are bookkeeping): no heat map, and why.
        Observation[] one = [R("a", "x", "1"), R("b", "x", "1")];
        Assert.Null(ComparisonReport.HeatMapKeys(one, out string? why));
        Assert.Equal("the runs vary one setting only (model); the box plots compare its values", why);
    }

    [Fact]
    public void Without_a_recommendation_the_table_keeps_the_significant_pairs_only()
    {
        // Three groups of 8: a (100, 102, ...) and b (101, 103, ...) interleaved, c (500, ...) above both. Mean ranks 8, 9
        // and 20.5; Dunn's SE = sqrt(24 x 25 / 12 x (1/8 + 1/8)) = 3.54: a-b z = 0.28 (not significant), a-c 3.5 and b-c 3.2.
        var runs = new List<Observation>();
        foreach (var (g, baseJ) in new[] { ("a", 100.0), ("b", 101.0), ("c", 500.0) })
        {
            for (int i = 0; i < 8; i++)
            {
                runs.Add(Run($"{g}{i}", new Dictionary<string, string> { ["g"] = g }, baseJ + (2 * i), 0.9));
            }
        }

        var analysis = GroupAnalysis.Run(runs, ["g"], Metric.Energy);
        var pairs = ComparisonReport.PairsThatMatter(analysis, null);
        Assert.Equal(3, analysis.Posthoc.Count);
        Assert.All(pairs, p => Assert.True(p.PHolm < 0.05));
        Assert.Equal(["a-c", "b-c"], pairs.Select(p => $"{p.A.Label}-{p.B.Label}").Order(StringComparer.Ordinal));
    }
}
