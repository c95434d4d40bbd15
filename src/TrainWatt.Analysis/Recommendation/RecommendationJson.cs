using System.Text.Json;
using System.Text.Json.Serialization;
using TrainWatt.Analysis.Comparison;

namespace TrainWatt.Analysis.Recommendation;

/// <summary>
/// JSON form of a recommendation (<c>recommend --json</c>): chosen, most_accurate, score_loss, points (with pareto
/// flags), savings, serialised from <see cref="RecommendationDocument"/>. Numbers are invariant; a value that is not
/// defined (NaN, infinite) is null.
/// </summary>
public static class RecommendationJson
{
    /// <summary>The document, indented by two spaces, with a final newline.</summary>
    public static string Write(RecommendationResult r) =>
        JsonSerializer.Serialize(RecommendationDocument.From(r), AnalysisJsonContext.Default.RecommendationDocument) + "\n";
}

/// <summary>The <c>recommend --json</c> document; <c>max_loss</c> is absolute, in score units.</summary>
public sealed record RecommendationDocument(
    [property: JsonPropertyName("cost_metric")] string CostMetric,
    [property: JsonPropertyName("cost_unit")] string CostUnit,
    [property: JsonPropertyName("score_metric")] string ScoreMetric,
    [property: JsonPropertyName("max_loss")] double MaxLoss,
    [property: JsonPropertyName("max_loss_kind")] string MaxLossKind,
    [property: JsonPropertyName("chosen")] ConfigurationPointJson Chosen,
    [property: JsonPropertyName("most_accurate")] ConfigurationPointJson MostAccurate,
    [property: JsonPropertyName("score_loss")] double ScoreLoss,
    [property: JsonPropertyName("score_loss_relative")] double ScoreLossRelative,
    [property: JsonPropertyName("points")] IReadOnlyList<ConfigurationPointJson> Points,
    [property: JsonPropertyName("savings")] IReadOnlyList<SavingJson> Savings,
    [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes)
{
    public static RecommendationDocument From(RecommendationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new RecommendationDocument(
            r.Cost.Name,
            r.Cost.Unit,
            r.Score.Name,
            r.MaxLoss,
            "absolute",
            ConfigurationPointJson.From(r.Chosen),
            ConfigurationPointJson.From(r.MostAccurate),
            r.ScoreLoss,
            r.ScoreLoss / r.MostAccurate.Score,
            [.. r.Points.Select(ConfigurationPointJson.From)],
            [.. r.Savings.Select(SavingJson.From)],
            r.Notes);
    }
}

/// <summary>One configuration: its key, whether it is predicted, its run count, median cost and score with their CIs, and whether it is on the Pareto front.</summary>
public sealed record ConfigurationPointJson(
    [property: JsonPropertyName("key")] IReadOnlyDictionary<string, string> Key,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("predicted")] bool Predicted,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("cost_ci")] ConfidenceIntervalJson? CostCi,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("score_ci")] ConfidenceIntervalJson? ScoreCi,
    [property: JsonPropertyName("pareto")] bool Pareto)
{
    public static ConfigurationPointJson From(ConfigurationPoint p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ConfigurationPointJson(
            p.Key, p.Label, p.Predicted, p.N, p.Cost, ConfidenceIntervalJson.From(p.CostCi), p.Score, ConfidenceIntervalJson.From(p.ScoreCi), p.OnParetoFront);
    }
}

/// <summary>The saving of the chosen configuration against another, its CI (null unless both bounds are known) and the score difference.</summary>
public sealed record SavingJson(
    [property: JsonPropertyName("against")] IReadOnlyDictionary<string, string> Against,
    [property: JsonPropertyName("against_label")] string AgainstLabel,
    [property: JsonPropertyName("against_predicted")] bool AgainstPredicted,
    [property: JsonPropertyName("saving")] double Saving,
    [property: JsonPropertyName("saving_ci")] SavingIntervalJson? SavingCi,
    [property: JsonPropertyName("score_difference")] double ScoreDifference)
{
    public static SavingJson From(Saving s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new SavingJson(
            s.Against.Key, s.Against.Label, s.Against.Predicted, s.Fraction,
            s.Lower is { } lo && s.Upper is { } hi ? new SavingIntervalJson(lo, hi) : null,
            s.ScoreDifference);
    }
}

/// <summary>The bootstrap CI of a saving.</summary>
public sealed record SavingIntervalJson(
    [property: JsonPropertyName("lower")] double Lower,
    [property: JsonPropertyName("upper")] double Upper);
