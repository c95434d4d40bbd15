using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Procfs;

namespace TrainWatt.Meters.Tests.Procfs;

public sealed class ProcessTreeMeterTests
{
    private static ProcessTreeMeter Open(FakeProcTree proc, bool cpuModel = true, double? tdpWatts = 100, FakeTimeProvider? time = null)
        => new(new ProcessTreeMeterOptions(proc.Root, cpuModel, tdpWatts is { } w ? Power.FromWatts(w) : null, ClockTicksPerSecond: 100, PageSizeBytes: 4096), time ?? new FakeTimeProvider());

    [Fact]
    public void Should_Find_New_Children_At_The_Next_Full_Scan()
    {
        using var proc = Tree();
        var time = new FakeTimeProvider();
        using var meter = Open(proc, time: time);
        meter.Attach(100);
        meter.Read();
        Assert.Equal(3, meter.LastUsage.ProcessCount);

        // A new grandchild appears: between full scans (default every 1 s) only known pids are read...
        proc.Process(103, 101, utime: 0, stime: 0, rssPages: 1000);
        time.Advance(TimeSpan.FromMilliseconds(500));
        meter.Read();
        Assert.Equal(3, meter.LastUsage.ProcessCount);

        // ...and the next scan finds it (oracle: the documented RescanInterval).
        time.Advance(TimeSpan.FromMilliseconds(500));
        meter.Read();
        Assert.Equal(4, meter.LastUsage.ProcessCount);
    }

    [Fact]
    public void Should_Drop_A_Known_Pid_Reused_By_An_Unrelated_Process()
    {
        using var proc = Tree();
        var time = new FakeTimeProvider();
        using var meter = Open(proc, time: time);
        meter.Attach(100);
        meter.Read();

        // 102 exits and its pid is reused by a process whose parent is not in the tree.
        proc.Process(102, 1, utime: 5, stime: 5, rssPages: 7_777_777, comm: "reused");
        var ram = meter.Read().Channels[0];
        Assert.Equal(2, meter.LastUsage.ProcessCount);
        Assert.Equal(750_000.0 * 4096 / 1e9 * 0.375, ram.Power!.Value.Watts, 9); // (250 000 + 500 000) pages × 4096 B × 0.375 W/GB
    }

    private static FakeProcTree Tree()
        => new FakeProcTree()
            .System(user: 100, nice: 0, system: 100, idle: 800)
            .Process(100, 1, utime: 300, stime: 100, rssPages: 250_000)
            .Process(101, 100, utime: 1000, stime: 200, rssPages: 500_000)
            .Process(102, 101, utime: 50, stime: 50, rssPages: 250_000)
            .Process(200, 1, utime: 99_999, stime: 99_999, rssPages: 9_999_999, comm: "unrelated");

    [Fact]
    public void Should_Sum_Rss_And_Cpu_Time_Of_The_Whole_Tree_Only()
    {
        using var proc = Tree();
        using var meter = Open(proc);
        meter.Attach(100);
        var ram = meter.Read().Channels[0];

        // Hand derivation: RSS = (250 000 + 500 000 + 250 000) pages × 4096 B = 4.096e9 B -> 0.375 W/GB × 4.096 = 1.536 W;
        // CPU = (300+100) + (1000+200) + (50+50) = 1700 ticks / 100 Hz = 17 s. Process 200 is not in the tree.
        Assert.Equal("ram", ram.ChannelId);
        Assert.Equal(1.536, ram.Power!.Value.Watts, 9);
        Assert.Equal(4.096e9 / 1048576, ram.MemoryUsedMiB!.Value, 6);
        Assert.Equal(3, meter.LastUsage.ProcessCount);
        Assert.Equal(TimeSpan.FromSeconds(17), meter.LastUsage.CpuTime);
    }

