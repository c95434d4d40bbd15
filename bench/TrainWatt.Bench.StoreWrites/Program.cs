using System.Diagnostics;
using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;

// Usage: TrainWatt.Bench.StoreWrites STORE [WRITERS] [BATCHES] [BATCH_SIZE] [DEVICES]
// STORE: an SQLite file path or a postgres:// URL. Each writer (a thread with its own store instance, as a measure
// process has) creates a run with DEVICES devices (default 1) and appends BATCHES batches of BATCH_SIZE samples (split
// evenly over the devices, 100 ms apart per device), one transaction each. Readings look like NVML's: power in mW
// with noise around a 60 s sine, the energy counter in mJ integrating it, utilisation, memory and temperature as
// integers (seeded, so every run stores the same values). `measure` on 8 GPUs at 10 Hz hands the store 80 samples of
// 8 devices a second: BATCH_SIZE 80, DEVICES 8.
RunStoreFactory.Register(new PostgresStoreProvider());
string location = args[0];
int writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
int batches = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
int batchSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 500;
int devices = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
if (devices < 1 || batchSize % devices != 0)
{
    Console.Error.WriteLine($"BATCH_SIZE {batchSize} must be a multiple of DEVICES {devices}");
    return 64;
}

using (RunStoreFactory.Open(location, TimeProvider.System))
{
    // create / migrate once
}

var t0 = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
{
    using var store = RunStoreFactory.Open(location, TimeProvider.System);
    var random = new Random(w);
    long run = store.CreateRun(new NewRun("bench", t0));
    var ids = new long[devices];
    var energyMj = new long[devices];
    for (int d = 0; d < devices; d++)
    {
        ids[d] = store.RegisterDevice(run, new DeviceRegistration($"gpu:{d}", "gpu", "bench", Provenance.Counter, $"GPU-{w}-{d}"));
    }

    int perDevice = batchSize / devices;
    var batch = new SampleRecord[batchSize];
    for (int b = 0; b < batches; b++)
    {
        for (int d = 0; d < devices; d++)
        {
            for (int i = 0; i < perDevice; i++)
            {
                int k = (b * perDevice) + i;
                double seconds = k * 0.1;
                long mw = 250_000 + (long)(20_000 * Math.Sin(2 * Math.PI * seconds / 60)) + random.Next(-3000, 3001);
                energyMj[d] += mw / 10;
                batch[(d * perDevice) + i] = new SampleRecord(ids[d], t0.AddMilliseconds(k * 100.0), Power.FromWatts(mw / 1000.0),
                    Energy.FromJoules(energyMj[d] / 1000.0), random.Next(85, 101), 40_000 + random.Next(0, 4), 60 + ((k / 600) % 10), Provenance.Counter);
            }
        }

        store.AppendSamples(run, batch);
    }

    store.FinishRun(run, RunStatus.Completed, t0.AddMilliseconds(batches * perDevice * 100.0), 0);
});
clock.Stop();
double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
long total = (long)writers * batches * batchSize;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{(location.Contains("://", StringComparison.Ordinal) ? "postgresql" : "sqlite")}: {writers} writers x {batches} batches x {batchSize} samples ({devices} devices) = {total} samples in {clock.Elapsed.TotalSeconds:F2} s -> {total / clock.Elapsed.TotalSeconds:F0} samples/s ({writers * batches / clock.Elapsed.TotalSeconds:F0} batches/s), client CPU {cpu:F2} s"));
return 0;
