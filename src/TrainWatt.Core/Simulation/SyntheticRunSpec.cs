namespace TrainWatt.Core.Simulation;

/// <summary>How often validation runs at the end of an epoch.</summary>
/// <param name="Every">Every how many epochs (1 = every epoch, 5 = epochs 4, 9, 14...; 0 = never).</param>
/// <param name="SecondsFraction">Validation time as a fraction of the epoch's training time.</param>
/// <param name="PowerFraction">Validation power as a fraction of the training power.</param>
public sealed record ValidationPhase(int Every, double SecondsFraction, double PowerFraction);

/// <summary>
/// The shape of one synthetic training run, all powers in watts and times in seconds. A run is: idle samples, epochs
/// 0..N−1 (epoch 0 a longer warm-up at its own power; epochs before index <see cref="ChangeIndex"/> in phase 1 — head
/// training —, the rest in phase 2 — fine-tuning —; optional validation at the end of some epochs), idle samples.
/// N is drawn uniformly from <see cref="MinEpochs"/>..<see cref="MaxEpochs"/>: early stopping at an epoch the
/// projector is not told.
/// </summary>
/// <param name="Seed">Seed of the run's random stream: the same spec gives the same trace.</param>
/// <param name="SampleHz">Sampling rate of the simulated nvidia-smi (1 or 10 are typical).</param>
/// <param name="Start">Wall-clock time of the first sample (no zone).</param>
/// <param name="IdleSeconds">Idle time sampled before training starts and after it ends (nvidia-smi started 3 s early).</param>
/// <param name="IdleWatts">Idle power.</param>
/// <param name="PowerLimitWatts">Reported <c>power.max_limit</c>.</param>
/// <param name="EpochSeconds">Phase-2 training time per epoch.</param>
/// <param name="EpochWatts">Phase-2 training power.</param>
/// <param name="ChangeIndex">0-based index of the first phase-2 epoch (0: no phase 1).</param>
/// <param name="Phase1SecondsFactor">Phase-1 epoch time as a fraction of <paramref name="EpochSeconds"/>.</param>
/// <param name="Phase1WattsFactor">Phase-1 power as a fraction of <paramref name="EpochWatts"/>.</param>
/// <param name="WarmupSecondsFactor">Epoch-0 time as a multiple of its phase's epoch time (graph tracing, caching).</param>
/// <param name="WarmupWattsFactor">Epoch-0 power as a multiple of its phase's power.</param>
/// <param name="Validation">Validation phases, or null for none.</param>
/// <param name="EpochSecondsCv">Coefficient of variation of epoch time, epoch to epoch.</param>
/// <param name="EpochWattsCv">Coefficient of variation of epoch power, epoch to epoch.</param>
/// <param name="SensorNoiseWatts">Standard deviation of the per-sample sensor noise.</param>
/// <param name="MinEpochs">Smallest possible N (early stopping).</param>
/// <param name="MaxEpochs">Largest possible N (max epochs).</param>
public sealed record SyntheticRunSpec(
    int Seed,
    double SampleHz,
    DateTime Start,
    double IdleSeconds,
    double IdleWatts,
    double PowerLimitWatts,
    double EpochSeconds,
    double EpochWatts,
    int ChangeIndex,
    double Phase1SecondsFactor,
    double Phase1WattsFactor,
    double WarmupSecondsFactor,
    double WarmupWattsFactor,
    ValidationPhase? Validation,
    double EpochSecondsCv,
    double EpochWattsCv,
    double SensorNoiseWatts,
    int MinEpochs,
    int MaxEpochs)
{
    /// <summary>
    /// A varied, realistic spec drawn from <paramref name="seed"/>: 1 Hz (70 %) or 10 Hz, 20-90 s epochs at 120-330 W,
    /// a head-training phase ending at epoch 2-10 at 55-90 % of the power (in 3 runs of 4), a warm-up epoch 1.3-3× long,
    /// validation every epoch (1 in 2), every 5th (1 in 4) or never, 0.5-3 % epoch-time and 0.5-2 % power scatter,
    /// 1-8 W sensor noise, max epochs 40-150 with early stopping in the last 8 % of them.
    /// </summary>
    public static SyntheticRunSpec Random(int seed)
    {
        var r = new Random(seed);
        double U(double a, double b) => a + (b - a) * r.NextDouble();
        int max = r.Next(40, 151);
        bool change = r.NextDouble() < 0.75;
        double v = r.NextDouble();
        ValidationPhase? validation = v < 0.5
            ? new ValidationPhase(1, U(0.1, 0.25), U(0.4, 0.7))
            : v < 0.75 ? new ValidationPhase(5, U(0.3, 0.8), U(0.4, 0.7)) : null;
        return new SyntheticRunSpec(
            Seed: seed,
            SampleHz: r.NextDouble() < 0.7 ? 1 : 10,
            Start: new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Unspecified).AddSeconds(r.Next(0, 86400)),
            IdleSeconds: 3,
            IdleWatts: U(8, 60),
            PowerLimitWatts: 350,
            EpochSeconds: U(20, 90),
            EpochWatts: U(120, 330),
            ChangeIndex: change ? r.Next(2, 11) : 0,
            Phase1SecondsFactor: change ? U(0.5, 0.9) : 1,
            Phase1WattsFactor: change ? U(0.55, 0.9) : 1,
            WarmupSecondsFactor: U(1.3, 3),
            WarmupWattsFactor: U(0.6, 0.95),
            Validation: validation,
            EpochSecondsCv: U(0.005, 0.03),
            EpochWattsCv: U(0.005, 0.02),
            SensorNoiseWatts: U(1, 8),
            MinEpochs: max - (int)Math.Round(0.08 * max),
            MaxEpochs: max);
    }
}
