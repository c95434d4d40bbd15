using System.Globalization;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Analysis.Statistics;
using TrainWatt.Core.Units;
using TrainWatt.Testing;

namespace TrainWatt.Analysis.Tests.Comparison;

/// <summary>
/// The documents of <c>analyze --json</c> (<see cref="GroupAnalysisJson"/>) and <c>recommend --json</c>
/// (<see cref="RecommendationJson"/>), byte for byte (golden files under Comparison/Golden, captured from the hand-written
/// Utf8JsonWriter code before the typed records replaced it). Analyses run on small hand-made runs, and results built
/// in memory cover what the analyses rarely give: NaN and infinities (written as null), p-values such as 1e-10 and
/// 5e-324, -0, empty lists, a missing CI, and keys that JSON must escape. Written under de-DE to prove the numbers stay
/// invariant.
/// </summary>
public sealed class AnalysisJsonGoldenTests
{
    private static Observation Run(string arch, string env, double joules, long samples, double f1) =>
        new($"{arch}-{env}-{joules}", new Dictionary<string, string> { ["architecture"] = arch, ["environment"] = env },
            Energy.FromJoules(joules), TimeSpan.FromSeconds(joules / 100), samples, new Dictionary<string, double> { ["f1"] = f1 });

    /// <summary>Three architectures on two environments (one cell empty), a single-run group and a run without samples.</summary>
    private static Observation[] Runs() =>
    [
        Run("vgg16", "Cloud", 1000, 100, 0.91), Run("vgg16", "Cloud", 1210, 100, 0.93), Run("vgg16", "Cloud", 1105, 100, 0.92),
        Run("vgg16", "Gerät <ü> & \"q\"", 900, 100, 0.90), Run("vgg16", "Gerät <ü> & \"q\"", 950, 100, 0.935), Run("vgg16", "Gerät <ü> & \"q\"", 1010, 100, 0.925),
        Run("mobilenet", "Cloud", 200, 100, 0.90), Run("mobilenet", "Cloud", 230, 100, 0.89), Run("mobilenet", "Cloud", 260, 100, 0.905), Run("mobilenet", "Cloud", 215, 100, 0.9),
        Run("mobilenet", "Gerät <ü> & \"q\"", 190, 100, 0.88), Run("mobilenet", "Gerät <ü> & \"q\"", 205, 100, 0.895), Run("mobilenet", "Gerät <ü> & \"q\"", 199, 100, 0.87),
        Run("resnet50", "Cloud", 600, 100, 0.915), Run("resnet50", "Cloud", 640, 100, 0.92), Run("resnet50", "Cloud", 590, 100, 0.91),
        Run("lonely", "Cloud", 700, 100, 0.5),
        new Observation("no-samples", new Dictionary<string, string> { ["architecture"] = "vgg16", ["environment"] = "Cloud" }, Energy.FromJoules(5), null, null, new Dictionary<string, double>()),
    ];

    /// <summary>Three groups of 30 runs apart from each other: p-values far below 1e-10.</summary>
    private static Observation[] SeparatedRuns() =>
    [
        .. Enumerable.Range(0, 30).Select(i => Run("a", "x", 100 + i, 100, 0.9)),
        .. Enumerable.Range(0, 30).Select(i => Run("b", "x", 1000 + (3 * i), 100, 0.91)),
        .. Enumerable.Range(0, 30).Select(i => Run("c", "x", 10_000 + (7 * i), 100, 0.92)),
    ];

    private static ConfidenceInterval Ci(double lower, double upper) => new((lower + upper) / 2, lower, upper, 0.95);

    private static GroupSummary Group(string label, int n, double median, ConfidenceInterval? ci, ShapiroWilkResult? shapiro) =>
        new(new Dictionary<string, string> { ["k"] = label }, label, n, median, ci, median, n > 1 ? 0.1 : 0, shapiro, []);

    /// <summary>A result no analysis gives: every number that is awkward in JSON, and a trade-off over no key.</summary>
    private static GroupAnalysisResult Awkward()
    {
        var a = Group("a\u0001\t/\\", 3, double.NaN, Ci(double.NegativeInfinity, double.PositiveInfinity), new ShapiroWilkResult(double.NaN, 1e-10));
        var b = Group("b", 2, -0.0, new ConfidenceInterval(1, 0.1 + 0.2, 1.7976931348623157E+308, double.NaN), null);
        var c = Group("😀", 1, 5e-324, null, new ShapiroWilkResult(0.999999999999, 1));
        var zero = new AnovaTerm("a:b", 0, 0, double.NaN, double.NaN, double.PositiveInfinity);
        return new GroupAnalysisResult(
            new Metric("f1", MetricKind.Score, "1"),
            ["k"],
            [a, b, c],
            new KruskalWallisResult(1e300, 1e-10, 2, double.NaN, int.MaxValue),
            new LeveneResult(double.PositiveInfinity, double.NaN, 0, -1),
            [new PosthocPair(a, b, -1e-7, 1e-10, 3e-10, new CliffsDeltaResult(-1, CliffMagnitude.Large)), new PosthocPair(b, c, double.NaN, double.NaN, double.NaN, new CliffsDeltaResult(double.NaN, CliffMagnitude.Negligible))],
            new TwoWayAnovaResult(new AnovaTerm("k", 123456789.123, 2, 1e21, 1e-10, 0.5), new AnovaTerm("<j>", 1e-5, 1, 12.5, 0.0001, 1e-7), zero, double.NaN, 0),
            0,
            ["note with \"quotes\" & <html>", "ümlaut", ""])
        {
            TradeOff = [new TradeOffCorrelation(new Dictionary<string, string>(), 3, double.NaN, double.PositiveInfinity), new TradeOffCorrelation(new Dictionary<string, string> { ["env"] = "é", ["x"] = "" }, 12, -1, 1e-10)],
            TradeOffScore = "f1",
        };
    }

