using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;

namespace TrainWatt.Testing;

/// <summary>
/// One synthetic run whose stable level drifts: the per-epoch energies as a live projector sees them and the truth.
/// </summary>
/// <param name="Seed">The seed it was drawn from.</param>
/// <param name="Epochs">Epochs 0..N−1 (60 s each, nominal).</param>
/// <param name="StableFromIndex">First epoch of the stable phase (after the warm-up and any head-training phase).</param>
/// <param name="Drift">Relative change of the stable level from its first to its last epoch (−0.03 to +0.05).</param>
/// <param name="Rho">Lag-1 autocorrelation of the epoch noise.</param>
/// <param name="NoiseCv">Marginal standard deviation of the epoch noise, relative to the level.</param>
public sealed record DriftingRun(int Seed, IReadOnlyList<EpochMeasurement> Epochs, int StableFromIndex, double Drift, double Rho, double NoiseCv)
{
    /// <summary>N.</summary>
    public int TotalEpochs => Epochs.Count;

    /// <summary>The run's real total: the sum of its epoch energies.</summary>
    public Energy Truth => Epochs.Aggregate(Energy.Zero, (sum, e) => sum + e.Energy);
}

/// <summary>
/// Seeded generator of runs whose stable level drifts linearly over the run (issue 14: thermal drift, learning-rate
/// schedules, growing validation): N from 40 to 120 epochs; epoch 0 a warm-up at 1.3-3 × the level; in half of the
/// runs a head-training phase up to epoch 2-10 at 55-90 % of it; then the stable level L (500-5000 J) changing linearly
/// by d ~ U(−3 %, +5 %) from the first stable epoch to the last, times 1 + AR(1) noise (ρ ~ U(0, 0.6), marginal
/// standard deviation 0.5-3 % of the level). Deterministic: the same seed gives the same run (System.Random).
/// </summary>
public static class DriftingRuns
{
    public const double MinDrift = -0.03;
    public const double MaxDrift = 0.05;

    public static DriftingRun Generate(int seed)
    {
        var r = new Random(seed);
        double U(double a, double b) => a + (b - a) * r.NextDouble();
        int n = r.Next(40, 121);
        bool head = r.NextDouble() < 0.5;
        int stableFrom = head ? r.Next(2, 11) : 1;
        double headFactor = U(0.55, 0.9), warmup = U(1.3, 3), level = U(500, 5000);
        double drift = U(MinDrift, MaxDrift), rho = U(0, 0.6), cv = U(0.005, 0.03);
        double innovation = cv * Math.Sqrt(1 - rho * rho);
        double noise = cv * Gaussian(r);
        var epochs = new EpochMeasurement[n];
        var start = new DateTime(2026, 5, 1, 8, 0, 0, DateTimeKind.Unspecified);
        for (int k = 0; k < n; k++)
        {
            if (k > 0)
            {
                noise = rho * noise + innovation * Gaussian(r);
            }

            double trend = k < stableFrom ? 1 : 1 + drift * (k - stableFrom) / Math.Max(1, n - 1 - stableFrom);
            double factor = k == 0 ? warmup : k < stableFrom ? headFactor : trend;
            var duration = TimeSpan.FromSeconds(60 * (k == 0 ? warmup : 1));
            epochs[k] = EpochMeasurement.FromEnergy(k, duration, Energy.FromJoules(level * factor * (1 + noise)), start.AddMinutes(k + 1));
        }

        return new DriftingRun(seed, epochs, stableFrom, drift, rho, cv);
    }

    private static double Gaussian(Random r)
    {
        double u1 = 1 - r.NextDouble(), u2 = r.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
