namespace TrainWatt.Estimation;

/// <summary>
/// Named feature maps from a <see cref="RunDescription"/> to a vector. Names are stored in exported model files, so
/// they never change meaning.
/// </summary>
public static class FeatureMaps
{
    /// <summary>The paper's ten raw features (<see cref="RunDescription.PaperVector"/>).</summary>
    public const string Paper = "paper10";

    /// <summary>Logs of the paper's features, image height × width merged into pixels (nine columns).</summary>
    public const string Log = "log9";

    /// <summary>
    /// Physically shaped features: ln(GFLOPs·batch / FP32 TFLOPS) (the work of one step relative to the GPU's peak
    /// rate, which sets how busy the GPU is), ln GFLOPs, ln batch, ln pixels, ln FP32 TFLOPS, ln TDP. The same six for
    /// every target: the epoch targets are made per sample by <see cref="TargetTransforms.LogPerSample"/>.
    /// </summary>
    public const string Load = "load";

    /// <summary>
    /// The step-time model's three per-epoch terms, each in the unit that makes its coefficient physical:
    /// layer_steps = layers × steps (train and validation batches), pixel_samples = input pixels × samples,
    /// flop_seconds = GFLOPs·10⁹ × (3 × train + validation samples) / FP32 peak FLOP/s (forward + backward ≈ 3 forward
    /// for a training sample, forward only for a validation one). Epoch duration = o·layer_steps + q·pixel_samples +
    /// k·flop_seconds: o seconds per layer and step, q seconds per pixel of input, k = 1 / efficiency.
    /// </summary>
    public const string StepTime = "step-time";

    /// <summary>No features: a target computed from the other targets (<see cref="TargetTransforms.PowerTimesDuration"/>).</summary>
    public const string None = "none";

    /// <summary>Every feature map name a model file may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [Paper, Log, Load, StepTime, None];

    public static IReadOnlyList<string> Names(string map, PreTarget target) => map switch
    {
        Paper => RunDescription.PaperFeatureNames,
        Log => ["ln_batch", "ln_ram_gb", "ln_train", "ln_val", "ln_gflops", "ln_pixels", "ln_cuda_cores", "ln_memory_gb", "ln_tdp_w"],
        Load => ["ln_step_load", "ln_gflops", "ln_batch", "ln_pixels", "ln_fp32_tflops", "ln_tdp_w"],
        StepTime => ["layer_steps", "pixel_samples", "flop_seconds"],
        None => [],
        _ => throw new ArgumentException($"Unknown feature map '{map}'; known: {string.Join(", ", All)}."),
    };

    /// <summary>Batches of one epoch: ⌈train / batch⌉ + ⌈validation / batch⌉.</summary>
    public static double StepsPerEpoch(RunDescription r) =>
        Math.Ceiling(r.TrainSamples / (double)r.BatchSize) + Math.Ceiling(r.ValidationSamples / (double)r.BatchSize);

    /// <summary>The <see cref="StepTime"/> terms of a run with <paramref name="layers"/> weight layers.</summary>
    public static double[] StepTimeTerms(RunDescription r, double layers) =>
    [
        layers * StepsPerEpoch(r),
        (double)r.ImageHeight * r.ImageWidth * ((double)r.TrainSamples + r.ValidationSamples),
        r.Gflops * 1e9 * (3.0 * r.TrainSamples + r.ValidationSamples) / (r.Gpu.Fp32Teraflops * 1e12),
    ];

    /// <summary>
    /// The feature vector of a run. <paramref name="layers"/> is the layer count the <see cref="StepTime"/> map uses
    /// (the model decides: the run's own, or the fitting data's median when the run's is unknown); other maps ignore it.
    /// </summary>
    public static double[] Compute(string map, PreTarget target, RunDescription r, double? layers = null)
    {
        double pixels = (double)r.ImageHeight * r.ImageWidth;
        double tflops = r.Gpu.Fp32Teraflops;
        double tdp = r.Gpu.ThermalDesignPower.Watts;
        return map switch
        {
            Paper => r.PaperVector(),
            Log =>
            [
                Math.Log(r.BatchSize), Math.Log(r.RamGigabytes), Math.Log(r.TrainSamples), Math.Log(r.ValidationSamples),
                Math.Log(r.Gflops), Math.Log(pixels), Math.Log(r.Gpu.CudaCores), Math.Log(r.Gpu.MemoryGigabytes), Math.Log(tdp),
            ],
            Load => [Math.Log(r.Gflops * r.BatchSize / tflops), Math.Log(r.Gflops), Math.Log(r.BatchSize), Math.Log(pixels), Math.Log(tflops), Math.Log(tdp)],
            StepTime => StepTimeTerms(r, layers ?? r.Layers ?? throw new ArgumentException("The step-time features need the run's layer count (or the model's assumed one).")),
            None => [],
            _ => throw new ArgumentException($"Unknown feature map '{map}'; known: {string.Join(", ", All)}."),
        };
    }
}

/// <summary>How a target is transformed before fitting, and back.</summary>
public static class TargetTransforms
{
    /// <summary>The target as is.</summary>
    public const string Identity = "identity";

    /// <summary>ln y (predictions are always positive; errors are relative).</summary>
    public const string Log = "log";

    /// <summary>y / TDP (power as a fraction of the GPU's TDP).</summary>
    public const string TdpFraction = "tdp-fraction";

    /// <summary>
    /// ln(y / (train + validation / 3)): an epoch's cost per sample pass, a validation sample counted as a third
    /// of a training one (forward only vs forward + backward ≈ 3 forwards). An epoch then scales with the data set
    /// by construction, instead of by a fitted coefficient that the journal set (four data set sizes, confounded with
    /// the architecture) cannot pin down.
    /// </summary>
    public const string LogPerSample = "log-per-sample";

    /// <summary>
    /// Epoch energy = the model's average power × its epoch duration (no coefficients of its own): energy follows the
    /// physically shaped duration instead of being fitted as a third, separate regression.
    /// </summary>
    public const string PowerTimesDuration = "power-x-duration";

    /// <summary>ln y, the prediction capped at the GPU's TDP: a board's average power does not exceed its power limit.</summary>
    public const string LogCappedAtTdp = "log-capped-at-tdp";

    /// <summary>Every transform name a model file may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [Identity, Log, TdpFraction, LogPerSample, PowerTimesDuration, LogCappedAtTdp];

    /// <summary>Training-equivalent samples of one epoch: train + validation / 3.</summary>
    public static double EquivalentSamples(RunDescription r) => r.TrainSamples + r.ValidationSamples / 3.0;

    public static double Forward(string transform, double y, RunDescription r) => transform switch
    {
        Identity or PowerTimesDuration => y,
        Log or LogCappedAtTdp => Math.Log(y),
        TdpFraction => y / r.Gpu.ThermalDesignPower.Watts,
        LogPerSample => Math.Log(y / EquivalentSamples(r)),
        _ => throw new ArgumentException($"Unknown target transform '{transform}'."),
    };

    public static double Inverse(string transform, double t, RunDescription r) => transform switch
    {
        Identity or PowerTimesDuration => t,
        Log => Math.Exp(t),
        LogCappedAtTdp => Math.Min(Math.Exp(t), r.Gpu.ThermalDesignPower.Watts),
        TdpFraction => t * r.Gpu.ThermalDesignPower.Watts,
        LogPerSample => Math.Exp(t) * EquivalentSamples(r),
        _ => throw new ArgumentException($"Unknown target transform '{transform}'."),
    };
}
