using System.Globalization;
using System.Text;

namespace TrainWatt.Testing;

/// <summary>
/// Writes a realistic synthetic nvidia-smi trace (no real data involved): 1 Hz samples of one RTX 3090-like GPU
/// through idle, start-up, warm-up, training epochs with a validation pass each, and idle again, with sensor noise,
/// time-stamp jitter and a temperature that follows the load. Deterministic for a seed (System.Random with a seed is
/// stable across .NET versions). Produces <c>samples/traces/gpu-power-sample.csv.gz</c>; see samples/README.md.
/// </summary>
public static class SyntheticTrace
{
    /// <summary>The header nvidia-smi writes for the query used here (<c>--format=csv</c>).</summary>
    public const string Header =
        "timestamp, index, name, pci.bus_id, utilization.gpu [%], memory.used [MiB], power.draw [W], power.max_limit [W], temperature.gpu";

    /// <summary>One generated sample: what the line says, in numbers, so tests can integrate it independently of the parser.</summary>
    public readonly record struct Point(DateTime Timestamp, double Watts, int UtilizationPercent, int MemoryUsedMiB, int TemperatureCelsius, string Phase);

    /// <summary>The sample trace's shape: 12 s idle, 25 s start-up, 8 epochs of 95 s training + 14 s validation, 15 s idle (about 15.5 min).</summary>
    public static IReadOnlyList<Point> Generate(int seed = 2024, int epochs = 8)
    {
        var random = new Random(seed);
        var points = new List<Point>();
        var t = new DateTime(2024, 6, 3, 14, 0, 0, 0, DateTimeKind.Unspecified);
        double temperature = 38;
        int memory = 412;

        void Emit(int seconds, string phase, Func<int, (double Watts, int Util)> load, int memoryTarget)
        {
            for (int i = 0; i < seconds; i++)
            {
                var (watts, util) = load(i);
                watts = Math.Clamp(watts + Gaussian(random, 1.5), 8, 350);
                // First-order thermal response toward a load-dependent target (°C), 1 s steps, tau ≈ 60 s.
                temperature += ((32 + (watts * 0.13)) - temperature) / 60.0;
                memory = memory < memoryTarget ? Math.Min(memoryTarget, memory + 1500) : memoryTarget;
                points.Add(new Point(t, Math.Round(watts, 2), Math.Clamp(util, 0, 100), memory, (int)Math.Round(temperature), phase));
                // nvidia-smi -l 1 drifts by ~1-4 ms per sample.
                t = t.AddMilliseconds(1000 + random.Next(1, 5));
            }
        }

        Emit(12, "idle", _ => (22, 0), 412);
        Emit(25, "startup", i => (i < 10 ? 58 : 95, i < 10 ? 2 : 18), 20_614);
        for (int e = 0; e < epochs; e++)
        {
            // First epoch warms up (cuDNN autotuning, data cache): lower, irregular load for 20 s.
            Emit(95, $"epoch {e + 1}", i => e == 0 && i < 20
                ? (140 + (random.NextDouble() * 120), 40 + random.Next(0, 40))
                : (292 + (8 * Math.Sin(i / 7.0)) + Gaussian(random, 6), 94 + random.Next(-3, 5)), 20_614);
            Emit(14, $"validation {e + 1}", _ => (205 + Gaussian(random, 8), 61 + random.Next(-6, 7)), 20_614);
        }

        Emit(15, "idle", i => (i < 4 ? 80 - (i * 12) : 24, 0), 412);
        return points;
    }

    /// <summary>The CSV text nvidia-smi would have written for <paramref name="points"/> (", " separators, units in values).</summary>
    public static string ToCsv(IReadOnlyList<Point> points)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var p in points)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{p.Timestamp:yyyy/MM/dd HH:mm:ss.fff}, 0, NVIDIA GeForce RTX 3090, 00000000:01:00.0, {p.UtilizationPercent} %, {p.MemoryUsedMiB} MiB, {p.Watts:0.00} W, 350.00 W, {p.TemperatureCelsius}\n");
        }

        return text.ToString();
    }

    private static double Gaussian(Random random, double sigma)
    {
        // Box-Muller.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
