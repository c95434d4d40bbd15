using TrainWatt.Core.Projection;
using TrainWatt.Reporting;
using TrainWatt.Core.Units;

namespace TrainWatt.Reporting.Tests;

public sealed class ProjectionBandPlotTests
{
    [Fact]
    public void Measured_cumulative_line_sums_the_epochs_in_order_and_stops_at_the_first_unknown_energy()
    {
        // Hand derivation: epochs given out of order 2, 1, 3, 4 with 300, 100, 50 J and an unknown → 1: 100, 2: 400,
        // 3: 450; epoch 4 (unknown) ends the line, and epoch 5 after it is not drawn.
        EpochSpan[] epochs =
        [
            new(2, 10, 20, 300),
            new(1, 0, 10, 100),
            new(3, 20, 30, 50),
            new(4, 30, 40, null),
            new(5, 40, 50, 70),
        ];

        Assert.Equal([(1, 100.0), (2, 400.0), (3, 450.0)], ProjectionBandPlot.Cumulative(epochs));
    }

    [Fact]
    public void Renders_a_png_of_the_report_size_and_refuses_an_empty_history()
    {
        static ProjectionEntry Point(int epoch, double projected, double lower, double upper)
            => new(epoch, Energy.FromMegajoules(projected), Energy.FromMegajoules(lower), Energy.FromMegajoules(upper), 0.9, "step", 5, 20, 20, DateTimeOffset.UnixEpoch);
        ProjectionEntry[] points = [Point(10, 1.2, 1.1, 1.3), Point(11, 1.25, 1.2, 1.3)];
        byte[] png = ProjectionBandPlot.Render(points, [new EpochSpan(1, 0, 10, 100_000)], Energy.FromMegajoules(1.24), "t");

        // PNG signature, then IHDR width/height big-endian at bytes 16..23: the report's 900 x 500 (ReportPlots.Width/Height).
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(900, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(500, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
        Assert.Throws<ArgumentException>(() => ProjectionBandPlot.Render([], [], null, "t"));
    }
}
