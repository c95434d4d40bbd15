using System.Text;
using System.Text.Json;
using TrainWatt.Analysis.Statistics;

namespace TrainWatt.Analysis.Comparison;

/// <summary>
/// The JSON form of a group analysis: <c>{"metric", "unit", "by", "groups":[{"key", "n", "median", "median_ci",
/// ...}], "kruskal_wallis":{"h","p","df","eta2"}, "levene", "posthoc":[{"a","b","z","p","p_holm","cliffs_delta",
/// "magnitude"}], "anova", "notes"}</c>. Numbers are invariant; a value that is not defined is null.
/// </summary>
public static class GroupAnalysisJson
{
    public static string Write(GroupAnalysisResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("metric", result.Metric.Name);
            w.WriteString("unit", result.Metric.Unit);
            w.WriteStartArray("by");
            foreach (string k in result.By)
            {
                w.WriteStringValue(k);
            }

            w.WriteEndArray();
            w.WriteNumber("runs_without_metric", result.RunsWithoutMetric);
            w.WriteStartArray("groups");
            foreach (var g in result.Groups)
            {
                w.WriteStartObject();
                WriteKey(w, "key", g);
                w.WriteString("label", g.Label);
                w.WriteNumber("n", g.N);
                Number(w, "median", g.Median);
                WriteCi(w, "median_ci", g.MedianCi);
                Number(w, "mean", g.Mean);
                Number(w, "sd", g.StandardDeviation);
                if (g.Shapiro is { } s)
                {
                    w.WriteStartObject("shapiro");
                    Number(w, "w", s.W);
                    Number(w, "p", s.P);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("shapiro");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.KruskalWallis is { } kw)
            {
                w.WriteStartObject("kruskal_wallis");
                Number(w, "h", kw.H);
                Number(w, "p", kw.P);
                w.WriteNumber("df", kw.Df);
                Number(w, "eta2", kw.EtaSquared);
                w.WriteNumber("n", kw.N);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("kruskal_wallis");
            }

            if (result.Levene is { } lev)
            {
                w.WriteStartObject("levene");
                w.WriteString("center", "median");
                Number(w, "w", lev.W);
                Number(w, "p", lev.P);
                w.WriteNumber("df1", lev.DfBetween);
                w.WriteNumber("df2", lev.DfWithin);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("levene");
            }

            w.WriteStartArray("posthoc");
            foreach (var p in result.Posthoc)
            {
                w.WriteStartObject();
                WriteKey(w, "a", p.A);
                WriteKey(w, "b", p.B);
                Number(w, "z", p.Z);
                Number(w, "p", p.P);
                Number(w, "p_holm", p.PHolm);
                Number(w, "cliffs_delta", p.CliffsDelta.Delta);
                w.WriteString("magnitude", p.CliffsDelta.Magnitude.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.Anova is { } anova)
            {
                w.WriteStartObject("anova");
                w.WriteString("type", "II");
                w.WriteStartArray("terms");
                foreach (var t in new[] { anova.A, anova.B, anova.Interaction })
                {
                    w.WriteStartObject();
                    w.WriteString("term", t.Name);
                    Number(w, "ss", t.SumOfSquares);
                    w.WriteNumber("df", t.Df);
                    Number(w, "f", t.F);
                    Number(w, "p", t.P);
                    Number(w, "partial_eta2", t.PartialEtaSquared);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                Number(w, "residual_ss", anova.ResidualSumOfSquares);
                w.WriteNumber("residual_df", anova.ResidualDf);
                w.WriteEndObject();
            }

            if (result.TradeOff is { } tradeOff)
            {
                w.WriteStartObject("correlation");
                w.WriteString("method", "spearman");
                w.WriteString("alternative", "greater");
                w.WriteString("score", result.TradeOffScore);
                w.WriteStartArray("results");
                foreach (var t in tradeOff)
                {
                    w.WriteStartObject();
                    w.WriteStartObject("within");
                    foreach (var (k, v) in t.Within)
                    {
                        w.WriteString(k, v);
                    }

                    w.WriteEndObject();
                    w.WriteNumber("n", t.N);
                    Number(w, "rho", t.Rho);
                    Number(w, "p", t.PGreater);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteStartArray("notes");
            foreach (string note in result.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    internal static void WriteKey(Utf8JsonWriter w, string name, GroupSummary g)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in g.Key)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
    }

    internal static void WriteCi(Utf8JsonWriter w, string name, ConfidenceInterval? ci)
    {
        if (ci is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        Number(w, "lower", ci.Lower);
        Number(w, "upper", ci.Upper);
        Number(w, "level", ci.Level);
        w.WriteEndObject();
    }

    internal static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
