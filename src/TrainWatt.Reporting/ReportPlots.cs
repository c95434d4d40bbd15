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

        PlotStyle.Apply(plot, title, "time since start (s)", "power (W)");
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
        PlotStyle.Apply(plot, title, "epoch", "energy (kJ)");
        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
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
        PlotStyle.Apply(plot, title, $"estimated ({unit})", $"measured ({unit})");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height + 100, ImageFormat.Png);
    }
}
