using TrainWatt.Core.Accounting;
using static TrainWatt.Core.Tests.Accounting.TraceBuilder;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>The one gap rule (gap ⇔ interval &gt; max(5 s, 3 × sampling interval)) with hand-derived thresholds and energies.</summary>
public class SampleGapRuleTests
{
    [Theory]
    // interval (ms), threshold (s): max(5 s, 3 × interval)
    [InlineData(100, 5.0)]     // 3 × 0.1 s = 0.3 s < 5 s → the 5 s floor
    [InlineData(1000, 5.0)]    // 3 × 1 s = 3 s < 5 s → 5 s
    [InlineData(1667, 5.001)]  // 3 × 1.667 s = 5.001 s > 5 s → 5.001 s
    [InlineData(2000, 6.0)]    // 3 × 2 s = 6 s
    [InlineData(10000, 30.0)]  // 3 × 10 s = 30 s
    [InlineData(60000, 180.0)] // 3 × 60 s = 180 s
    public void Should_Take_The_Larger_Of_Five_Seconds_And_Three_Intervals(int intervalMs, double thresholdSeconds)
    {
        var rule = SampleGapRule.ForInterval(TimeSpan.FromMilliseconds(intervalMs));

        Assert.Equal(TimeSpan.FromSeconds(thresholdSeconds), rule.Threshold);
        Assert.Equal(TimeSpan.FromMilliseconds(intervalMs), rule.SamplingInterval);
    }

    [Fact]
    public void Should_Call_Only_Intervals_Strictly_Longer_Than_The_Threshold_Gaps()
    {
        // 10 s interval → threshold 30 s: 30 s is not a gap (a run that missed two readings), 30 s + 1 tick is.
        var rule = SampleGapRule.ForInterval(TimeSpan.FromSeconds(10));

        Assert.False(rule.IsGap(TimeSpan.FromSeconds(10)));
        Assert.False(rule.IsGap(TimeSpan.FromSeconds(30)));
        Assert.True(rule.IsGap(TimeSpan.FromSeconds(30) + TimeSpan.FromTicks(1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-100)]
    public void Should_Fall_Back_To_The_Five_Second_Default_Without_A_Known_Interval(int? intervalMs)
    {
        // Imported traces know no interval: today's EnergyOptions default (5 s) applies unchanged.
        var rule = SampleGapRule.ForInterval(intervalMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        Assert.Same(SampleGapRule.Default, rule);
        Assert.Equal(EnergyOptions.Default.GapThreshold, rule.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(5), rule.Threshold);
        Assert.Null(rule.SamplingInterval);
        Assert.Equal("gaps longer than 5 s", rule.ToString());
    }

    [Fact]
    public void Should_Integrate_A_Ten_Second_Run_Whole_Where_The_Five_Second_Default_Dropped_Every_Interval()
    {
        // The reported bug. 60 W sampled at t = 0, 10, 20, 30, 32 s (interval 10 s).
        // Rule for 10 s: threshold max(5, 3 × 10) = 30 s; every interval (10, 10, 10, 2 s) is ≤ 30 s, so all are integrated:
        //   trapezoid = 60 × (10 + 10 + 10 + 2) = 60 × 32 = 1920 J, nothing excluded.
        // Old default (5 s): the three 10 s intervals are gaps, only 30 → 32 s counts: 60 × 2 = 120 J, 30 s excluded.
        var trace = Trace((0, 60), (10, 60), (20, 60), (30, 60), (32, 60));

        var rule = SampleGapRule.ForInterval(TimeSpan.FromSeconds(10));
        var fixedResult = EnergyAccounting.Integrate(trace, rule.ApplyTo()).Result!;
        var oldResult = EnergyAccounting.Integrate(trace).Result!;

        Assert.Equal(1920.0, fixedResult.Energy.Joules, 9);
        Assert.Equal(TimeSpan.Zero, fixedResult.ExcludedDuration);
        Assert.Equal(120.0, oldResult.Energy.Joules, 9);
        Assert.Equal(TimeSpan.FromSeconds(30), oldResult.ExcludedDuration);
        Assert.Equal("gaps longer than 30 s (3 × the 10 s sampling interval)", rule.ToString());
    }

    [Fact]
    public void Should_Exclude_A_Stall_At_A_Fast_Interval_And_Keep_The_Other_Options()
    {
        // 100 ms interval → threshold max(5, 0.3) = 5 s. Samples at 0, 0.1, 0.2 s, then a 20 s stall, then 20.2, 20.3 s,
        // power 100 W throughout. Integrated: 0.2 s + 0.1 s = 0.3 s → 100 × 0.3 = 30 J; excluded: 20.2 − 0.2 = 20 s.
        var trace = Trace((0, 100), (0.1, 100), (0.2, 100), (20.2, 100), (20.3, 100));
        var options = SampleGapRule.ForInterval(TimeSpan.FromMilliseconds(100)).ApplyTo(new EnergyOptions { Method = IntegrationMethod.LeftRiemann });

        var r = EnergyAccounting.Integrate(trace, options).Result!;

        Assert.Equal(IntegrationMethod.LeftRiemann, options.Method); // the caller's other options are kept
        Assert.Equal(30.0, r.Energy.Joules, 9);
        Assert.Equal(TimeSpan.FromSeconds(20), r.ExcludedDuration);
    }
}
