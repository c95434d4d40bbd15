using System.Diagnostics;
using TrainWatt.Core;
using TrainWatt.Meters.AmdSmi;
using TrainWatt.Meters.Sampling;
using TrainWatt.Meters.Tests.Nvml;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.AmdSmi;

/// <summary>
/// The AMD SMI meter through the real P/Invoke path against private copies of the fake libamd_smi.so. Oracle for the
/// energies: the scenario's power curve integrated by the test's own <see cref="PowerCurve"/> (Simpson), never the fake's
/// closed form.
/// </summary>
public sealed class AmdSmiMeterTests
{
    private static readonly PowerCurve Curve = new([(0, 120), (0.4, 480), (1.0, 480), (1.4, 250), (2.0, 390)], 25, 0.7);

    private static string Origin(long timestamp) => FakeNvml.TimeOriginLine(timestamp);

    private static string Device(string name, string extra = "", PowerCurve? curve = null) => $"""
        [device]
        name = {name}
        {(curve ?? Curve).ScenarioLines()}
        {extra}
        """;

    /// <summary>Reads the meter at 10 Hz on a fixed schedule for <paramref name="seconds"/>; returns every reading.</summary>
    private static List<MeterReading> ReadFor(IMeter meter, long origin, double seconds)
    {
        var readings = new List<MeterReading>();
        for (int k = 0; ; k++)
        {
            var wait = TimeSpan.FromMilliseconds(100 * k) - TimeProvider.System.GetElapsedTime(origin);
            if (k > 0 && wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            var reading = meter.Read();
            readings.Add(reading);
            if (reading.Elapsed.TotalSeconds >= seconds)
            {
                return readings;
            }
        }
    }

    private static double SecondsSinceOrigin(ulong ns, long origin) => (ns - (origin * (1e9 / Stopwatch.Frequency))) / 1e9;

    [Theory]
    [InlineData(26)]
    [InlineData(25)]
    [InlineData(24)]
    public void Should_Match_The_Counters_True_Energy_Within_A_Hundredth_Of_A_Percent(int abi)
    {
        // Given: an MI300X-like GPU with a counter (resolution 15.259 µJ, as MI200/MI300 report), in each library ABI
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeAmdSmi.Create($"""
            abi = {abi}
            {Origin(origin)}
            {Device("AMD Instinct MI300X", "uuid = 8bff74b5-0000-1000-80c1-2cd7e6dc4a1b\nhip_uuid = GPU-4b2a1c0dd2e3f4a5\nbdf = 0000:c1:00.0\nenergy_offset_j = 987654\ngfx_activity = 93\nvram_used_mb = 4096")}
            """);
        using var meter = AmdSmiMeter.Open(new AmdSmiMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // When: reading for 2 s
        var readings = ReadFor(meter, origin, 2.0);

        // Then: the counter's energy between its own first and last timestamps is the curve's integral over that span.
        // Oracle: Simpson over the curve; the only error source is the count quantisation (15 µJ at each end).
        var (firstNs, lastNs, joules) = meter.CounterSpan(0);
        double truth = Curve.JoulesBetween(SecondsSinceOrigin(firstNs, origin), SecondsSinceOrigin(lastNs, origin));
        Assert.True(truth > 500, $"the span must cover the run: {truth} J");
        Assert.InRange(Math.Abs(joules - truth) / truth, 0, 1e-4);
        Assert.Equal(joules, readings[^1].Channels[0].CumulativeEnergy!.Value.Joules, 9);

        // The identity and the other readings went through the struct layouts of this ABI.
        var channel = Assert.Single(meter.Channels);
        Assert.Equal(("gpu:0", "AMD Instinct MI300X", Provenance.Counter, "8bff74b5-0000-1000-80c1-2cd7e6dc4a1b"),
            (channel.Id, channel.DeviceName, channel.Provenance, channel.Uuid));
        Assert.Equal("0000:c1:00.0", meter.Devices[0].Bdf);
        Assert.Equal(abi >= 25 ? "GPU-4b2a1c0dd2e3f4a5" : null, meter.Devices[0].HipUuid);
        Assert.Equal(abi switch { 24 => AmdSmiAbi.Year24, 25 => AmdSmiAbi.Major25, _ => AmdSmiAbi.Major26 }, meter.Abi);
        Assert.All(readings, r => Assert.Equal((93.0, 4096.0), (r.Channels[0].UtilizationPercent, r.Channels[0].MemoryUsedMiB)));
        Assert.All(readings, r => Assert.InRange(r.Channels[0].Power!.Value.Watts, 95, 505)); // the curve spans 95-505 W
        Assert.Empty(meter.TakeFaults());
    }

    [Theory]
    [InlineData(26)]
    [InlineData(24)]
    public async Task Should_Sample_A_Gpu_Without_Counter_Within_Two_Percent(int abi)
    {
        // Given: an MI100 (no energy counter: NOT_SUPPORTED), power in average_socket_power as MI200 and older report it
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeAmdSmi.Create($"""
            abi = {abi}
            {Origin(origin)}
            {Device("AMD Instinct MI100", "energy_counter = no\npower_field = average")}
            """);
        using var amd = AmdSmiMeter.Open(new AmdSmiMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        Assert.Equal(Provenance.Sampled, amd.Channels[0].Provenance);
        Assert.Contains("amdsmi_get_energy_count returned AMDSMI_STATUS_NOT_SUPPORTED (2)", amd.Channels[0].Note);
        var meter = new RecordingMeter(amd);

        // When: the sampler integrates its power at 10 Hz for 2 s
        await using var sampler = new EnergySampler([meter], TimeProvider.System, new SamplerOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        sampler.Start(runLoop: false);
        for (int k = 1; TimeProvider.System.GetElapsedTime(origin) < TimeSpan.FromSeconds(2); k++)
        {
            var wait = TimeSpan.FromMilliseconds(100 * k) - TimeProvider.System.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            sampler.SampleNow();
        }

        var result = await sampler.StopAsync();

        // Then: within 2 % of the curve's integral between the first and the last reading (whole watts, 100 ms steps)
        double truth = Curve.JoulesBetween(meter.Elapsed[0], meter.Elapsed[^1]);
        Assert.InRange(result.Channels[0].Energy.Joules / truth, 0.98, 1.02);
    }

    [Theory]
    [InlineData("counter_jump_j = -400 @ 1.0", "went backwards by")]
    [InlineData("counter_jump_j = 6000 @ 1.0", "jumped by")]
    [InlineData("counter_stuck = yes", "stood still")]
    public void Should_Flag_A_Misbehaving_Counter_And_Fall_Back_To_Sampled_Power(string fault, string expected)
    {
        // Given: a counter that goes backwards, jumps (6 kJ in one 100 ms step is 60 kW) or never moves
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeAmdSmi.Create($"{Origin(origin)}\n{Device("AMD Instinct MI250X", fault)}");
        using var meter = AmdSmiMeter.Open(new AmdSmiMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // When
        var readings = ReadFor(meter, origin, 2.6);
        var faults = meter.TakeFaults();

        // Then: flagged once, naming the GPU, the fault and the fallback ...
        var note = Assert.Single(faults);
        Assert.Contains("gpu:0 (AMD Instinct MI250X)", note);
        Assert.Contains(expected, note);
        Assert.Contains("sampled power integrated over time", note);
        Assert.Contains(expected, meter.CounterFaults[0]);

        // ... and the energy is still right: counter up to the last good reading, sampled power after (2 % of the truth
        // over the readings' span; oracle: the curve, which the fault does not change).
        double truth = Curve.JoulesBetween(readings[0].Elapsed.TotalSeconds, readings[^1].Elapsed.TotalSeconds);
        Assert.InRange(readings[^1].Channels[0].CumulativeEnergy!.Value.Joules / truth, 0.98, 1.02);
    }

    [Fact]
    public void Should_Flag_The_Die_Of_A_Two_Die_Gpu_That_Reads_Zero_Watts()
    {
        // Given: an MI250X's two dies; AMD SMI reports the module's power on die 0, die 1 reads 0 W with a still counter
        long origin = TimeProvider.System.GetTimestamp();
        var zero = new PowerCurve([(0, 0)]);
        using var fake = FakeAmdSmi.Create($"{Origin(origin)}\n{Device("AMD Instinct MI250X")}\n{Device("AMD Instinct MI250X", "counter_stuck = yes", zero)}");
        using var meter = AmdSmiMeter.Open(new AmdSmiMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        ReadFor(meter, origin, 2.6);

        var note = Assert.Single(meter.TakeFaults());
        Assert.StartsWith("gpu:1 (AMD Instinct MI250X) has read 0 W since 0.0 s while gpu:0, the same model, draws", note);
        Assert.Contains("one die only", note);
        Assert.Null(meter.CounterFaults[1]); // 0 W and a still counter agree: it is the report, not the counter, that is odd
    }

    [Fact]
    public void Should_Select_Gpus_As_Rocm_Does_With_Hip_Ordinals()
    {
        // Given: three GPUs whose HIP order (hip_id) is the reverse of AMD SMI's; ROCR_VISIBLE_DEVICES keeps HIP 2 and 0
        // (AMD SMI 0 and 2), and HIP_VISIBLE_DEVICES=1 takes the second of those: AMD SMI index 2.
        using var fake = FakeAmdSmi.Create("""
            [device]
            hip_id = 2
            [device]
            hip_id = 1
            [device]
            hip_id = 0
            hip_uuid = GPU-00000000000000cc
            """);
        using var meter = AmdSmiMeter.Open(new AmdSmiMeterOptions(fake.LibraryPath, RocrVisibleDevices: "2,0", HipVisibleDevices: "1"), TimeProvider.System);
        Assert.Equal(["gpu:2"], meter.Channels.Select(c => c.Id));
        Assert.Equal("ROCR_VISIBLE_DEVICES + HIP_VISIBLE_DEVICES", meter.Selection.Source);

        using var byUuid = AmdSmiMeter.Open(new AmdSmiMeterOptions(fake.LibraryPath, RocrVisibleDevices: "GPU-00000000000000cc,7,1"), TimeProvider.System);
        Assert.Equal(["gpu:2"], byUuid.Channels.Select(c => c.Id));
        Assert.Contains("\"7\" is neither a device index (0-2) nor a known GPU UUID", Assert.Single(byUuid.Selection.Warnings));
    }

    [Fact]
    public void Should_Give_The_Driver_Fix_When_Init_Fails_And_Describe_Gpus_For_Doctor()
    {
        using var broken = FakeAmdSmi.Create("init = 34\n[device]\n");
        var probe = AmdSmiMeter.Probe(new AmdSmiMeterOptions(broken.LibraryPath));
        Assert.False(probe.Available);
        Assert.Contains("amdsmi_init(AMDSMI_INIT_AMD_GPUS) returned AMDSMI_STATUS_DRIVER_NOT_LOADED (34): AMDSMI_STATUS_DRIVER_NOT_LOADED", probe.Reason);
        Assert.Contains("modprobe amdgpu", probe.Fix);

        using var fake = FakeAmdSmi.Create("abi = 24\n[device]\nname = AMD Instinct MI100\nenergy_counter = no\nuuid = 11111111-2222-3333-4444-555555555555\n");
        probe = AmdSmiMeter.Probe(new AmdSmiMeterOptions(fake.LibraryPath));
        Assert.True(probe.Available);
        Assert.Contains(probe.Found, f => f.Contains("version 24.7.1.0 (struct layouts of ROCm 6.1-6.3)", StringComparison.Ordinal));
        Assert.Contains("gpu:0 AMD Instinct MI100 11111111-2222-3333-4444-555555555555 bus 0000:c1:00.0, no energy counter (power sampled)", probe.Found);
    }

    [Fact]
    public void Should_Say_Why_When_The_Library_Is_Missing()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<MeterUnavailableException>(() => AmdSmiMeter.Open(new AmdSmiMeterOptions(dir.File("libamd_smi.so")), TimeProvider.System));
        Assert.Equal("amd-smi", e.Meter);
        Assert.Contains("TRAINWATT_AMDSMI_LIBRARY", e.Message);
    }

    /// <summary>Passes readings through and keeps each one's elapsed seconds (the oracle's integration bounds).</summary>
    private sealed class RecordingMeter(IMeter inner) : IMeter
    {
        public List<double> Elapsed { get; } = [];

        public string Name => inner.Name;

        public IReadOnlyList<MeterChannel> Channels => inner.Channels;

        public MeterReading Read()
        {
            var reading = inner.Read();
            Elapsed.Add(reading.Elapsed.TotalSeconds);
            return reading;
        }

        public void Dispose()
        {
        }
    }
}
