using TrainWatt.Core;
using TrainWatt.Meters.Nvml;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>The NVML meter through the real P/Invoke path, against private copies of the fake NVML library.</summary>
public sealed class NvmlMeterTests
{
    private const string UuidA = "GPU-aaaaaaaa-1111-2222-3333-444444444444";
    private const string UuidB = "GPU-bbbbbbbb-5555-6666-7777-888888888888";

    // Device 0: energy counter. Device 1: no counter (pre-Volta), sampled. Curves chosen to have ramps, plateaus and
    // a sine so that a naive "constant power" or "last sample" integration would be visibly wrong.
    private static readonly PowerCurve CurveA = new([(0, 60), (0.5, 250), (1.5, 250), (2.0, 120), (3.0, 300)], 15, 0.7);
    private static readonly PowerCurve CurveB = new([(0, 80), (1.0, 180), (2.5, 100)], 10, 0.9);

    private static string TwoDeviceScenario(long origin) => $"""
        {FakeNvml.TimeOriginLine(origin)}
        driver_version = 550.54.15
        [device]
        name = NVIDIA Fake A100-SXM4-40GB
        uuid = {UuidA}
        bus_id = 00000000:07:00.0
        power_limit_w = 400
        enforced_power_limit_w = 350
        energy_counter = yes
        energy_offset_mj = 123456789
        {CurveA.ScenarioLines()}
        utilization_gpu = 87
        memory_used_mib = 2048
        temperature_c = 61
        sm_clock_mhz = 1410
        [device]
        name = NVIDIA Fake TITAN Xp
        uuid = {UuidB}
        bus_id = 00000000:0A:00.0
        power_limit_w = 250
        energy_counter = no
        {CurveB.ScenarioLines()}
        """;

