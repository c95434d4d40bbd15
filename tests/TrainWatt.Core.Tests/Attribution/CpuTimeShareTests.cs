using TrainWatt.Core.Attribution;

namespace TrainWatt.Core.Tests.Attribution;

/// <summary>The share arithmetic of <c>--cpu-attribution process</c>; every expected value is derived by hand in its comment.</summary>
public class CpuTimeShareTests
{
    [Theory]
    [InlineData(30, 120, 0.25)]     // the tree used 30 of the machine's 120 busy ticks: 30/120 = 1/4
    [InlineData(0, 120, 0.0)]       // a sleeping tree (measure -- sleep 5) is charged nothing, whatever else runs
    [InlineData(0, 0, 0.0)]         // an idle machine and an idle tree
    [InlineData(5, 0, 1.0)]         // the tree's tick seen before the machine's (files read apart): all of it, not a division by zero
    [InlineData(130, 120, 1.0)]     // same skew the other way: clamped to the whole machine
    [InlineData(-3, 120, 0.0)]      // never negative
    public void Share_Is_The_Trees_Busy_Time_Over_The_Machines(long tree, long busy, double expected)
        => Assert.Equal(expected, CpuTimeShare.Of(tree, busy), 12);

    [Theory]
    [InlineData(50, 400, 4, 4.0, 0.125)]    // every CPU ours: 50 / 400
    [InlineData(100, 1600, 16, 4.0, 0.25)]  // 4 of 16 CPUs ours: capacity 1600 × 4/16 = 400; 100 / 400
    [InlineData(500, 1600, 16, 4.0, 1.0)]   // 500 > 400: clamped (busy time of other tenants on a shared host)
    [InlineData(150, 800, 8, 1.5, 1.0)]     // quota 1.5 CPUs of 8: capacity 150; 150 / 150
    [InlineData(75, 800, 8, 1.5, 0.5)]      // 75 / 150
    [InlineData(0, 800, 8, 8.0, 0.0)]
    [InlineData(10, 0, 8, 8.0, 0.0)]        // no time elapsed: no utilisation (not a division by zero)
    public void Utilisation_Is_Ticks_Over_The_Capacity_Of_Our_Cpus(long ticks, long total, int seen, double available, double expected)
        => Assert.Equal(expected, CpuTimeShare.Utilisation(ticks, total, seen, available), 12);

    [Fact]
    public void Process_Power_Equals_Machine_Power_Times_The_Share_When_Nothing_Is_Clamped()
    {
        // Over one window on 4 CPUs: 400 ticks in all, 200 busy, 40 of them the tree's; TDP 100 W.
        // Machine: 100 W × 200/400 = 50 W. Share: 40/200 = 0.2. Process: 50 W × 0.2 = 10 W = 100 W × 40/400.
        double machine = 100 * CpuTimeShare.Utilisation(200, 400, 4, 4);
        double process = 100 * CpuTimeShare.Utilisation(40, 400, 4, 4);
        Assert.Equal(50, machine, 12);
        Assert.Equal(10, process, 12);
        Assert.Equal(machine * CpuTimeShare.Of(40, 200), process, 12);
    }

    [Fact]
    public void Modes_And_Labels_Are_Spelled_Once()
    {
        Assert.Equal(["process", "machine"], CpuAttributionText.Names);
        Assert.True(CpuAttributionText.TryParse(" MACHINE ", out var mode));
        Assert.Equal(CpuAttribution.Machine, mode);
        Assert.False(CpuAttributionText.TryParse("tree", out _));
        Assert.Equal("counter, attributed", CpuAttributionText.Label(Provenance.Counter, attributed: true));
        Assert.Equal("model", CpuAttributionText.Label(Provenance.Model, attributed: false));
        Assert.Equal("attributed", ProvenanceText.Attributed);
        Assert.Equal("cpu_attribution", CpuAttributionText.MetadataKey); // the CodeCarbon export reads this key
    }
}
