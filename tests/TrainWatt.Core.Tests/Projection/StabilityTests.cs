using TrainWatt.Core.Projection;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>
/// The adaptive change-point detector and the paper's fixed rule on series named for their shape (see
/// <see cref="Shapes"/>). Oracle: the shape's construction (where its level changes).
/// </summary>
public class StabilityTests
{
    private static readonly ChangePointStabilityDetector Detector = new();

    [Fact]
    public void SteadyState_Should_Be_Stable_From_Epoch_0()
    {
        var result = Detector.Detect(Shapes.SteadyState());
        Assert.True(result.IsStable, result.Reason);
        Assert.Equal(0, result.StableFromIndex);
        Assert.Equal(20, result.WindowEndIndex);
    }

    [Fact]
    public void LongFirstEpoch_Should_Be_Stable_From_Epoch_1()
    {
        var result = Detector.Detect(Shapes.LongFirstEpoch());
        Assert.Equal(1, result.StableFromIndex);
    }

    [Fact]
    public void StepChangeAtEpoch10_Should_Be_Stable_From_Epoch_10_Once_5_Epochs_Follow()
    {
        var result = Detector.Detect(Shapes.StepChangeAtEpoch(10, 15));
        Assert.Equal(10, result.StableFromIndex);
        Assert.Equal(15, result.WindowEndIndex);
    }

    [Fact]
    public void StepChangeJustHappened_Should_Be_Not_Yet_Stable_With_The_Reason()
    {
        // Change at epoch 12, 3 epochs after it (12, 13, 14): 5 are needed.
        var result = Detector.Detect(Shapes.StepChangeAtEpoch(12, 15));
        Assert.False(result.IsStable);
        Assert.Null(result.StableFromIndex);
        Assert.Equal(12, result.LastChangeIndex);
        Assert.Contains("changed at epoch 12", result.Reason, StringComparison.Ordinal);
        Assert.Contains("3 epoch(s) since then, 5 needed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StepChange_At_The_Latest_Epoch_Should_Be_Seen_At_Once()
    {
        // Fine-tuning starts at epoch 10 and only epoch 10 is finished: the jump is a change, not noise.
        var result = Detector.Detect(Shapes.StepChangeAtEpoch(10, 11));
        Assert.Contains("1 epoch(s) since then", result.Reason, StringComparison.Ordinal);
        Assert.False(result.IsStable);
        Assert.Equal(10, result.LastChangeIndex);
    }

    [Fact]
    public void LinearRamp_Should_Be_Stable_From_About_The_End_Of_The_Ramp()
    {
        // The ramp reaches its plateau at epoch 7; small steps near its top (1000 J vs 929 J at epoch 6) may leave
        // epoch 7 in or out, but nothing before epoch 6 may be kept and no plateau epoch may be dropped beyond epoch 9.
        var result = Detector.Detect(Shapes.LinearRamp());
        Assert.True(result.IsStable, result.Reason);
        Assert.InRange(result.StableFromIndex!.Value, 6, 9);
    }

    [Fact]
    public void PeriodicValidation_Should_Be_Stable_And_Keep_The_Validation_Epochs_In_The_Window()
    {
        // Validation every 5th epoch is a regular pattern, not a change: the window must span whole periods of it.
        var result = Detector.Detect(Shapes.PeriodicValidation(20));
        Assert.True(result.IsStable, result.Reason);
        Assert.True(result.StableEpochs >= 10, $"window of {result.StableEpochs} epochs");
    }

    [Fact]
    public void PeriodicValidation_With_A_StepChange_Should_Find_The_Change()
    {
        // Head training 0-7 (700 J), fine-tuning from 8 (1000 J), validation spikes +30 % at epochs 4, 9, 14, 19.
        var x = Shapes.StepChangeAtEpoch(8, 20).Select((e, i) => (i + 1) % 5 == 0 ? e.Energy.Joules * 1.3 : e.Energy.Joules);
        var result = Detector.Detect(Shapes.Epochs(x));
        Assert.Equal(8, result.StableFromIndex);
    }

    [Fact]
    public void TransientDip_Should_Start_The_Window_After_The_Anomaly()
    {
        // A pause at epochs 10-11 is no change of level (the epochs after it match those before), but averaging it
        // into the window would bias every projection: the window starts at epoch 12.
        var result = Detector.Detect(Shapes.TransientDip());
        Assert.Equal(12, result.StableFromIndex);
    }

    [Fact]
    public void Noise_Should_Rarely_Be_Taken_For_A_Change()
    {
        // 100 steady series of 30 epochs with 5 % noise: the family-wise false-alarm rate is 5 % per test (Bonferroni,
        // conservative), and a false alarm only shortens the window. Allow at most 10 series cut after epoch 0.
        int cut = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var result = Detector.Detect(Shapes.SteadyState(30, 0.05, seed));
            TestContext.Current.TestOutputHelper?.WriteLine($"{seed}: {result.StableFromIndex} {result.Reason}");
            cut += result.StableFromIndex is null or > 0 ? 1 : 0;
        }

        Assert.True(cut <= 10, $"{cut} of 100 steady series were cut");
    }

    [Fact]
    public void TooFewEpochs_Should_Be_Not_Yet_Stable_With_The_Count()
    {
        // Default: 2 × 5 stable epochs must be seen before any judgement.
        var result = Detector.Detect(Shapes.SteadyState(9));
        Assert.False(result.IsStable);
        Assert.Contains("9 epochs finished; at least 10", result.Reason, StringComparison.Ordinal);
        Assert.True(Detector.Detect(Shapes.SteadyState(10)).IsStable);
    }

    [Fact]
    public void Fixed_Rule_Should_Need_Epochs_0_To_14()
    {
        var fixedRule = new FixedStabilityDetector();
        Assert.False(fixedRule.Detect(Shapes.SteadyState(14)).IsStable);
        var result = fixedRule.Detect(Shapes.SteadyState(40));
        Assert.Equal(10, result.StableFromIndex);
        Assert.Equal(15, result.WindowEndIndex);
    }

    [Fact]
    public void Detector_Should_Reject_Settings_That_Cannot_Work()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangePointStabilityDetector(new ChangePointOptions(MinStableEpochs: 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangePointStabilityDetector(new ChangePointOptions(FalseAlarmRate: 1)));
    }
}
