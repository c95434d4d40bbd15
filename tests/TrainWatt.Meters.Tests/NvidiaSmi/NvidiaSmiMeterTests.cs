using TrainWatt.Core;
using TrainWatt.Meters.NvidiaSmi;

namespace TrainWatt.Meters.Tests.NvidiaSmi;

public sealed class NvidiaSmiMeterTests
{
    private static MeterReading ReadUntilAllHaveValues(IMeter meter)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30); // a loaded machine can take seconds to start the fake's shell
        while (true)
        {
            var r = meter.Read();
            if (r.Channels.All(c => c.Power is not null) || DateTime.UtcNow > deadline)
            {
                return r;
            }

            Thread.Sleep(50);
        }
    }

    [Fact]
    public void Should_Stream_Power_Per_Gpu_Labelled_As_Sampled()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.TwoGpus();
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable), TimeProvider.System);

        var r = ReadUntilAllHaveValues(meter);

        // Oracle: the canned lines of FakeNvidiaSmi.TwoGpus.
        Assert.Equal(["gpu:0", "gpu:1"], meter.Channels.Select(c => c.Id));
        Assert.All(meter.Channels, c => Assert.Equal(Provenance.Sampled, c.Provenance));
        Assert.Contains("nvidia-smi -lms 100", meter.Channels[0].Note);
        Assert.Equal("NVIDIA Fake, With Comma", meter.Channels[1].DeviceName);
        Assert.Equal("GPU-bbbbbbbb-2222", meter.Channels[1].Uuid);
        Assert.Equal(123.45, r.Channels[0].Power!.Value.Watts, 9);
        Assert.Equal(67.80, r.Channels[1].Power!.Value.Watts, 9);
        Assert.Equal(87, r.Channels[0].UtilizationPercent);
        Assert.Equal(2048, r.Channels[0].MemoryUsedMiB);
        Assert.Equal(61, r.Channels[0].TemperatureCelsius);
        Assert.Null(r.Channels[0].CumulativeEnergy);
        Assert.Contains("--format=csv -lms 100 -i 0,1", smi.Arguments);
    }

    [Fact]
    public void Should_Pass_The_Gpu_Selection_To_Nvidia_Smi()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.TwoGpus();
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable, TimeSpan.FromMilliseconds(250), Gpus: "1"), TimeProvider.System);
        var r = ReadUntilAllHaveValues(meter);
        Assert.Equal(["gpu:1"], meter.Channels.Select(c => c.Id));
        Assert.Equal(67.80, r.Channels[0].Power!.Value.Watts, 9);
        Assert.Contains("-lms 250 -i 1", smi.Arguments);
    }

    [Fact]
    public void Should_Report_An_Error_When_Nvidia_Smi_Stops()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.TwoGpus(streamLines: 2);
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable), TimeProvider.System);

        // The fake prints two rounds then exits 15 with "GPU lost" on stderr; about 2 s after its last line readings turn
        // into errors. Before its first line arrives a reading is an error too ("no sample from nvidia-smi yet"; on a
        // loaded machine that lasts past the first reads): wait for an error other than that one, for up to 30 s.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ChannelReading c;
        do
        {
            Thread.Sleep(100);
            c = meter.Read().Channels[0];
        }
        while ((c.Error is null || c.Error.StartsWith("no sample from nvidia-smi yet", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

        Assert.Null(c.Power);
        Assert.Contains("nvidia-smi exited (code 15): GPU lost", c.Error);
    }

    /// <summary>Reads (and takes faults) until <paramref name="done"/> holds, for up to 30 s (a loaded machine can take seconds to start the fake's shell).</summary>
    private static (MeterReading Reading, List<string> Faults) ReadUntil(NvidiaSmiMeter meter, Func<MeterReading, List<string>, bool> done)
    {
        var faults = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var r = meter.Read();
            faults.AddRange(meter.TakeFaults());
            if (done(r, faults) || DateTime.UtcNow > deadline)
            {
                return (r, faults);
            }

            Thread.Sleep(50);
        }
    }

    [Fact]
    public void Should_Report_Two_Gpus_Under_One_Index_As_The_Trace_Reader_Does_And_Keep_The_First()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.SharedIndex();
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable, Gpus: "0"), TimeProvider.System);

        var powers = new List<double>();
        var (_, faults) = ReadUntil(meter, (r, f) =>
        {
            if (r.Channels[0].Power is { } p)
            {
                powers.Add(p.Watts);
            }

            return f.Count > 0 && powers.Count > 5;
        });

        // Oracle: the fake's lines. Line 1 is the header, lines 2-4 GPU 0 alone, line 6 the first of the other GPU.
        // The fault is the trace reader's (NvidiaSmiCsvParser, FaultKind.SharedDeviceIndex), with the live meter's hint.
        Assert.Equal(
            "nvidia-smi output:6: index 0 is used by two GPUs: pci.bus_id 00000000:01:00.0 (line 2) and 00000000:41:00.0 (this line); " +
            "the second is kept apart as device '0/00000000:41:00.0'. " + NvidiaSmiMeter.SharedIndexHint,
            Assert.Single(faults));
        Assert.All(powers, w => Assert.Equal(100, w)); // never the other GPU's 300 W
        Assert.Contains("--query-gpu=timestamp,index,pci.bus_id,uuid,power.draw", smi.Arguments);
        Thread.Sleep(200);
        Assert.Empty(meter.TakeFaults()); // reported once, however many lines follow
    }

    [Fact]
    public void Should_Refuse_Output_Without_An_Index_Column_When_Several_Gpus_Are_Selected()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.WithoutIndexColumn();
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable), TimeProvider.System);

        var (r, faults) = ReadUntil(meter, (_, f) => f.Count > 0);

        string fault = Assert.Single(faults);
        Assert.StartsWith("nvidia-smi output:1: has no index or pci.bus_id column (header 'timestamp, power.draw [W], ", fault, StringComparison.Ordinal);
        Assert.Contains("but 2 GPUs are selected: their lines cannot be told apart", fault, StringComparison.Ordinal);
        Assert.All(r.Channels, c => Assert.Null(c.Power));
        Assert.All(r.Channels, c => Assert.Equal(fault, c.Error));
    }

    [Fact]
    public void Should_Report_Interleaved_Gpus_Without_An_Index_Column_As_The_Trace_Reader_Does_And_Stop_Giving_Values()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.WithoutIndexColumn();
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable, Gpus: "0"), TimeProvider.System);

        var (r, faults) = ReadUntil(meter, (_, f) => f.Count > 0);

        // Oracle: InterleavedGpuCheck, as NvidiaSmiCsv applies it to a file. Lines 2-3, 4-5, 6-7 share a time stamp,
        // 100 ms apart: the intervals ending at lines 3, 5, 7 are 0 s, those at 4, 6, 8 are 100 ms. An interval is
        // judged when the next is known, so line 8 decides the 0 s one of line 7: 3 short of 6 intervals (the verdict
        // needs at least 3, and a quarter), first at line 3.
        string fault = Assert.Single(faults);
        Assert.StartsWith("nvidia-smi output:8: has no index column, but its lines interleave several GPUs (3 of 6 intervals between lines are 0 s", fault, StringComparison.Ordinal);
        Assert.Contains("first at line 3)", fault, StringComparison.Ordinal);
        Assert.Null(r.Channels[0].Power);
        Assert.Equal(fault, r.Channels[0].Error);
    }

    [Fact]
    public void Should_Explain_A_Driver_Failure_With_Nvidia_Smis_Own_Message_And_The_Fix()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var smi = FakeNvidiaSmi.DriverMissing();
        var e = Assert.Throws<MeterUnavailableException>(() => NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable), TimeProvider.System));
        Assert.Contains("exit code 9", e.Message);
        Assert.Contains("couldn't communicate with the NVIDIA driver", e.Message);
        Assert.Contains("modprobe nvidia", e.Fix);
        Assert.False(NvidiaSmiMeter.Probe(new NvidiaSmiMeterOptions(smi.Executable)).Available);
    }

    [Fact]
    public void Should_Say_How_To_Get_Nvidia_Smi_When_It_Is_Missing()
    {
        var probe = NvidiaSmiMeter.Probe(new NvidiaSmiMeterOptions(Path.Combine(Path.GetTempPath(), "no-such-dir-tw", "nvidia-smi")));
        Assert.False(probe.Available);
        Assert.Contains("not found", probe.Reason);
        Assert.Contains("--gpus all", probe.Fix);
        Assert.Contains("TRAINWATT_NVIDIA_SMI", probe.Fix);
    }

    [Fact]
    public void Should_Reject_An_Unexpected_Listing_Line_Naming_It()
    {
        var e = Assert.Throws<MeterUnavailableException>(() => NvidiaSmiMeter.ParseList("0, GPU-a, A100\nNo devices were found\n", "nvidia-smi"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("No devices were found", e.Message);
    }

    [Theory]
    [InlineData(true, "power.draw.instant")]
    [InlineData(false, "power.draw,")]
    public void Should_Ask_For_Instant_Power_Only_Where_The_Driver_Knows_It(bool instant, string field)
    {
        // Oracle: nvidia-smi --help-query-gpu of R530+ lists power.draw.instant; older ones refuse the field (exit 2)
        using var smi = FakeNvidiaSmi.TwoGpus(instant: instant);
        using var meter = NvidiaSmiMeter.Open(new NvidiaSmiMeterOptions(smi.Executable), TimeProvider.System);

        // The streaming nvidia-smi is started, not waited for: its script logs its arguments when the shell gets to run it
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!smi.Arguments.Contains("--query-gpu=timestamp", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.True(smi.Arguments.Contains($"--query-gpu=timestamp,index,pci.bus_id,uuid,{field}", StringComparison.Ordinal), smi.Arguments);
        Assert.Equal(instant, !meter.Channels[0].Note!.Contains("1 s average", StringComparison.Ordinal));
    }
}