    [Fact]
    public void Should_Keep_Cpu_Time_Of_Children_That_Exited()
    {
        using var proc = Tree();
        using var meter = Open(proc);
        meter.Attach(100);
        meter.Read();

        // 102 exits and is reaped by 101 (its final 60+40 ticks move into 101's cutime/cstime).
        proc.Remove(102);
        proc.Process(101, 100, utime: 1000, stime: 200, rssPages: 500_000, cutime: 60, cstime: 40);
        meter.Read();
        Assert.Equal(TimeSpan.FromSeconds(17), meter.LastUsage.CpuTime); // 400 + 1200 + 100 ticks, not 1800
        Assert.Equal(2, meter.LastUsage.ProcessCount);

        // The whole tree ends: CPU time stays, RSS (and RAM power) drops to zero because nothing is resident any more.
        proc.Remove(101);
        proc.Remove(100);
        var ram = meter.Read().Channels[0];
        Assert.Equal(TimeSpan.FromSeconds(17), meter.LastUsage.CpuTime);
        Assert.Equal(0, ram.Power!.Value.Watts);
    }

    [Fact]
    public void Should_Model_Cpu_Power_As_Tdp_Times_System_Load()
    {
        using var proc = Tree();
        using var meter = Open(proc, tdpWatts: 100);
        meter.Attach(100);

        // /proc/stat moves from busy 200 / total 1000 to busy 400 / total 1400: load = 200/400 = 50 % -> 100 W × 0.5 = 50 W.
        proc.System(user: 250, nice: 0, system: 150, idle: 1000);
        var cpu = meter.Read().Channels[1];
        Assert.Equal("cpu:model", cpu.ChannelId);
        Assert.Equal(50, cpu.Power!.Value.Watts, 9);
        Assert.Equal(50, cpu.UtilizationPercent!.Value, 9);

        Assert.Equal(Provenance.Model, meter.Channels[1].Provenance);
        Assert.Contains("TDP 100 W", meter.Channels[1].Note);
    }

    [Fact]
    public void Should_Say_When_The_Default_Tdp_Is_Used_And_Omit_The_Cpu_Model_When_Asked()
    {
        using var proc = Tree();
        using (var meter = Open(proc, tdpWatts: null))
        {
            Assert.Contains("default TDP 85 W", meter.Channels[1].Note);
            Assert.Contains("--cpu-tdp", meter.Channels[1].Note);
        }

        using var noCpu = Open(proc, cpuModel: false);
        Assert.Equal(["ram"], noCpu.Channels.Select(c => c.Id));
        Assert.Contains("0.375 W per GB", noCpu.Channels[0].Note);
        Assert.Equal(Provenance.Model, noCpu.Channels[0].Provenance);
    }

    [Fact]
    public void Should_Report_An_Error_Not_Zero_Before_A_Process_Is_Attached()
    {
        using var proc = Tree();
        using var meter = Open(proc);
        var ram = meter.Read().Channels[0];
        Assert.Null(ram.Power);
        Assert.Contains("no process attached", ram.Error);
    }

    [Fact]
    public void Should_Be_Unavailable_Without_Procfs()
    {
        using var proc = new FakeProcTree();
        var e = Assert.Throws<MeterUnavailableException>(() => Open(proc));
        Assert.Contains("stat", e.Message);
    }

    [Fact]
    public void Should_Measure_A_Real_Child_Process_Tree()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/bin/sh"), "needs Linux procfs and /bin/sh");

        // A shell that starts a child: the tree has at least 2 processes and non-zero RSS. The shell forks when the
        // machine lets it (not within a fixed 200 ms on a loaded one), so read until both are there, for up to 30 s;
        // the meter finds new children at its full scans, every second.
        using var child = System.Diagnostics.Process.Start("/bin/sh", ["-c", "sleep 120 & wait"]);
        try
        {
            using var meter = new ProcessTreeMeter(new ProcessTreeMeterOptions(), TimeProvider.System);
            meter.Attach(child.Id);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var ram = meter.Read().Channels[0];
            while (meter.LastUsage.ProcessCount < 2 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
                ram = meter.Read().Channels[0];
            }

            Assert.Null(ram.Error);
            Assert.True(meter.LastUsage.ProcessCount >= 2, $"expected sh and sleep, found {meter.LastUsage.ProcessCount}");
            Assert.True(ram.Power!.Value.Watts > 0);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
        }
    }
}
