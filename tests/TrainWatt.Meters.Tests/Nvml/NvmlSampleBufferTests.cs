using TrainWatt.Core;
using TrainWatt.Meters.Nvml;
using TrainWatt.Meters.Sampling;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>
/// Readings from the driver's sample buffer (nvmlDeviceGetSamples) through the real P/Invoke path, against private copies
/// of the fake NVML library, whose buffer holds the scenario curve's value every <c>sample_period_ms</c> of its clock.
/// </summary>
public sealed class NvmlSampleBufferTests
{
    private static readonly PowerCurve Curve = new([(0, 60), (0.5, 250), (1.5, 250), (2.0, 120), (3.0, 300)], 15, 0.7);

    private static string Scenario(long origin, string extra = "sample_buffer = yes") => $"""
        {FakeNvml.TimeOriginLine(origin)}
        [device]
        name = NVIDIA Fake H100
        uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
        energy_counter = yes
        {Curve.ScenarioLines()}
        utilization_gpu = 87
        {extra}
        [device]
        name = NVIDIA Fake H100
        uuid = GPU-bbbbbbbb-1111-2222-3333-444444444444
        energy_counter = yes
        power_w = 0:100
        utilization_gpu = 40
        {extra}
        """;

    [Fact]
    public void Should_Average_The_Drivers_Samples_Per_Interval_At_The_Mean_Of_Their_Time_Stamps()
    {
        // Given: the fake's buffer keeps the curve every 20 ms of its clock, which starts at `origin`.
        long origin = TimeProvider.System.GetTimestamp();
        var wallOrigin = TimeProvider.System.GetUtcNow() - TimeProvider.System.GetElapsedTime(origin);
        using var fake = FakeNvml.Create(Scenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        Assert.True(meter.HasSampleBuffer);
        meter.UseSampleBuffer(TimeSpan.FromMilliseconds(100));

        // When: the readings between 0.21 s and 1.25 s of the scenario clock are asked for in 100 ms slots (the bounds
        // 10 ms away from the fake's 20 ms grid, so a few µs between its clock origin and ours cannot move a sample).
        var after = wallOrigin + TimeSpan.FromSeconds(0.21);
        var until = wallOrigin + TimeSpan.FromSeconds(1.25);
        SleepUntil(origin, TimeSpan.FromSeconds(1.3));
        var readings = new List<MeterReading>();
        meter.ReadBuffered(wallOrigin, after, until, TimeSpan.FromMilliseconds(100), readings);

        // Then: 1.04 s in slots of 100 ms from `after`, each (start, end]: ten whole slots, and the last 40 ms (under half an
        // interval) joins the tenth.
        Assert.Equal(10, readings.Count);
        for (int k = 0; k < readings.Count; k++)
        {
            var reading = readings[k];
            double slotStart = 0.21 + (0.1 * k), slotEnd = k == readings.Count - 1 ? 1.25 : slotStart + 0.1;

            // Oracle (hand derivation): the grid instants j × 20 ms inside the slot; the reading's time is their mean, its
            // power the mean of the curve there (PowerCurve, the test's own model of the scenario), in whole mW.
            var grid = Enumerable.Range(0, 100).Select(j => j * 0.02).Where(t => t > slotStart && t < slotEnd).ToArray();
            Assert.Equal(k == readings.Count - 1 ? 7 : 5, grid.Length);
            double at = (reading.Timestamp - wallOrigin).TotalSeconds;
            Assert.Equal(grid.Average(), at, 0.0005); // the wall origin is known to a few µs
            Assert.Equal(at, reading.Elapsed.TotalSeconds, 0.0005);
            var gpu0 = reading.Channels[0];
            Assert.Equal(grid.Average(t => Math.Round(Curve.WattsAt(t) * 1000) / 1000), gpu0.Power!.Value.Watts, 0.003);
            Assert.Equal(100, reading.Channels[1].Power!.Value.Watts, 6);

            // Only power and the utilisation sample covering the reading come from the buffer; counters, memory and
            // temperature wait for the next full read.
            Assert.Null(gpu0.CumulativeEnergy);
            Assert.Null(gpu0.MemoryUsedMiB);
            Assert.Null(gpu0.TemperatureCelsius);
            if (gpu0.UtilizationPercent is double utilization)
            {
                Assert.Equal(87, utilization);
            }

            Assert.Equal(["gpu:0", "gpu:1"], reading.Channels.Select(c => c.ChannelId));
        }

        // And: the same samples are not returned twice (lastSeenTimeStamp), and a stretch without new samples gives none.
        var again = new List<MeterReading>();
        meter.ReadBuffered(wallOrigin, after, until, TimeSpan.FromMilliseconds(100), again);
        Assert.Empty(again);
    }

    [Fact]
    public void Should_Give_A_Short_Last_Slot_To_The_One_Before()
    {
        long origin = TimeProvider.System.GetTimestamp();
        var wallOrigin = TimeProvider.System.GetUtcNow() - TimeProvider.System.GetElapsedTime(origin);
        using var fake = FakeNvml.Create(Scenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        meter.UseSampleBuffer(TimeSpan.FromMilliseconds(100));
        SleepUntil(origin, TimeSpan.FromSeconds(0.75));

        // When: 0.11 s to 0.64 s: five whole slots and 30 ms (under half an interval).
        var readings = new List<MeterReading>();
        meter.ReadBuffered(wallOrigin, wallOrigin + TimeSpan.FromSeconds(0.11), wallOrigin + TimeSpan.FromSeconds(0.64), TimeSpan.FromMilliseconds(100), readings);

        // Then: five readings; the last holds the grid instants of 0.51-0.64 s (0.52 to 0.62: six samples, mean 0.57 s).
        Assert.Equal(5, readings.Count);
        Assert.Equal(0.57, (readings[^1].Timestamp - wallOrigin).TotalSeconds, 0.0005);
    }

    [Fact]
    public async Task Should_Have_No_Sample_Buffer_Where_The_Driver_Answers_Not_Supported()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(Scenario(origin, extra: "sample_buffer = no"));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        Assert.False(meter.HasSampleBuffer);
        Assert.Throws<InvalidOperationException>(() => meter.UseSampleBuffer(TimeSpan.FromMilliseconds(100)));
        await using var sampler = new EnergySampler([meter], TimeProvider.System, SamplerOptions.Default);
        Assert.False(sampler.UsesSampleBuffers);
        Assert.DoesNotContain(sampler.Channels, c => c.Note!.Contains("sample buffer", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Have_No_Sample_Buffer_When_One_Gpu_Lacks_It()
    {
        long origin = TimeProvider.System.GetTimestamp();
        string scenario = Scenario(origin);
        int second = scenario.LastIndexOf("sample_buffer = yes", StringComparison.Ordinal);
        using var fake = FakeNvml.Create(scenario[..second] + "sample_buffer = no\n");
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        Assert.False(meter.HasSampleBuffer);
    }

    [Fact]
    public async Task Should_Wake_Once_A_Second_And_Store_A_Reading_Every_Interval_From_The_Buffer()
    {
        // Given: the sampler over the NVML meter with a buffer, at the default 100 ms.
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(Scenario(origin));
        using var meter = new CountingMeter(NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin));
        var sink = new CollectingSink();
        await using var sampler = new EnergySampler([meter], TimeProvider.System, SamplerOptions.Default, sink);
        Assert.True(sampler.UsesSampleBuffers);
        Assert.All(sampler.Channels, c => Assert.Contains("driver's sample buffer (nvmlDeviceGetSamples) averaged per 100 ms", c.Note, StringComparison.Ordinal));

        // When: it runs 3.5 s.
        sampler.Start();
        await Task.Delay(TimeSpan.FromSeconds(3.5), TestContext.Current.CancellationToken);
        var result = await sampler.StopAsync();

        // Then: the meter was read (full reads) about once a second, not 35 times: two priming reads, the first
        // reading, three loop reads and the final one.
        Assert.InRange(meter.Reads, 5, 8);

        // And: batches reach the sink every second read (2 s) and at the end, not every 0.5 s: at most three batches.
        Assert.Equal(EnergySampler.BufferedFlushInterval, sampler.EffectiveFlushInterval);
        Assert.InRange(sink.Batches, 1, 3);

        // And: every channel has a reading about every 100 ms from the buffer (plus the full reads), in time order.
        var gpu0 = sink.Samples.Where(s => s.ChannelIndex == 0).ToList();
        Assert.InRange(gpu0.Count, 30, 45);
        for (int i = 1; i < gpu0.Count; i++)
        {
            Assert.True(gpu0[i].Elapsed > gpu0[i - 1].Elapsed, $"sample {i} at {gpu0[i].Elapsed} after {gpu0[i - 1].Elapsed}");
            Assert.True(gpu0[i].Elapsed - gpu0[i - 1].Elapsed <= TimeSpan.FromMilliseconds(150), $"gap before sample {i}");
        }

        // And: the counter gives the energy (the curve's integral over the run, 0.5 %), and the buffered power's
        // trapezoids agree with it within 1 %.
        var total = result.Channels[0];
        Assert.Equal(Provenance.Counter, total.Channel.Provenance);
        double joules = total.Energy.Joules;
        double start = (sampler.StartedAt - (TimeProvider.System.GetUtcNow() - TimeProvider.System.GetElapsedTime(origin))).TotalSeconds;
        double expected = Curve.JoulesBetween(start, start + gpu0[^1].Elapsed.TotalSeconds);
        Assert.True(Math.Abs(joules - expected) <= 0.005 * expected, $"counter {joules:F1} J, curve {expected:F1} J");
        double sampled = 0;
        for (int i = 1; i < gpu0.Count; i++)
        {
            sampled += 0.5 * (gpu0[i].Power!.Value.Watts + gpu0[i - 1].Power!.Value.Watts) * (gpu0[i].Elapsed - gpu0[i - 1].Elapsed).TotalSeconds;
        }

        Assert.True(Math.Abs(sampled - joules) <= 0.01 * joules, $"buffered power {sampled:F1} J vs counter {joules:F1} J");
    }

    [Fact]
    public async Task Should_Poll_Every_Interval_When_Asked()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(Scenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        await using var polling = new EnergySampler([meter], TimeProvider.System, SamplerOptions.Default with { UseSampleBuffers = false });
        await using var slow = new EnergySampler([meter], TimeProvider.System, SamplerOptions.Default with { Interval = TimeSpan.FromSeconds(1), FlushInterval = TimeSpan.FromSeconds(1) });

        Assert.False(polling.UsesSampleBuffers);
        Assert.Equal(SamplerOptions.Default.FlushInterval, polling.EffectiveFlushInterval);
        Assert.False(slow.UsesSampleBuffers); // an interval of a second or more: the loop wakes every interval anyway
    }

    [Fact]
    public async Task Should_Read_Rate_Independent_Meters_At_The_Once_A_Second_Reads_And_Poll_For_Any_Other()
    {
        long origin = TimeProvider.System.GetTimestamp();
        using var fake = FakeNvml.Create(Scenario(origin));
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);

        // A counter-like meter (RAPL, the process meter) leaves the loop at once a second; any other meter makes it poll.
        await using (var withCounter = new EnergySampler([meter, StubMeter(rateIndependent: true)], TimeProvider.System, SamplerOptions.Default))
        {
            Assert.True(withCounter.UsesSampleBuffers);
            Assert.DoesNotContain("sample buffer", withCounter.Channels[^1].Note ?? "", StringComparison.Ordinal);
        }

        await using var withOther = new EnergySampler([meter, StubMeter(rateIndependent: false)], TimeProvider.System, SamplerOptions.Default);
        Assert.False(withOther.UsesSampleBuffers);

        // And: a rate-independent meter alone has no buffer to read between reads: it is polled.
        await using var alone = new EnergySampler([StubMeter(rateIndependent: true)], TimeProvider.System, SamplerOptions.Default);
        Assert.False(alone.UsesSampleBuffers);
    }

    private static void SleepUntil(long origin, TimeSpan at)
    {
        var wait = at - TimeProvider.System.GetElapsedTime(origin);
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }
    }

    private static IMeter StubMeter(bool rateIndependent) => rateIndependent ? new CounterStub() : new PlainStub();

    /// <summary>A meter of the RAPL kind (its energy does not depend on how often it is read).</summary>
    private sealed class CounterStub : PlainStub, IRateIndependentMeter
    {
    }

    /// <summary>Any other meter.</summary>
    private class PlainStub : IMeter
    {
        public string Name => "stub";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new("cpu:package-0", "cpu", "package-0", Provenance.Counter)];

        public MeterReading Read() => new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, [new ChannelReading("cpu:package-0", null, null)]);

        public void Dispose()
        {
        }
    }

    /// <summary>Counts full reads; passes the buffer through.</summary>
    private sealed class CountingMeter(NvmlMeter inner) : IBufferedMeter
    {
        public int Reads { get; private set; }

        public string Name => inner.Name;

        public IReadOnlyList<MeterChannel> Channels => inner.Channels;

        public bool HasSampleBuffer => inner.HasSampleBuffer;

        public MeterReading Read()
        {
            Reads++;
            return inner.Read();
        }

        public void UseSampleBuffer(TimeSpan interval) => inner.UseSampleBuffer(interval);

        public void ReadBuffered(DateTimeOffset origin, DateTimeOffset after, DateTimeOffset until, TimeSpan interval, List<MeterReading> readings)
            => inner.ReadBuffered(origin, after, until, interval, readings);

        public void Dispose() => inner.Dispose();
    }

    private sealed class CollectingSink : IMeasurementSink
    {
        private readonly object _gate = new();

        public List<ChannelSample> Samples { get; } = [];

        public int Batches { get; private set; }

        public string BeginRun(MeasurementRunInfo run) => "test";

        public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
        {
            lock (_gate)
            {
                Samples.AddRange(samples);
                Batches++;
            }
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
