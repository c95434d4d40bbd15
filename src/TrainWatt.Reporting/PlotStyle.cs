using ScottPlot;

namespace TrainWatt.Reporting;

/// <summary>
/// Fonts and sizes of every report plot, chosen for reading at the page's width (1000 px): titles 18 px, axis labels
/// 16 px, tick labels and legends 14 px, point labels 13 px. Every axis label names its unit.
/// </summary>
internal static class PlotStyle
{
    public const float TitleSize = 18;
    public const float AxisLabelSize = 16;
    public const float TickLabelSize = 14;
    public const float LegendSize = 14;
    public const float PointLabelSize = 13;

    private static readonly Lazy<string> Sans = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Lato", "Arial", "Helvetica" }.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    /// <summary>A sans-serif font the system has (DejaVu Sans, Liberation Sans, ...), for every text of every plot.</summary>
    public static string FontName => Sans.Value;

    /// <summary>Sets the title, the axis labels, the font and every font size of <paramref name="plot"/>.</summary>
    public static void Apply(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Font.Set(FontName);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.Title.Label.FontSize = TitleSize;
        plot.Axes.Bottom.Label.FontSize = AxisLabelSize;
        plot.Axes.Left.Label.FontSize = AxisLabelSize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = TickLabelSize;
        plot.Axes.Left.TickLabelStyle.FontSize = TickLabelSize;
        plot.Legend.FontSize = LegendSize;
    }
}
