using System.Globalization;
using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation;

/// <summary>Settings of the hyper-parameter search: seeded k-fold cross-validation on the training rows only.</summary>
/// <param name="Folds">Number of CV folds (default 5).</param>
/// <param name="Seed">Seed of the fold permutation (default 2022, the paper's random_state).</param>
public sealed record SearchSettings(int Folds = 5, int Seed = 2022)
{
    public static SearchSettings Default { get; } = new();
}

/// <summary>A model fitted on some rows for one target; predicts the target in its unit (W, J or s).</summary>
public sealed class FittedPreModel
{
    private readonly Func<double[], double>? _core;
    private readonly Func<RunDescription, double>? _direct;

    internal FittedPreModel(string family, PreTarget target, string featureMap, string transform, Standardizer scaler, Func<double[], double> core, IReadOnlyDictionary<string, double> hyperparameters, double cvRmse, LinearFit? linear)
    {
        Family = family;
        Target = target;
        FeatureMap = featureMap;
        Transform = transform;
        Scaler = scaler;
        _core = core;
        Hyperparameters = hyperparameters;
        CvRmse = cvRmse;
        Linear = linear;
    }

    /// <summary>Epoch energy as <paramref name="power"/> × <paramref name="duration"/> (<see cref="TargetTransforms.PowerTimesDuration"/>).</summary>
    internal FittedPreModel(string family, FittedPreModel power, FittedPreModel duration)
    {
        Family = family;
        Target = PreTarget.EpochEnergy;
        FeatureMap = FeatureMaps.None;
        Transform = TargetTransforms.PowerTimesDuration;
        Scaler = new Standardizer([], []);
        _direct = run => power.Predict(run) * duration.Predict(run);
        Hyperparameters = new Dictionary<string, double>(StringComparer.Ordinal);
        CvRmse = double.NaN;
        PowerPart = power;
        DurationPart = duration;
    }

    public string Family { get; }

    public PreTarget Target { get; }

    public string FeatureMap { get; }

    public string Transform { get; }

    public Standardizer Scaler { get; }

    /// <summary>The selected hyper-parameters (empty when the family has none).</summary>
    public IReadOnlyDictionary<string, double> Hyperparameters { get; }

    /// <summary>Mean CV RMSE of the selected hyper-parameters, in the target's unit (NaN when no search ran).</summary>
    public double CvRmse { get; }

    /// <summary>The affine model on standardised features, for linear families (null for kernel models and for a product).</summary>
    public LinearFit? Linear { get; }

    /// <summary>Step-time models: the layer count used for a run whose own is unknown (the fitting architectures' median).</summary>
    public double AssumedLayers { get; init; } = 1;

    /// <summary>Step-time models: false when no fitting row had a layer count, so every run is given <see cref="AssumedLayers"/>.</summary>
    public bool UsesLayers { get; init; } = true;

    /// <summary>For <see cref="TargetTransforms.PowerTimesDuration"/>: the power and duration models multiplied.</summary>
    public FittedPreModel? PowerPart { get; }

    /// <inheritdoc cref="PowerPart"/>
    public FittedPreModel? DurationPart { get; }

    public double Predict(RunDescription run)
    {
        if (_direct is not null)
        {
            return _direct(run);
        }

        double? layers = FeatureMap == FeatureMaps.StepTime ? StepTimeLayers.For(run, UsesLayers, AssumedLayers) : null;
        var z = Scaler.Transform(FeatureMaps.Compute(FeatureMap, Target, run, layers));
        return TargetTransforms.Inverse(Transform, _core!(z), run);
    }

    public string DescribeHyperparameters() => Hyperparameters.Count == 0
        ? "-"
        : string.Join(", ", Hyperparameters.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G4}")));
}

/// <summary>Which layer count a step-time model gives a run.</summary>
public static class StepTimeLayers
{
    /// <summary>The run's own count when the model uses layer counts and the run has one, else the model's assumed count.</summary>
    public static double For(RunDescription run, bool usesLayers, double assumed) => usesLayers && run.Layers is { } l ? l : assumed;
}

