using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Procfs;

namespace TrainWatt.Meters.Tests.Procfs;

/// <summary>
/// <c>--cpu-attribution</c> in the two CPU meters, on a fake /proc: the TDP model of <see cref="ProcessTreeMeter"/> and
/// the RAPL counter through <see cref="CpuAttributedRaplMeter"/>. Every expected value is derived by hand in its comment.
/// </summary>
public sealed class CpuAttributionMeterTests
{
    private static ProcessTreeMeter Open(FakeProcTree proc, FakeTimeProvider time, bool cpuModel, CpuAttribution mode)
        => new(new ProcessTreeMeterOptions(proc.Root, cpuModel, Power.FromWatts(100), ClockTicksPerSecond: 100, PageSizeBytes: 4096) { Attribution = mode }, time);

    [Fact]
    public void The_Model_Charges_The_Trees_Share_And_Keeps_Both_Totals()
    {
        var time = new FakeTimeProvider();
        using var proc = new FakeProcTree().System(user: 100, nice: 0, system: 100, idle: 800).Process(100, 1, utime: 0, stime: 0, rssPages: 0);
        using var meter = Open(proc, time, cpuModel: true, CpuAttribution.Process);
        meter.Attach(100);

        // Window 1: total 1000 → 1400 (Δ 400 ticks on 4 CPUs), busy 200 → 400 (Δ 200), the tree 0 → 40 ticks.
        // Machine: 100 W × 200/400 = 50 W; the tree: 100 W × 40/400 = 10 W (= 50 W × its share 40/200).
        proc.System(user: 300, nice: 0, system: 100, idle: 1000).Process(100, 1, utime: 30, stime: 10, rssPages: 0);
        var first = meter.Read().Channels[1];
        Assert.Equal(10, first.Power!.Value.Watts, 9);
        Assert.Equal(10, first.UtilizationPercent!.Value, 9);
        Assert.Equal(new CpuEnergyTotals(Energy.Zero, Energy.Zero), meter.CpuTotals); // one reading: nothing integrated yet

        // Half a second later the window is still open: the same powers; the totals add 0.5 s of them.
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(10, meter.Read().Channels[1].Power!.Value.Watts, 9);
        Assert.Equal(25, meter.CpuTotals.Machine.Joules, 9); // 50 W × 0.5 s
        Assert.Equal(5, meter.CpuTotals.Process.Joules, 9);  // 10 W × 0.5 s

        // Window 2 (1 s after window 1): busy +200 of +400 again, the tree +0: machine 50 W, the tree 0 W.
        // Trapezoids over the last 0.5 s: machine (50 + 50)/2 × 0.5 = 25 J, the tree (10 + 0)/2 × 0.5 = 2.5 J.
        time.Advance(TimeSpan.FromMilliseconds(500));
        proc.System(user: 500, nice: 0, system: 100, idle: 1200);
        Assert.Equal(0, meter.Read().Channels[1].Power!.Value.Watts, 9);
        Assert.Equal(50, meter.CpuTotals.Machine.Joules, 9);
        Assert.Equal(7.5, meter.CpuTotals.Process.Joules, 9);

        // --cpu-attribution machine from the next reading on: the channel shows the machine's 50 W; both totals go on.
        meter.Attribution = CpuAttribution.Machine;
        time.Advance(TimeSpan.FromSeconds(1));
        proc.System(user: 700, nice: 0, system: 100, idle: 1400);
        var machine = meter.Read().Channels[1];
        Assert.Equal(50, machine.Power!.Value.Watts, 9);
        Assert.Equal(50, machine.UtilizationPercent!.Value, 9);
        Assert.Equal(100, meter.CpuTotals.Machine.Joules, 9); // + 50 W × 1 s
        Assert.Equal(7.5, meter.CpuTotals.Process.Joules, 9); // + 0
    }

    [Fact]
    public void The_Model_Divides_By_The_Cpus_We_May_Use()
    {
        // A quota of 1 CPU of the 4 in /proc/stat: capacity 400 × 1/4 = 100 ticks; the tree's 40 ticks are 40 %.
        var time = new FakeTimeProvider();
        using var proc = new FakeProcTree().System(user: 100, nice: 0, system: 100, idle: 800).Process(100, 1, utime: 0, stime: 0, rssPages: 0);
        using var meter = new ProcessTreeMeter(
            new ProcessTreeMeterOptions(proc.Root, true, Power.FromWatts(10), ClockTicksPerSecond: 100) { Attribution = CpuAttribution.Process, AvailableCpus = 1 }, time);
        meter.Attach(100);
        proc.System(user: 300, nice: 0, system: 100, idle: 1000).Process(100, 1, utime: 40, stime: 0, rssPages: 0);
        Assert.Equal(4, meter.Read().Channels[1].Power!.Value.Watts, 9); // 10 W × 0.4
    }

