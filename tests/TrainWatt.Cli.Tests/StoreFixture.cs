using System.Text.RegularExpressions;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// A store holding one hand-made measured run whose figures are derived by hand in the tests:
/// samples every 5 s from T0 to T0 + 20 s (within Core's 5 s gap threshold);
/// gpu:0 (counter) 0, 1500, 3000, 5000, 7200 J, power 300, 310, 320, 360, 400 W;
/// cpu:package-0 (sampled) constant 50 W → 1000 J over 20 s; ram (model) constant 6 W → 120 J;
/// two epochs of 10 s; tags project=demo; completed at T0 + 20 s with exit code 0.
/// </summary>
internal static class StoreFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static long CreateMeasuredRun(string dbPath)
    {
        using var store = SqliteRunStore.Open(dbPath);
        long run = store.CreateRun(new NewRun("measure", T0, Command: "python train.py --epochs 2", Tags: new Dictionary<string, string> { ["project"] = "demo" }));
        long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "NVIDIA H100 80GB HBM3", Provenance.Counter, "GPU-1234"));
        long cpu = store.RegisterDevice(run, new DeviceRegistration("cpu:package-0", "cpu", "Intel Xeon", Provenance.Sampled));
        long ram = store.RegisterDevice(run, new DeviceRegistration("ram", "ram", "RAM", Provenance.Model, Note: "0.375 W/GB"));
        double[] counter = [0, 1500, 3000, 5000, 7200];
        double[] gpuPower = [300, 310, 320, 360, 400];
        var samples = new List<SampleRecord>();
        for (int k = 0; k < counter.Length; k++)
        {
            var t = T0.AddSeconds(5 * k);
            samples.Add(new SampleRecord(gpu, t, Power.FromWatts(gpuPower[k]), Core.Units.Energy.FromJoules(counter[k]), 90, 40000, 60, Provenance.Counter));
            samples.Add(new SampleRecord(cpu, t, Power.FromWatts(50), null, 25, null, null, Provenance.Sampled));
            samples.Add(new SampleRecord(ram, t, Power.FromWatts(6), null, null, 16384, null, Provenance.Model));
        }

        store.AppendSamples(run, samples);
        store.AddEpoch(run, new EpochRecord(1, T0, T0.AddSeconds(10), Core.Units.Energy.FromJoules(3560), Provenance.Counter, 1000));
        store.AddEpoch(run, new EpochRecord(2, T0.AddSeconds(10), T0.AddSeconds(20), Core.Units.Energy.FromJoules(4760), Provenance.Counter, 1000));
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(20), exitCode: 0);
        return run;
    }

    /// <summary>Replaces run UUIDs and the temp folder in output so approvals are stable.</summary>
    public static string Scrub(string text, string tempPath)
        => Regex.Replace(text.Replace(tempPath, "<tmp>", StringComparison.Ordinal), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>");
}
