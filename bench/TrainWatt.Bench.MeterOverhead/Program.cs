// Meter overhead benchmark: CPU time used by this process while reading a meter at a fixed rate, as a percentage of
// one core. Usage: dotnet run -c Release --project bench/TrainWatt.Bench.MeterOverhead -- [--seconds 30] [--hz 10]
//   [--meter nvml|process|nvml+process|rapl|none]... ("none" = the timer loop alone, the floor of any sampler;
//   "nvml+process" = what `measure --meters auto` reads on a GPU machine without RAPL) [--loop timer|thread]
//   (timer = PeriodicTimer on the thread pool, the default; thread = a dedicated thread sleeping until each tick)
//   [--warmup S] (read at the same rate for S seconds before measuring: the steady state of a long run, after tiered
//   compilation has optimised code that runs once a second).
// The NVML phase loads the fake NVML library (native/build/libnvidia-ml.so.1, built by this project's build) with two
// GPUs, one with the energy counter and one sampled, so every NVML call of a real read is made.
using System.Diagnostics;
using System.Globalization;
using TrainWatt.Meters;
using TrainWatt.Meters.Nvml;
using TrainWatt.Meters.Procfs;
using TrainWatt.Meters.Rapl;

double seconds = 30;
double hz = 10;
bool threadLoop = false;
double warmupSeconds = 0;
var phases = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--hz": hz = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--meter": phases.Add(args[++i]); break;
        case "--loop": threadLoop = args[++i] == "thread"; break;
        case "--warmup": warmupSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument \"{args[i]}\". Use --seconds N, --hz N, --meter nvml|process|nvml+process|rapl|none, --loop timer|thread.");
            return 64;
    }
}

if (phases.Count == 0)
{
    phases.AddRange(["none", "nvml"]);
}

string repo = FindRepositoryRoot();
string work = Path.Combine(Path.GetTempPath(), $"trainwatt-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"meter overhead: {hz} Hz for {seconds} s per phase (after {warmupSeconds} s warm-up), {(threadLoop ? "dedicated thread" : "PeriodicTimer")} loop, {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}"));
    foreach (string phase in phases)
    {
        using IMeter? meter = phase switch
        {
            "none" => null,
            "nvml" => OpenFakeNvml(repo, PhaseFolder(work)),
            "process" => OpenProcess(),
            "rapl" => RaplMeter.Open(null, TimeProvider.System),
            "process-scan" => OpenProcess(TimeSpan.Zero, cpuModel: false),
            "process-ram" => OpenProcess(null, cpuModel: false),
            "nvml+process" => new Both(OpenFakeNvml(repo, PhaseFolder(work)), OpenProcess()),
            _ => throw new ArgumentException($"Unknown meter \"{phase}\". Use nvml, process, rapl or none."),
        };
        if (warmupSeconds > 0)
        {
            var warmEnd = Stopwatch.StartNew();
            while (warmEnd.Elapsed.TotalSeconds < warmupSeconds)
            {
                meter?.Read();
                Thread.Sleep(TimeSpan.FromSeconds(1 / hz));
            }
        }

        var (reads, cpu, wall) = threadLoop
            ? RunOnThread(meter, hz, TimeSpan.FromSeconds(seconds))
            : await Run(meter, hz, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase,-8} reads {reads,5}  cpu {cpu.TotalMilliseconds,8:F1} ms  wall {wall.TotalSeconds,6:F2} s  => {100 * cpu / wall,6:F3} % of one core, {cpu.TotalMicroseconds / Math.Max(reads, 1),8:F1} µs CPU per read (incl. timer)"));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

return 0;

static async Task<(int Reads, TimeSpan Cpu, TimeSpan Wall)> Run(IMeter? meter, double hz, TimeSpan duration)
{
    // Warm-up: let tiered compilation promote the read path (30 calls, then a background tier-1 compile) before
    // measuring, so the figure is the steady state of a long training run, not start-up cost.
    for (int round = 0; round < 3; round++)
    {
        for (int i = 0; i < 200; i++)
        {
            meter?.Read();
        }

        await Task.Delay(500);
    }

    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / hz));
    var self = Process.GetCurrentProcess();
    self.Refresh();
    var cpu0 = self.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    int reads = 0;
    while (wall.Elapsed < duration && await timer.WaitForNextTickAsync())
    {
        meter?.Read();
        reads++;
    }

    wall.Stop();
    self.Refresh();
    return (reads, self.TotalProcessorTime - cpu0, wall.Elapsed);
}

// Each phase loads its own copy: a loaded library must never be overwritten in place (its pages are mapped).
static string PhaseFolder(string work)
{
    string folder = Path.Combine(work, Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(folder);
    return folder;
}

static (int Reads, TimeSpan Cpu, TimeSpan Wall) RunOnThread(IMeter? meter, double hz, TimeSpan duration)
{
    (int, TimeSpan, TimeSpan) result = default;
    var thread = new Thread(() =>
    {
        for (int i = 0; i < 600; i++)
        {
            meter?.Read();
        }

        Thread.Sleep(1500);
        var period = TimeSpan.FromSeconds(1 / hz);
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpu0 = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        int reads = 0;
        var next = period;
        while (wall.Elapsed < duration)
        {
            var wait = next - wall.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            meter?.Read();
            reads++;
            next += period;
        }

        wall.Stop();
        self.Refresh();
        result = (reads, self.TotalProcessorTime - cpu0, wall.Elapsed);
    }) { IsBackground = true, Name = "bench sampler" };
    thread.Start();
    thread.Join();
    return result;
}

static IMeter OpenFakeNvml(string repo, string work)
{
    string built = Path.Combine(repo, "native", "build", "libnvidia-ml.so.1");
    if (!File.Exists(built))
    {
        throw new FileNotFoundException($"{built} is missing: build it with `make -C native/fake-nvml`.");
    }

    string lib = Path.Combine(work, "libnvidia-ml.so.1");
    File.Copy(built, lib, overwrite: true);
    File.WriteAllText(Path.Combine(work, "fake-nvml-scenario.txt"),
        "[device]\nname = Bench GPU A\npower_w = 0:100, 10:300, 20:150\nsine_amplitude_w = 20\nsine_period_s = 0.7\n" +
        "[device]\nname = Bench GPU B\nenergy_counter = no\npower_w = 0:80, 15:200\n");
    return NvmlMeter.Open(new NvmlMeterOptions(lib), TimeProvider.System);
}

static IMeter OpenProcess(TimeSpan? rescan = null, bool cpuModel = true)
{
    var meter = new ProcessTreeMeter(new ProcessTreeMeterOptions(IncludeCpuModel: cpuModel, RescanInterval: rescan), TimeProvider.System);
    meter.Attach(Environment.ProcessId);
    return meter;
}

static string FindRepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TrainWatt.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

/// <summary>Reads two meters per tick, as a sampler does.</summary>
internal sealed class Both(IMeter a, IMeter b) : IMeter
{
    public string Name => a.Name + "+" + b.Name;

    public IReadOnlyList<MeterChannel> Channels { get; } = [.. a.Channels, .. b.Channels];

    public MeterReading Read()
    {
        var ra = a.Read();
        var rb = b.Read();
        return new MeterReading(ra.Timestamp, ra.Elapsed, [.. ra.Channels, .. rb.Channels]);
    }

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }
}
