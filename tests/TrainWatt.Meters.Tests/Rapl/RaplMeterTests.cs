using CsCheck;
using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Meters.Rapl;

namespace TrainWatt.Meters.Tests.Rapl;

public sealed class RaplMeterTests
{
    [Fact]
    public void Should_Measure_Packages_And_Dram_But_Not_Core_Uncore_Or_Psys()
    {
        using var tree = FakePowercapTree.Client();
        using var meter = RaplMeter.Open(tree.Root, TimeProvider.System);

        // Oracle: RaplMeter's documented policy (package + DRAM are disjoint planes; core/uncore inside package; psys covers all).
        Assert.Equal(["cpu:package-0", "dram:package-0"], meter.Channels.Select(c => c.Id));
        Assert.All(meter.Channels, c => Assert.Equal(Provenance.Counter, c.Provenance));
        Assert.Equal(["cpu", "dram"], meter.Channels.Select(c => c.Component));
        Assert.Equal(5, meter.Domains.Count);
    }

    [Fact]
    public void Should_Report_Counter_Increases_Since_Open_In_Joules_And_Mean_Power()
    {
        // Given
        using var tree = FakePowercapTree.Client();
        var time = new FakeTimeProvider();
        using var meter = RaplMeter.Open(tree.Root, time);

        // When: 2 s later the package counter rose 50 J and DRAM 4 J.
        tree.SetEnergy("intel-rapl:0", 1_000_000 + 50_000_000);
        tree.SetEnergy("intel-rapl:0:2", 200_000 + 4_000_000);
        time.Advance(TimeSpan.FromSeconds(2));
        var r = meter.Read();

        // Then (hand derivation: 50 J / 2 s = 25 W; 4 J / 2 s = 2 W)
        Assert.Equal(50, r.Channels[0].CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal(25, r.Channels[0].Power!.Value.Watts, 9);
        Assert.Equal(4, r.Channels[1].CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal(2, r.Channels[1].Power!.Value.Watts, 9);
        Assert.Equal(TimeSpan.FromSeconds(2), r.Elapsed);
    }

    [Fact]
    public void Should_Handle_Wrap_Around_At_Max_Energy_Range()
    {
        using var tree = new FakePowercapTree().Zone("intel-rapl:0", "package-0", 999_000_000, maxRangeUj: 1_000_000_000);
        var time = new FakeTimeProvider();
        using var meter = RaplMeter.Open(tree.Root, time);

        // The counter goes 999 J -> (wraps at 1000 J) -> 3 J: increase = 1000 - 999 + 3 = 4 J (hand derivation).
        tree.SetEnergy("intel-rapl:0", 3_000_000);
        time.Advance(TimeSpan.FromSeconds(1));
        var first = meter.Read().Channels[0];
        Assert.Equal(4, first.CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal(4, first.Power!.Value.Watts, 9);

        // And keeps accumulating after the wrap: 3 J -> 10 J adds 7 J.
        tree.SetEnergy("intel-rapl:0", 10_000_000);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11, meter.Read().Channels[0].CumulativeEnergy!.Value.Joules, 9);
    }

    [Fact]
    public void Should_Give_The_Exact_Fix_When_Energy_Is_Not_Readable()
    {
        // Tests run as root, which bypasses file modes, so the reader throws as File.ReadAllText does for a non-root user.
        using var tree = FakePowercapTree.Client();
        string Reader(string path) => path.EndsWith("energy_uj", StringComparison.Ordinal)
            ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
            : File.ReadAllText(path);

        var e = Assert.Throws<MeterUnavailableException>(() => RaplMeter.Open(tree.Root, TimeProvider.System, readFile: Reader));
        Assert.Contains("permission denied", e.Message);
        Assert.Contains("CVE-2020-8694", e.Message);
        Assert.Contains(Path.Combine(tree.Root, "intel-rapl:0", "energy_uj"), e.Message);
        Assert.Contains("sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj", e.Fix);

        var probe = RaplMeter.Probe(tree.Root, Reader);
        Assert.False(probe.Available);
        Assert.Equal(e.Fix, probe.Fix);
    }

    [Fact]
    public void Should_Turn_A_Later_Read_Failure_Into_A_Reading_Error()
    {
        using var tree = FakePowercapTree.Client();
        bool deny = false;
        string Reader(string path) => deny && path.EndsWith("energy_uj", StringComparison.Ordinal)
            ? throw new UnauthorizedAccessException("denied")
            : File.ReadAllText(path);
        using var meter = RaplMeter.Open(tree.Root, TimeProvider.System, readFile: Reader);
        deny = true;
        var r = meter.Read().Channels[0];
        Assert.Null(r.Power);
        Assert.Null(r.CumulativeEnergy);
        Assert.Contains("permission denied", r.Error);
    }

    [Fact]
    public void Should_Be_Unavailable_With_A_Reason_When_There_Are_No_Zones()
    {
        using var tree = new FakePowercapTree();
        var e = Assert.Throws<MeterUnavailableException>(() => RaplMeter.Open(tree.Root, TimeProvider.System));
        Assert.Contains("No RAPL powercap zone", e.Message);
        Assert.Contains("modprobe intel_rapl_msr", e.Fix);

        var missingRoot = RaplMeter.Probe(Path.Combine(tree.Root, "does-not-exist"));
        Assert.False(missingRoot.Available);
    }

    [Fact]
    public void Should_Measure_Only_The_Package_When_Dram_Is_Missing()
    {
        using var tree = new FakePowercapTree()
            .Zone("intel-rapl:0", "package-0", 1)
            .Zone("intel-rapl:0:0", "core", 1)
            .Zone("intel-rapl:1", "package-1", 1);
        using var meter = RaplMeter.Open(tree.Root, TimeProvider.System);
        Assert.Equal(["cpu:package-0", "cpu:package-1"], meter.Channels.Select(c => c.Id));
    }

    [Fact]
    public void Should_Fall_Back_To_Psys_Only_Without_Package_Zones()
    {
        using var tree = new FakePowercapTree().Zone("intel-rapl:1", "psys", 1);
        using var meter = RaplMeter.Open(tree.Root, TimeProvider.System);
        Assert.Equal(["psys:intel-rapl:1"], meter.Channels.Select(c => c.Id));
        Assert.Equal("psys", meter.Channels[0].Component);
    }

    [Fact]
    public void Should_List_Every_Zone_And_Its_Role_In_The_Probe()
    {
        using var tree = FakePowercapTree.Client();
        var probe = RaplMeter.Probe(tree.Root);
        Assert.True(probe.Available);
        Assert.Equal(
            [
                "intel-rapl:0 package-0: measured",
                "intel-rapl:0:0 core: inside its package, not summed",
                "intel-rapl:0:1 uncore: inside its package, not summed",
                "intel-rapl:0:2 dram: measured",
                "intel-rapl:1 psys: not summed (would double count)",
            ],
            probe.Found);
    }

    [Fact]
    public void Should_Never_Give_A_Negative_Delta_And_Recover_Any_Increment_Below_The_Range()
    {
        // Property (oracle: modular arithmetic): for prev <= max and an increment d < max, the counter reads
        // cur = (prev + d) mod max and Delta(prev, cur, max) == d. Deltas are unsigned, hence never negative.
        Gen.ULong[1, ulong.MaxValue / 2]
            .SelectMany(max => Gen.Select(Gen.Const(max), Gen.ULong[0, max - 1], Gen.ULong[0, max - 1]))
            .Sample((max, prev, d) =>
            {
                ulong cur = (ulong)(((UInt128)prev + d) % max);
                ulong? delta = RaplCounter.Delta(prev, cur, max);
                return delta == d;
            }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Should_Refuse_To_Guess_When_The_Range_Is_Unknown()
        => Assert.Null(RaplCounter.Delta(10, 5, 0));
}

/// <summary>Layouts as the kernel creates them (oracle: a listing of /sys/class/powercap on an Intel laptop and the
/// powercap sysfs documentation: zones are symlinks into /sys/devices/virtual/powercap, MMIO zones duplicate package-0).</summary>
public sealed class RaplSysfsLayoutTests
{
    [Fact]
    public void Should_Follow_Zone_Symlinks_And_Ignore_Mmio_Duplicates()
    {
        using var tree = new FakePowercapTree();

        // devices/virtual/powercap/intel-rapl/intel-rapl:0 holds the files; class/powercap/intel-rapl:0 links to it.
        string devices = Path.Combine(tree.Root, "devices", "intel-rapl");
        string classDir = Path.Combine(tree.Root, "class");
        Directory.CreateDirectory(devices);
        Directory.CreateDirectory(classDir);
        foreach (var (zone, name) in new[] { ("intel-rapl:0", "package-0"), ("intel-rapl:0:0", "core"), ("intel-rapl-mmio:0", "package-0") })
        {
            string target = Path.Combine(devices, zone);
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "name"), name + "\n");
            File.WriteAllText(Path.Combine(target, "energy_uj"), "1000\n");
            File.WriteAllText(Path.Combine(target, "max_energy_range_uj"), "262143328850\n");
            Directory.CreateSymbolicLink(Path.Combine(classDir, zone), target);
        }

        using var meter = RaplMeter.Open(classDir, TimeProvider.System);
        Assert.Equal(["cpu:package-0"], meter.Channels.Select(c => c.Id));
        Assert.Equal(["intel-rapl:0", "intel-rapl:0:0"], meter.Domains.Select(d => d.ZoneId));
    }
}