    [Fact]
    public void Should_Match_True_Energy_Within_Half_A_Percent_With_Counter_And_Two_Percent_Sampled()
    {
        // Given: two fake GPUs whose curves start at the same monotonic origin as the meter's Elapsed.
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // When: reading at 10 Hz for ~2.5 s, on a fixed schedule (reading k at k x 100 ms: a late wake-up is followed by a
        // shorter wait, so the steps stay 100 ms on average however loaded the machine). Each reading is bracketed by
        // this test's own clock (same origin): the hardware was read somewhere in [before, after].
        var readings = new List<MeterReading>();
        var brackets = new List<(double Before, double After)>();
        var deadline = TimeSpan.FromSeconds(2.5);
        for (int k = 0; ; k++)
        {
            var wait = TimeSpan.FromMilliseconds(100 * k) - TimeProvider.System.GetElapsedTime(origin);
            if (k > 0 && wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            double before = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;
            var reading = meter.Read();
            double after = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;
            readings.Add(reading);
            brackets.Add((before, after));
            Assert.InRange(reading.Elapsed.TotalSeconds, before, after); // the meter's time is taken during its read
            if (reading.Elapsed >= deadline)
            {
                break;
            }
        }

        // Then: counter channel, cumulative energy from open time. Oracle: Simpson integration of the scenario's curve
        // (PowerCurve); power is positive, so the energy between the two counter reads lies between the integral over
        // [after first, before last] and over [before first, after last]. On a quiet machine the brackets are
        // microseconds wide and this is the 0.5 % bound around the integral between the stamps; a thread descheduled
        // inside a read widens it by exactly the energy of the time it was away.
        double t0 = readings[0].Elapsed.TotalSeconds;
        double t1 = readings[^1].Elapsed.TotalSeconds;
        double counterJ = readings[^1].Channels[0].CumulativeEnergy!.Value.Joules - readings[0].Channels[0].CumulativeEnergy!.Value.Joules;
        double trueA = CurveA.JoulesBetween(t0, t1);
        double lowA = CurveA.JoulesBetween(brackets[0].After, brackets[^1].Before);
        double highA = CurveA.JoulesBetween(brackets[0].Before, brackets[^1].After);
        Assert.InRange(counterJ, 0.995 * lowA, 1.005 * highA);

        // Sampled channel, each value: the curve's power at some instant of its read (to the fake's 1 mW resolution).
        for (int i = 0; i < readings.Count; i++)
        {
            var (before, after) = brackets[i];
            var curve = Enumerable.Range(0, 101).Select(j => CurveB.WattsAt(before + ((after - before) * j / 100))).ToList();
            Assert.InRange(readings[i].Channels[1].Power!.Value.Watts, curve.Min() - 0.002, curve.Max() + 0.002);
        }

        // Sampled channel, energy: trapezoid on Elapsed, as the sampler integrates. The 2 % is the trapezoid rule's
        // error on this curve at 100 ms steps (0.2 % worst case; still under 2 % with every step 0.3 s long).
        double sampledJ = 0;
        for (int i = 1; i < readings.Count; i++)
        {
            double dt = (readings[i].Elapsed - readings[i - 1].Elapsed).TotalSeconds;
            sampledJ += 0.5 * (readings[i].Channels[1].Power!.Value.Watts + readings[i - 1].Channels[1].Power!.Value.Watts) * dt;
        }

        double trueB = CurveB.JoulesBetween(t0, t1);
        Assert.InRange(sampledJ / trueB, 0.98, 1.02);
        Assert.True(readings.Count >= 20, $"expected ~25 readings at 10 Hz over 2.5 s, got {readings.Count}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"counter {counterJ:F3} J vs true {trueA:F3} J [{lowA:F3}, {highA:F3}]; sampled {sampledJ:F3} J vs true {trueB:F3} J; {readings.Count} readings");
    }

    [Fact]
    public void Should_Label_The_Counter_Channel_And_The_Sampled_Fallback()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // Oracle: the scenario (device 0 energy_counter = yes, device 1 = no).
        Assert.Equal("nvml", meter.Name);
        Assert.Equal(["gpu:0", "gpu:1"], meter.Channels.Select(c => c.Id));
        Assert.Equal(Provenance.Counter, meter.Channels[0].Provenance);
        Assert.Equal(Provenance.Sampled, meter.Channels[1].Provenance);
        Assert.Contains("NVML_ERROR_NOT_SUPPORTED", meter.Channels[1].Note);
        Assert.Contains("sampled", meter.Channels[1].Note);
        Assert.Equal(UuidB, meter.Channels[1].Uuid);
        Assert.Equal("gpu", meter.Channels[1].Component);

        var reading = meter.Read();
        Assert.Null(reading.Channels[1].CumulativeEnergy); // sampled channels never claim a counter value
        Assert.NotNull(reading.Channels[1].Power);
        Assert.NotNull(reading.Channels[0].CumulativeEnergy);
    }

    [Fact]
    public void Should_Report_Device_Identity_Limits_And_Secondary_Metrics_From_The_Scenario()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // Oracle: the scenario text above.
        var a = meter.Devices[0];
        Assert.Equal("NVIDIA Fake A100-SXM4-40GB", a.Name);
        Assert.Equal(UuidA, a.Uuid);
        Assert.Equal("00000000:07:00.0", a.PciBusId);
        Assert.Equal(400, a.PowerLimit!.Value.Watts);
        Assert.Equal(350, a.EnforcedPowerLimit!.Value.Watts);
        Assert.True(a.EnergyCounterSupported);
        Assert.False(meter.Devices[1].EnergyCounterSupported);
        Assert.Equal("550.54.15", meter.DriverVersion);

        var r = meter.Read().Channels[0];
        Assert.Equal(87, r.UtilizationPercent);
        Assert.Equal(2048, r.MemoryUsedMiB);
        Assert.Equal(61, r.TemperatureCelsius);
        Assert.Equal(1410, r.SmClockMHz);
        Assert.Null(r.Error);
    }