/// <summary>
/// A regression family: a feature map, a target transform, a learner and its hyper-parameter grid. <see cref="Fit"/>
/// standardises features on the given rows only, picks the grid point with the lowest mean k-fold CV RMSE (each fold's
/// scaler fitted on that fold's training part), and refits on all given rows.
/// </summary>
public abstract class PreModelFamily
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public abstract string FeatureMap { get; }

    /// <summary>The feature map of one target's model (most families use <see cref="FeatureMap"/> for all three).</summary>
    public virtual string FeatureMapFor(PreTarget target) => FeatureMap;

    public abstract string TargetTransform(PreTarget target);

    /// <summary>Hyper-parameter names, in the order of each grid point.</summary>
    protected abstract IReadOnlyList<string> HyperparameterNames { get; }

    protected abstract IReadOnlyList<double[]> Grid { get; }

    /// <summary>Fits the learner on standardised features and transformed targets; returns the predictor and, for affine learners, its coefficients.</summary>
    /// <param name="z">Standardised features.</param>
    /// <param name="yt">Transformed targets.</param>
    /// <param name="hyperparameters">One grid point.</param>
    /// <param name="searching">True inside the CV search (a learner may use a looser solver tolerance there), false for the final refit.</param>
    protected abstract (Func<double[], double> Predict, LinearFit? Linear) FitCore(double[][] z, double[] yt, double[] hyperparameters, bool searching);

    public virtual FittedPreModel Fit(IReadOnlyList<PreRow> rows, PreTarget target, SearchSettings? settings = null)
    {
        settings ??= SearchSettings.Default;
        if (rows.Count < 3)
        {
            throw new ArgumentException($"{Name}: need at least 3 rows to fit; got {rows.Count}.");
        }

        string transform = TargetTransform(target);
        var x = rows.Select(r => FeatureMaps.Compute(FeatureMap, target, r.Run)).ToArray();
        var y = rows.Select(r => r.Value(target)).ToArray();
        var yt = rows.Select((r, i) => TargetTransforms.Forward(transform, y[i], r.Run)).ToArray();

        double[] best = Grid[0];
        double bestRmse = double.NaN;
        int folds = Math.Min(settings.Folds, rows.Count);
        if (Grid.Count > 1 && folds >= 2)
        {
            var splits = Folds.KFold(rows.Count, folds, settings.Seed);
            bestRmse = double.PositiveInfinity;
            foreach (var hp in Grid)
            {
                double sse = 0;
                foreach (var (train, test) in splits)
                {
                    var scaler = Standardizer.Fit(train.Select(i => x[i]).ToArray());
                    var (predict, _) = FitCore(train.Select(i => scaler.Transform(x[i])).ToArray(), train.Select(i => yt[i]).ToArray(), hp, true);
                    foreach (int i in test)
                    {
                        double e = TargetTransforms.Inverse(transform, predict(scaler.Transform(x[i])), rows[i].Run) - y[i];
                        sse += e * e;
                    }
                }

                double rmse = Math.Sqrt(sse / rows.Count);
                if (rmse < bestRmse)
                {
                    bestRmse = rmse;
                    best = hp;
                }
            }
        }

        var fullScaler = Standardizer.Fit(x);
        var (core, linear) = FitCore(x.Select(fullScaler.Transform).ToArray(), yt, best, false);
        var hps = HyperparameterNames.Select((n, k) => (n, best[k])).ToDictionary(t => t.n, t => t.Item2, StringComparer.Ordinal);
        return new FittedPreModel(Name, target, FeatureMap, transform, fullScaler, core, hps, bestRmse, linear);
    }

    protected static double[] LogGrid(double from, double to, int points) =>
        Enumerable.Range(0, points).Select(k => from * Math.Pow(to / from, k / (double)(points - 1))).ToArray();
}

