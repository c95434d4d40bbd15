using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests;

/// <summary>
/// The readers' one pass (issue 21, long runs): <see cref="IRunStore.GetRun(long)"/> reads each device's samples once,
/// devices in parallel on their own connections, into the energies and the phase split's two boundary energies. Oracle:
/// the code path of before (main at 42b8831): <see cref="LegacyEnergy"/>, the old <c>DeviceEnergyCalculator.Compute</c>
/// copied verbatim, over <see cref="IRunStore.EnumerateSamples"/> (the streamed merge), and its phase split by
/// <c>TakeWhile(t &lt;= boundary)</c> read twice more per device. Equality is exact (records and doubles).
/// </summary>
public class OnePassReaderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SqliteRunStore Open() => SqliteRunStore.Open(_temp.File("runs.db"), new SqliteStoreOptions { Time = new FakeTimeProvider(T0.AddDays(1)) });

    /// <summary>
    /// A run shaped to hit every rule: a counter GPU (at NVML's mJ), a sampled GPU with a power gap over the 5 s floor,
    /// a modelled CPU with some readings without power, a device with no samples; 10 Hz with jitter, batches of one
    /// second, one batch going back in time (overlapping chunks, merged), two readings at one time stamp, and epochs
    /// whose boundaries fall between readings and on a reading.
    /// </summary>
    private static long StoreRun(IRunStore store, int seconds)
    {
        var (run, ids) = store.StartRun(new NewRun("measure", T0, Metadata: """{"interval_ms":100}"""),
        [
            new DeviceRegistration("gpu:0", "gpu", "G0", Provenance.Counter),
            new DeviceRegistration("gpu:1", "gpu", "G1", Provenance.Sampled),
            new DeviceRegistration("cpu:0", "cpu", "C0", Provenance.Model),
            new DeviceRegistration("gpu:2", "gpu", "G2", Provenance.Counter),
        ]);
        double joules = 0;
        var batch = new List<SampleRecord>();
        for (int k = 0; k < seconds * 10; k++)
        {
            var t = T0.AddTicks((k * 1_000_000L) + (k % 10 == 0 ? 0 : k * 7919 % 3000 * 10)); // 0-3 ms late, on time each whole second
            double w0 = Math.Round(200 + (80 * Math.Sin(k / 37.0)) + (k % 13), 3);
            joules += w0 * 0.1;
            batch.Add(new SampleRecord(ids[0], t, Power.FromWatts(w0), Energy.FromJoules(Math.Round(joules, 3)), k % 100, 4000, 60, Provenance.Counter));
            if (k is < 300 or > 370)
            {
                batch.Add(new SampleRecord(ids[1], t, Power.FromWatts(150 + (k % 17 * 0.25)), null, null, null, null, Provenance.Sampled));
            }

            batch.Add(new SampleRecord(ids[2], t, k % 9 == 0 ? null : Power.FromWatts(35.5 + (k % 5)), null, 12, null, null, Provenance.Model));
            if (k == 500)
            {
                batch.Add(new SampleRecord(ids[2], t, Power.FromWatts(90), null, 12, null, null, Provenance.Model)); // same time stamp
            }

            if (k % 10 == 9)
            {
                store.AppendSamples(run, batch);
                batch.Clear();
            }
        }

        // A late batch that goes back in time: its chunk overlaps the ones written before.
        store.AppendSamples(run, [.. Enumerable.Range(0, 5).Select(i => new SampleRecord(ids[1], T0.AddSeconds(20.05 + i), Power.FromWatts(400 + i), null, null, null, null, Provenance.Sampled))]);
        // The first two boundaries on a reading (whole seconds: a time stored exactly), the others between readings.
        var boundaries = new[] { T0.AddSeconds(12.0), T0.AddSeconds(30.0), T0.AddSeconds(45.55), T0.AddSeconds(seconds - 7.77) };
        for (int e = 0; e + 1 < boundaries.Length; e++)
        {
            store.AddEpoch(run, new EpochRecord(e + 1, boundaries[e], boundaries[e + 1], Energy.FromJoules(1000 + e), Provenance.Model, 64));
        }

        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(seconds), 0);
        return run;
    }

    [Fact]
    public void Should_Give_The_Energies_Of_The_Streamed_Path_Of_Before_In_One_Parallel_Pass()
    {
        // Given
        using var store = Open();
        long run = StoreRun(store, 120);

        // When
        var details = store.GetRun(run)!;

        // Then: every device's figures equal the old code's over the streamed samples, field by field (the boundary
        // energies are new, so they are compared against the old split below)
        Assert.Equal(4, details.Energy.Count);
        foreach (var energy in details.Energy)
        {
            var legacy = LegacyEnergy.Compute(energy.Device, store.EnumerateSamples(run, energy.Device.Id), details.Run.GapRule);
            Assert.Equal(legacy, energy with { EnergyAtFirstEpochStart = null, EnergyAtLastEpochEnd = null });
        }

        Assert.Equal(0, details.Energy[3].Samples);
        Assert.Equal(Provenance.Counter, details.Energy[0].Provenance);
        Assert.True(details.Energy[1].ExcludedDuration > TimeSpan.Zero, "the sampled GPU's 7 s without readings is a gap");
    }

    [Fact]
    public void Should_Split_The_Phases_As_The_Two_Extra_Reads_Of_Before_Did()
    {
        // Given
        using var store = Open();
        long run = StoreRun(store, 120);
        var details = store.GetRun(run)!;
        var first = details.Epochs[0].Start;
        var last = details.Epochs[^1].End;

        // Then: each device's boundary energies equal the old EnergyUpTo (legacy Compute over TakeWhile(t <= boundary))
        foreach (var energy in details.Energy)
        {
            Assert.Equal(LegacyUpTo(store, run, energy.Device, first, details.Run.GapRule), energy.EnergyAtFirstEpochStart);
            Assert.Equal(LegacyUpTo(store, run, energy.Device, last, details.Run.GapRule), energy.EnergyAtLastEpochEnd);
        }

        // and the split from them equals the split that streams the samples again (the fallback kept for other stores)
        var streamed = details with { Energy = [.. details.Energy.Select(e => e with { EnergyAtFirstEpochStart = null, EnergyAtLastEpochEnd = null })] };
        var onePass = StoredRunPhases.Compute(store, details)!;
        var twoReads = StoredRunPhases.Compute(store, streamed)!;
        Assert.Equal(twoReads.All.Select(p => (p.Name, p.Energy, p.Duration)), onePass.All.Select(p => (p.Name, p.Energy, p.Duration)));
        Assert.True(onePass.All.First(p => p.Name == RunPhaseNames.Startup).Energy > Energy.Zero);
    }

    [Fact]
    public void Should_Visit_Each_Device_In_The_Order_EnumerateSamples_Gives()
    {
        // Given: the run with an overlapping chunk and two readings at one time
        using var store = Open();
        long run = StoreRun(store, 60);
        var devices = store.GetRun(run)!.Devices;
        var lists = devices.Select(_ => new Collect()).ToList();

        // When: the parallel visit (2 threads here when the machine has 2 cores or more)
        store.VisitSamples(run, [.. devices.Select((d, i) => (d.Id, (ISampleVisitor)lists[i]))]);

        // Then
        for (int i = 0; i < devices.Count; i++)
        {
            Assert.Equal(store.EnumerateSamples(run, devices[i].Id), lists[i].Samples);
        }

        Assert.Equal(534, lists[1].Samples.Count); // 600 readings at 10 Hz, less the 71 of the gap (k = 300..370), plus the 5 late ones
    }

    [Fact]
    public void Should_Report_A_Damaged_Chunk_Read_On_A_Reader_Thread_As_The_Store_Does()
    {
        // Given: the third device's first chunk cut short (as the fuzz tests damage a chunk of a one-device store)
        string path = _temp.File("runs.db");
        long run;
        using (var store = Open())
        {
            run = StoreRun(store, 30);
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE sample_chunks SET data = substr(data, 1, 20) WHERE id = (SELECT MIN(c.id) FROM sample_chunks c JOIN devices d ON d.id = c.device_id WHERE d.key = 'cpu:0')";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        // When: read with the devices spread over reader threads
        using var reopened = Open();
        var e = Assert.Throws<StoreException>(() => reopened.GetRun(run));
        long[] ids = [3, 1, 2]; // cpu:0, registered third in a new store, first
        var visit = Assert.Throws<StoreException>(() => reopened.VisitSamples(run, [.. ids.Select(id => (id, (ISampleVisitor)new Collect()))]));

        // Then: the one-line message of a damaged row (the file, the cause, the fix), not an AggregateException
        foreach (var message in new[] { e.Message, visit.Message })
        {
            Assert.Contains(path, message, StringComparison.Ordinal);
            Assert.Contains("the sample chunk ends before its last sample", message, StringComparison.Ordinal);
            Assert.Contains(".recover", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_Give_Zero_At_A_Boundary_Before_Every_Sample_And_The_Total_After_The_Last()
    {
        // Given: hand oracle, one counter device 100 W for 2 s (counter 0, 100, 200 J at t = 0, 1, 2 s)
        var device = new StoredDevice(1, 1, "gpu:0", "gpu", null, Provenance.Counter, null, null);
        var accumulator = new DeviceEnergyAccumulator(device, SampleGapRule.Default, T0.AddSeconds(-1), T0.AddSeconds(5));
        for (int i = 0; i < 3; i++)
        {
            accumulator.Visit(new SampleRecord(1, T0.AddSeconds(i), Power.FromWatts(100), Energy.FromJoules(100 * i), null, null, null, Provenance.Counter));
        }

        // When
        var result = accumulator.Result();

        // Then
        Assert.Equal(Energy.Zero, result.EnergyAtFirstEpochStart);
        Assert.Equal(Energy.FromJoules(200), result.EnergyAtLastEpochEnd);
        Assert.Equal(Energy.FromJoules(200), result.Energy);
    }

    private static Energy LegacyUpTo(IRunStore store, long run, StoredDevice device, DateTimeOffset until, SampleGapRule rule)
        => LegacyEnergy.Compute(device, store.EnumerateSamples(run, device.Id).TakeWhile(s => s.Timestamp <= until), rule).Energy ?? Energy.Zero;

    private sealed class Collect : ISampleVisitor
    {
        public List<SampleRecord> Samples { get; } = [];

        public void Visit(in SampleRecord sample) => Samples.Add(sample);
    }

    /// <summary><c>DeviceEnergyCalculator.Compute</c> as it was before the one-pass readers (main at 42b8831), verbatim.</summary>
    private static class LegacyEnergy
    {
        public static StoredDeviceEnergy Compute(StoredDevice device, IEnumerable<SampleRecord> samples, SampleGapRule gapRule)
        {
            var integrator = new EnergyIntegrator(device.Key, device.Key, device.Name, gapRule.ApplyTo());
            long count = 0;
            long withPower = 0;
            double sumWatts = 0;
            double maxWatts = double.NegativeInfinity;
            DateTimeOffset? first = null;
            DateTimeOffset? previous = null;
            TimeSpan maxGap = TimeSpan.Zero;
            Energy? firstCounter = null;
            Energy? lastCounter = null;
            foreach (var sample in samples)
            {
                count++;
                first ??= sample.Timestamp;
                if (previous is { } before && sample.Timestamp - before > maxGap)
                {
                    maxGap = sample.Timestamp - before;
                }

                previous = sample.Timestamp;
                if (sample.CumulativeEnergy is { } counter)
                {
                    firstCounter ??= counter;
                    lastCounter = counter;
                }

                if (sample.Power is { } power)
                {
                    withPower++;
                    sumWatts += power.Watts;
                    maxWatts = Math.Max(maxWatts, power.Watts);
                    integrator.Add(new GpuSample(sample.Timestamp.UtcDateTime, power, null, null, null, null, sample.SourceLine ?? 0));
                }
            }

            if (count == 0)
            {
                return new StoredDeviceEnergy(device, 0, null, null, null, device.Provenance, null, null, null, TimeSpan.Zero);
            }

            EnergyResult? integrated = integrator.Complete().Result;
            Energy? energy = null;
            var provenance = device.Provenance;
            if (firstCounter is { } start && lastCounter is { } end && device.Provenance == Provenance.Counter)
            {
                energy = end - start;
                provenance = Provenance.Counter;
            }
            else if (integrated is not null)
            {
                energy = integrated.Energy;
                provenance = device.Provenance == Provenance.Counter ? Provenance.Sampled : device.Provenance;
            }

            bool isCounter = provenance == Provenance.Counter;
            return new StoredDeviceEnergy(
                device,
                count,
                first,
                previous,
                energy,
                provenance,
                withPower > 0 ? Power.FromWatts(sumWatts / withPower) : null,
                withPower > 0 ? Power.FromWatts(maxWatts) : null,
                count > 1 ? maxGap : null,
                integrated?.ExcludedDuration ?? TimeSpan.Zero)
            {
                SampledEnergy = isCounter && withPower > 1 ? integrated?.Energy : null,
            };
        }
    }
}
