using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Meters.Tests.Sampling;

public class EnergySamplerTests
{
    private static readonly SamplerOptions TenHertz = SamplerOptions.Default;

    // P(t) = 100 + 50 t W  =>  E(t) = 100 t + 25 t² J (hand integration). The trapezoid rule is exact for linear power.
    private static double LinearPower(double t) => 100 + (50 * t);

    private static double LinearEnergy(double t) => (100 * t) + (25 * t * t);

    // Counter channel: P(t) = 200 + 10 cos t W  =>  E(t) = 200 t + 10 sin t J.
    private static double WavyPower(double t) => 200 + (10 * Math.Cos(t));

    private static double WavyEnergy(double t) => (200 * t) + (10 * Math.Sin(t));

    private static (FakeTimeProvider Time, FakeMeter Meter, EnergySampler Sampler, MemorySink Sink) Create(
        FakeChannel[] channels, int throwOnRead = -1, SamplerOptions? options = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var meter = new FakeMeter(time, channels) { ThrowOnRead = throwOnRead };
        long start = time.GetTimestamp();
        var sink = new MemorySink(() => time.GetElapsedTime(start));
        var sampler = new EnergySampler([meter], time, options ?? TenHertz, sink);
        return (time, meter, sampler, sink);
    }

    private static void RunFor(FakeTimeProvider time, EnergySampler sampler, TimeSpan duration, TimeSpan step, Action<TimeSpan>? atEachStep = null)
    {
        var elapsed = TimeSpan.Zero;
        while (elapsed < duration)
        {
            time.Advance(step);
            elapsed += step;
            sampler.SampleNow();
            atEachStep?.Invoke(elapsed);
        }
    }