    /// <summary>The emptiest result: no group, no test, no note, a trade-off with no result and no score name.</summary>
    private static GroupAnalysisResult Empty() =>
        new(Metric.Duration, [], [], null, null, [], null, 7, []) { TradeOff = [], TradeOffScore = null };

    private static ConfigurationPoint Point(string label, bool predicted, int n, double cost, ConfidenceInterval? costCi, double score, ConfidenceInterval? scoreCi, bool front) =>
        new(new Dictionary<string, string> { ["architecture"] = label, ["environment"] = "<é>" }, label, predicted, n, cost, costCi, score, scoreCi, [], front);

    /// <summary>A recommendation no recommender gives: a most accurate score of 0 (relative loss not finite), NaN, a half CI.</summary>
    private static RecommendationResult AwkwardRecommendation()
    {
        var best = Point("best", false, 3, double.NaN, Ci(double.NaN, 1e-10), 0, null, true);
        var chosen = Point("chosen \"x\"", true, 0, 5e-324, null, -0.25, Ci(-1, double.PositiveInfinity), false);
        return new RecommendationResult(
            Metric.Energy,
            new Metric("f1 \u00fc", MetricKind.Score, "1"),
            double.PositiveInfinity,
            best,
            chosen,
            [best, chosen],
            [new Saving(best, double.NaN, 0.1, null, double.NegativeInfinity), new Saving(chosen, 1e-10, -0.0, 1e21, 0.30000000000000004), new Saving(best, 0.5, null, 0.6, 0)],
            []);
    }

    private static RecommendationResult EmptyRecommendation()
    {
        var only = Point("only", false, 1, 2, null, 0.9, null, true);
        return new RecommendationResult(Metric.EnergyPerSample, Metric.Parse("f1"), 0, only, only, [only], [], ["one note"]);
    }

    private static readonly Observation[] RecommendRuns =
    [
        Run("A", "x", 900, 1000, 0.95), Run("A", "x", 1000, 1000, 0.95), Run("A", "x", 1100, 1000, 0.95),
        Run("B", "x", 1900, 1000, 0.99), Run("B", "x", 2000, 1000, 0.99), Run("B", "x", 2100, 1000, 0.99),
        Run("C", "x", 2900, 1000, 0.97), Run("C", "x", 3000, 1000, 0.97), Run("C", "x", 3100, 1000, 0.97),
        Run("D", "x", 400, 1000, 0.90), Run("D", "x", 500, 1000, 0.90), Run("D", "x", 600, 1000, 0.90),
        Run("E", "x", 450, 1000, 0.96),
    ];

    internal static string Document(string name) => name switch
    {
        "analyze-one-key.json" => GroupAnalysisJson.Write(GroupAnalysis.Run(Runs(), ["architecture"], Metric.EnergyPerSample)),
        "analyze-two-keys.json" => GroupAnalysisJson.Write(GroupAnalysis.Run(Runs(), ["architecture", "environment"], Metric.Parse("f1"))),
        "analyze-trade-off.json" => GroupAnalysisJson.Write(GroupAnalysis.Run(Runs(), ["environment"], Metric.EnergyPerSample) with
        {
            TradeOff = TradeOff.Spearman(Runs(), Metric.EnergyPerSample, Metric.Parse("f1"), "environment"),
            TradeOffScore = "f1",
        }),
        "analyze-separated.json" => GroupAnalysisJson.Write(GroupAnalysis.Run(SeparatedRuns(), ["architecture"], Metric.Energy)),
        "analyze-equal.json" => GroupAnalysisJson.Write(GroupAnalysis.Run([Run("a", "x", 1, 1, 0.5), Run("a", "x", 2, 2, 0.5), Run("b", "x", 3, 3, 0.5), Run("b", "x", 4, 4, 0.5)], ["architecture"], Metric.EnergyPerSample)),
        "analyze-awkward.json" => GroupAnalysisJson.Write(Awkward()),
        "analyze-empty.json" => GroupAnalysisJson.Write(Empty()),
        "recommend-measured.json" => RecommendationJson.Write(Recommender.Recommend(RecommendRuns, ["architecture"], Metric.Parse("f1"), 0.05)),
        "recommend-predicted.json" => RecommendationJson.Write(Recommender.Recommend(
            RecommendRuns, ["architecture", "environment"], Metric.Parse("f1"), 0.02, Metric.Energy,
            [new PredictedPoint(new Dictionary<string, string> { ["architecture"] = "P", ["environment"] = "x" }, 250, 0.985)])),
        "recommend-awkward.json" => RecommendationJson.Write(AwkwardRecommendation()),
        "recommend-empty.json" => RecommendationJson.Write(EmptyRecommendation()),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static TheoryData<string> Names() =>
    [
        "analyze-one-key.json", "analyze-two-keys.json", "analyze-trade-off.json", "analyze-separated.json", "analyze-equal.json",
        "analyze-awkward.json", "analyze-empty.json",
        "recommend-measured.json", "recommend-predicted.json", "recommend-awkward.json", "recommend-empty.json",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Json_Is_Byte_For_Byte_The_Golden_Document(string name)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            GoldenFile.Verify(Document(name), name);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Json_Is_The_Same_Under_The_Invariant_Culture(string name)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            Assert.Equal(File.ReadAllText(Path.Combine(GoldenFile.Directory(), name)), Document(name));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
