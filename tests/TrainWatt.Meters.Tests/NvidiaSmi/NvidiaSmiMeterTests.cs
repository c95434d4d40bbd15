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

        Assert.Contains($"--query-gpu=timestamp,index,{field}", smi.Arguments, StringComparison.Ordinal);
        Assert.Equal(instant, !meter.Channels[0].Note!.Contains("1 s average", StringComparison.Ordinal));
    }
}
