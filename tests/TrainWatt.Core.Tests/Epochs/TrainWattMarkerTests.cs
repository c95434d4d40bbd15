using System.Globalization;
using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Tests.Epochs;

public class TrainWattMarkerTests
{
    [Fact]
    public void Should_Format_The_Documented_Marker_Line()
    {
        // Oracle: the protocol text in issue 3 ("##trainwatt epoch-end n=3 total=50 samples=23807").
        Assert.Equal("##trainwatt epoch-end n=3 total=50 samples=23807", TrainWattMarker.FormatEpochEnd(3, 50, 23807));
        Assert.Equal("##trainwatt epoch-end", TrainWattMarker.FormatEpochEnd());
    }

    [Fact]
    public void Should_Format_Metrics_In_Invariant_Culture_Whatever_The_Current_Culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("##trainwatt metric f1=0.97", TrainWattMarker.FormatMetric("f1", 0.97));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Should_Reject_Values_The_Detector_Could_Not_Read()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainWattMarker.FormatEpochEnd(0));
        Assert.Throws<ArgumentException>(() => TrainWattMarker.FormatMetric("f 1", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainWattMarker.FormatMetric("f1", double.NaN));
    }
}
