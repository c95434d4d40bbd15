using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Bench.LongRun;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters;
using TrainWatt.Storage;

// Usage: TrainWatt.Bench.LongRun --db FILE --library libnvidia-ml.so.1 [--hours 72] [--scale 500] [--gpus 8]
//        [--interval-ms 100] [--epochs 100] [--rss-every-hours 2] [--poll 1] [--json OUT] [--work DIR]
// Runs a simulated job of HOURS through MeasurementPipeline (what `trainwatt measure --meters nvml` runs) with the fake
// NVML (its time_scale = SCALE) over the real P/Invoke path into the SQLite store at FILE, on a clock SCALE times
// faster than the machine's. The wrapped job (python3) prints ##trainwatt epoch markers: idle for the first and last
// 2 % of the run, then EPOCHS epochs; the fake GPUs idle at 60-67 W then and train at 300-335 W (±25 W sine) between.
// The fake GPUs keep a driver sample buffer (sample_buffer = yes, on the same clock), so the pipeline reads them once a
// simulated second and stores the readings in between from the buffer, as `measure` does on GPUs that have one;
// --poll 1 reads every interval instead (MeasureOptions.Poll, `measure --poll`).
// Prints the process's RSS and CPU every RSS-EVERY simulated hours, then the totals; --json writes them for the script.
var options = Options.Parse(args);
using var time = new AcceleratedTime(options.Scale);
string work = options.Work ?? Directory.CreateTempSubdirectory("trainwatt-longrun-").FullName;
Directory.CreateDirectory(work);
double simSeconds = options.Hours * 3600;
double realSeconds = simSeconds / options.Scale;
double lead = 0.02 * simSeconds;

// The fake NVML reads fake-nvml-scenario.txt beside the library: a private copy per run.
string library = Path.Combine(work, "libnvidia-ml.so.1");
File.Copy(options.Library, library, overwrite: true);
File.WriteAllText(Path.Combine(work, "fake-nvml-scenario.txt"), Scenario(options.Gpus, options.Scale, time.Origin, lead, simSeconds - lead));
string job = Path.Combine(work, "job.py");
File.WriteAllText(job, JobScript);

var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
env["TRAINWATT_NVML_LIBRARY"] = library;
env.Remove("CUDA_VISIBLE_DEVICES");

var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
var wall = Stopwatch.StartNew();
var host = new HostContext(time, env);
var interval = TimeSpan.FromMilliseconds(options.IntervalMs);
var observer = new LongRunObserver(time, interval);
MeasureResult result;
long storeBytes;
using (var store = RunStoreFactory.Open(options.Db, time))
using (var meters = HardwareMeterSource.Instance.Open(new MeterSelection(MeterKinds.Nvml, Interval: interval), host))
{
    var stderr = TextWriter.Synchronized(Console.Error);
    void Say(string message) => stderr.WriteLine("trainwatt: " + message);
    foreach (string note in meters.Notes)
    {
        Say(note);
    }

    Say($"recording to {store.Location} with {meters.Describe()}");
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"long run: {options.Hours:0.##} h simulated at {options.Scale:0.##}x = {realSeconds:0.#} s real; {options.Gpus} GPUs every {options.IntervalMs} ms (real period {options.IntervalMs * 1000 / options.Scale:0.#} µs); {options.Epochs} epochs"));
    var pipeline = new MeasurementPipeline(store, meters, host, new MeasurementConsole(stderr, stderr, Say), [observer]);
    var measure = new MeasureOptions([
        "python3", job,
        realSeconds.ToString("R", CultureInfo.InvariantCulture),
        options.Epochs.ToString(CultureInfo.InvariantCulture),
        (lead / options.Scale).ToString("R", CultureInfo.InvariantCulture),
    ])
    {
        Interval = interval,
        ProgressEvery = TimeSpan.FromHours(options.RssEveryHours),
        Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["bench"] = "long-run" },
        ComparePre = true,
        Poll = options.Poll,
    };
    result = pipeline.Run(measure);
    observer.Point(result.Summary.Duration);
    foreach (string line in result.TextLines())
    {
        Say(line);
    }
}

wall.Stop();
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
storeBytes = new FileInfo(options.Db).Length + (File.Exists(options.Db + "-wal") ? new FileInfo(options.Db + "-wal").Length : 0);
var summary = result.Summary;
long expectedTicks = (long)(summary.Duration / interval) + 1;
var counters = summary.Channels.Where(c => c.SampledEnergy is not null).ToList();
double sampledOverCounter = counters.Count == 0 ? double.NaN
    : counters.Sum(c => c.SampledEnergy!.Value.Joules) / counters.Sum(c => c.Energy.Joules);
