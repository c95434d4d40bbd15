using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Counting;

/// <summary>
/// Which operations count as floating-point operations.
/// <list type="bullet">
/// <item><see cref="Standard"/> (TrainWatt's): MACs are the multiply-accumulates of Conv, ConvTranspose, Gemm and
/// MatMul only; FLOPs = 2 x MACs for those, plus 1 FLOP per output element for a bias, for every elementwise
/// operator (Add, Mul, Relu, Sigmoid, Clip, ...), 2 per element for inference BatchNormalization (scale and shift),
/// 5 per element for Softmax and LayerNormalization, kernel area per output element for pooling, one per input
/// element for global pooling and reductions. Shape-only operators (Reshape, Concat, Pad, Slice, Gather, ...) are 0.</item>
/// <item><see cref="TfProfiler"/>: mimics TensorFlow's profiler (<c>tensorflow/python/profiler/internal/flops_registry.py</c>)
/// on a frozen Keras graph, as the paper measured: conv/matmul 2 x MACs, BiasAdd and Add/Sub/Mul/Div/Maximum/Minimum
/// 1 per output element, Mean (global average pooling) 1 per input element, pooling kernel area per output element,
/// Softmax 5 per element; activations (Relu, Relu6, Sigmoid), FusedBatchNorm, Pad and Concat are not registered and
/// count 0.</item>
/// </list>
/// </summary>
public enum FlopsConvention
{
    Standard,
    TfProfiler,
}

/// <summary>Options for <see cref="FlopsCounter"/>.</summary>
public sealed record CountOptions
{
    /// <summary>
    /// Input shapes by graph input name; the key "" means the first graph input that is not an initializer. A shape
    /// with one dimension fewer than the declared rank gets the batch size prepended; two dimensions for a
    /// [N, C, H, W] input with a fixed C are H x W. Symbolic dimensions no shape gives take stated defaults
    /// (<see cref="FlopsResult.Assumptions"/>): batch for the leading one, 224 for an image side, 128 for a sequence.
    /// </summary>
    public IReadOnlyDictionary<string, long[]> InputShapes { get; init; } = new Dictionary<string, long[]>();

    /// <summary>Batch size for symbolic/unknown leading dimensions (default 1).</summary>
    public long? Batch { get; init; }

    public FlopsConvention Convention { get; init; } = FlopsConvention.Standard;
}

/// <summary>The counts of one node. FLOPs and MACs are for one forward pass at the counted batch size.</summary>
public sealed record NodeCount(
    string Graph,
    string Name,
    string OpType,
    IReadOnlyList<long>? OutputShape,
    long Params,
    long Macs,
    long Flops,
    long ActivationBytes,
    bool Counted,
    string? Note);

/// <summary>A subgraph (If/Loop/Scan body) that was counted, with its own totals.</summary>
public sealed record SubgraphCount(string Path, string OwnerOpType, int Nodes, long Macs, long Flops, string Note);

/// <summary>
/// Totals for a model. <see cref="Flops"/> and <see cref="Macs"/> are one forward pass at <see cref="BatchSize"/>;
/// the training estimate assumes forward + backward = 3 x forward (backward ≈ 2 x forward, DeepSpeed flops-profiler
/// convention), optimizer update excluded.
/// </summary>
public sealed record FlopsResult
{
    /// <summary>Elements of all initializers, de-duplicated by name (Keras "Total params" includes BN moving stats).</summary>
    public required long Params { get; init; }

    /// <summary>Floating-point initializer elements except BatchNormalization running mean/variance (torchvision's count).</summary>
    public required long TrainableParams { get; init; }

    public required long Macs { get; init; }

    public required long Flops { get; init; }

    /// <summary>Bytes of every tensor produced by a node (all activations kept, as training does for backward).</summary>
    public required long ActivationBytes { get; init; }

    /// <summary>Bytes of all initializers (de-duplicated), at their stored element type.</summary>
    public required long WeightBytes { get; init; }

    public required IReadOnlyDictionary<string, long> WeightBytesByType { get; init; }

    public required bool Partial { get; init; }

    public required IReadOnlyList<string> UnknownOps { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Values assumed for symbolic input dimensions that no --input gave (sequence length, image side), stated.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    public required IReadOnlyList<NodeCount> Nodes { get; init; }

    public required IReadOnlyList<SubgraphCount> Subgraphs { get; init; }

    public required long BatchSize { get; init; }

    public required FlopsConvention Convention { get; init; }

    /// <summary>Assumption: one training step (forward + backward) costs 3 x the forward FLOPs.</summary>
    public const int TrainingMultiplier = 3;

    public double ForwardFlopsPerSample => (double)Flops / BatchSize;

    public double TrainingFlopsPerSample => TrainingMultiplier * ForwardFlopsPerSample;

    /// <summary>Training FLOPs of one epoch over <paramref name="samples"/> samples (3 x forward per sample).</summary>
    public double TrainingFlopsPerEpoch(long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return TrainingFlopsPerSample * samples;
    }

    public double Gflops => Flops / 1e9;

    /// <summary>
    /// Weight layers: nodes with multiply-accumulates (Conv, ConvTranspose, Gemm, MatMul with MACs &gt; 0), in every
    /// graph counted. PRE's step-time model uses it as the network's depth: each layer launches its own kernels in the
    /// forward and backward pass, so a step has a fixed cost per layer however small the layer is.
    /// </summary>
    public int WeightLayers => Nodes.Count(n => n.Macs > 0);
}

/// <summary>Element type and (if known) shape of a value during inference, plus small constant integer contents.</summary>
public sealed record TensorValue(TensorDataType Type, long[]? Shape, long[]? Ints = null, double[]? Floats = null)
{
    public long Elements => Shape is null ? -1 : Shape.Aggregate(1L, (a, b) => a * b);
}
