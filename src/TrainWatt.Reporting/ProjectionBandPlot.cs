using TrainWatt.Core.Projection;
using ScottPlot;
using TrainWatt.Core.Units;

namespace TrainWatt.Reporting;


/// <summary>
/// The live STEP projection band of one run: projected total energy per epoch with its interval (shaded), the measured
/// cumulative energy per epoch, and the final measured total as a horizontal line.
/// </summary>
public static class ProjectionBandPlot
{
    /// <summary>
    /// Renders the plot as PNG bytes (<see cref="ReportPlots.Width"/> x <see cref="ReportPlots.Height"/>). Energies are
    /// drawn in one unit, the <see cref="Energy.ReadableUnit"/> of the largest value shown (J, kJ, MJ or kWh).
    /// </summary>
    /// <param name="projections">The projection history, in any order (drawn by epoch); must not be empty.</param>
    /// <param name="epochs">The run's epochs; the measured cumulative line runs over the leading epochs with a known energy.</param>
    /// <param name="finalMeasured">The measured total of a completed run, or null when the run has not finished.</param>
    /// <param name="title">Plot title.</param>
    /// <param name="measuredName">What <paramref name="finalMeasured"/> is (the quantity the projections project), for the legend.</param>
    public static byte[] Render(IReadOnlyList<ProjectionEntry> projections, IReadOnlyList<EpochSpan> epochs, Energy? finalMeasured, string title, string measuredName = "final measured total")
    {
        ArgumentNullException.ThrowIfNull(projections);
        ArgumentNullException.ThrowIfNull(epochs);
        if (projections.Count == 0)
        {
            throw new ArgumentException("A projection band needs at least one projection.", nameof(projections));
        }

        var sorted = projections.OrderBy(p => p.Epoch).ToArray();
        var cumulative = Cumulative(epochs);
        double largest = Math.Max(
            sorted.Max(p => Math.Max(p.Upper.Joules, p.Projected.Joules)),
            Math.Max(cumulative.Count > 0 ? cumulative[^1].Joules : 0, finalMeasured?.Joules ?? 0));
        string unit = Energy.FromJoules(largest).ReadableUnit;
        double In(double joules) => Energy.FromJoules(joules).In(unit);

        var plot = new Plot();
        double[] xs = sorted.Select(p => (double)p.Epoch).ToArray();
        var band = plot.Add.FillY(xs, sorted.Select(p => p.Upper.In(unit)).ToArray(), sorted.Select(p => p.Lower.In(unit)).ToArray());
        band.FillColor = Colors.DarkOrange.WithAlpha(0.25);
        band.LineColor = Colors.DarkOrange.WithAlpha(0.5);
        band.LegendText = "projection interval";

        var projected = plot.Add.Scatter(xs, sorted.Select(p => p.Projected.In(unit)).ToArray());
        projected.Color = Colors.DarkOrange;
        projected.LineWidth = 2;
        projected.MarkerSize = 5;
        projected.LegendText = sorted[^1].IsWholeJob ? "projected whole process (STEP)" : "projected sum of the epochs (STEP)";

        if (cumulative.Count > 0)
        {
            var measured = plot.Add.Scatter(cumulative.Select(c => (double)c.Epoch).ToArray(), cumulative.Select(c => In(c.Joules)).ToArray());
            measured.Color = Colors.SteelBlue;
            measured.LineWidth = 2;
            measured.MarkerSize = 4;
            measured.LegendText = "measured so far (sum of epochs)";
        }

        if (finalMeasured is { } total)
        {
            var line = plot.Add.HorizontalLine(total.In(unit));
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            line.LineWidth = 1.5f;
            line.LegendText = $"{measuredName} ({total.In(unit).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} {unit})";
        }

        PlotStyle.Apply(plot, title, "epoch", $"energy ({unit})");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimitsY(0, In(largest) * 1.08);
        return plot.GetImageBytes(ReportPlots.Width, ReportPlots.Height, ImageFormat.Png);
    }

    /// <summary>Cumulative energy at the end of each epoch, over the leading epochs whose energy is known (stops at the first unknown).</summary>
    internal static IReadOnlyList<(int Epoch, double Joules)> Cumulative(IReadOnlyList<EpochSpan> epochs)
    {
        var result = new List<(int, double)>();
        double sum = 0;
        foreach (var e in epochs.OrderBy(e => e.Number))
        {
            if (e.EnergyJoules is not { } joules)
            {
                break;
            }

            sum += joules;
            result.Add((e.Number, sum));
        }

        return result;
    }
}