    [Fact]
    public void A_New_Root_Starts_From_Zero_But_The_Tick_Count_Keeps_Growing()
    {
        var time = new FakeTimeProvider();
        using var proc = new FakeProcTree().System(user: 100, nice: 0, system: 100, idle: 800)
            .Process(100, 1, utime: 500, stime: 0, rssPages: 0, cutime: 300) // 800 ticks with a reaped child
            .Process(300, 1, utime: 20, stime: 0, rssPages: 0);
        using var meter = Open(proc, time, cpuModel: false, CpuAttribution.Process);
        meter.Attach(100);
        Assert.Equal(800, meter.ReadCpuTimes()!.Value.TreeTicks);

        // The next run's root (an experiment): its 20 ticks count from the 800 on, not hidden under the old maximum.
        proc.Remove(100);
        meter.Attach(300);
        Assert.Equal(820, meter.ReadCpuTimes()!.Value.TreeTicks);
        Assert.Equal(TimeSpan.FromSeconds(0.2), meter.LastUsage.CpuTime);
    }

    [Fact]
    public void Rapl_Packages_Are_Charged_By_The_Trees_Share_Over_A_One_Second_Window()
    {
        var time = new FakeTimeProvider();
        using var proc = new FakeProcTree().System(user: 100, nice: 0, system: 100, idle: 800).Process(100, 1, utime: 0, stime: 0, rssPages: 0);
        using var process = Open(proc, time, cpuModel: false, CpuAttribution.Machine);
        process.Attach(100);
        var rapl = new ScriptedRapl();
        using var meter = new CpuAttributedRaplMeter(rapl, process, time, CpuAttribution.Process);
        Assert.Equal(Provenance.Counter, meter.Channels[0].Provenance);
        Assert.Contains("share of the machine's CPU time", meter.Channels[0].Note);
        Assert.Null(meter.Channels[1].Note); // DRAM is not attributed

        rapl.Next(0, 0, 0);
        Assert.Equal(0, meter.Read().Channels[0].CumulativeEnergy!.Value.Joules);

        // 1 s later: busy +200 ticks, the tree +50: share 50/200 = 0.25. The package counted 100 J at 100 W:
        // the run is charged 25 J at 25 W; DRAM's 30 J pass through.
        time.Advance(TimeSpan.FromSeconds(1));
        proc.System(user: 300, nice: 0, system: 100, idle: 1000).Process(100, 1, utime: 50, stime: 0, rssPages: 0);
        rapl.Next(100, 100, 30);
        var r = meter.Read();
        Assert.Equal(25, r.Channels[0].CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal(25, r.Channels[0].Power!.Value.Watts, 9);
        Assert.Equal(30, r.Channels[1].CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal((100.0, 25.0), (meter.CpuTotals.Machine.Joules, meter.CpuTotals.Process.Joules));

        // 1 s later: the window drops the reading 2 s back; the tree used nothing of the last 200 busy ticks: share 0,
        // so the package's next 100 J are not charged (cumulative stays 25 J: a monotonic counter).
        time.Advance(TimeSpan.FromSeconds(1));
        proc.System(user: 500, nice: 0, system: 100, idle: 1200);
        rapl.Next(200, 100, 60);
        Assert.Equal(25, meter.Read().Channels[0].CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal((200.0, 25.0), (meter.CpuTotals.Machine.Joules, meter.CpuTotals.Process.Joules));

        // --cpu-attribution machine: the package's own counter again.
        meter.Attribution = CpuAttribution.Machine;
        time.Advance(TimeSpan.FromSeconds(1));
        proc.System(user: 700, nice: 0, system: 100, idle: 1400);
        rapl.Next(300, 100, 90);
        Assert.Equal(300, meter.Read().Channels[0].CumulativeEnergy!.Value.Joules, 9);
        Assert.Equal(Provenance.Counter, meter.CpuProvenance);
    }

    /// <summary>A RAPL-like counter meter whose next values the test sets: one package and its DRAM.</summary>
    private sealed class ScriptedRapl : IMeter
    {
        private (double Cpu, double CpuW, double Dram) _next;

        public string Name => "rapl";

        public IReadOnlyList<MeterChannel> Channels { get; } =
        [
            new("cpu:package-0", "cpu", "package-0", Provenance.Counter, Note: "RAPL intel-rapl:0 energy_uj"),
            new("dram:package-0", "dram", "package-0", Provenance.Counter),
        ];

        public void Next(double cpuJ, double cpuW, double dramJ) => _next = (cpuJ, cpuW, dramJ);

        public MeterReading Read() => new(DateTimeOffset.UnixEpoch, TimeSpan.Zero,
        [
            new ChannelReading("cpu:package-0", Power.FromWatts(_next.CpuW), Energy.FromJoules(_next.Cpu)),
            new ChannelReading("dram:package-0", null, Energy.FromJoules(_next.Dram)),
        ]);

        public void Dispose()
        {
        }
    }
}
