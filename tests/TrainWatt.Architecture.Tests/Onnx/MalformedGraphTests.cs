using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Architecture.Tests.Onnx;

/// <summary>
/// Issue 13: graphs whose counts would be silently wrong (two initializers under one name, a Gemm whose inner
/// dimensions differ, a pooling window of 0 or −3, a negative Conv group) are refused naming the node, not counted
/// as complete. The files are written by <see cref="OnnxWriter"/> and read back, as a user's file would be.
/// </summary>
public sealed class MalformedGraphTests
{
    internal static OnnxModel RoundTrip(ModelGraph g)
    {
        var model = new OnnxModel(g);
        model.Opsets.Add(new OpsetImport("", 13));
        var s = new MemoryStream();
        OnnxWriter.Write(model, s);
        s.Position = 0;
        return OnnxReader.Read(s, "bad.onnx");
    }

    /// <summary>x[1,3,8,8] → Conv(w[4,3,3,3]) → node → y.</summary>
    internal static ModelGraph ConvThen(GraphNode? next = null, long group = 1, long[]? weight = null)
    {
        var g = new ModelGraph { Name = "g" };
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 3, 8, 8));
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, weight ?? [4, 3, 3, 3]));
        g.Nodes.Add(new GraphNode("conv1", "Conv", ["x", "w"], ["c"]).With(NodeAttribute.OfInts("kernel_shape", 3, 3), NodeAttribute.OfInt("group", group)));
        if (next is not null)
        {
            g.Nodes.Add(next);
        }

        g.Outputs.Add(new ValueInfo(next?.Outputs[0] ?? "c", TensorDataType.Float, null));
        return g;
    }

    [Fact]
    public void Duplicate_initializer_names_are_refused_naming_the_initializer()
    {
        var g = ConvThen();
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, [1000, 1000]));
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(g)));
        Assert.Equal(
            "graph main has two initializers named 'w' ([4x3x3x3] and [1000x1000]): which one node 'conv1' reads is undefined; the file is malformed, export it again.",
            e.Message);
    }

    [Fact]
    public void A_gemm_whose_inner_dimensions_differ_is_refused_naming_the_node()
    {
        var g = new ModelGraph { Name = "g" };
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 2, 4));
        g.Initializers.Add(new TensorInfo("b", TensorDataType.Float, [5, 3]));
        g.Nodes.Add(new GraphNode("fc", "Gemm", ["x", "b"], ["y"]));
        g.Outputs.Add(new ValueInfo("y", TensorDataType.Float, null));
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(g)));
        Assert.Equal("node 'fc' (Gemm) in graph main: A is [2x4] and B is [5x3] (transA 0, transB 0): the inner dimensions 4 and 5 differ.", e.Message);
    }

    [Theory]
    [InlineData("MaxPool", 0)]
    [InlineData("AveragePool", -3)]
    public void A_pooling_window_that_is_not_positive_is_refused_naming_the_node(string op, long k)
    {
        var pool = new GraphNode("pool1", op, ["c"], ["y"]).With(NodeAttribute.OfInts("kernel_shape", k, k));
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(ConvThen(pool))));
        Assert.Equal($"node 'pool1' ({op}) in graph main: kernel_shape [{k}x{k}] must be at least 1 in every dimension.", e.Message);
    }

    [Theory]
    [InlineData(-7)]
    [InlineData(0)]
    public void A_conv_group_that_is_not_positive_is_refused_naming_the_node(long group)
    {
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(ConvThen(group: group))));
        Assert.Equal($"node 'conv1' (Conv) in graph main: group {group} must be at least 1.", e.Message);
    }

    [Fact]
    public void A_conv_group_that_does_not_match_the_channels_is_refused()
    {
        // 3 input channels in 2 groups: 3 is not divisible by 2.
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(ConvThen(group: 2, weight: [4, 1, 3, 3]))));
        Assert.Equal("node 'conv1' (Conv) in graph main: input [1x3x8x8] has 3 channels, but weight [4x1x3x3] with group 2 expects 2 (weight channels x group).", e.Message);
    }

    [Fact]
    public void A_well_formed_conv_and_pool_still_count_completely()
    {
        // Conv 1x4x6x6 (MACs 144 x 27 = 3888), MaxPool 2x2 stride 2 → 1x4x3x3: 36 x 4 = 144 FLOPs.
        var pool = new GraphNode("pool1", "MaxPool", ["c"], ["y"]).With(NodeAttribute.OfInts("kernel_shape", 2, 2), NodeAttribute.OfInts("strides", 2, 2));
        var r = FlopsCounter.Count(RoundTrip(ConvThen(pool)));
        Assert.False(r.Partial);
        Assert.Equal(3888, r.Macs);
        Assert.Equal(2 * 3888 + 144, r.Flops);
    }
}
