using System.Text.Json;
using System.Text.Json.Serialization;
using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Comparison;

/// <summary>
/// The JSON form of a group analysis (<c>analyze --json</c>): <c>{"metric", "unit", "by", "runs_without_metric",
/// "groups":[{"key", "label", "n", "median", "median_ci", "mean", "sd", "shapiro"}], "kruskal_wallis":{"h","p","df",
/// "eta2","n"}, "levene", "posthoc":[{"a","b","z","p","p_holm","cliffs_delta","magnitude"}], "anova", "correlation",
/// "notes"}</c>, serialised from <see cref="GroupAnalysisDocument"/>. Numbers are invariant; a value that is not
/// defined (NaN, infinite) is null.
/// </summary>
public static class GroupAnalysisJson
{
    /// <summary>The document, indented by two spaces, with a final newline.</summary>
    public static string Write(GroupAnalysisResult result) =>
        JsonSerializer.Serialize(GroupAnalysisDocument.From(result), AnalysisJsonContext.Default.GroupAnalysisDocument) + "\n";
}

/// <summary>
/// The <c>analyze --json</c> document. <c>kruskal_wallis</c> and <c>levene</c> are null when no test was defined;
/// <c>anova</c> (two <c>--by</c> keys) and <c>correlation</c> (<c>--correlate</c>) are left out when not asked for.
/// </summary>
public sealed record GroupAnalysisDocument(
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("by")] IReadOnlyList<string> By,
    [property: JsonPropertyName("runs_without_metric")] int RunsWithoutMetric,
    [property: JsonPropertyName("groups")] IReadOnlyList<GroupJson> Groups,
    [property: JsonPropertyName("kruskal_wallis")] KruskalWallisJson? KruskalWallis,
    [property: JsonPropertyName("levene")] LeveneJson? Levene,
    [property: JsonPropertyName("posthoc")] IReadOnlyList<PosthocJson> Posthoc,
    [property: JsonPropertyName("anova"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AnovaJson? Anova,
    [property: JsonPropertyName("correlation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CorrelationJson? Correlation,
    [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes)
{
    public static GroupAnalysisDocument From(GroupAnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new GroupAnalysisDocument(
            result.Metric.Name,
            result.Metric.Unit,
            result.By,
            result.RunsWithoutMetric,
            [.. result.Groups.Select(GroupJson.From)],
            result.KruskalWallis is { } kw ? new KruskalWallisJson(kw.H, kw.P, kw.Df, kw.EtaSquared, kw.N) : null,
            result.Levene is { } lev ? new LeveneJson("median", lev.W, lev.P, lev.DfBetween, lev.DfWithin) : null,
            [.. result.Posthoc.Select(PosthocJson.From)],
            AnovaJson.From(result.Anova),
            result.TradeOff is { } tradeOff ? CorrelationJson.From(tradeOff, result.TradeOffScore) : null,
            result.Notes);
    }
}

/// <summary>One group: its <c>--by</c> key values, size, median with its bootstrap CI, mean, SD and Shapiro-Wilk (null below 3 distinct runs).</summary>
public sealed record GroupJson(
    [property: JsonPropertyName("key")] IReadOnlyDictionary<string, string> Key,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("median_ci")] ConfidenceIntervalJson? MedianCi,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("sd")] double StandardDeviation,
    [property: JsonPropertyName("shapiro")] ShapiroJson? Shapiro)
{
    public static GroupJson From(GroupSummary g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new GroupJson(
            g.Key, g.Label, g.N, g.Median, ConfidenceIntervalJson.From(g.MedianCi), g.Mean, g.StandardDeviation,
            g.Shapiro is { } s ? new ShapiroJson(s.W, s.P) : null);
    }
}

/// <summary>A confidence interval: lower and upper bounds and its level (0.95).</summary>
public sealed record ConfidenceIntervalJson(
    [property: JsonPropertyName("lower")] double Lower,
    [property: JsonPropertyName("upper")] double Upper,
    [property: JsonPropertyName("level")] double Level)
{
    public static ConfidenceIntervalJson? From(ConfidenceInterval? ci) => ci is null ? null : new(ci.Lower, ci.Upper, ci.Level);
}

/// <summary>Shapiro-Wilk's W and p of one group.</summary>
public sealed record ShapiroJson(
    [property: JsonPropertyName("w")] double W,
    [property: JsonPropertyName("p")] double P);

/// <summary>Kruskal-Wallis H, p, degrees of freedom, eta^2 and the number of runs tested.</summary>
public sealed record KruskalWallisJson(
    [property: JsonPropertyName("h")] double H,
    [property: JsonPropertyName("p")] double P,
    [property: JsonPropertyName("df")] int Df,
    [property: JsonPropertyName("eta2")] double EtaSquared,
    [property: JsonPropertyName("n")] int N);

/// <summary>Levene's test about the median (Brown-Forsythe): W, p and its two degrees of freedom.</summary>
public sealed record LeveneJson(
    [property: JsonPropertyName("center")] string Center,
    [property: JsonPropertyName("w")] double W,
    [property: JsonPropertyName("p")] double P,
    [property: JsonPropertyName("df1")] int DfBetween,
    [property: JsonPropertyName("df2")] int DfWithin);

/// <summary>One Dunn pair: the two groups' keys, z, p (raw and Holm-adjusted), Cliff's delta and its magnitude label.</summary>
public sealed record PosthocJson(
    [property: JsonPropertyName("a")] IReadOnlyDictionary<string, string> A,
    [property: JsonPropertyName("b")] IReadOnlyDictionary<string, string> B,
    [property: JsonPropertyName("z")] double Z,
    [property: JsonPropertyName("p")] double P,
    [property: JsonPropertyName("p_holm")] double PHolm,
    [property: JsonPropertyName("cliffs_delta")] double CliffsDelta,
    [property: JsonPropertyName("magnitude")] string Magnitude)
{
    public static PosthocJson From(PosthocPair p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PosthocJson(p.A.Key, p.B.Key, p.Z, p.P, p.PHolm, p.CliffsDelta.Delta, p.CliffsDelta.Magnitude.ToString().ToLowerInvariant());
    }
}

/// <summary>The type II two-way ANOVA: its three terms (A, B, A:B) and the residual.</summary>
public sealed record AnovaJson(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("terms")] IReadOnlyList<AnovaTermJson> Terms,
    [property: JsonPropertyName("residual_ss")] double ResidualSumOfSquares,
    [property: JsonPropertyName("residual_df")] int ResidualDf)
{
    public static AnovaJson? From(TwoWayAnovaResult? anova) => anova is null ? null : new(
        "II",
        [.. new[] { anova.A, anova.B, anova.Interaction }.Select(t => new AnovaTermJson(t.Name, t.SumOfSquares, t.Df, t.F, t.P, t.PartialEtaSquared))],
        anova.ResidualSumOfSquares,
        anova.ResidualDf);
}

/// <summary>One ANOVA term: sum of squares, degrees of freedom, F, p and partial eta^2.</summary>
public sealed record AnovaTermJson(
    [property: JsonPropertyName("term")] string Term,
    [property: JsonPropertyName("ss")] double SumOfSquares,
    [property: JsonPropertyName("df")] int Df,
    [property: JsonPropertyName("f")] double F,
    [property: JsonPropertyName("p")] double P,
    [property: JsonPropertyName("partial_eta2")] double PartialEtaSquared);

/// <summary>The trade-off check (<c>--correlate</c>): Spearman, one-sided (greater), against the named score.</summary>
public sealed record CorrelationJson(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("alternative")] string Alternative,
    [property: JsonPropertyName("score")] string? Score,
    [property: JsonPropertyName("results")] IReadOnlyList<CorrelationResultJson> Results)
{
    public static CorrelationJson From(IReadOnlyList<TradeOffCorrelation> results, string? score)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new CorrelationJson("spearman", "greater", score, [.. results.Select(t => new CorrelationResultJson(t.Within, t.N, t.Rho, t.PGreater))]);
    }
}

/// <summary>One subset's correlation (<c>--within</c> key and value; empty when over all runs): n, rho and one-sided p.</summary>
public sealed record CorrelationResultJson(
    [property: JsonPropertyName("within")] IReadOnlyDictionary<string, string> Within,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("rho")] double Rho,
    [property: JsonPropertyName("p")] double P);
