namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>The share arithmetic of GPU attribution on hand-made process lists (oracle: hand derivation).</summary>
public sealed class GpuShareTrackerTests
{
    private static bool IsRun(int pid) => pid is 100 or 101;

    [Fact]
    public void Should_Weight_Each_Interval_By_The_Share_Of_Its_Time()
    {
        // 10 J at 60/(60+20) = 0.75, then 30 J at 50/(50+50) = 0.5: 7.5 + 15 = 22.5 J of 40 J, 0.5625.
        var tracker = new GpuShareTracker("gpu:0");
        tracker.Update([100, 7], [(100, 60), (7, 20)], IsRun);
        tracker.Add(10);
        tracker.Update([100, 101, 7], [(100, 30), (101, 20), (7, 50)], IsRun);
        tracker.Add(30);

        var result = tracker.Result()!;
        Assert.Equal(0.5625, result.Share, 12);
        Assert.Equal([7], result.OtherProcesses);
    }

    [Fact]
    public void Should_Report_Nothing_For_A_Gpu_Used_Only_By_The_Run()
    {
        var tracker = new GpuShareTracker("gpu:0");
        tracker.Update([100, 101], [(100, 60), (101, 30)], IsRun);
        tracker.Add(50);
        Assert.Null(tracker.Result());
    }

    [Fact]
    public void Should_Give_The_Run_Nothing_While_Only_Others_Compute()
    {
        var tracker = new GpuShareTracker("gpu:0");
        tracker.Update([7], [(7, 90)], IsRun);
        tracker.Add(20);
        tracker.Update([100, 7], [(100, 40), (7, 40)], IsRun);
        tracker.Add(20);
        Assert.Equal(0.25, tracker.Result()!.Share, 12); // (0 × 20 + 0.5 × 20) / 40
    }
}
