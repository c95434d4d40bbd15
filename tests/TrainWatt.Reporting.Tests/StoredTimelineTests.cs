using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Reporting.Tests;

/// <summary>
/// The report's power timeline read while streaming (issue 21, long runs): memory bounded by the plot's width (M4: the
/// first, lowest, highest and last reading of each time bucket), the extremes kept, short runs drawn from every reading,
/// and the run's energies those of <c>runs show</c>.
/// </summary>
public sealed class StoredTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Power at reading k of a device: a slow sine, a fast ripple, one spike up and one dip down.</summary>
    private static double Watts(int k, int device) => k == 7_777 + device ? 999.5 : k == 12_345 ? 3.25 : Math.Round(250 + (50 * Math.Sin(k / 900.0)) + (k * 7919 % 13), 3);

    private static long StoreRun(IRunStore store, int readings)
    {
        var (run, ids) = store.StartRun(new NewRun("measure", T0, Metadata: """{"interval_ms":100}"""),
            [new DeviceRegistration("gpu:0", "gpu", "G0", Provenance.Sampled), new DeviceRegistration("gpu:1", "gpu", "G1", Provenance.Sampled)]);
        for (int start = 0; start < readings; start += 1000)
        {
            store.AppendSamples(run, [.. Enumerable.Range(start, Math.Min(1000, readings - start)).SelectMany(k => ids.Select((id, d) =>
                new SampleRecord(id, T0.AddMilliseconds(100.0 * k), Power.FromWatts(Watts(k, d)), null, null, null, null, Provenance.Sampled)))]);
        }

        store.FinishRun(run, RunStatus.Completed, T0.AddMilliseconds(100.0 * (readings - 1)), 0);
        return run;
    }

    [Fact]
    public void Should_Keep_Each_Buckets_First_Lowest_Highest_And_Last_Reading_Of_A_Long_Run()
    {
        // Given: 40 000 readings a device, over 4 x 1 800 buckets, so decimated
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        int n = 40_000;
        long run = StoreRun(store, n);

        // When
        var (details, series, _) = StoredTimeline.Read(store, run)!.Value;

        // Then: per device at most 4 points a bucket, each a stored reading, in time order, with the run's first and last
        // readings and its extremes (hand: the spike 999.5 W at k = 7 777 + device, the dip 3.25 W at k = 12 345)
        Assert.Equal(2, series.Count);
        for (int d = 0; d < 2; d++)
        {
            var s = series[d];
            Assert.InRange(s.Seconds.Count, StoredTimeline.Buckets, 4 * StoredTimeline.Buckets);
            Assert.Equal(s.Seconds.Order(), s.Seconds);
            Assert.Equal(0.0, s.Seconds[0]);
            Assert.Equal(0.1 * (n - 1), s.Seconds[^1], 9);
            Assert.Equal(999.5, s.Watts.Max());
            Assert.Equal(3.25, s.Watts.Min());
            for (int i = 0; i < s.Seconds.Count; i++)
            {
                int k = (int)Math.Round(s.Seconds[i] * 10);
                Assert.Equal(Watts(k, d), s.Watts[i]);
            }

            // Each bucket's lowest and highest equal the brute-force extremes of its readings
            double span = 0.1 * (n - 1);
            var buckets = Enumerable.Range(0, n).GroupBy(k => Math.Clamp((int)(0.1 * k / span * StoredTimeline.Buckets), 0, StoredTimeline.Buckets - 1));
            var kept = s.Seconds.Select((t, i) => (Bucket: Math.Clamp((int)(t / span * StoredTimeline.Buckets), 0, StoredTimeline.Buckets - 1), W: s.Watts[i])).ToLookup(p => p.Bucket, p => p.W);
            foreach (var bucket in buckets)
            {
                Assert.Equal(bucket.Max(k => Watts(k, d)), kept[bucket.Key].Max());
                Assert.Equal(bucket.Min(k => Watts(k, d)), kept[bucket.Key].Min());
            }
        }

        // and the energies are the store's (runs show's), not the plotted points'
        Assert.Equal(store.GetRun(run)!.Energy, details.Energy);
    }

    [Fact]
    public void Should_Draw_A_Short_Run_From_Every_Reading()
    {
        // Given: 3 000 readings a device, under 4 x 1 800
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long run = StoreRun(store, 3_000);

        // When
        var (_, series, _) = StoredTimeline.Read(store, run)!.Value;

        // Then: every reading, as before
        Assert.Equal(Enumerable.Range(0, 3_000).Select(k => Watts(k, 1)), series[1].Watts);
        Assert.Equal(Enumerable.Range(0, 3_000).Select(k => (T0.AddMilliseconds(100.0 * k) - T0).TotalSeconds), series[1].Seconds);
    }
}