var report = new LongRunReport(
    RunId: result.RunId,
    ExitCode: result.ExitCode,
    SimulatedHours: summary.Duration.TotalHours,
    Scale: options.Scale,
    Gpus: options.Gpus,
    IntervalMs: options.IntervalMs,
    EnergyJoules: summary.Energy.Joules,
    Epochs: summary.Epochs.Count,
    Readings: result.Outcome.Readings,
    ExpectedTicks: expectedTicks,
    SampleSteps: observer.Steps,
    LateSteps: observer.LateSteps,
    GapSteps: observer.GapSteps,
    MaxStepSeconds: observer.MaxStep.TotalSeconds,
    ExcludedSeconds: summary.Channels.Sum(c => c.ExcludedDuration.TotalSeconds),
    SampledOverCounter: sampledOverCounter,
    TimerSkippedTicks: time.SkippedTicks,
    TimerMaxLateMs: time.MaxLateReal.TotalMilliseconds,
    StoreBytes: storeBytes,
    WallSeconds: wall.Elapsed.TotalSeconds,
    CpuSeconds: cpu.TotalSeconds,
    PeakRssMiB: ProcessMemory.Read().PeakMiB,
    Rss: observer.Points);
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"simulated h | real s | RSS MiB | managed heap MiB | CPU s | readings"));
foreach (var p in report.Rss)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{p.SimulatedHours,11:0.00} | {p.RealSeconds,6:0.0} | {p.RssMiB,7:0.0} | {p.HeapMiB,16:0.0} | {p.CpuSeconds,5:0.0} | {p.Readings}"));
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"run {report.RunId}: exit {report.ExitCode}, {report.SimulatedHours:0.00} h, {report.EnergyJoules / 3.6e6:0.000} kWh, {report.Epochs} epochs, {report.Readings} readings ({report.ExpectedTicks} ticks due), steps later than 1.5 intervals {report.LateSteps} of {report.SampleSteps}, gaps {report.GapSteps}, longest step {report.MaxStepSeconds:0.###} s, excluded {report.ExcludedSeconds:0.###} s, sampled/counter {report.SampledOverCounter:0.######}, timer ticks skipped {report.TimerSkippedTicks}, latest timer {report.TimerMaxLateMs:0.###} ms real; store {report.StoreBytes} B; wall {report.WallSeconds:0.0} s, CPU {report.CpuSeconds:0.0} s, peak RSS {report.PeakRssMiB:0.0} MiB"));
if (options.Json is { } json)
{
    File.WriteAllText(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
}

if (options.Work is null)
{
    Directory.Delete(work, recursive: true);
}

return result.ExitCode;

static string Scenario(int gpus, double scale, long origin, double trainFrom, double trainTo)
{
    var s = new System.Text.StringBuilder();
    // The scenario clock starts with the accelerated clock (both CLOCK_MONOTONIC), so the buffer's time stamps are its.
    s.Append(CultureInfo.InvariantCulture, $"time_scale = {scale:R}\ntime_origin_ns = {origin * (1e9 / Stopwatch.Frequency):F0}\n");
    for (int i = 0; i < gpus; i++)
    {
        double idle = 60 + i, busy = 300 + (5 * i);
        s.Append(CultureInfo.InvariantCulture, $"[device]\nname = NVIDIA Fake H100\nuuid = GPU-{i:D8}-1111-2222-3333-444444444444\nbus_id = 00000000:{i + 1:X2}:00.0\n");
        s.Append(CultureInfo.InvariantCulture, $"energy_counter = yes\nenergy_offset_mj = {1_000_000_000L * (i + 1)}\n");
        s.Append(CultureInfo.InvariantCulture, $"power_w = 0:{idle}, {trainFrom:R}:{idle}, {trainFrom + 60:R}:{busy}, {trainTo - 60:R}:{busy}, {trainTo:R}:{idle}\n");
        s.Append(CultureInfo.InvariantCulture, $"sine_amplitude_w = 25\nsine_period_s = {47 + i}\nutilization_gpu = 95\nmemory_total_mib = 81920\nmemory_used_mib = 60000\ntemperature_c = 64\nsm_clock_mhz = 1980\n");
        s.Append("sample_buffer = yes\nsample_buffer_s = 30\n"); // 30 simulated seconds: 60 ms of real time at 500x
    }

    return s.ToString();
}

internal partial class Program
{
    /// <summary>The wrapped job: idle for LEAD real seconds, EPOCHS epochs of equal length, idle for LEAD, exits after REAL.</summary>
    private const string JobScript = """
        import sys, time
        real, epochs, lead = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        start = time.monotonic()
        def until(t):
            time.sleep(max(0.0, start + t - time.monotonic()))
        print(f"##trainwatt plan epochs={epochs}", flush=True)
        per = (real - 2 * lead) / epochs
        until(lead)
        print("##trainwatt epoch-start n=1", flush=True)
        for n in range(1, epochs + 1):
            until(lead + n * per)
            print(f"##trainwatt epoch-end n={n} total={epochs}", flush=True)
        until(real)
        """;
}

internal sealed record Options(string Db, string Library, double Hours, double Scale, int Gpus, int IntervalMs, int Epochs, double RssEveryHours, string? Json, string? Work, bool Poll)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        double D(string key, double fallback) => map.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            map.GetValueOrDefault("db") ?? throw new ArgumentException("--db FILE is required"),
            map.GetValueOrDefault("library") ?? throw new ArgumentException("--library PATH (the fake libnvidia-ml.so.1) is required"),
            D("hours", 72), D("scale", 500), (int)D("gpus", 8), (int)D("interval-ms", 100), (int)D("epochs", 100), D("rss-every-hours", 2),
            map.GetValueOrDefault("json"), map.GetValueOrDefault("work"), D("poll", 0) != 0);
    }
}
