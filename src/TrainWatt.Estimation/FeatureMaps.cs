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

    /// <summary>Every feature map name a model file may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [Paper, Log, Load];

    public static IReadOnlyList<string> Names(string map, PreTarget target) => map switch
    {
        Paper => RunDescription.PaperFeatureNames,
        Log => ["ln_batch", "ln_ram_gb", "ln_train", "ln_val", "ln_gflops", "ln_pixels", "ln_cuda_cores", "ln_memory_gb", "ln_tdp_w"],
        Load => ["ln_step_load", "ln_gflops", "ln_batch", "ln_pixels", "ln_fp32_tflops", "ln_tdp_w"],
        _ => throw new ArgumentException($"Unknown feature map '{map}'; known: {Paper}, {Log}, {Load}."),
    };

    public static double[] Compute(string map, PreTarget target, RunDescription r)
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
            _ => throw new ArgumentException($"Unknown feature map '{map}'; known: {Paper}, {Log}, {Load}."),
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

    /// <summary>Every transform name a model file may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [Identity, Log, TdpFraction, LogPerSample];

    /// <summary>Training-equivalent samples of one epoch: train + validation / 3.</summary>
    public static double EquivalentSamples(RunDescription r) => r.TrainSamples + r.ValidationSamples / 3.0;

    public static double Forward(string transform, double y, RunDescription r) => transform switch
    {
        Identity => y,
        Log => Math.Log(y),
        TdpFraction => y / r.Gpu.ThermalDesignPower.Watts,
        LogPerSample => Math.Log(y / EquivalentSamples(r)),
        _ => throw new ArgumentException($"Unknown target transform '{transform}'."),
    };

    public static double Inverse(string transform, double t, RunDescription r) => transform switch
    {
        Identity => t,
        Log => Math.Exp(t),
        TdpFraction => t * r.Gpu.ThermalDesignPower.Watts,
        LogPerSample => Math.Exp(t) * EquivalentSamples(r),
        _ => throw new ArgumentException($"Unknown target transform '{transform}'."),
    };
}
