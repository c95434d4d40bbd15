using System.Globalization;
using ScottPlot;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Recommendation;

namespace TrainWatt.Reporting;

/// <summary>A drawn plot, its size and the caption that says what each drawn element is.</summary>
internal sealed record Figure(Plot Plot, int Width, int Height, string Caption)
{
    public byte[] Png() => Plot.GetImageBytes(Width, Height, ImageFormat.Png);
}

/// <summary>The Pareto plot with where its point labels went (pixels of the <see cref="Figure.Width"/> x <see cref="Figure.Height"/> image).</summary>
internal sealed record ParetoFigure(Figure Figure, PixelBox DataArea, IReadOnlyList<PlacedLabel> Labels, IReadOnlyList<PixelBox> Markers, bool NumberedKey);

/// <summary>
/// The plots of a comparison (experiment or SEAA): cost vs score with every point labelled, box plots per configuration
/// laid out horizontally, and a heat map of the median cost per pair of keys.
/// </summary>
internal static class ComparisonPlots
{
    public const int ParetoWidth = 1000;
    public const int ParetoHeight = 640;
    public const double MarkerRadius = 6;

    /// <summary>How the Pareto front is drawn: solid grey.</summary>
    public static readonly (LinePattern Pattern, Color Color, string Words) FrontLine = (LinePattern.Solid, Colors.Gray, "solid grey");

    /// <summary>How the score limit is drawn: dashed red.</summary>
    public static readonly (LinePattern Pattern, Color Color, string Words) LimitLine = (LinePattern.Dashed, Colors.Red, "dashed red");

