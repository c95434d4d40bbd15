using System.Diagnostics;
using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;

// Usage: TrainWatt.Bench.ReaderStore DB [HOURS] [GPUS] [EPOCHS]
//        TrainWatt.Bench.ReaderStore read DB   (decode throughput of run 1: enumerated, visited, visited into energies)
// Writes one run shaped like a `measure` run (source measure, metadata interval_ms 100) into the SQLite store DB: GPUS
// counter GPUs sampled at 10 Hz for HOURS (a few ms of jitter on each reading's time), a 10-minute idle start-up,
// EPOCHS epochs with a 2-minute idle evaluation after each, a 10-minute idle tail. Through the store API as measure
// writes it: StartRun, AppendSamples once per second of samples (GPUS x 10 readings), AddEpoch at each epoch's end,
// FinishRun. Power is deterministic (a busy or idle level, a slow sine and a hashed ripple, at NVML's milliwatt
// resolution); the energy counter is the trapezoid of that power at millijoule resolution, as NVML reports it. Each
// epoch's energy is the sum of the GPUs' counter differences between the readings at its start and end.
if (args.Length > 0 && args[0] == "read")
{
    return ReadBench.Run(args[1]);
}

string path = args[0];
double hours = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 72;
int gpus = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
int epochs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
const long TickUs = 100_000; // 10 Hz
long ticks = (long)(hours * 3600 * 10);
long idleTicks = 10 * 60 * 10, evalTicks = 2 * 60 * 10;
long epochTicks = ((ticks - (2 * idleTicks)) / epochs) - evalTicks;
if (epochTicks <= 10)
{
    Console.Error.WriteLine("too many epochs for the run's length");
    return 64;
}

var t0 = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
using var store = RunStoreFactory.Open(path, TimeProvider.System);
var (run, devices) = store.StartRun(
    new NewRun(RunSources.Measure, t0, Command: "python train.py (bench/TrainWatt.Bench.ReaderStore)", Tags: new Dictionary<string, string> { ["bench"] = "long-run-readers" },
        Metadata: "{\"interval_ms\":100}"),
    [.. Enumerable.Range(0, gpus).Select(g => new DeviceRegistration($"gpu:{g}", "gpu", "NVIDIA H100 80GB HBM3 (synthetic)", Provenance.Counter, $"GPU-bench-{g}"))]);

// Epoch k (0-based) covers ticks [start_k, start_k + epochTicks]; its evaluation follows.
long EpochStart(int k) => idleTicks + (k * (epochTicks + evalTicks));
bool Busy(long k) => k >= idleTicks && k < EpochStart(epochs) && (k - idleTicks) % (epochTicks + evalTicks) < epochTicks;
long Jitter(long k, int g) => k == 0 ? 0 : (long)((ulong)(k * 2654435761L + (g * 40503L)) % 3000); // 0-3 ms late

var energy = new double[gpus];       // exact trapezoid, J
var previousWatts = new double[gpus];
var previousUs = new long[gpus];
var atStart = new double[gpus];
var batch = new SampleRecord[gpus * 10];
int epoch = 0;
var clock = Stopwatch.StartNew();
for (long second = 0; second * 10 < ticks; second++)
{
    int n = 0;
    for (long k = second * 10; k < Math.Min(ticks, (second + 1) * 10); k++)
    {
        bool busy = Busy(k);
        for (int g = 0; g < gpus; g++)
        {
            long us = (k * TickUs) + Jitter(k, g);
            double level = busy ? 285 + (40 * Math.Sin((k / 3000.0) + g)) : 62 + (3 * Math.Sin(k / 500.0));
            double watts = Math.Round(level + ((ulong)(k * 7919 + g * 104729) % 4000 / 1000.0), 3); // milliwatts
            if (k > 0)
            {
                energy[g] += (watts + previousWatts[g]) * 0.5 * ((us - previousUs[g]) / 1e6);
            }

            previousWatts[g] = watts;
            previousUs[g] = us;
            batch[n++] = new SampleRecord(devices[g], t0.AddTicks(us * 10), Power.FromWatts(watts), Energy.FromJoules(Math.Round(energy[g], 3)),
                busy ? 90 + ((k / 10) + g) % 10 : 0, busy ? 71_000 + g : 1_200, 40 + (busy ? 25 : 0) + (int)(k / 36_000 % 5), Provenance.Counter);
        }

        if (epoch < epochs && k == EpochStart(epoch))
        {
            for (int g = 0; g < gpus; g++)
            {
                atStart[g] = Math.Round(energy[g], 3);
            }
        }

        if (epoch < epochs && k == EpochStart(epoch) + epochTicks)
        {
            double joules = Enumerable.Range(0, gpus).Sum(g => Math.Round(energy[g], 3) - atStart[g]);
            store.AppendSamples(run, batch[..n]);
            n = 0;
            store.AddEpoch(run, new EpochRecord(epoch + 1, t0.AddTicks(((EpochStart(epoch) * TickUs) + Jitter(EpochStart(epoch), 0)) * 10),
                t0.AddTicks(((k * TickUs) + Jitter(k, 0)) * 10), Energy.FromJoules(joules), Provenance.Counter, 50_000));
            epoch++;
        }
    }

    if (n > 0)
    {
        store.AppendSamples(run, batch[..n]);
    }
}

store.FinishRun(run, RunStatus.Completed, t0.AddTicks(ticks * TickUs * 10), 0);
clock.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"run {run}: {gpus} GPUs x {ticks} readings = {gpus * ticks} readings, {epochs} epochs, written in {clock.Elapsed.TotalSeconds:F1} s"));
return 0;