/// <summary>The families TrainWatt fits and evaluates.</summary>
public static class PreModelFamilies
{
    public static IReadOnlyList<PreModelFamily> All { get; } =
    [
        new LinearFamily(), new RidgeFamily(), new KrrFamily(), new SvrFamily(), new LogTdpRidgeFamily(), new LoadRidgeFamily(), new StepTimeFamily(),
    ];

    /// <summary>The family exported as TrainWatt's compact default model (data/pre-default-model.json) and fitted by <c>trainwatt fit</c>.</summary>
    public static PreModelFamily Default => All[^1];

    public static PreModelFamily Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model family '{name}'; known: {string.Join(", ", All.Select(f => f.Name))}.");
}

/// <summary>The paper's LinearRegression: least squares on the ten z-scaled features.</summary>
internal sealed class LinearFamily : PreModelFamily
{
    public override string Name => "linear";

    public override string Description => "least squares on the paper's ten z-scaled features";

    public override string FeatureMap => FeatureMaps.Paper;

    public override string TargetTransform(PreTarget target) => TargetTransforms.Identity;

    protected override IReadOnlyList<string> HyperparameterNames => [];

    protected override IReadOnlyList<double[]> Grid { get; } = [[]];

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching)
    {
        var fit = LinearSolvers.LeastSquares(z, yt);
        return (fit.Predict, fit);
    }
}

/// <summary>The paper's Ridge on the ten z-scaled features; α searched on a log grid.</summary>
internal sealed class RidgeFamily : PreModelFamily
{
    public override string Name => "ridge";

    public override string Description => "ridge on the paper's ten z-scaled features";

    public override string FeatureMap => FeatureMaps.Paper;

    public override string TargetTransform(PreTarget target) => TargetTransforms.Identity;

    protected override IReadOnlyList<string> HyperparameterNames => ["alpha"];

    protected override IReadOnlyList<double[]> Grid { get; } = LogGrid(1e-3, 1e3, 7).Select(a => new[] { a }).ToArray();

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching)
    {
        var fit = LinearSolvers.Ridge(z, yt, hp[0]);
        return (fit.Predict, fit);
    }
}

/// <summary>The paper's selected model: RBF kernel ridge (no intercept) on the ten z-scaled features; α and γ searched.</summary>
internal sealed class KrrFamily : PreModelFamily
{
    public override string Name => "krr";

    public override string Description => "RBF kernel ridge on the paper's ten z-scaled features (the paper's choice)";

    public override string FeatureMap => FeatureMaps.Paper;

    public override string TargetTransform(PreTarget target) => TargetTransforms.Identity;

    protected override IReadOnlyList<string> HyperparameterNames => ["alpha", "gamma"];

    protected override IReadOnlyList<double[]> Grid { get; } =
        (from a in LogGrid(1e-4, 1, 5) from g in LogGrid(0.01, 1, 5) select new[] { a, g }).ToArray();

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching)
    {
        var model = KernelRidge.Fit(z, yt, hp[0], hp[1]);
        return (model.Predict, null);
    }
}

/// <summary>RBF ε-SVR on the ten z-scaled features; the target is z-scaled too, so C and ε are in target-sd units.</summary>
internal sealed class SvrFamily : PreModelFamily
{
    public override string Name => "svr";

    public override string Description => "RBF epsilon-SVR (own SMO) on the paper's ten z-scaled features";

    public override string FeatureMap => FeatureMaps.Paper;

    public override string TargetTransform(PreTarget target) => TargetTransforms.Identity;

    protected override IReadOnlyList<string> HyperparameterNames => ["C", "epsilon", "gamma"];