    /// <summary>
    /// Cost vs score per configuration: measured medians (filled blue circles), predicted points (open orange circles),
    /// the recommendation (open red square), the Pareto front and the score limit, every point labelled where its label
    /// overlaps nothing (<see cref="LabelPlacer"/>), else numbered with a key in the caption.
    /// </summary>
    public static ParetoFigure Pareto(RecommendationResult r, string title)
    {
        var c = CultureInfo.InvariantCulture;
        var plot = new Plot();
        var measured = r.Points.Where(p => !p.Predicted).ToArray();
        var predicted = r.Points.Where(p => p.Predicted).ToArray();
        var front = r.Points.Where(p => p.OnParetoFront).OrderBy(p => p.Cost).ToArray();
        double limitValue = r.MostAccurate.Score - r.MaxLoss;
        string limitName = $"{r.Score.Name} limit";
        if (front.Length > 1)
        {
            var line = plot.Add.ScatterLine(front.Select(p => p.Cost).ToArray(), front.Select(p => p.Score).ToArray());
            line.LinePattern = FrontLine.Pattern;
            line.Color = FrontLine.Color;
            line.LineWidth = 2;
            line.LegendText = "Pareto front";
        }

        var limit = plot.Add.HorizontalLine(limitValue);
        limit.LinePattern = LimitLine.Pattern;
        limit.Color = LimitLine.Color.WithAlpha(0.7);
        limit.LineWidth = 1.5f;
        limit.LegendText = string.Create(c, $"{limitName} (best − {r.MaxLoss:G3})");
        if (measured.Length > 0)
        {
            var m = plot.Add.Markers(measured.Select(p => p.Cost).ToArray(), measured.Select(p => p.Score).ToArray());
            m.MarkerShape = MarkerShape.FilledCircle;
            m.MarkerSize = (float)(2 * MarkerRadius);
            m.Color = Colors.SteelBlue;
            m.LegendText = "measured (median)";
        }

        if (predicted.Length > 0)
        {
            var m = plot.Add.Markers(predicted.Select(p => p.Cost).ToArray(), predicted.Select(p => p.Score).ToArray());
            m.MarkerShape = MarkerShape.OpenCircle;
            m.MarkerSize = (float)(2 * MarkerRadius);
            m.Color = Colors.DarkOrange;
            m.LegendText = "predicted";
        }

        var chosen = plot.Add.Markers(new[] { r.Chosen.Cost }, new[] { r.Chosen.Score });
        chosen.MarkerShape = MarkerShape.OpenSquare;
        chosen.MarkerSize = 20;
        chosen.Color = Colors.Red;
        chosen.LegendText = "recommended";

        PlotStyle.Apply(plot, title, $"{r.Cost.Name} ({r.Cost.Unit}), median per configuration", $"{r.Score.Name}, median per configuration");
        plot.ShowLegend(Edge.Bottom);

        // Room for the labels: 25 % either side of the costs, 20 % above and below the scores and the limit.
        double xMin = r.Points.Min(p => p.Cost), xMax = r.Points.Max(p => p.Cost);
        double yMin = Math.Min(limitValue, r.Points.Min(p => p.Score)), yMax = r.Points.Max(p => p.Score);
        double xPad = Math.Max((xMax - xMin) * 0.25, Math.Abs(xMax) * 0.05 + 1e-12);
        double yPad = Math.Max((yMax - yMin) * 0.2, Math.Abs(yMax) * 0.005 + 1e-12);
        plot.Axes.SetLimits(Math.Max(0, xMin - xPad), xMax + xPad, yMin - yPad, yMax + yPad);

        // Lay the plot out once to know where the points land, then place the labels in pixels.
        plot.GetImageBytes(ParetoWidth, ParetoHeight, ImageFormat.Png);
        var rect = plot.RenderManager.LastRender.DataRect;
        var area = new PixelBox(rect.Left, rect.Top, rect.Width, rect.Height);
        var pixels = r.Points.Select(p => plot.GetPixel(new Coordinates(p.Cost, p.Score))).ToArray();
        var square = plot.GetPixel(new Coordinates(r.Chosen.Cost, r.Chosen.Score));
        var markers = pixels.Select(p => PixelBox.Around(p.X, p.Y, MarkerRadius)).Append(PixelBox.Around(square.X, square.Y, (chosen.MarkerSize / 2) + 1)).ToArray();
        var lines = LineObstacles(plot, front, limitValue, area);
        lines.Add(markers[^1]); // the recommendation's square is larger than a marker
        var labels = LabelPlacer.Place(Requests(r, pixels, p => p.Label), area, MarkerRadius + 2, lines);
        bool numbered = labels is null;
        if (numbered)
        {
            labels = LabelPlacer.Place(Requests(r, pixels, p => (r.Points.ToList().IndexOf(p) + 1).ToString(c)), area, MarkerRadius + 2, lines)
                ?? throw new InvalidOperationException("The Pareto plot has no room for its point numbers.");
        }

        foreach (var label in labels!)
        {
            var text = plot.Add.Text(label.Text, plot.GetCoordinates((float)label.Box.Left, (float)label.Box.Top));
            text.LabelFontSize = PlotStyle.PointLabelSize;
            text.LabelFontName = PlotStyle.FontName;
            text.LabelAlignment = Alignment.UpperLeft;
            text.LabelPadding = LabelPad;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
            text.LabelFontColor = Colors.Black;
            if (label.Leader)
            {
                var (ex, ey) = LabelPlacer.NearestPoint(label.Box, label.PointX, label.PointY);
                var leader = plot.Add.Line(plot.GetCoordinates((float)label.PointX, (float)label.PointY), plot.GetCoordinates((float)ex, (float)ey));
                leader.Color = Colors.Gray;
                leader.LineWidth = 1;
            }
        }

        string caption = Caption(r, limitName, front.Length > 1, predicted.Length > 0, numbered);
        return new ParetoFigure(new Figure(plot, ParetoWidth, ParetoHeight, caption), area, labels, markers, numbered);
    }

    private const float LabelPad = 2;