    [Fact]
    public async Task Should_Integrate_A_Counter_Channel_As_Its_Counter_Delta_And_A_Sampled_One_By_Trapezoids()
    {
        // Given
        var (time, _, sampler, _) = Create([
            new FakeChannel("gpu:0", Provenance.Counter, WavyPower, WavyEnergy),
            new FakeChannel("gpu:1", Provenance.Sampled, LinearPower),
        ]);

        // When: 3 s at 10 Hz
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        // Then: counter = E(3) - E(0) = 600 + 10 sin 3 = 601.41120 J; trapezoid of linear power = 100·3 + 25·9 = 525 J
        Assert.Equal(WavyEnergy(3) - WavyEnergy(0), result.Channels[0].Energy.Joules, 9);
        Assert.Equal(525.0, result.Channels[1].Energy.Joules, 9);
        Assert.True(result.Channels[0].Valid && result.Channels[1].Valid);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Duration);
        Assert.Equal(32, result.Readings); // the start reading + 30 interval readings + the final reading in StopAsync
    }

    [Fact]
    public async Task Should_Stay_Within_Two_Percent_For_A_Fast_Sampled_Sinusoid_At_100_Ms()
    {
        // P(t) = 200 + 100 sin(2πt/1.3) W  =>  E(T) = 200T + 100·1.3/(2π)·(1 − cos(2πT/1.3)) J (hand integration).
        const double period = 1.3;
        double Power(double t) => 200 + (100 * Math.Sin(2 * Math.PI * t / period));
        double Truth(double t) => (200 * t) + (100 * period / (2 * Math.PI) * (1 - Math.Cos(2 * Math.PI * t / period)));
        var (time, _, sampler, _) = Create([new FakeChannel("gpu:1", Provenance.Sampled, Power)]);

        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        // Acceptance of issue 3: sampled at 100 ms within 2 % of the scenario's truth.
        double relative = Math.Abs(result.Channels[0].Energy.Joules - Truth(10)) / Truth(10);
        Assert.True(relative < 0.02, $"relative error {relative:P3}");
    }

    [Fact]
    public async Task Should_Read_At_Epoch_Boundaries_So_Epoch_Energy_Does_Not_Depend_On_The_Sampling_Phase()
    {
        // Given: boundaries at 0.35 s, 1.27 s and 2.02 s, between the 100 ms ticks
        var (time, _, sampler, sink) = Create([
            new FakeChannel("gpu:0", Provenance.Counter, WavyPower, WavyEnergy),
            new FakeChannel("gpu:1", Provenance.Sampled, LinearPower),
        ]);
        sampler.Start(runLoop: false);

        // When
        RunFor(time, sampler, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromMilliseconds(50));
        sampler.EpochStarted(1, 2);
        RunFor(time, sampler, TimeSpan.FromMilliseconds(920), TimeSpan.FromMilliseconds(92));
        var first = sampler.EpochEnded(1, 2, 6400);
        RunFor(time, sampler, TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(75));
        var second = sampler.EpochEnded(2, 2, null);
        var result = await sampler.StopAsync();

        // Then: exact integrals over [0.35, 1.27] and [1.27, 2.02] (hand: E(t2) − E(t1) for each curve)
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(TimeSpan.FromMilliseconds(350), first.Start);
        Assert.Equal(TimeSpan.FromMilliseconds(1270), first.End);
        Assert.Equal(WavyEnergy(1.27) - WavyEnergy(0.35), first.ChannelEnergies[0].Joules, 9);
        Assert.Equal(LinearEnergy(1.27) - LinearEnergy(0.35), first.ChannelEnergies[1].Joules, 9);
        Assert.Equal(TimeSpan.FromMilliseconds(1270), second.Start); // no explicit start: begins where epoch 1 ended
        Assert.Equal(LinearEnergy(2.02) - LinearEnergy(1.27), second.ChannelEnergies[1].Joules, 9);
        Assert.Equal(6400, first.Samples);
        Assert.Equal([first, second], sink.Epochs);
        Assert.Equal([first, second], result.Epochs);
    }

    [Fact]
    public async Task Should_Bridge_Missing_Readings_Without_Losing_Energy()
    {
        // Reads 5-9 give nothing: the trapezoid spans the gap (exact for linear power); the counter keeps its last
        // value and catches up at the next reading.
        var gap = new HashSet<int> { 5, 6, 7, 8, 9 };
        var (time, _, sampler, _) = Create([
            new FakeChannel("gpu:0", Provenance.Counter, WavyPower, WavyEnergy) { MissingReads = gap },
            new FakeChannel("gpu:1", Provenance.Sampled, LinearPower) { MissingReads = gap },
        ]);
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        Assert.Equal(WavyEnergy(2) - WavyEnergy(0), result.Channels[0].Energy.Joules, 9);
        Assert.Equal(LinearEnergy(2), result.Channels[1].Energy.Joules, 9);
    }

    [Fact]
    public async Task Should_Leave_Out_A_Stall_Longer_Than_The_Gap_Rule()
    {
        // Given: 60 W sampled and a counter channel at 100 ms; the sampler takes no reading between 5 s and 25 s (its
        // thread stalled for 20 s), then goes on to 32 s
        var (time, _, sampler, _) = Create([
            new FakeChannel("gpu:0", Provenance.Counter, WavyPower, WavyEnergy),
            new FakeChannel("gpu:1", Provenance.Sampled, _ => 60),
        ]);

        // When
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromSeconds(20));
        sampler.SampleNow();
        RunFor(time, sampler, TimeSpan.FromSeconds(7), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        // Then: the rule for 100 ms calls intervals over max(5 s, 3 × 0.1 s) = 5 s gaps, as the store does
        // (DeviceEnergyCalculatorTests.Should_Leave_Out_A_20_S_Stall_Of_A_100_Ms_Run_As_The_Live_Sampler_Does). Hand: the
        // sampled channel integrates 0 → 5 s and 25 → 32 s, 60 W × 12 s = 720 J, and leaves out 20 s; the counter counts
        // through the stall, E(32) − E(0) = 6400 + 10 sin 32 J, nothing left out.
        Assert.Equal(TimeSpan.FromSeconds(5), sampler.GapRule.Threshold);
        Assert.Equal(720.0, result.Channels[1].Energy.Joules, 9);
        Assert.Equal(TimeSpan.FromSeconds(20), result.Channels[1].ExcludedDuration);
        Assert.Equal(WavyEnergy(32) - WavyEnergy(0), result.Channels[0].Energy.Joules, 9);
        Assert.Equal(TimeSpan.Zero, result.Channels[0].ExcludedDuration);
        var note = Assert.Single(result.Notes);
        Assert.Contains("gpu:1 for 20.0 s (from 5.0 s; gaps longer than 5 s are not integrated)", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Integrate_A_Run_Sampled_Every_10_S_Whole()
    {
        // Given: 60 W sampled with a 10 s interval: readings at 0, 10, 20, 30 s and the final one at 32 s
        var (time, _, sampler, _) = Create(
            [new FakeChannel("gpu:0", Provenance.Sampled, _ => 60)],
            options: new SamplerOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));

        // When
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await sampler.StopAsync();

        // Then: the rule for 10 s calls only intervals over max(5, 3 × 10) = 30 s gaps, none here: 60 W × 32 s = 1920 J,
        // the value the store computes from the same samples (DeviceEnergyCalculatorTests.Should_Integrate_A_Run_Sampled_Every_10_S_Whole)
        Assert.Equal(TimeSpan.FromSeconds(30), sampler.GapRule.Threshold);
        Assert.Equal(1920.0, result.Channels[0].Energy.Joules, 9);
        Assert.Equal(TimeSpan.Zero, result.Channels[0].ExcludedDuration);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public async Task Should_Take_A_Reading_Again_When_The_Thread_Was_Descheduled_During_It()
    {
        // Given: read 8 (the tick at 0.6 s; reads 0-1 prime, 2 is the start) stalls 60 ms before touching the hardware,
        // as a preempted thread would: its value is that of 0.66 s while the call's midpoint says 0.63 s. Without the
        // re-read, the trapezoid would be off by (0.03 s)·(P(0.76) − P(0.5))/2 ≈ 0.2 J (hand).
        var (time, meter, sampler, _) = Create([
            new FakeChannel("gpu:0", Provenance.Counter, WavyPower, WavyEnergy),
            new FakeChannel("gpu:1", Provenance.Sampled, LinearPower),
        ]);
        meter.StallOnRead = (8, TimeSpan.FromMilliseconds(60));

        // When
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        // Then: the stalled reading was re-taken at once, so the integrals are exact (hand: E(1.06) − E(0), the clock
        // having moved 60 ms further)
        Assert.Equal(WavyEnergy(1.06) - WavyEnergy(0), result.Channels[0].Energy.Joules, 9);
        Assert.Equal(LinearEnergy(1.06), result.Channels[1].Energy.Joules, 9);
        Assert.Equal(2 + 1 + 10 + 1 + 1, meter.Reads); // 2 priming, start, 10 ticks, the retry, the final reading
    }

    [Fact]
    public async Task Should_Mark_A_Channel_That_Never_Gave_A_Value_As_Invalid_Rather_Than_Zero_Watts()
    {
        var never = Enumerable.Range(0, 1000).ToHashSet();
        var (time, _, sampler, _) = Create([new FakeChannel("gpu:0", Provenance.Sampled, LinearPower) { MissingReads = never }]);
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();
        Assert.False(result.Channels[0].Valid);
    }

    [Fact]
    public async Task Should_Keep_Measuring_Other_Meters_When_One_Disappears_And_Say_So()
    {
        // Given: meter A throws on its 6th read (two priming reads, the start reading, 0.1 s, 0.2 s, then 0.3 s), meter B keeps working
        var time = new FakeTimeProvider();
        var failing = new FakeMeter(time, new FakeChannel("gpu:0", Provenance.Sampled, LinearPower)) { ThrowOnRead = 5 };
        var healthy = new FakeMeter(time, new FakeChannel("gpu:1", Provenance.Sampled, LinearPower));
        var reported = new List<string>();
        var sampler = new EnergySampler([failing, healthy], time, TenHertz, report: reported.Add);

        // When
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        // Then: A holds its energy up to its last good reading (0.2 s), B the full second
        Assert.Equal(LinearEnergy(0.2), result.Channels[0].Energy.Joules, 9);
        Assert.Equal(LinearEnergy(1.0), result.Channels[1].Energy.Joules, 9);
        Assert.Contains("fake driver unloaded", Assert.Single(result.Notes), StringComparison.Ordinal);
        Assert.Equal(result.Notes, reported);
    }

    /// <summary>A <see cref="FakeMeter"/> whose source reports a fault on its 4th read (the live nvidia-smi meter's two GPUs under one index).</summary>
    private sealed class FaultingMeter(FakeMeter inner) : IMeter, IMeterFaults
    {
        public string Name => "smi-like";

        public IReadOnlyList<MeterChannel> Channels => inner.Channels;

        public MeterReading Read() => inner.Read();

        public IReadOnlyList<string> TakeFaults() => inner.Reads == 4 ? ["nvidia-smi output:9: index 0 is used by two GPUs"] : [];

        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public async Task Should_Keep_A_Fault_A_Meter_Finds_In_Its_Source_With_The_Runs_Notes()
    {
        // Given: a meter that finds a fault in its source once, while its channel keeps giving values
        var time = new FakeTimeProvider();
        var meter = new FaultingMeter(new FakeMeter(time, new FakeChannel("gpu:0", Provenance.Sampled, LinearPower)));
        var reported = new List<string>();
        var sampler = new EnergySampler([meter], time, TenHertz, report: reported.Add);

        // When
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        // Then: the fault is a note, reported once as it happens, and the channel's energy is unaffected
        Assert.Equal("meter smi-like: nvidia-smi output:9: index 0 is used by two GPUs", Assert.Single(result.Notes));
        Assert.Equal(result.Notes, reported);
        Assert.Equal(LinearEnergy(1.0), result.Channels[0].Energy.Joules, 9);
    }

    [Fact]
    public async Task Should_Flush_Samples_To_The_Sink_Within_One_Second_Of_Taking_Them()
    {
        // Given
        var (time, _, sampler, sink) = Create([new FakeChannel("gpu:0", Provenance.Counter, WavyPower, WavyEnergy)]);

        // When: 5 s at 10 Hz
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        int batchesBeforeStop = sink.Batches.Count;
        await sampler.StopAsync();

        // Then: every sample reached the sink at most 1 s after it was taken (durability: a kill loses ≤ 1 s)
        var all = sink.Batches.SelectMany(b => b.Samples.Select(s => (b.FlushedAt, s.Elapsed))).ToList();
        Assert.Equal(52, all.Count); // 1 start reading + 50 ticks + the final reading, none lost or duplicated
        Assert.All(all, x => Assert.InRange(x.FlushedAt - x.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.True(batchesBeforeStop >= 5, $"{batchesBeforeStop} batches in 5 s");
        Assert.Equal(Enumerable.Range(0, 51).Select(i => TimeSpan.FromMilliseconds(100 * i)).Append(TimeSpan.FromSeconds(5)), all.Select(x => x.Elapsed));
    }

    [Fact]
    public async Task Should_Keep_Measuring_In_Memory_When_The_Sink_Fails()
    {
        var (time, _, sampler, sink) = Create([new FakeChannel("gpu:1", Provenance.Sampled, LinearPower)]);
        sink.ThrowOnAppend = true;
        sampler.Start(runLoop: false);
        RunFor(time, sampler, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        var result = await sampler.StopAsync();

        Assert.Equal(LinearEnergy(3), result.Channels[0].Energy.Joules, 9);
        Assert.Contains("disk full", Assert.Single(result.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Ignore_A_Tentative_Start_After_An_Explicit_One()
    {
        var (time, _, sampler, _) = Create([new FakeChannel("gpu:1", Provenance.Sampled, LinearPower)]);
        sampler.Start(runLoop: false);
        time.Advance(TimeSpan.FromSeconds(1));
        sampler.EpochStarted(1, null);
        time.Advance(TimeSpan.FromSeconds(1));
        sampler.EpochStarted(1, null, tentative: true);
        time.Advance(TimeSpan.FromSeconds(1));
        var epoch = sampler.EpochEnded(1, null, null);
        await sampler.StopAsync();

        Assert.Equal(TimeSpan.FromSeconds(1), epoch!.Start);
        Assert.Equal(LinearEnergy(3) - LinearEnergy(1), epoch.Energy.Joules, 9);
    }

    [Fact]
    public async Task Should_Sample_On_Its_Own_Every_Interval_Of_The_Injected_Clock()
    {
        // Given: the real loop, driven by the fake clock
        var time = new FakeTimeProvider();
        var meter = new FakeMeter(time, new FakeChannel("gpu:1", Provenance.Sampled, LinearPower));
        var sampler = new EnergySampler([meter], time, TenHertz);
        sampler.Start();

        // When: ten 100 ms steps, each waiting until the loop has taken its reading
        for (int i = 1; i <= 10; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            int expected = i + 1;
            Assert.True(SpinWait.SpinUntil(() => sampler.ReadingCount >= expected, TimeSpan.FromSeconds(10)), $"tick {i} not sampled");
        }

        var result = await sampler.StopAsync();

        // Then: 1 + 10 loop readings + 1 final reading; energy over 1 s = 100 + 25 = 125 J
        Assert.Equal(12, result.Readings);
        Assert.Equal(125.0, result.Channels[0].Energy.Joules, 9);
    }

    [Fact]
    public void Should_Not_Allocate_When_Sampling_Between_Flushes()
    {
        // Given: a meter returning a cached reading and a sink that keeps nothing; warm up past the first flush
        var meter = new CachedMeter();
        var sampler = new EnergySampler([meter], TimeProvider.System, new SamplerOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)), new CountingSink());
        sampler.Start(runLoop: false);
        for (int i = 0; i < 100; i++)
        {
            sampler.SampleNow();
        }

        // When
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sampler.SampleNow();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Then: the buffer was sized for the flush interval... here 10 min at 100 ms = 6002 samples, so no growth
        Assert.Equal(0, allocated);
    }

    private sealed class CachedMeter : IMeter
    {
        private readonly MeterReading _reading = new(
            DateTimeOffset.UnixEpoch, TimeSpan.Zero, [new ChannelReading("gpu:0", Power.FromWatts(100), null)]);

        public string Name => "cached";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new MeterChannel("gpu:0", "gpu", "cached", Provenance.Sampled)];

        public MeterReading Read() => _reading;

        public void Dispose()
        {
        }
    }

    private sealed class CountingSink : IMeasurementSink
    {
        public string BeginRun(MeasurementRunInfo run) => "r";

        public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
        {
        }

        public void RecordEpoch(MeasuredEpoch epoch)
        {
        }

        public void RecordMetric(string name, double value, TimeSpan elapsed)
        {
        }

        public void FinishRun(MeasurementSummary summary)
        {
        }
    }
}
