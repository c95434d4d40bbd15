using System.Globalization;
using TrainWatt.Core.Reference;

namespace TrainWatt.Estimation;

/// <summary>
/// What PRE knows about a training run before it starts: the model's cost, the GPU, and the data pipeline.
/// </summary>
/// <param name="Gflops">Forward-pass GFLOPs of the model for one sample at the given input size (the paper's convention).</param>
/// <param name="Gpu">The GPU's specification (CUDA cores, memory in GB, TDP in W, FP32 TFLOPS).</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="ImageHeight">Input height in pixels.</param>
/// <param name="ImageWidth">Input width in pixels.</param>
/// <param name="TrainSamples">Training samples per epoch.</param>
/// <param name="ValidationSamples">Validation samples per epoch.</param>
/// <param name="RamGigabytes">Host RAM allocated to the run, in GB.</param>
public sealed record RunDescription(
    double Gflops,
    GpuSpec Gpu,
    int BatchSize,
    int ImageHeight,
    int ImageWidth,
    int TrainSamples,
    int ValidationSamples,
    double RamGigabytes)
{
    /// <summary>
    /// Weight layers of the network (Conv/Gemm/MatMul nodes, TrainWatt's FLOPs counter: <c>FlopsResult.WeightLayers</c>),
    /// the depth that sets the step-time model's per-step overhead; null when unknown (only GFLOPs were given).
    /// </summary>
    public int? Layers { get; init; }

    /// <summary>The architecture's name when known (a catalog name such as vgg16), to tell whether the training data has seen it.</summary>
    public string? Architecture { get; init; }

    /// <summary>The paper's ten features in model order (see <see cref="PaperFeatureNames"/>).</summary>
    public static readonly IReadOnlyList<string> PaperFeatureNames =
    [
        "batch_size", "ram_gb", "training_size", "validation_size", "gflops",
        "image_height", "image_width", "gpu_cuda_cores", "gpu_memory_gb", "gpu_tdp_w",
    ];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is not a finite positive number.</summary>
    public RunDescription Validated()
    {
        Positive(Gflops, "GFLOPs");
        Positive(BatchSize, "batch size");
        Positive(ImageHeight, "image height");
        Positive(ImageWidth, "image width");
        Positive(TrainSamples, "training samples");
        Positive(ValidationSamples, "validation samples");
        Positive(RamGigabytes, "RAM (GB)");
        Positive(Gpu.ThermalDesignPower.Watts, $"TDP of {Gpu.Name}");
        Positive(Gpu.Fp32Teraflops, $"FP32 TFLOPS of {Gpu.Name}");
        if (Layers is { } layers)
        {
            Positive(layers, "layer count");
        }

        return this;
    }

    /// <summary>The paper's ten raw features, in model order: batch, RAM GB, train size, val size, GFLOPs, h, w, CUDA cores, memory GB, TDP W.</summary>
    public double[] PaperVector() =>
    [
        BatchSize, RamGigabytes, TrainSamples, ValidationSamples, Gflops,
        ImageHeight, ImageWidth, Gpu.CudaCores, Gpu.MemoryGigabytes, Gpu.ThermalDesignPower.Watts,
    ];

    /// <summary>One-line summary for reports.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Gflops:0.####} GFLOPs on {Gpu.Name}, batch {BatchSize}, {ImageHeight}x{ImageWidth}, {TrainSamples}/{ValidationSamples} samples, RAM {RamGigabytes:0.##} GB");

    private static void Positive(double value, string what)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {what} must be a finite number > 0; got {value}."));
        }
    }
}
