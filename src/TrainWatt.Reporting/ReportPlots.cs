using ScottPlot;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Recommendation;

namespace TrainWatt.Reporting;

/// <summary>A series of power readings of one device over time (seconds since the run start, watts).</summary>
public sealed record PowerSeries(string Name, IReadOnlyList<double> Seconds, IReadOnlyList<double> Watts);

/// <summary>An epoch's span (seconds since the run start) and its energy in joules when known.</summary>
public sealed record EpochSpan(int Number, double StartSeconds, double EndSeconds, double? EnergyJoules);

/// <summary>PNG plots for the reports (ScottPlot 5). Each returns the PNG bytes.</summary>
public static class ReportPlots
{
    public const int Width = 900;
    public const int Height = 500;

    /// <summary>Power over time per device with dashed lines at the epoch boundaries.</summary>
    public static byte[] PowerTimeline(IReadOnlyList<PowerSeries> series, IReadOnlyList<EpochSpan> epochs, string title)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            var line = plot.Add.ScatterLine(s.Seconds.ToArray(), s.Watts.ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 1.5f;
        }

        foreach (var e in epochs)
        {
            var v = plot.Add.VerticalLine(e.EndSeconds);
            v.LinePattern = LinePattern.Dashed;
            v.Color = Colors.Gray.WithAlpha(0.6);
            v.LineWidth = 1;
        }

