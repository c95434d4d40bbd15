using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Simulation;

/// <summary>A simulated run with its known truth.</summary>
/// <param name="Spec">The spec it was drawn from.</param>
/// <param name="Samples">The nvidia-smi samples (power rounded to 0.01 W as nvidia-smi prints it).</param>
/// <param name="EpochEnds">End time of each epoch 0..N−1.</param>
/// <param name="TotalEpochs">The true N (where early stopping ended the run).</param>
/// <param name="ExactEnergy">Integral of the noise-free power from the first sample to the last epoch end (J).</param>
/// <param name="MeasuredEnergy">Trapezoidal energy of all epochs from the samples (<see cref="EpochEnergies"/>): what a
/// measurement of the whole run reports, and what a projection is scored against.</param>
public sealed record SyntheticRun(
    SyntheticRunSpec Spec,
    IReadOnlyList<GpuSample> Samples,
    IReadOnlyList<DateTime> EpochEnds,
    int TotalEpochs,
    Energy ExactEnergy,
    Energy MeasuredEnergy);

/// <summary>
/// Generates realistic nvidia-smi traces and epoch logs with known truth (see <see cref="SyntheticRunSpec"/>), and
/// writes them in the formats TrainWatt reads: the nvidia-smi CSV of <c>--query-gpu=timestamp,name,utilization.gpu,
/// utilization.memory,memory.total,memory.used,power.draw,power.max_limit,temperature.gpu --format=csv</c> and the
/// <c>epoch,end_time</c> log. Deterministic for a given spec (System.Random with a seed).
/// </summary>
public static class TrainingRunSimulator
{
    public const string NvidiaSmiHeader = "timestamp, name, utilization.gpu [%], utilization.memory [%], memory.total [MiB], memory.used [MiB], power.draw [W], power.max_limit [W], temperature.gpu";

    private readonly record struct Segment(double Start, double End, double Watts, double Utilization);

    public static SyntheticRun Generate(SyntheticRunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spec.SampleHz);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.MinEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.MaxEpochs, spec.MinEpochs);
        var r = new Random(spec.Seed ^ 0x5F3759DF);
        int n = r.Next(spec.MinEpochs, spec.MaxEpochs + 1);

        var segments = new List<Segment> { new(0, spec.IdleSeconds, spec.IdleWatts, 0) };
        var ends = new List<double>(n);
        double t = spec.IdleSeconds;
        for (int e = 0; e < n; e++)
        {
            bool phase1 = e < spec.ChangeIndex;
            double seconds = spec.EpochSeconds * (phase1 ? spec.Phase1SecondsFactor : 1);
            double watts = spec.EpochWatts * (phase1 ? spec.Phase1WattsFactor : 1);
            if (e == 0)
            {
                seconds *= spec.WarmupSecondsFactor;
                watts *= spec.WarmupWattsFactor;
            }

            seconds *= Math.Max(0.2, 1 + spec.EpochSecondsCv * Gaussian(r));
            watts *= Math.Max(0.2, 1 + spec.EpochWattsCv * Gaussian(r));
            segments.Add(new Segment(t, t + seconds, watts, 97));
            t += seconds;
            if (spec.Validation is { Every: > 0 } v && (e + 1) % v.Every == 0)
            {
                double vs = seconds * v.SecondsFraction;
                segments.Add(new Segment(t, t + vs, watts * v.PowerFraction, 60));
                t += vs;
            }

            ends.Add(t);
        }

        double trainingEnd = t;
        segments.Add(new Segment(t, t + spec.IdleSeconds, spec.IdleWatts, 0));
        double traceEnd = t + spec.IdleSeconds;

        // Samples: nominal period 1/Hz with a few milliseconds of jitter, as nvidia-smi -lms shows.
        double period = 1 / spec.SampleHz;
        var samples = new List<GpuSample>((int)(traceEnd * spec.SampleHz) + 2);
        int seg = 0;
        int line = 2;
        for (int i = 0; ; i++)
        {
            double ts = i * period + (i == 0 ? 0 : 0.002 * r.NextDouble());
            if (ts > traceEnd)
            {
                break;
            }

            while (seg < segments.Count - 1 && ts >= segments[seg].End)
            {
                seg++;
            }

            double watts = Math.Max(0, segments[seg].Watts + spec.SensorNoiseWatts * Gaussian(r));
            watts = Math.Round(watts, 2);
            samples.Add(new GpuSample(
                Timestamp: At(spec, ts),
                Power: Power.FromWatts(watts),
                UtilizationPercent: segments[seg].Utilization,
                MemoryUsedMiB: segments[seg].Utilization > 0 ? 20480 : 512,
                PowerLimit: Power.FromWatts(spec.PowerLimitWatts),
                TemperatureCelsius: 45 + watts / 10,
                Line: line++));
        }

        // Exact energy from the first sample to the last epoch end.
        double exact = 0;
        foreach (var s in segments)
        {
            double a = s.Start, b = Math.Min(s.End, trainingEnd);
            if (b > a)
            {
                exact += (b - a) * s.Watts;
            }
        }

        var epochEnds = ends.Select(e => At(spec, e)).ToArray();
        var split = EpochEnergies.Split(samples, epochEnds);
        if (split.Error is not null)
        {
            throw new InvalidOperationException($"Simulated run {spec.Seed} cannot be split into epochs: {split.Error}");
        }

        return new SyntheticRun(spec, samples, epochEnds, n, Energy.FromJoules(exact), split.Total);
    }

    /// <summary>Writes the samples as nvidia-smi's own CSV (header with units, ", " separators, values with units).</summary>
    public static void WriteNvidiaSmiCsv(TextWriter writer, SyntheticRun run)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        writer.Write(NvidiaSmiHeader + "\n");
        foreach (var s in run.Samples)
        {
            writer.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"{s.Timestamp:yyyy/MM/dd HH:mm:ss.fff}, NVIDIA GeForce RTX 3090, {s.UtilizationPercent:F0} %, {s.UtilizationPercent / 3:F0} %, 24576 MiB, {s.MemoryUsedMiB:F0} MiB, {s.Power!.Value.Watts:F2} W, {s.PowerLimit!.Value.Watts:F2} W, {s.TemperatureCelsius:F0}\n"));
        }
    }

    /// <summary>Writes the epoch log (<c>epoch,end_time</c>) of the run.</summary>
    public static void WriteEpochLog(TextWriter writer, SyntheticRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        EpochLog.Write(writer, run.EpochEnds);
    }

    private static DateTime At(SyntheticRunSpec spec, double seconds)
        => spec.Start.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond / 10_000.0) * 10_000); // whole milliseconds, as written

    private static double Gaussian(Random r)
    {
        double u1 = 1 - r.NextDouble(), u2 = r.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
