using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary><c>##trainwatt plan epochs=N</c>: the planned epochs, announced before training (the Python module's planned_epochs).</summary>
public class PlanMarkerTests
{
    private static List<DetectorEvent> Scan(EpochDetector detector, params string[] lines)
        => [.. lines.SelectMany(l => detector.Scan(l, endsLine: true).ToList())];

    [Fact]
    public void Should_Give_The_Planned_Total_To_The_Epochs_That_Follow()
    {
        var detector = new EpochDetector();

        var events = Scan(detector, "##trainwatt plan epochs=12", "##trainwatt epoch-start n=1", "##trainwatt epoch-end n=1");

        Assert.Equal(12, detector.Total);
        Assert.Equal<DetectorEvent>([new EpochStarted(1, 12), new EpochEnded(1, 12, null)], events.Where(e => e is EpochStarted or EpochEnded));
        Assert.DoesNotContain(events, e => e is DetectorNote note && note.Message.Contains("plan", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Not_Choose_The_Epoch_Convention()
    {
        // A plan line before Keras output (a callback printing the plan while Keras prints its own lines): the
        // detector still follows Keras, whose "Epoch k/N" then gives the total.
        var detector = new EpochDetector();

        Scan(detector, "##trainwatt plan epochs=5", "Epoch 1/5");

        Assert.Equal(EpochFramework.Keras, detector.Detected);
        Assert.Equal(5, detector.Total);
    }

    [Theory]
    [InlineData("##trainwatt plan")]
    [InlineData("##trainwatt plan epochs=0")]
    [InlineData("##trainwatt plan epochs=-3")]
    [InlineData("##trainwatt plan epochs=2.5")]
    [InlineData("##trainwatt plan epochs=1000000000")]
    [InlineData("##trainwatt plan steps=10")]
    public void Should_Note_And_Ignore_A_Malformed_Plan(string line)
    {
        var detector = new EpochDetector();

        var note = Assert.IsType<DetectorNote>(Assert.Single(detector.Scan(line, endsLine: true)));

        Assert.Contains("##trainwatt plan epochs=N", note.Message, StringComparison.Ordinal);
        Assert.Null(detector.Total);
        Assert.Null(detector.Detected);
    }

    [Fact]
    public void Should_Give_The_Probe_The_Planned_Epochs()
    {
        var parser = new StepProgressParser();

        Assert.Null(parser.Scan("##trainwatt plan epochs=40"));
        Assert.Equal(40, parser.PlannedEpochs);
        Assert.Equal(new StepProgress(3, 9, ProgressScope.Epoch), parser.Scan("##trainwatt step n=3 total=9"));
    }

    [Fact]
    public void Should_Format_What_It_Parses()
    {
        Assert.Equal("##trainwatt plan epochs=7", TrainWattMarker.FormatPlan(7));
        Assert.Equal(7, TrainWattMarker.ParsePlan(TrainWattMarker.FormatPlan(7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainWattMarker.FormatPlan(0));
    }
}
