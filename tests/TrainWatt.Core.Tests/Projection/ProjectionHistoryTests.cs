using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>Final projection error against the measured total; numbers by hand.</summary>
public class ProjectionHistoryTests
{
    private static ProjectionEntry Record(int epoch, double projected, double lower, double upper)
        => new(epoch, Energy.FromJoules(projected), Energy.FromJoules(lower), Energy.FromJoules(upper), 0.9, "step", 10, 50, 50, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Should_Score_First_And_Last_Projection_And_Coverage()
    {
        // Measured 1000 J. First: 1100 J in [1050, 1150] -> +10 %, not covered. Last: 990 J in [950, 1020] -> −1 %, covered.
        // Mean |error| (10 % + 1 %) / 2 = 5.5 %; coverage 1 of 2.
        var summary = ProjectionHistory.FinalError([Record(15, 1100, 1050, 1150), Record(30, 990, 950, 1020)], Energy.FromJoules(1000))!;
        Assert.Equal(0.10, summary.FirstRelativeError, 1e-12);
        Assert.False(summary.FirstCovered);
        Assert.Equal(-0.01, summary.LastRelativeError, 1e-12);
        Assert.True(summary.LastCovered);
        Assert.Equal(0.055, summary.MeanAbsoluteRelativeError, 1e-12);
        Assert.Equal(0.5, summary.Coverage);
        Assert.Equal((15, 30), (summary.FirstEpoch, summary.LastEpoch));
    }

    [Fact]
    public void Should_Return_Null_For_An_Empty_History_And_Reject_A_Non_Positive_Total()
    {
        Assert.Null(ProjectionHistory.FinalError([], Energy.FromJoules(1000)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProjectionHistory.FinalError([Record(1, 1, 1, 1)], Energy.Zero));
    }
}
