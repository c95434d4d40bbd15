using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>Synthetic per-epoch series named for their shape (60 s epochs; energies in J).</summary>
internal static class Shapes
{
    public static EpochMeasurement[] Epochs(IEnumerable<double> joules)
        => joules.Select((j, i) => EpochMeasurement.FromEnergy(i, TimeSpan.FromSeconds(60), Energy.FromJoules(j), new DateTime(2026, 1, 1).AddMinutes(i + 1))).ToArray();

    /// <summary>Deterministic ±<paramref name="relative"/> Gaussian noise around <paramref name="level"/>.</summary>
    public static IEnumerable<double> Noisy(double level, int count, double relative, int seed)
    {
        var r = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double u1 = 1 - r.NextDouble(), u2 = r.NextDouble();
            yield return level * (1 + relative * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    public static EpochMeasurement[] SteadyState(int count = 20, double noise = 0.01, int seed = 1)
        => Epochs(Noisy(1000, count, noise, seed));

    public static EpochMeasurement[] LongFirstEpoch(int count = 20)
        => Epochs(new[] { 2500.0 }.Concat(Noisy(1000, count - 1, 0.01, 2)));

    /// <summary>Head training (700 J) for epochs 0-9, fine-tuning (1000 J) from epoch 10.</summary>
    public static EpochMeasurement[] StepChangeAtEpoch(int change, int count, int seed = 3)
        => Epochs(Noisy(700, change, 0.01, seed).Concat(Noisy(1000, count - change, 0.01, seed + 100)));

    /// <summary>Power ramps from 500 to 1000 J over epochs 0-7, then flat.</summary>
    public static EpochMeasurement[] LinearRamp(int count = 25)
        => Epochs(Noisy(1, count, 0.005, 4).Select((x, i) => x * (i < 8 ? 500 + 500.0 * i / 7 : 1000)));

    /// <summary>A one-off pause: epochs 10 and 11 at 50 % and 65 %, steady 1000 J otherwise.</summary>
    public static EpochMeasurement[] TransientDip(int count = 30)
        => Epochs(Noisy(1000, count, 0.01, 6).Select((x, i) => i == 10 ? x * 0.5 : i == 11 ? x * 0.65 : x));

    /// <summary>Validation every 5th epoch (epochs 4, 9, 14...) costs 30 % more.</summary>
    public static EpochMeasurement[] PeriodicValidation(int count = 20)
        => Epochs(Noisy(1000, count, 0.01, 5).Select((x, i) => (i + 1) % 5 == 0 ? x * 1.3 : x));
}