    /// <summary>The drawn lines as small boxes every 4 px along them, so that no label covers a line: the limit and the front.</summary>
    private static List<PixelBox> LineObstacles(Plot plot, IReadOnlyList<ConfigurationPoint> front, double limit, PixelBox area)
    {
        var boxes = new List<PixelBox>();
        float y = plot.GetPixel(new Coordinates(0, limit)).Y;
        boxes.Add(new PixelBox(area.Left, y - 2, area.Width, 4));
        for (int i = 1; i < front.Count; i++)
        {
            var a = plot.GetPixel(new Coordinates(front[i - 1].Cost, front[i - 1].Score));
            var b = plot.GetPixel(new Coordinates(front[i].Cost, front[i].Score));
            int steps = Math.Max(1, (int)(Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y))) / 4));
            for (int k = 0; k <= steps; k++)
            {
                double t = (double)k / steps;
                boxes.Add(PixelBox.Around(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t), 1.5));
            }
        }

        return boxes;
    }

    private static List<LabelRequest> Requests(RecommendationResult r, Pixel[] pixels, Func<ConfigurationPoint, string> text)
    {
        var style = new LabelStyle { FontSize = PlotStyle.PointLabelSize, FontName = PlotStyle.FontName };
        using var paint = Paint.NewDisposablePaint();
        return r.Points.Select((p, i) =>
        {
            style.Text = text(p);
            var size = style.Measure(paint);
            return new LabelRequest(style.Text, pixels[i].X, pixels[i].Y, size.Width + (2 * LabelPad), size.Height + (2 * LabelPad));
        }).ToList();
    }

    /// <summary>The Pareto caption, written from <see cref="FrontLine"/> and <see cref="LimitLine"/>, the styles the plot draws with.</summary>
    private static string Caption(RecommendationResult r, string limitName, bool frontDrawn, bool predicted, bool numbered)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>
        {
            $"Median {r.Cost.Name} against median {r.Score.Name} of each configuration: filled blue circles are measured"
                + (predicted ? ", open orange circles predicted" : string.Empty) + "; the open red square is the recommendation.",
        };
        if (frontDrawn)
        {
            parts.Add($"{Capital(FrontLine.Words)} line: the Pareto front (no other configuration is both cheaper and more accurate).");
        }

        parts.Add(string.Create(c, $"{Capital(LimitLine.Words)} line: the {limitName}, {r.MaxLoss:G3} below the best median {r.Score.Name} ({r.MostAccurate.Score:F4}); the recommendation is the cheapest configuration on or above it."));
        if (numbered)
        {
            parts.Add("Key: " + string.Join("; ", r.Points.Select((p, i) => string.Create(c, $"{i + 1} {p.Label}"))) + ".");
        }

        return string.Join(" ", parts);
    }

    private static string Capital(string words) => char.ToUpperInvariant(words[0]) + words[1..];

    /// <summary>
    /// Horizontal box plots, one row per group (label on the left, so long labels stay readable): box from the first to
    /// the third quartile, a line at the median, whiskers to the furthest value within 1.5 IQR, points beyond them.
    /// </summary>
    public static Figure BoxPlots(GroupAnalysisResult analysis, string title)
    {
        var plot = new Plot();
        var groups = analysis.Groups;
        var ticks = new List<Tick>();
        for (int i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            double y = groups.Count - 1 - i; // the first group on top
            var sorted = g.Values.Order().ToArray();
            double q1 = Analysis.Statistics.Descriptive.Quantile(sorted, 0.25);
            double q3 = Analysis.Statistics.Descriptive.Quantile(sorted, 0.75);
            double iqr = q3 - q1;
            double low = sorted.Where(v => v >= q1 - (1.5 * iqr)).Min();
            double high = sorted.Where(v => v <= q3 + (1.5 * iqr)).Max();
            var box = plot.Add.Rectangle(q1, q3, y - 0.3, y + 0.3);
            box.FillColor = Colors.SteelBlue.WithAlpha(0.45);
            box.LineColor = Colors.Black;
            box.LineWidth = 1;
            Segment(plot, g.Median, y - 0.3, g.Median, y + 0.3, 2.5f);
            Segment(plot, low, y, q1, y, 1);
            Segment(plot, q3, y, high, y, 1);
            Segment(plot, low, y - 0.15, low, y + 0.15, 1);
            Segment(plot, high, y - 0.15, high, y + 0.15, 1);
            var outliers = sorted.Where(v => v < low || v > high).ToArray();
            if (outliers.Length > 0)
            {
                var m = plot.Add.Markers(outliers, Enumerable.Repeat(y, outliers.Length).ToArray());
                m.MarkerShape = MarkerShape.OpenCircle;
                m.MarkerSize = 7;
                m.Color = Colors.Black;
            }

            ticks.Add(new Tick(y, string.Create(CultureInfo.InvariantCulture, $"{g.Label} (n={g.N})")));
        }

        PlotStyle.Apply(plot, title, $"{analysis.Metric.Name} ({analysis.Metric.Unit})", string.Empty);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.7, groups.Count - 0.3);
        plot.Axes.Margins(horizontal: 0.05);
        plot.Axes.SetLimitsY(-0.7, groups.Count - 0.3);
        int height = 150 + (44 * groups.Count);
        return new Figure(plot, 1000, height,
            "One row per configuration, n runs each: the box spans the first to the third quartile, the thick line is the median, "
            + "whiskers reach the furthest run within 1.5 × the interquartile range, open circles are runs beyond the whiskers.");
    }

    private static void Segment(Plot plot, double x1, double y1, double x2, double y2, float width)
    {
        var line = plot.Add.Line(x1, y1, x2, y2);
        line.Color = Colors.Black;
        line.LineWidth = width;
    }

    /// <summary>
    /// Medians as a grid: one row per <paramref name="rowKey"/> value, one column per <paramref name="columnKey"/> value;
    /// each cell is shaded by its median (lighter = less) and prints it with its n; a combination without runs is grey
    /// and says "no runs".
    /// </summary>
    public static Figure HeatMap(IReadOnlyList<HeatCell> cells, string rowKey, string columnKey, string metric, string unit, string title)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = cells.Select(x => x.Row).Distinct().Order(StringComparer.Ordinal).ToArray();
        var columns = cells.Select(x => x.Column).Distinct().Order(StringComparer.Ordinal).ToArray();
        double lo = cells.Min(x => x.Median), hi = cells.Max(x => x.Median);
        var map = new ScottPlot.Colormaps.Viridis();
        var plot = new Plot();
        for (int i = 0; i < rows.Length; i++)
        {
            double y = rows.Length - 1 - i;
            for (int j = 0; j < columns.Length; j++)
            {
                var g = cells.FirstOrDefault(x => x.Row == rows[i] && x.Column == columns[j]);
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, y - 0.5, y + 0.5);
                cell.LineColor = Colors.White;
                cell.LineWidth = 2;
                string text;
                Color ink;
                if (g is null)
                {
                    cell.FillColor = Colors.LightGray;
                    text = "no runs";
                    ink = Colors.Black;
                }
                else
                {
                    // Viridis runs dark (0) to light (1): less energy is lighter.
                    double t = hi > lo ? 1 - ((g.Median - lo) / (hi - lo)) : 0.5;
                    cell.FillColor = map.GetColor(0.15 + (0.85 * t));
                    text = string.Create(c, $"{g.Median:G3} {unit}\nn={g.N}");
                    ink = t > 0.55 ? Colors.Black : Colors.White;
                }

                var label = plot.Add.Text(text, j, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = PlotStyle.PointLabelSize + 1;
                label.LabelFontName = PlotStyle.FontName;
                label.LabelFontColor = ink;
                label.LabelBold = true;
            }
        }

        PlotStyle.Apply(plot, title, columnKey, rowKey);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(columns.Select((v, j) => new Tick(j, v)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(rows.Select((v, i) => new Tick(rows.Length - 1 - i, v)).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-0.5, columns.Length - 0.5, -0.5, rows.Length - 0.5);
        plot.Grid.IsVisible = false;
        int width = Math.Max(700, 260 + (220 * columns.Length));
        int height = 160 + (80 * rows.Length);
        return new Figure(plot, width, height, string.Create(c,
            $"Median {metric} ({unit}) of each {rowKey} (rows) in each {columnKey} (columns), n runs per cell; lighter cells use less energy ({lo:G3} to {hi:G3} {unit})."));
    }
}

/// <summary>One cell of a heat map: the median of the runs with these two key values, and how many runs.</summary>
internal sealed record HeatCell(string Row, string Column, double Median, int N);
