using TrainWatt.Meters.AmdSmi;

namespace TrainWatt.Meters.Tests.AmdSmi;

/// <summary>The counter guard's rules on hand-made readings (oracle: the rules in its documentation, numbers by hand).</summary>
public sealed class AmdCounterGuardTests
{
    [Fact]
    public void Should_Accept_A_Counter_That_Counts_300_W_With_Timestamps_Unrelated_To_The_Run()
    {
        // The counter's own timestamps are CLOCK_MONOTONIC seconds (27,000 s after boot here); 30 J per 0.1 s is 300 W.
        var guard = new AmdCounterGuard();
        for (int k = 0; k <= 50; k++)
        {
            Assert.True(guard.Accept(1000 + (30.0 * k), 27000 + (0.1 * k), 300, 0.1 * k));
        }

        Assert.Null(guard.Fault);
    }

    [Fact]
    public void Should_Name_A_Backward_Step_With_The_Runs_Time()
    {
        var guard = new AmdCounterGuard();
        Assert.True(guard.Accept(1000, 27000.0, 300, 0.9));
        Assert.False(guard.Accept(950, 27000.1, 300, 1.0));
        Assert.Equal("the energy counter went backwards by 50 J at 1.0 s", guard.Fault);
        Assert.False(guard.Accept(2000, 27000.2, 300, 1.1)); // once at fault, never used again
    }

    [Fact]
    public void Should_Refuse_A_Jump_Above_3000_W_And_Accept_2900_W()
    {
        var guard = new AmdCounterGuard();
        Assert.True(guard.Accept(0, 0, null, 0));
        Assert.True(guard.Accept(290, 0.1, null, 0.1)); // 2,900 W: high but possible
        Assert.False(guard.Accept(290 + 310, 0.2, null, 0.2)); // 3,100 W
        Assert.Equal("the energy counter jumped by 310 J in 100 ms at 0.2 s (3100 W, more than the 3000 W any AMD GPU draws)", guard.Fault);
    }

    [Fact]
    public void Should_Distrust_A_Counter_Standing_Still_For_Two_Seconds_While_The_Gpu_Draws_Power_But_Not_At_0_W()
    {
        var still = new AmdCounterGuard();
        var idle = new AmdCounterGuard();
        bool stillOk = true;
        for (int k = 0; k <= 20 && stillOk; k++)
        {
            stillOk = still.Accept(500, 0.1 * k, 120, 0.1 * k);
            Assert.True(idle.Accept(500, 0.1 * k, 0, 0.1 * k));
        }

        Assert.False(stillOk);
        Assert.Equal("the energy counter stood still for 2.0 s up to 2.0 s while the GPU reported 120 W", still.Fault);
        Assert.Null(idle.Fault);
    }
}