        plot.Title(title);
        plot.XLabel("time since start (s)");
        plot.YLabel("power (W)");
        if (series.Count > 0)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Energy per epoch (kJ) as bars.</summary>
    public static byte[] EnergyPerEpoch(IReadOnlyList<EpochSpan> epochs, string title)
    {
        var plot = new Plot();
        var known = epochs.Where(e => e.EnergyJoules is not null).ToArray();
        var bars = known.Select(e => new Bar { Position = e.Number, Value = e.EnergyJoules!.Value / 1000.0 }).ToList();
        plot.Add.Bars(bars);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("energy (kJ)");
        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Box plots (quartiles, whiskers at 1.5 IQR within the data) per group of an analysis.</summary>
    public static byte[] BoxPlots(GroupAnalysisResult analysis, string title)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        for (int i = 0; i < analysis.Groups.Count; i++)
        {
            var g = analysis.Groups[i];
            var sorted = g.Values.Order().ToArray();
            double q1 = TrainWatt.Analysis.Statistics.Descriptive.Quantile(sorted, 0.25);
            double q3 = TrainWatt.Analysis.Statistics.Descriptive.Quantile(sorted, 0.75);
            double iqr = q3 - q1;
            double lowWhisker = sorted.Where(v => v >= q1 - (1.5 * iqr)).Min();
            double highWhisker = sorted.Where(v => v <= q3 + (1.5 * iqr)).Max();
            var box = plot.Add.Box(new Box
            {
                Position = i,
                BoxMin = q1,
                BoxMax = q3,
                WhiskerMin = lowWhisker,
                WhiskerMax = highWhisker,
                BoxMiddle = g.Median,
            });
            box.FillColor = Colors.SteelBlue.WithAlpha(0.5);
            var outliers = sorted.Where(v => v < lowWhisker || v > highWhisker).ToArray();
            if (outliers.Length > 0)
            {
                var m = plot.Add.Markers(Enumerable.Repeat((double)i, outliers.Length).ToArray(), outliers);
                m.MarkerSize = 5;
                m.Color = Colors.Black;
            }

            ticks.Add(new Tick(i, g.Label.Replace(" / ", "\n", StringComparison.Ordinal)));
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Title(title);
        plot.YLabel($"{analysis.Metric.Name} ({analysis.Metric.Unit})");
        return plot.GetImageBytes(Math.Max(Width, 150 * analysis.Groups.Count), Height, ImageFormat.Png);
    }

    /// <summary>Cost vs score per configuration: measured points, predicted points (hollow), the Pareto front and the choice.</summary>
    public static byte[] Pareto(RecommendationResult r, string title)
    {
        var plot = new Plot();
        var measured = r.Points.Where(p => !p.Predicted).ToArray();
        var predicted = r.Points.Where(p => p.Predicted).ToArray();
        var front = r.Points.Where(p => p.OnParetoFront).OrderBy(p => p.Cost).ToArray();
        if (front.Length > 1)
        {
            var line = plot.Add.ScatterLine(front.Select(p => p.Cost).ToArray(), front.Select(p => p.Score).ToArray());
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            line.LegendText = "Pareto front";
        }

        if (measured.Length > 0)
        {
            var m = plot.Add.Markers(measured.Select(p => p.Cost).ToArray(), measured.Select(p => p.Score).ToArray());
            m.MarkerSize = 9;
            m.Color = Colors.SteelBlue;
            m.LegendText = "measured (median)";
        }

        if (predicted.Length > 0)
        {
            var m = plot.Add.Markers(predicted.Select(p => p.Cost).ToArray(), predicted.Select(p => p.Score).ToArray());
            m.MarkerShape = MarkerShape.OpenCircle;
            m.MarkerSize = 10;
            m.Color = Colors.DarkOrange;
            m.LegendText = "predicted";
        }

        var chosen = plot.Add.Markers(new[] { r.Chosen.Cost }, new[] { r.Chosen.Score });
        chosen.MarkerShape = MarkerShape.OpenSquare;
        chosen.MarkerSize = 18;
        chosen.Color = Colors.Red;
        chosen.LegendText = "recommended";
        foreach (var p in r.Points.Where(p => p.OnParetoFront || ReferenceEquals(p, r.Chosen) || ReferenceEquals(p, r.MostAccurate)))
        {
            var t = plot.Add.Text(p.Label, p.Cost, p.Score);
            t.LabelFontSize = 10;
            t.LabelOffsetX = 6;
            t.LabelOffsetY = -6;
        }

        var limit = plot.Add.HorizontalLine(r.MostAccurate.Score - r.MaxLoss);
        limit.LinePattern = LinePattern.Dotted;
        limit.Color = Colors.Red.WithAlpha(0.5);
        limit.LegendText = $"{r.Score.Name} limit (best - {r.MaxLoss:G3})";
        plot.Title(title);
        plot.XLabel($"{r.Cost.Name} ({r.Cost.Unit})");
        plot.YLabel(r.Score.Name);
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Margins(horizontal: 0.2, vertical: 0.1);
        return plot.GetImageBytes(Width, Height + 100, ImageFormat.Png);
    }

    /// <summary>Predicted against measured cost per configuration, with the y = x line (points on it are perfect estimates).</summary>
    public static byte[] EstimateVsActual(IReadOnlyList<(string Label, double Predicted, double Actual)> points, string unit, string title)
    {
        var plot = new Plot();
        double max = points.Count == 0 ? 1 : points.Max(p => Math.Max(p.Predicted, p.Actual)) * 1.1;
        var diagonal = plot.Add.ScatterLine(new[] { 0.0, max }, new[] { 0.0, max });
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "estimate = actual";
        if (points.Count > 0)
        {
            var m = plot.Add.Markers(points.Select(p => p.Predicted).ToArray(), points.Select(p => p.Actual).ToArray());
            m.MarkerSize = 9;
            m.Color = Colors.DarkOrange;
            m.LegendText = "configuration (measured median)";
            foreach (var p in points)
            {
                var t = plot.Add.Text(p.Label, p.Predicted, p.Actual);
                t.LabelFontSize = 10;
                t.LabelOffsetX = 6;
                t.LabelOffsetY = -6;
            }
        }

        plot.Axes.SetLimits(0, max, 0, max);
        plot.Title(title);
        plot.XLabel($"estimated ({unit})");
        plot.YLabel($"measured ({unit})");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height + 100, ImageFormat.Png);
    }
}
