using TrainWatt.Core.Units;

namespace TrainWatt.Estimation;

/// <summary>
/// A pre-training estimate for one run. The interval factors multiply the epoch energy: a run's energy lies in
/// [E·Low, E·High] with the stated coverage (split-conformal on held-out residuals of the fitting data).
/// </summary>
/// <param name="AveragePower">Predicted average GPU power.</param>
/// <param name="EpochEnergy">Predicted average energy of one epoch.</param>
/// <param name="EpochDuration">Predicted average epoch duration.</param>
/// <param name="IntervalLowFactor">Lower bound factor (≤ 1).</param>
/// <param name="IntervalHighFactor">Upper bound factor (≥ 1).</param>
/// <param name="IntervalNote">How the interval was obtained.</param>
public sealed record PreEstimate(Power AveragePower, Energy EpochEnergy, TimeSpan EpochDuration, double IntervalLowFactor, double IntervalHighFactor, string IntervalNote)
{
    /// <summary>Intervals calibrated on other held-out protocols (e.g. kfold: a configuration like the fitting data; leave-gpu-out: a new GPU).</summary>
    public IReadOnlyList<PreInterval> Alternatives { get; init; } = [];

    /// <summary>The held-out protocol the main interval was calibrated on (null when the model has none, e.g. the paper's KRR).</summary>
    public string? IntervalProtocol { get; init; }

    /// <summary>The share of held-out runs (group mean) that interval covered when calibrated without them; null when not recorded.</summary>
    public double? IntervalCoverage { get; init; }

    /// <summary>
    /// What the estimate cannot vouch for, one sentence each: a feature of the run outside the fitting data's range
    /// (naming the feature and the range), a layer count that had to be assumed.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Total energy of <paramref name="epochs"/> epochs: epoch energy × epochs.</summary>
    public Energy Total(double epochs) => EpochEnergy * epochs;

    public Energy Lower(double epochs) => Total(epochs) * IntervalLowFactor;

    public Energy Upper(double epochs) => Total(epochs) * IntervalHighFactor;
}

/// <summary>An interval as factors on the estimate, named by the held-out protocol it was calibrated on.</summary>
public sealed record PreInterval(string Protocol, double LowFactor, double HighFactor);

/// <summary>Something that turns a run description into a <see cref="PreEstimate"/>.</summary>
public interface IPreEstimator
{
    /// <summary>Short name ("default v1", "paper KRR", a file name).</summary>
    string Name { get; }

    /// <summary>What the model is and where it comes from (fitted on what, how, when).</summary>
    string Description { get; }

    PreEstimate Estimate(RunDescription run);
}

/// <summary>The paper's shipped KRR models (power and full-epoch energy), loaded from a model-params folder.</summary>
public sealed class PaperKrrEstimator : IPreEstimator
{
    /// <summary>Test RMSE of the paper's epoch-energy model, kJ/epoch (paper-notes 3.5), used for a ±1.645σ interval.</summary>
    public const double PaperEpochEnergyTestRmseKilojoules = 0.708;

    public PaperKrrEstimator(PaperKrrModel power, PaperKrrModel epochEnergy)
    {
        PowerModel = power;
        EpochEnergyModel = epochEnergy;
    }

    public PaperKrrModel PowerModel { get; }

    public PaperKrrModel EpochEnergyModel { get; }

    public string Name => "paper";

    public string Description => $"the paper's shipped RBF kernel ridge models (del Rey et al., replication package DOI 10.5281/zenodo.11505891), loaded from {PowerModel.Directory} and {EpochEnergyModel.Directory}";

    /// <summary>Loads <c>kernel-ridge-regression-power-estimator</c> and <c>kernel-ridge-regression-full-energy-estimator</c> under <paramref name="modelParamsDirectory"/>.</summary>
    public static PaperKrrEstimator Load(string modelParamsDirectory)
    {
        if (!System.IO.Directory.Exists(modelParamsDirectory))
        {
            throw new PreModelException($"Paper model folder not found: {modelParamsDirectory}. Point --pre-model-dir (or TRAINWATT_PAPER_MODELS) at the journal replication package's model-params folder.");
        }

        return new PaperKrrEstimator(
            PaperKrrModel.Load(Path.Combine(modelParamsDirectory, "kernel-ridge-regression-power-estimator")),
            PaperKrrModel.Load(Path.Combine(modelParamsDirectory, "kernel-ridge-regression-full-energy-estimator")));
    }

    public PreEstimate Estimate(RunDescription run)
    {
        var power = Power.FromWatts(PowerModel.Predict(run));
        double epochKj = EpochEnergyModel.Predict(run);
        var energy = Energy.FromJoules(epochKj * 1000);
        double half = 1.645 * PaperEpochEnergyTestRmseKilojoules / Math.Max(epochKj, 1e-9);
        // The paper has no duration model: duration = epoch energy / power (its epoch energy also holds modelled RAM energy).
        var duration = TimeSpan.FromSeconds(epochKj * 1000 / Math.Max(power.Watts, 1e-9));
        return new PreEstimate(power, energy, duration, Math.Max(0, 1 - half), 1 + half,
            "paper: +/-1.645 x the paper's test RMSE of its epoch-energy model (0.708 kJ/epoch), normal approximation");
    }
}
