using System.Diagnostics;
using System.Globalization;
using TrainWatt.Core.Accounting;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Bench.LongRun;

/// <summary>One look at the process during the run.</summary>
internal sealed record RssPoint(double SimulatedHours, double RealSeconds, double RssMiB, double HeapMiB, double CpuSeconds, long Readings);

/// <summary>What the benchmark reports (also as JSON for bench/long-run-measure.sh).</summary>
internal sealed record LongRunReport(
    string RunId, int ExitCode, double SimulatedHours, double Scale, int Gpus, int IntervalMs, double EnergyJoules, int Epochs,
    long Readings, long ExpectedTicks, long SampleSteps, long LateSteps, long GapSteps, double MaxStepSeconds, double ExcludedSeconds,
    double SampledOverCounter, long TimerSkippedTicks, double TimerMaxLateMs, long StoreBytes, double WallSeconds, double CpuSeconds,
    double PeakRssMiB, IReadOnlyList<RssPoint> Rss);

/// <summary>The process's resident memory from /proc/self/status.</summary>
internal readonly record struct ProcessMemory(double RssMiB, double PeakMiB)
{
    public static ProcessMemory Read()
    {
        double rss = 0, peak = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kb(line) / 1024.0;
            }
        }

        return new ProcessMemory(rss, peak);

        static double Kb(string line) => double.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Follows the run as any observer of the pipeline does: counts the readings and the steps between the first
/// channel's consecutive readings (simulated time: later than 1.5 intervals, or a gap by <see cref="SampleGapRule"/>),
/// and at each progress tick (every 2 simulated hours) records the process's RSS, managed heap and CPU time.
/// </summary>
internal sealed class LongRunObserver(AcceleratedTime time, TimeSpan interval) : IMeasurementObserver
{
    private readonly SampleGapRule _gap = SampleGapRule.ForInterval(interval);
    private readonly List<RssPoint> _points = [];
    private readonly Lock _gate = new();
    private TimeSpan? _last;
    private long _readings;

    public IReadOnlyList<RssPoint> Points
    {
        get
        {
            lock (_gate)
            {
                return [.. _points];
            }
        }
    }

    public long Steps { get; private set; }

    public long LateSteps { get; private set; }

    public long GapSteps { get; private set; }

    public TimeSpan MaxStep { get; private set; }

    public void RunStarted(string runId, MeasurementRunInfo run) => Point(TimeSpan.Zero);

    public void Samples(ReadOnlySpan<ChannelSample> samples)
    {
        foreach (var s in samples)
        {
            _readings++;
            if (s.ChannelIndex != 0)
            {
                continue;
            }

            if (_last is { } last)
            {
                var step = s.Elapsed - last;
                Steps++;
                if (step > MaxStep)
                {
                    MaxStep = step;
                }

                if (step > interval * 1.5)
                {
                    LateSteps++;
                }

                if (_gap.IsGap(step))
                {
                    GapSteps++;
                }
            }

            _last = s.Elapsed;
        }
    }

    public void Progress(SamplerSnapshot snapshot) => Point(snapshot.Elapsed);

    public void Point(TimeSpan simulated)
    {
        var memory = ProcessMemory.Read();
        var point = new RssPoint(
            simulated.TotalHours, time.RealElapsed.TotalSeconds, memory.RssMiB, GC.GetTotalMemory(false) / 1048576.0,
            Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, Interlocked.Read(ref _readings));
        lock (_gate)
        {
            _points.Add(point);
        }
    }
}
