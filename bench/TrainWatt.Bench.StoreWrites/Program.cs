using System.Diagnostics;
using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;

// Usage: TrainWatt.Bench.StoreWrites STORE [WRITERS] [BATCHES] [BATCH_SIZE]
// STORE: an SQLite file path or a postgres:// URL. Each writer (a thread with its own store instance, as a measure
// process has) creates a run with one device and appends BATCHES batches of BATCH_SIZE samples, one transaction each.
RunStoreFactory.Register(new PostgresStoreProvider());
string location = args[0];
int writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
int batches = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
int batchSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 500;
using (RunStoreFactory.Open(location, TimeProvider.System))
{
    // create / migrate once
}

var t0 = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
{
    using var store = RunStoreFactory.Open(location, TimeProvider.System);
    long run = store.CreateRun(new NewRun("bench", t0));
    long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "bench", Provenance.Counter, $"GPU-{w}"));
    var batch = new SampleRecord[batchSize];
    for (int b = 0; b < batches; b++)
    {
        for (int i = 0; i < batchSize; i++)
        {
            int k = (b * batchSize) + i;
            batch[i] = new SampleRecord(device, t0.AddMilliseconds(k * 100.0), Power.FromWatts(200 + (k % 50)), Energy.FromJoules(20.0 * k), 87, 1234, 61, Provenance.Counter);
        }

        store.AppendSamples(run, batch);
    }

    store.FinishRun(run, RunStatus.Completed, t0.AddMilliseconds(batches * batchSize * 100.0), 0);
});
clock.Stop();
long total = (long)writers * batches * batchSize;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{(location.Contains("://", StringComparison.Ordinal) ? "postgresql" : "sqlite")}: {writers} writers x {batches} batches x {batchSize} samples = {total} samples in {clock.Elapsed.TotalSeconds:F2} s -> {total / clock.Elapsed.TotalSeconds:F0} samples/s ({writers * batches / clock.Elapsed.TotalSeconds:F0} batches/s)"));