    protected override IReadOnlyList<double[]> Grid { get; } =
        (from c in new[] { 10.0, 100 } from e in new[] { 0.01, 0.1 } from g in new[] { 0.1, 0.3 } select new[] { c, e, g }).ToArray();

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching)
    {
        double mean = yt.Average();
        double sd = Math.Sqrt(yt.Sum(v => (v - mean) * (v - mean)) / yt.Length);
        if (!(sd > 0))
        {
            sd = 1;
        }

        // libsvm's default tolerance 1e-3 for the refit; 1e-2 (in target-sd units) while searching keeps the 90 CV fits fast.
        var model = SupportVectorRegression.Fit(z, yt.Select(v => (v - mean) / sd).ToArray(), hp[0], hp[1], hp[2], searching ? 1e-2 : 1e-3);
        return (v => mean + sd * model.Predict(v), null);
    }
}

/// <summary>Ridge on log features; power as a fraction of TDP, the epoch targets as ln y.</summary>
internal sealed class LogTdpRidgeFamily : PreModelFamily
{
    public override string Name => "ridge-log-tdp";

    public override string Description => "ridge on log features; power predicted as a fraction of TDP, epoch targets in log";

    public override string FeatureMap => FeatureMaps.Log;

    public override string TargetTransform(PreTarget target) => target == PreTarget.Power ? TargetTransforms.TdpFraction : TargetTransforms.Log;

    protected override IReadOnlyList<string> HyperparameterNames => ["alpha"];

    protected override IReadOnlyList<double[]> Grid { get; } = LogGrid(1e-2, 1e2, 5).Select(a => new[] { a }).ToArray();

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching)
    {
        var fit = LinearSolvers.Ridge(z, yt, hp[0]);
        return (fit.Predict, fit);
    }
}

/// <summary>
/// Physically shaped log-linear model (TrainWatt's default): ln y = b + Σ w·z(load features). For power this is a
/// power law in the step's work relative to the GPU's peak rate, so a new GPU or model moves along the same curve.
/// </summary>
internal sealed class LoadRidgeFamily : PreModelFamily
{
    public override string Name => "ridge-log-load";

    public override string Description => "ridge on physically shaped log features (step work / GPU peak rate); ln power, ln epoch cost per sample";

    public override string FeatureMap => FeatureMaps.Load;

    public override string TargetTransform(PreTarget target) => target == PreTarget.Power ? TargetTransforms.Log : TargetTransforms.LogPerSample;

    protected override IReadOnlyList<string> HyperparameterNames => ["alpha"];

    protected override IReadOnlyList<double[]> Grid { get; } = LogGrid(1e-2, 1e2, 5).Select(a => new[] { a }).ToArray();

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching)
    {
        var fit = LinearSolvers.Ridge(z, yt, hp[0]);
        return (fit.Predict, fit);
    }
}

/// <summary>
/// The physically shaped step-time model (TrainWatt's default). A step costs a fixed overhead per layer (kernel launches,
/// framework bookkeeping: o seconds per weight layer), plus per sample an input cost proportional to its pixels
/// (decoding, augmentation, copying: q seconds per pixel) and its compute at the GPU's FP32 peak divided by an
/// efficiency (forward + backward ≈ 3 × the forward FLOPs): t_step = o·layers + batch·(q·pixels + 3·FLOPs / (peak·η)).
/// Summed over an epoch's training and validation batches this is linear in (o, q, 1/η), fitted by non-negative least
/// squares on relative errors (each row weighted by 1 / its duration), so no coefficient can turn negative and a
/// new model, GPU or input size moves along the same physical terms instead of towards the nearest training point.
/// Power is <c>ridge-log-load</c>'s model; epoch energy = power × duration.
/// </summary>
internal sealed class StepTimeFamily : PreModelFamily
{
    private readonly LoadRidgeFamily _power = new();

    public override string Name => "step-time";

    public override string Description => "duration: t_step = o x layers + batch x (q x pixels + 3 x FLOPs / (FP32 peak x efficiency)), non-negative least squares on relative errors; power: ridge-log-load's; epoch energy = power x duration";

    public override string FeatureMap => FeatureMaps.StepTime;

