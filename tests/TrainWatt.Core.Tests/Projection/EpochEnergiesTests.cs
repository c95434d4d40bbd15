using TrainWatt.Core.Projection;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>The paper's per-epoch rule (paper-notes 1.4-1.5), checked on hand-computed traces.</summary>
public class EpochEnergiesTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0);

    internal static GpuSample Sample(double seconds, double? watts, int line = 0)
        => new(T0.AddSeconds(seconds), watts is { } w ? Power.FromWatts(w) : null, 90, 1000, Power.FromWatts(350), 50, line);

    internal static DateTime At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void Should_Duplicate_The_Last_Sample_Of_Each_Epoch_Into_The_Next()
    {
        // Samples at 0..5 s with 100, 100, 200, 200, 300, 300 W; epochs end at 1.5 s and 3.5 s and 5 s.
        // Epoch 0: samples 0,1 -> trapezoid (1-0)*(100+100)/2 = 100 J.
        // Epoch 1: carried (1 s, 100 W) then 2 s 200 W, 3 s 200 W -> (100+200)/2*1 + (200+200)/2*1 = 150 + 200 = 350 J.
        // Epoch 2: carried (3 s, 200 W) then 4 s 300 W, 5 s 300 W -> 250 + 300 = 550 J. Total 1000 J = whole trapezoid.
        var samples = new[] { Sample(0, 100), Sample(1, 100), Sample(2, 200), Sample(3, 200), Sample(4, 300), Sample(5, 300) };
        var split = EpochEnergies.Split(samples, [At(1.5), At(3.5), At(5)]);
        Assert.Null(split.Error);
        Assert.Equal([100.0, 350.0, 550.0], split.Epochs.Select(e => e.Energy.Joules));
        Assert.Equal(1000.0, split.Total.Joules);
        // Durations: epoch 0 from the first sample (1.5 s), then end differences (2 s, 1.5 s).
        Assert.Equal([1.5, 2.0, 1.5], split.Epochs.Select(e => e.Duration.TotalSeconds));
        // Mean sample power uses the epoch's own samples only: 100, 200, 300 W; counts 2, 2, 2.
        Assert.Equal([100.0, 200.0, 300.0], split.Epochs.Select(e => e.MeanSamplePower.Watts));
        Assert.Equal([2, 2, 2], split.Epochs.Select(e => e.SampleCount));
    }

    [Fact]
    public void Should_Put_A_Sample_Exactly_At_An_Epoch_End_Into_That_Epoch_And_Drop_Samples_After_The_Last_End()
    {
        // end_{k-1} < t <= end_k: the sample at 2 s belongs to epoch 0; the sample at 5 s is after the last end (4 s).
        // Epoch 0: 0,1,2 s at 10 W -> 20 J. Epoch 1: carried (2 s, 10 W), 3 s 30 W, 4 s 30 W -> 20 + 30 = 50 J.
        var samples = new[] { Sample(0, 10), Sample(1, 10), Sample(2, 10), Sample(3, 30), Sample(4, 30), Sample(5, 1000) };
        var split = EpochEnergies.Split(samples, [At(2), At(4)]);
        Assert.Equal([20.0, 50.0], split.Epochs.Select(e => e.Energy.Joules));
        Assert.Empty(split.Warnings);
    }

    [Fact]
    public void Should_Skip_Samples_Without_Power_Rather_Than_Read_Them_As_Zero()
    {
        // The N/A sample at 1 s is skipped: the trapezoid joins 0 s and 2 s: 2 * 100 = 200 J (never 100 J from a 0 W point).
        var samples = new[] { Sample(0, 100), Sample(1, null), Sample(2, 100) };
        var split = EpochEnergies.Split(samples, [At(2)]);
        Assert.Equal(200.0, split.Total.Joules);
    }

    [Fact]
    public void Should_Warn_When_An_Epoch_Has_No_Sample()
    {
        // Epoch 1 (1.2-1.6 s) holds no sample at 1 Hz: it gets 0 J and the interval goes to epoch 2; a warning says so.
        var samples = new[] { Sample(0, 100), Sample(1, 100), Sample(2, 100) };
        var split = EpochEnergies.Split(samples, [At(1.2), At(1.6), At(2)]);
        Assert.Equal([100.0, 0.0, 100.0], split.Epochs.Select(e => e.Energy.Joules));
        Assert.Contains(split.Warnings, w => w.Contains("epoch 1 has no power sample", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Leave_Out_A_Negative_Power_Naming_Its_Line()
    {
        // 0..4 s at 100 W but -300 W at 2 s (line 4): left out, 0→1→3→4 at 100 W = 400 J; as given it would be 0 J.
        var samples = new[] { Sample(0, 100, 2), Sample(1, 100, 3), Sample(2, -300, 4), Sample(3, 100, 5), Sample(4, 100, 6) };
        var split = EpochEnergies.Split(samples, [At(4)]);
        Assert.Null(split.Error);
        Assert.Equal(400.0, split.Total.Joules, 12);
        Assert.Equal(4, split.Epochs[0].SampleCount);
        Assert.Contains(split.Warnings, w => w.StartsWith("line 4: power -300 W is negative", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Refuse_Time_Going_Backwards_Naming_The_Line()
    {
        var samples = new[] { Sample(0, 100, 2), Sample(2, 100, 3), Sample(1, 100, 4) };
        var split = EpochEnergies.Split(samples, [At(2)]);
        Assert.NotNull(split.Error);
        Assert.Contains("line 4", split.Error, StringComparison.Ordinal);
        Assert.Empty(split.Epochs);
    }

    [Fact]
    public void Should_Refuse_An_Epoch_Log_That_Ends_Before_The_Trace_Starts()
    {
        var samples = new[] { Sample(10, 100), Sample(11, 100) };
        var split = EpochEnergies.Split(samples, [At(5)]);
        Assert.Contains("do not share a clock", split.Error, StringComparison.Ordinal);
    }
}
