using TrainWatt.Core.Projection;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>What the run tells about N (issue 4: --total-epochs, max epochs, early-stopping patience). Oracle: the rules in <see cref="EpochHorizon.Infer"/>'s contract.</summary>
public class EpochHorizonTests
{
    [Fact]
    public void Total_Epochs_Should_Fix_N()
    {
        var (h, error) = EpochHorizon.Infer(16, false, totalEpochs: 80, maxEpochs: 150, minEpochs: null, patience: 5);
        Assert.Null(error);
        Assert.Equal((80, 80), (h!.Min, h.Max));
    }

    [Fact]
    public void A_Finished_Run_Should_Have_N_Equal_To_Its_Epochs()
    {
        var (h, _) = EpochHorizon.Infer(42, true, null, null, null, null);
        Assert.True(h!.IsExact);
        Assert.Equal(42, h.Min);
    }

    [Theory]
    [InlineData(16, null, null, 16)] // at least the finished epochs
    [InlineData(16, 20, null, 21)]   // early stopping cannot stop before patience + 1 epochs
    [InlineData(16, 20, 50, 50)]     // a known minimum wins when larger
    public void Max_Epochs_Should_Bound_N_From_Above_And_The_Run_From_Below(int seen, int? patience, int? min, int expectedMin)
    {
        var (h, error) = EpochHorizon.Infer(seen, false, null, maxEpochs: 100, minEpochs: min, patience: patience);
        Assert.Null(error);
        Assert.Equal((expectedMin, 100), (h!.Min, h.Max));
        Assert.Equal((expectedMin + 100) / 2.0, h.Assumed);
    }

    [Fact]
    public void Contradictory_Bounds_Or_No_Bound_Should_Give_A_Reason()
    {
        Assert.Contains("contradict", EpochHorizon.Infer(16, false, null, 100, 120, null).Error, StringComparison.Ordinal);
        Assert.Contains("--total-epochs", EpochHorizon.Infer(16, false, null, null, null, 5).Error, StringComparison.Ordinal);
        Assert.Contains("less than the 16 epochs", EpochHorizon.Infer(16, false, 10, null, null, null).Error, StringComparison.Ordinal);
    }
}
