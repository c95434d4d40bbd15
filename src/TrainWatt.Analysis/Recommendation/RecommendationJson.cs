using System.Text;
using System.Text.Json;
using TrainWatt.Analysis.Comparison;

namespace TrainWatt.Analysis.Recommendation;

/// <summary>JSON form of a recommendation: chosen, most_accurate, score_loss, points (with pareto flags), savings.</summary>
public static class RecommendationJson
{
    public static string Write(RecommendationResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("cost_metric", r.Cost.Name);
            w.WriteString("cost_unit", r.Cost.Unit);
            w.WriteString("score_metric", r.Score.Name);
            GroupAnalysisJson.Number(w, "max_loss", r.MaxLoss);
            w.WriteString("max_loss_kind", "absolute");
            Point(w, "chosen", r.Chosen);
            Point(w, "most_accurate", r.MostAccurate);
            GroupAnalysisJson.Number(w, "score_loss", r.ScoreLoss);
            GroupAnalysisJson.Number(w, "score_loss_relative", r.ScoreLoss / r.MostAccurate.Score);
            w.WriteStartArray("points");
            foreach (var p in r.Points)
            {
                WritePoint(w, p);
            }

            w.WriteEndArray();
            w.WriteStartArray("savings");
            foreach (var s in r.Savings)
            {
                w.WriteStartObject();
                WriteKeyObject(w, "against", s.Against);
                w.WriteString("against_label", s.Against.Label);
                w.WriteBoolean("against_predicted", s.Against.Predicted);
                GroupAnalysisJson.Number(w, "saving", s.Fraction);
                if (s.Lower is { } lo && s.Upper is { } hi)
                {
                    w.WriteStartObject("saving_ci");
                    GroupAnalysisJson.Number(w, "lower", lo);
                    GroupAnalysisJson.Number(w, "upper", hi);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("saving_ci");
                }

                GroupAnalysisJson.Number(w, "score_difference", s.ScoreDifference);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (string n in r.Notes)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Point(Utf8JsonWriter w, string name, ConfigurationPoint p)
    {
        w.WritePropertyName(name);
        WritePoint(w, p);
    }

    private static void WritePoint(Utf8JsonWriter w, ConfigurationPoint p)
    {
        w.WriteStartObject();
        WriteKeyObject(w, "key", p);
        w.WriteString("label", p.Label);
        w.WriteBoolean("predicted", p.Predicted);
        w.WriteNumber("n", p.N);
        GroupAnalysisJson.Number(w, "cost", p.Cost);
        GroupAnalysisJson.WriteCi(w, "cost_ci", p.CostCi);
        GroupAnalysisJson.Number(w, "score", p.Score);
        GroupAnalysisJson.WriteCi(w, "score_ci", p.ScoreCi);
        w.WriteBoolean("pareto", p.OnParetoFront);
        w.WriteEndObject();
    }

    private static void WriteKeyObject(Utf8JsonWriter w, string name, ConfigurationPoint p)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in p.Key)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
    }
}