    public override string FeatureMapFor(PreTarget target) => target switch
    {
        PreTarget.Power => FeatureMaps.Load,
        PreTarget.EpochDuration => FeatureMaps.StepTime,
        _ => FeatureMaps.None,
    };

    public override string TargetTransform(PreTarget target) => target switch
    {
        PreTarget.Power => TargetTransforms.LogCappedAtTdp,
        PreTarget.EpochDuration => TargetTransforms.Identity,
        _ => TargetTransforms.PowerTimesDuration,
    };

    protected override IReadOnlyList<string> HyperparameterNames => [];

    protected override IReadOnlyList<double[]> Grid { get; } = [[]];

    protected override (Func<double[], double>, LinearFit?) FitCore(double[][] z, double[] yt, double[] hp, bool searching) =>
        throw new NotSupportedException("step-time fits each target in Fit.");

    public override FittedPreModel Fit(IReadOnlyList<PreRow> rows, PreTarget target, SearchSettings? settings = null)
    {
        if (rows.Count < 3)
        {
            throw new ArgumentException($"{Name}: need at least 3 rows to fit; got {rows.Count}.");
        }

        return target switch
        {
            PreTarget.Power => Relabel(_power.Fit(rows, PreTarget.Power, settings)),
            PreTarget.EpochDuration => FitDuration(rows),
            _ => new FittedPreModel(Name, Relabel(_power.Fit(rows, PreTarget.Power, settings)), FitDuration(rows)),
        };
    }

    /// <summary>ridge-log-load's power model, its prediction capped at the GPU's TDP (<see cref="TargetTransforms.LogCappedAtTdp"/>).</summary>
    private FittedPreModel Relabel(FittedPreModel m) =>
        new(Name, m.Target, m.FeatureMap, TargetTransforms.LogCappedAtTdp, m.Scaler, z => m.Linear!.Predict(z), m.Hyperparameters, m.CvRmse, m.Linear);

    /// <summary>
    /// The layer count for rows without one: the median over the fitting architectures (each counted once) that have
    /// one; (1, false) when none has, so every run then gets the same per-step overhead.
    /// </summary>
    public static (double Assumed, bool UsesLayers) AssumedLayers(IReadOnlyList<PreRow> rows)
    {
        var known = rows.Where(r => r.Run.Layers is not null).GroupBy(r => r.Architecture, StringComparer.Ordinal)
            .Select(g => (double)g.First().Run.Layers!.Value).Order().ToArray();
        if (known.Length == 0)
        {
            return (1, false);
        }

        int m = known.Length / 2;
        return (known.Length % 2 == 1 ? known[m] : (known[m - 1] + known[m]) / 2, true);
    }

    private FittedPreModel FitDuration(IReadOnlyList<PreRow> rows)
    {
        var (assumed, uses) = AssumedLayers(rows);
        var x = rows.Select(r => FeatureMaps.StepTimeTerms(r.Run, StepTimeLayers.For(r.Run, uses, assumed))).ToArray();
        var y = rows.Select(r => r.EpochDuration.TotalSeconds).ToArray();
        var theta = NonNegativeLeastSquares.Fit(x, y, y.Select(v => 1 / v).ToArray());
        // Stored as an affine model on centred terms (sd 1): the coefficients are the physical ones (o, q, 1/η) and the
        // intercept θ·mean is the prediction for the fitting rows' average, as every model file holds.
        var mean = Enumerable.Range(0, theta.Length).Select(j => x.Average(v => v[j])).ToArray();
        var linear = new LinearFit(theta.Select((t, j) => t * mean[j]).Sum(), theta);
        return new FittedPreModel(Name, PreTarget.EpochDuration, FeatureMaps.StepTime, TargetTransforms.Identity,
            new Standardizer(mean, Enumerable.Repeat(1.0, theta.Length).ToArray()), linear.Predict,
            new Dictionary<string, double>(StringComparer.Ordinal), double.NaN, linear)
        { AssumedLayers = assumed, UsesLayers = uses };
    }
}