    [Fact]
    public void Should_Start_Cumulative_Energy_Near_Zero_At_Open_Despite_The_Counter_Offset()
    {
        // The fake's counter starts at 123456789 mJ (like a real counter counting since driver load); the meter must
        // subtract its value at open. Oracle: the curve never exceeds 300 + 15 W, so the energy between the counter read
        // at open and the one in Read is at most 315 W x the time from before Open to after Read (milliseconds here;
        // an offset left in would be 123 kJ).
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));
        long opening = TimeProvider.System.GetTimestamp();
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        var energy = meter.Read().Channels[0].CumulativeEnergy!.Value;
        double window = TimeProvider.System.GetElapsedTime(opening).TotalSeconds;
        Assert.InRange(energy.Joules, 0, (315 * window) + 0.001);
    }

    [Fact]
    public void Should_Select_Gpus_By_Option_And_By_Cuda_Visible_Devices_Uuid()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));

        using (var byOption = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath, Gpus: "1"), TimeProvider.System))
        {
            Assert.Equal(["gpu:1"], byOption.Channels.Select(c => c.Id));
        }

        using var byCuda = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath, CudaVisibleDevices: "GPU-bbbb"), TimeProvider.System);
        Assert.Equal(["gpu:1"], byCuda.Channels.Select(c => c.Id));
        Assert.Equal("CUDA_VISIBLE_DEVICES", byCuda.Selection.Source);
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Gpu_With_The_Available_List()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));
        var e = Assert.Throws<GpuSelectionException>(
            () => NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath, Gpus: "0,7"), TimeProvider.System));
        Assert.Contains("GPU index 7 does not exist", e.Message);
        Assert.Contains(UuidA, e.Message);
    }

    [Theory]
    [InlineData(9, "NVML_ERROR_DRIVER_NOT_LOADED", "modprobe nvidia")]
    [InlineData(18, "NVML_ERROR_LIB_RM_VERSION_MISMATCH", "reboot")]
    [InlineData(4, "NVML_ERROR_NO_PERMISSION", "/dev/nvidia")]
    public void Should_Explain_An_Init_Failure_With_Its_Fix(int code, string constant, string fixFragment)
    {
        // Oracle: nvml.h return codes (9 DRIVER_NOT_LOADED, 18 LIB_RM_VERSION_MISMATCH, 4 NO_PERMISSION).
        using var fake = FakeNvml.Create($"init = {code}\n[device]\n");
        var e = Assert.Throws<MeterUnavailableException>(() => NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System));
        Assert.Contains("nvmlInit_v2", e.Message);
        Assert.Contains(constant, e.Message);
        Assert.Contains(fixFragment, e.Fix);

        var probe = NvmlMeter.Probe(new NvmlMeterOptions(fake.LibraryPath));
        Assert.False(probe.Available);
        Assert.Contains(constant, probe.Reason);
        Assert.Equal(e.Fix, probe.Fix);
    }

    [Fact]
    public void Should_Name_The_Missing_Override_Library_And_The_Fix()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("no-such-libnvidia-ml.so.1");
        var e = Assert.Throws<MeterUnavailableException>(() => NvmlMeter.Open(new NvmlMeterOptions(missing), TimeProvider.System));
        Assert.Contains(missing, e.Message);
        Assert.Contains("TRAINWATT_NVML_LIBRARY", e.Fix);
    }

    [Fact]
    public void Should_Say_How_To_Install_The_Driver_When_No_System_Library_Exists()
    {
        var probe = NvmlMeter.Probe(new NvmlMeterOptions());
        Assert.SkipWhen(probe.Available, "This machine has a working NVML; the missing-library path cannot be exercised.");
        Assert.SkipUnless(probe.Reason!.Contains("Cannot load", StringComparison.Ordinal), $"NVML loads here but fails later: {probe.Reason}");
        Assert.Contains("libnvidia-ml.so.1", probe.Reason);
        Assert.Contains("Install the NVIDIA driver", probe.Fix);
        Assert.Contains("--gpus all", probe.Fix);
    }

    [Fact]
    public void Should_Reject_A_Library_That_Is_Not_Nvml()
    {
        // libm is a real shared library without nvmlInit_v2.
        string? libm = new[] { "/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(libm is null, "libm.so.6 not found at the usual paths.");
        var e = Assert.Throws<MeterUnavailableException>(() => NvmlMeter.Open(new NvmlMeterOptions(libm), TimeProvider.System));
        Assert.Contains("not a usable NVML library", e.Message);
        Assert.Contains("nvmlInit_v2", e.Message);
    }

    [Fact]
    public void Should_Turn_A_Failing_Power_Call_Into_A_Reading_Error_Not_Zero_Watts()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create($"""
            {FakeNvml.TimeOriginLine(origin)}
            [device]
            energy_counter = no
            power_instant = no
            fail.nvmlDeviceGetPowerUsage = 999
            """);
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        var reading = meter.Read().Channels[0];

        // Oracle: the scenario makes nvmlDeviceGetPowerUsage return 999 = NVML_ERROR_UNKNOWN (a lost GPU, 15, is
        // skipped at open instead: NvmlDeviceCasesTests).
        Assert.Null(reading.Power);
        Assert.Null(reading.CumulativeEnergy);
        Assert.Contains("nvmlDeviceGetPowerUsage", reading.Error);
        Assert.Contains("NVML_ERROR_UNKNOWN", reading.Error);
    }

    [Fact]
    public void Should_Run_The_Scenario_Clock_Time_Scale_Times_Faster()
    {
        // Given: a constant 100 W GPU whose scenario clock runs 1000 times faster than CLOCK_MONOTONIC (time_scale, the
        // long-run benchmark's key), and a power call that fails from 2,000 scenario seconds (2 real seconds) on.
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create($"""
            {FakeNvml.TimeOriginLine(origin)}
            time_scale = 1000
            [device]
            energy_counter = yes
            power_instant = no
            power_w = 0:100, 1000000:100
            fail.nvmlDeviceGetPowerUsage = 999 @ 2000
            """);
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // When: two readings about 50 ms apart, each bracketed by this test's clock (same origin).
        double s0 = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;
        var first = meter.Read().Channels[0];
        double s1 = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;
        Thread.Sleep(50);
        double s2 = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;
        var second = meter.Read().Channels[0];
        double s3 = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;

        // Then: the counter advanced 100 W x 1000 x the real time between the readings, which lies in [s2 - s1, s3 - s0]
        // (hand derivation; the counter is whole mJ, so allow 1 J), and the power is still the curve's 100 W.
        Assert.SkipWhen(s3 >= 2, "the machine was too slow: the scenario's power failure (at 2 real seconds) had begun");
        double joules = second.CumulativeEnergy!.Value.Joules - first.CumulativeEnergy!.Value.Joules;
        Assert.InRange(joules, (100 * 1000 * (s2 - s1)) - 1, (100 * 1000 * (s3 - s0)) + 1);
        Assert.Equal(100, second.Power!.Value.Watts, 3);

        // And: the fail time is in scenario seconds too: 2,000 of them are 2 real seconds.
        Thread.Sleep(TimeSpan.FromTicks(Math.Max(0, (TimeSpan.FromSeconds(2.05) - TimeProvider.System.GetElapsedTime(origin)).Ticks)));
        var failed = meter.Read().Channels[0];
        Assert.Null(failed.Power);
        Assert.Contains("NVML_ERROR_UNKNOWN", failed.Error);
    }

    [Fact]
    public void Should_Report_A_Failing_Device_Count_As_Unavailable()
    {
        using var fake = FakeNvml.Create("fail.nvmlDeviceGetCount_v2 = 4\n[device]\n");
        var e = Assert.Throws<MeterUnavailableException>(() => NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System));
        Assert.Contains("nvmlDeviceGetCount_v2", e.Message);
        Assert.Contains("NVML_ERROR_NO_PERMISSION", e.Message);
    }

    [Fact]
    public void Should_Probe_As_Available_And_List_Devices()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(TwoDeviceScenario(origin));
        var probe = NvmlMeter.Probe(new NvmlMeterOptions(fake.LibraryPath));
        Assert.True(probe.Available);
        Assert.Contains(probe.Found, f => f.Contains("driver 550.54.15", StringComparison.Ordinal));
        Assert.Contains(probe.Found, f => f.StartsWith("gpu:0 NVIDIA Fake A100-SXM4-40GB", StringComparison.Ordinal) && f.Contains("energy counter", StringComparison.Ordinal));
        Assert.Contains(probe.Found, f => f.StartsWith("gpu:1", StringComparison.Ordinal) && f.Contains("no energy counter", StringComparison.Ordinal));
    }
}

/// <summary>Runs on a machine with a real NVIDIA driver (the GPU CI); skips elsewhere.</summary>
[Trait("Category", "Device")]
public sealed class NvmlDeviceTests
{
    [Fact]
    public void Should_Read_Every_Real_Gpu_With_A_Plausible_Power()
    {
        var probe = NvmlMeter.Probe(new NvmlMeterOptions(CudaVisibleDevices: null));
        Assert.SkipUnless(probe.Available, $"no usable NVIDIA driver: {probe.Reason}");
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(), TimeProvider.System);
        meter.Read();
        Thread.Sleep(200);
        var reading = meter.Read();

        // Oracle: physics. Any powered GPU draws more than 1 W and less than 2 kW; counters never go backwards.
        Assert.NotEmpty(reading.Channels);
        Assert.All(reading.Channels, c =>
        {
            Assert.Null(c.Error);
            Assert.InRange(c.Power!.Value.Watts, 1, 2000);
            if (c.CumulativeEnergy is { } e)
            {
                Assert.True(e.Joules >= 0);
            }
        });
        Assert.All(meter.Devices, d => Assert.StartsWith("GPU-", d.Uuid));
    }
}
