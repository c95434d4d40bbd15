using ScottPlot;
using SkiaSharp;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Core.Units;
using TrainWatt.Testing;

namespace TrainWatt.Reporting.Tests;

/// <summary>
/// The Pareto plot: its caption describes the lines it draws (pattern and colour read back from the plot's own
/// plottables), every point has a label, and no label overlaps another label, a marker or the plot's edge.
/// </summary>
public sealed class ParetoPlotTests
{
    /// <summary>Three runs of each of four configurations; energy per sample = energy / 1000 samples.</summary>
    private static IReadOnlyList<Observation> FourConfigurations()
    {
        (string Model, double Joules, double F1)[] configs = [("large", 900, 0.98), ("medium", 500, 0.97), ("small", 300, 0.90), ("tiny", 310, 0.85)];
        return configs.SelectMany(c => Enumerable.Range(0, 3).Select(i => new Observation(
            $"{c.Model}-{i}",
            new Dictionary<string, string> { ["model"] = c.Model },
            Energy.FromJoules(c.Joules + (10 * i)),
            TimeSpan.FromSeconds(60),
            1000,
            new Dictionary<string, double> { ["f1"] = c.F1 + (0.001 * i) }))).ToArray();
    }

    /// <summary>The words a caption uses for a line pattern.</summary>
    private static string PatternWord(LinePattern pattern)
        => pattern.Equals(LinePattern.Solid) ? "solid" : pattern.Equals(LinePattern.Dashed) ? "dashed" : pattern.Equals(LinePattern.Dotted) ? "dotted" : "patterned";

    private static string ColourWord(Color color)
        => (color.R, color.G, color.B) == (Colors.Gray.R, Colors.Gray.G, Colors.Gray.B) ? "grey"
            : (color.R, color.G, color.B) == (Colors.Red.R, Colors.Red.G, Colors.Red.B) ? "red" : "other";

    [Fact]
    public void Caption_names_each_drawn_line_by_the_pattern_and_colour_it_is_drawn_with()
    {
        var rec = Recommender.Recommend(FourConfigurations(), ["model"], Metric.Parse("f1"), 0.02, Metric.EnergyPerSample);
        var pareto = ComparisonPlots.Pareto(rec, "t");
        string caption = pareto.Figure.Caption;

        // The lines the plot holds, as drawn: (pattern, colour, legend text).
        var lines = new List<(string Pattern, string Colour, string Legend)>();
        foreach (var p in pareto.Figure.Plot.GetPlottables())
        {
            switch (p)
            {
                case ScottPlot.Plottables.Scatter s when s.LineWidth > 0 && s.LegendText.Length > 0:
                    lines.Add((PatternWord(s.LinePattern), ColourWord(s.LineColor), s.LegendText));
                    break;
                case ScottPlot.Plottables.HorizontalLine h:
                    lines.Add((PatternWord(h.LinePattern), ColourWord(h.LineColor), h.LegendText));
                    break;
            }
        }

        // Front: large (0.9, 0.98), medium (0.5, 0.97), small (0.3, 0.90) (tiny is dominated by small) → a line; and the limit.
        Assert.Equal(2, lines.Count);
        var front = Assert.Single(lines, l => l.Legend == "Pareto front");
        var limit = Assert.Single(lines, l => l.Legend.StartsWith("f1 limit", StringComparison.Ordinal));
        Assert.NotEqual(front.Pattern, limit.Pattern); // the two lines are told apart by their pattern
        Assert.Contains($"{char.ToUpperInvariant(front.Pattern[0])}{front.Pattern[1..]} {front.Colour} line: the Pareto front", caption, StringComparison.Ordinal);
        Assert.Contains($"{char.ToUpperInvariant(limit.Pattern[0])}{limit.Pattern[1..]} {limit.Colour} line: the f1 limit", caption, StringComparison.Ordinal);
        Assert.DoesNotContain($"{limit.Pattern} line is the Pareto front", caption, StringComparison.OrdinalIgnoreCase);

        // The limit's value in the caption is the best median F1 minus the allowed loss: best = large, median 0.981.
        Assert.Contains("0.02 below the best median f1 (0.9810)", caption, StringComparison.Ordinal);

        // Markers the caption names: filled circles (measured) and an open square (recommended).
        var markers = pareto.Figure.Plot.GetPlottables().OfType<ScottPlot.Plottables.Markers>().ToArray();
        Assert.Contains(markers, m => m.LegendText == "measured (median)" && m.MarkerShape == MarkerShape.FilledCircle);
        Assert.Contains(markers, m => m.LegendText == "recommended" && m.MarkerShape == MarkerShape.OpenSquare);
        Assert.Contains("filled blue circles are measured", caption, StringComparison.Ordinal);
        Assert.Contains("the open red square is the recommendation", caption, StringComparison.Ordinal);
    }

