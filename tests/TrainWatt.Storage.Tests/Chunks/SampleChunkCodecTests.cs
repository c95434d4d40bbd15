using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Chunks;

namespace TrainWatt.Storage.Tests.Chunks;

public class SampleChunkCodecTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// NVML-like readings of one GPU as measure stores them: power in mW / 1000; the counter as NvmlMeter gives it (mJ
    /// accumulated since the meter was opened, / 1000) minus its first reading (EnergySampler); memory in bytes / 2^20;
    /// whole % (a new random value every reading: harder than NVML, which updates it every 1/6 s or slower) and °C.
    /// </summary>
    private static List<SampleRecord> NvmlLike(int count, int seed, TimeSpan interval, double jitterUs)
    {
        var random = new Random(seed);
        ulong counterMj = (ulong)random.Next(1_000_000);
        double first = counterMj / 1000.0;
        var samples = new List<SampleRecord>();
        var t = T0;
        for (int i = 0; i < count; i++)
        {
            uint mw = (uint)(180_000 + 40_000 * Math.Sin(i / 13.0) + random.Next(-500, 500));
            counterMj += (ulong)(mw * interval.TotalSeconds);
            double energy = counterMj / 1000.0 - first;
            samples.Add(new SampleRecord(1, t, Power.FromWatts(mw / 1000.0), Energy.FromJoules(energy), random.Next(90, 100),
                (40_000L * 1048576 + random.Next(0, 3) * 2097152) / 1048576.0, 60 + (i / 500), Provenance.Counter));
            t = t.AddTicks(interval.Ticks + (long)(10 * jitterUs * (random.NextDouble() * 2 - 1)));
        }

        return samples;
    }

    private static List<SampleRecord> RoundTrip(IReadOnlyList<SampleRecord> samples, out int bytes)
    {
        var encoder = new SampleChunkEncoder();
        foreach (var s in samples)
        {
            encoder.Append(s, StoreRows.ToMicroseconds(s.Timestamp));
        }

        byte[] data = encoder.ToArray();
        bytes = data.Length;
        var decoder = new SampleChunkDecoder(samples.Count == 0 ? 0 : samples[0].DeviceId, 1, encoder.Count, data);
        var back = new List<SampleRecord>();
        while (decoder.MoveNext())
        {
            back.Add(decoder.Current);
        }

        return back;
    }

    private static long Bits(double? value) => value is { } v ? BitConverter.DoubleToInt64Bits(v) : 0x7FF8_DEAD_0000_0001;

    /// <summary>Bit-identical fields, and the time as the store keeps it (whole microseconds, as schema 3's REAL read back).</summary>
    private static void AssertSame(SampleRecord expected, SampleRecord actual)
    {
        Assert.Equal(StoreRows.FromSeconds(StoreRows.ToSeconds(expected.Timestamp)), actual.Timestamp);
        Assert.Equal(Bits(expected.Power?.Watts), Bits(actual.Power?.Watts));
        Assert.Equal(Bits(expected.CumulativeEnergy?.Joules), Bits(actual.CumulativeEnergy?.Joules));
        Assert.Equal(Bits(expected.UtilizationPercent), Bits(actual.UtilizationPercent));
        Assert.Equal(Bits(expected.MemoryUsedMiB), Bits(actual.MemoryUsedMiB));
        Assert.Equal(Bits(expected.TemperatureCelsius), Bits(actual.TemperatureCelsius));
        Assert.Equal(expected.Provenance, actual.Provenance);
        Assert.Equal(expected.SourceLine, actual.SourceLine);
        Assert.Equal(expected.DeviceId, actual.DeviceId);
    }

    [Theory]
    [InlineData(1, 100, 0)]
    [InlineData(2, 10, 300)]
    [InlineData(3, 100, 2000)]
    public void Should_Give_Back_Every_Nvml_Like_Reading_Bit_For_Bit(int seed, int intervalMs, double jitterUs)
    {
        var samples = NvmlLike(3000, seed, TimeSpan.FromMilliseconds(intervalMs), jitterUs);

        var back = RoundTrip(samples, out _);

        Assert.Equal(samples.Count, back.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            AssertSame(samples[i], back[i]);
        }
    }

    [Fact]
    public void Should_Give_Back_Awkward_Values_Nulls_Provenances_And_Lines_Bit_For_Bit()
    {
        // Given: values no decimal scale holds, signed zeros, extremes, fields coming and going, equal and far times,
        // provenance changes, source lines with steps and jumps
        double[] awkward = [0.1 + 0.2, -0.0, 0.0, 1e300, -1e-300, double.Epsilon, double.MaxValue, 123.456, 123.456, 1.0 / 3, -7.25, 1e15 + 0.5, 4.5e15];
        var random = new Random(7);
        var samples = new List<SampleRecord>();
        var t = new DateTimeOffset(1969, 12, 31, 23, 59, 0, TimeSpan.Zero);
        for (int i = 0; i < 400; i++)
        {
            double a = awkward[random.Next(awkward.Length)];
            double b = awkward[random.Next(awkward.Length)];
            bool power = random.Next(4) > 0;
            samples.Add(new SampleRecord(9, t,
                power ? Power.FromWatts(Math.Abs(a)) : null,
                random.Next(3) == 0 ? null : Energy.FromJoules(Math.Abs(b)),
                random.Next(5) == 0 ? null : a,
                random.Next(2) == 0 ? null : b,
                random.Next(3) == 0 ? null : i % 7,
                (Provenance)random.Next(4),
                random.Next(3) == 0 ? null : (i % 50 == 0 ? int.MaxValue - i : 2 + 3 * i)));
            t = random.Next(6) switch
            {
                0 => t, // the same time again
                1 => t.AddHours(random.Next(1, 100)),
                _ => t.AddTicks(random.Next(1, 10_000_000)),
            };
        }

        var back = RoundTrip(samples, out _);

        Assert.Equal(samples.Count, back.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            AssertSame(samples[i], back[i]);
        }
    }

    [Fact]
    public void Should_Take_Under_7_Bytes_A_Reading_Of_A_Noisy_Gpu_At_10_Hz_With_Timer_Jitter()
    {
        // Given: 600 readings (a minute at 10 Hz) of an NVML-like GPU with ±300 µs timer jitter. Its noise alone is about
        // 3 bytes a reading (power uniform over 1,000 mW: 10 bits; utilisation uniform over 10 values: 3.3 bits; the
        // jitter's delta-of-delta: 9-10 bits; memory among 3 values: 1.6 bits)
        var samples = NvmlLike(600, 11, TimeSpan.FromMilliseconds(100), 300);

        RoundTrip(samples, out int bytes);

        // Then: under 7 bytes a reading in the chunk (schema 3: 75 bytes a row; the store's target is 8 with its overhead)
        double perReading = bytes / (double)samples.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"{bytes} bytes for {samples.Count} readings: {perReading:F2} bytes a reading");
        Assert.True(perReading < 7, $"{perReading:F2} bytes a reading");
    }

    [Fact]
    public void Should_Refuse_Appending_A_Reading_Before_The_Last_One()
    {
        var encoder = new SampleChunkEncoder();
        encoder.Append(new SampleRecord(1, T0, null, null, null, null, null, Provenance.Sampled), 100);

        Assert.Throws<ArgumentException>(() => encoder.Append(new SampleRecord(1, T0, null, null, null, null, null, Provenance.Sampled), 99));
    }

    [Fact]
    public void Should_Report_A_Truncated_Or_Unknown_Chunk_As_Invalid_Data()
    {
        var samples = NvmlLike(50, 5, TimeSpan.FromMilliseconds(100), 100);
        var encoder = new SampleChunkEncoder();
        foreach (var s in samples)
        {
            encoder.Append(s, StoreRows.ToMicroseconds(s.Timestamp));
        }

        byte[] data = encoder.ToArray();
        var truncated = new SampleChunkDecoder(1, 1, 50, data[..(data.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            while (truncated.MoveNext())
            {
            }
        });
        Assert.Equal("the sample chunk ends before its last sample", error.Message);
        data[0] = 9;
        Assert.Equal("the sample chunk has format 9, which this TrainWatt does not know (it writes 1)",
            Assert.Throws<InvalidDataException>(() => new SampleChunkDecoder(1, 1, 50, data)).Message);
    }

    [Fact]
    public void Should_Merge_Overlapping_Chunks_By_Time_Then_Write_Order()
    {
        // Given: device 1 in two chunks that overlap (the second went back in time), device 2 in one chunk
        static SampleRecord S(long device, int ms, double w) => new(device, T0.AddMilliseconds(ms), Power.FromWatts(w), null, null, null, null, Provenance.Sampled);
        static ChunkRow Row(long device, long id, params SampleRecord[] samples)
        {
            var encoder = new SampleChunkEncoder();
            foreach (var s in samples)
            {
                encoder.Append(s, StoreRows.ToMicroseconds(s.Timestamp));
            }

            return new ChunkRow(device, id, encoder.FirstMicroseconds, encoder.Count, encoder.ToArray());
        }

        var rows = new[]
        {
            Row(1, 10, S(1, 0, 1), S(1, 200, 2), S(1, 400, 3)),
            Row(1, 11, S(1, 100, 4), S(1, 200, 5), S(1, 500, 6)),
            Row(2, 12, S(2, 0, 7), S(2, 100, 8)),
        };

        // When: merged
        var merged = ChunkMerge.Samples(rows).Select(s => (s.DeviceId, (int)(s.Timestamp - T0).TotalMilliseconds, s.Power!.Value.Watts)).ToList();

        // Then: hand oracle (schema 3's ORDER BY device_id, t, rowid): by device, by time, at 200 ms the first chunk's first
        Assert.Equal([(1L, 0, 1.0), (1L, 100, 4.0), (1L, 200, 2.0), (1L, 200, 5.0), (1L, 400, 3.0), (1L, 500, 6.0), (2L, 0, 7.0), (2L, 100, 8.0)], merged);
        Assert.Equal(4, ChunkMerge.CountFrom(rows.Take(2), StoreRows.ToMicroseconds(T0.AddMilliseconds(200)))); // hand: 200, 400 and 200, 500
    }
}
