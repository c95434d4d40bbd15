using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 21's acceptance: 8 GPUs sampled every 10 ms for 40 s take at most 8 bytes a stored reading in the SQLite
/// file (everything included), and <c>runs show</c> gives the energy of the measure summary. The live sampler runs on
/// a fake clock (each read takes 50-150 µs, each tick comes 0-300 µs late: timer jitter as on a busy machine) over an
/// meter that reads like the fake NVML library of the "fake GPUs" (native/fake-nvml: power on a curve, here 250 W
/// plus a 60 W sine, in whole mW; the counter its exact integral in mJ), with a utilisation that changes every 1/6 s,
/// memory in bytes / 2^20 that steps now and then, and whole °C; its 1 s sample
/// batches go to the store as measure's recorder writes them, one transaction each.
/// </summary>
public class CompactStoreTests
{
    [Fact]
    public async Task Eight_Gpus_Every_10_Ms_For_40_S_Take_At_Most_8_Bytes_A_Reading_And_Runs_Show_Gives_The_Summary_Energy()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        var random = new Random(21);
        var meter = new NvmlLikeMeter(8, time, random);
        var sink = new BatchSink();
        var interval = TimeSpan.FromMilliseconds(10);
        var sampler = new EnergySampler([meter], time, new SamplerOptions(interval, TimeSpan.FromSeconds(1)), sink);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        long run;
        long readings = 0;
        SamplerResult live;
        using (var store = SqliteRunStore.Open(db))
        {
            sampler.Start(runLoop: false);
            run = store.CreateRun(new NewRun("measure", sampler.StartedAt,
                Metadata: string.Create(CultureInfo.InvariantCulture, $$"""{"{{RunRecord.IntervalMetadataKey}}":{{interval.TotalMilliseconds}}}""")));
            var devices = sampler.Channels.Select(c => store.RegisterDevice(run, new DeviceRegistration(c.Id, c.Component, c.DeviceName, c.Provenance))).ToArray();
            void Store()
            {
                foreach (var batch in sink.Take())
                {
                    store.AppendSamples(run, [.. batch.Select(s => new SampleRecord(devices[s.ChannelIndex], s.Timestamp, s.Power, s.CounterEnergy,
                        s.UtilizationPercent, s.MemoryUsedMiB, s.TemperatureCelsius, Provenance.Counter))]);
                    readings += batch.Count;
                }
            }

            while (sampler.Snapshot().Elapsed < TimeSpan.FromSeconds(40))
            {
                time.Advance(interval - meter.LastReadDuration + TimeSpan.FromTicks(random.Next(0, 3000)));
                sampler.SampleNow();
                Store();
            }

            live = await sampler.StopAsync();
            Store();
            store.FinishRun(run, RunStatus.Completed, sampler.StartedAt + live.Duration, 0);
        }

        // Then: the whole file (runs, devices, chunks, indexes, free pages) over the readings
        Assert.False(File.Exists(db + "-wal") && new FileInfo(db + "-wal").Length > 0, "the WAL is checkpointed into the file on close");
        long bytes = new FileInfo(db).Length;
        TestContext.Current.TestOutputHelper?.WriteLine("chunks, their bytes, pages, free pages: " + string.Join(", ",
            new[] { "SELECT COUNT(*) FROM sample_chunks", "SELECT SUM(length(data)) FROM sample_chunks", "PRAGMA page_count", "PRAGMA freelist_count" }
                .Select(sql => LiveStoreQuery.Scalar(db, sql).ToString(CultureInfo.InvariantCulture))));
        double perReading = bytes / (double)readings;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{readings} readings in {bytes} bytes: {perReading:F2} bytes a reading (schema 3: 75)"));
        Assert.InRange(readings, 8 * 3900, 8 * 4100);
        Assert.True(perReading <= 8, $"{perReading:F2} bytes a reading");

        var show = CliHarness.Run("runs", "show", run.ToString(CultureInfo.InvariantCulture), "--json", "--db", db);
        Assert.True(show.ExitCode == 0, show.Err);
        double stored = JsonDocument.Parse(show.Out).RootElement.GetProperty("energy_j").GetDouble();
        double summary = live.Channels.Sum(c => c.Energy.Joules);
        // Oracle: the summary's energy; both are each counter's last minus first value of the same doubles, summed over
        // 8 GPUs (the order of the sum may differ: 1e-12 relative)
        Assert.Equal(summary, stored, summary * 1e-12);
    }

    /// <summary>N NVML-like GPUs with energy counters on the fake clock; each read advances it by 50-150 µs.</summary>
    private sealed class NvmlLikeMeter(int gpus, FakeTimeProvider time, Random random) : IMeter
    {
        private readonly ulong[] _millijoules = new ulong[gpus];
        private readonly int[] _utilization = new int[gpus];
        private long _reads;
        private readonly long _start = time.GetTimestamp();

        public string Name => "nvml-like";

        public IReadOnlyList<MeterChannel> Channels { get; } = [.. Enumerable.Range(0, gpus).Select(i => new MeterChannel($"gpu:{i}", "gpu", "NVIDIA Fake H100", Provenance.Counter))];

        public TimeSpan LastReadDuration { get; private set; }

        public MeterReading Read()
        {
            var duration = TimeSpan.FromTicks(random.Next(500, 1500));
            time.Advance(duration / 2);
            double t = time.GetElapsedTime(_start).TotalSeconds;
            var channels = new ChannelReading[gpus];
            for (int i = 0; i < gpus; i++)
            {
                // As native/fake-nvml does it: power 250 W + a 60 W sine of period 0.8 s, rounded to the mW; the counter is the
                // exact integral of that curve since the meter opened, truncated to the mJ
                double phase = (2 * Math.PI * t / 0.8) + i;
                uint mw = (uint)((250_000 + (60_000 * Math.Sin(phase))) + 0.5);
                _millijoules[i] = (ulong)(1000 * ((250 * t) - (60 * 0.8 / (2 * Math.PI) * (Math.Cos(phase) - Math.Cos(i)))));
                if (_reads % 17 == 0)
                {
                    // NVML's utilisation is a mean over its last sample period (1/6 s to 1 s, by product): new every 17 reads at 10 ms
                    _utilization[i] = 90 + random.Next(0, 10);
                }

                channels[i] = new ChannelReading($"gpu:{i}", Power.FromWatts(mw / 1000.0), TrainWatt.Core.Units.Energy.FromMillijoules(_millijoules[i]),
                    _utilization[i], (60_000L * 1048576 + (random.Next(0, 50) == 0 ? 2097152 : 0)) / 1048576.0, 60 + (int)(t / 10));
            }

            time.Advance(duration - (duration / 2));
            LastReadDuration = duration;
            _reads++;
            return new MeterReading(time.GetUtcNow(), time.GetElapsedTime(_start), channels);
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Keeps the sampler's batches until the test stores them.</summary>
    private sealed class BatchSink : IMeasurementSink
    {
        private readonly List<List<ChannelSample>> _batches = [];

        public IReadOnlyList<List<ChannelSample>> Take()
        {
            var batches = _batches.ToList();
            _batches.Clear();
            return batches;
        }

        public string BeginRun(MeasurementRunInfo run) => "1";

        public void AppendSamples(ReadOnlySpan<ChannelSample> samples) => _batches.Add([.. samples]);

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