    private static void AssertLabelsClear(ParetoFigure pareto, int points)
    {
        Assert.Equal(points, pareto.Labels.Count);
        Assert.Equal(Enumerable.Range(0, points), pareto.Labels.Select(l => l.Index).Order());
        foreach (var label in pareto.Labels)
        {
            Assert.True(label.Box.IsInside(pareto.DataArea), $"label '{label.Text}' at {label.Box} leaves the data area {pareto.DataArea}");
            var other = pareto.Labels.FirstOrDefault(o => o.Index != label.Index && o.Box.Overlaps(label.Box));
            Assert.True(other is null, $"label '{label.Text}' at {label.Box} overlaps '{other?.Text}' at {other?.Box}");
            Assert.DoesNotContain(pareto.Markers, m => m.Overlaps(label.Box));
        }
    }

    [Fact]
    public void Every_point_has_a_label_and_no_label_overlaps_another_or_a_marker()
    {
        var rec = Recommender.Recommend(FourConfigurations(), ["model"], Metric.Parse("f1"), 0.02, Metric.EnergyPerSample);
        var pareto = ComparisonPlots.Pareto(rec, "t");
        AssertLabelsClear(pareto, 4);
        Assert.False(pareto.NumberedKey);
        Assert.Equal(["large", "medium", "small", "tiny"], pareto.Labels.Select(l => l.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Labels_are_drawn_where_the_placement_put_them()
    {
        // Dark text pixels inside each label's box of the rendered PNG: the label is drawn where its box says.
        var rec = Recommender.Recommend(FourConfigurations(), ["model"], Metric.Parse("f1"), 0.02, Metric.EnergyPerSample);
        var pareto = ComparisonPlots.Pareto(rec, "t");
        using var bitmap = SKBitmap.Decode(pareto.Figure.Png());
        Assert.Equal((ComparisonPlots.ParetoWidth, ComparisonPlots.ParetoHeight), (bitmap.Width, bitmap.Height));
        foreach (var label in pareto.Labels)
        {
            int dark = 0;
            for (int y = (int)label.Box.Top; y < (int)label.Box.Bottom; y++)
            {
                for (int x = (int)label.Box.Left; x < (int)label.Box.Right; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    dark += c.Red < 90 && c.Green < 90 && c.Blue < 90 ? 1 : 0;
                }
            }

            Assert.True(dark > 20, $"label '{label.Text}': only {dark} dark pixels inside its box {label.Box}");
        }
    }

    [Fact]
    public void Seaa_pareto_labels_all_twelve_configurations_without_overlaps()
    {
        // The SEAA plot the issue saw: MobileNetV2 labels overlapping, points off the front unlabelled.
        var runs = Seaa2023Runs.Load(SharedData.RequireSeaa2023());
        var rec = Recommender.Recommend(runs, ["architecture", "environment"], Metric.Parse("f1"), 0.02);
        var pareto = ComparisonPlots.Pareto(rec, "SEAA");
        Assert.Equal(12, rec.Points.Count);
        AssertLabelsClear(pareto, 12);
        Assert.Contains(pareto.Labels, l => l.Text == "mobilenet_v2 / Local ML Engineer/Gamer");
    }
}
