using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Architecture.Tests.Onnx;

/// <summary>
/// Shape arithmetic as PyTorch's exporter writes it, transformer operators and the com.microsoft fused ones, on small
/// hand-built graphs; each expected value is derived by hand in the test (operator semantics: onnx/docs/Operators.md,
/// onnxruntime docs/ContribOperators.md).
/// </summary>
public sealed class ShapeArithmeticTests
{
    private static OnnxModel RoundTrip(ModelGraph g, long opset = 14)
    {
        var m = new OnnxModel(g);
        m.Opsets.Add(new OpsetImport("", opset));
        m.Opsets.Add(new OpsetImport("com.microsoft", 1));
        var s = new MemoryStream();
        OnnxWriter.Write(m, s);
        s.Position = 0;
        return OnnxReader.Read(s, "test.onnx");
    }

    private static TensorInfo Ints(string name, params long[] values) => new(name, TensorDataType.Int64, [values.Length]) { IntValues = values };

    private static TensorInfo Scalar(string name, long value) => new(name, TensorDataType.Int64, []) { IntValues = [value] };

    /// <summary>
    /// ViT's class token: x[N, 196, 768]; n = Shape(x)[0]; size = Concat(Unsqueeze(n), [-1, -1]);
    /// size = Where(Equal(size, -1), ConstantOfShape(Shape(size), 1), size) (torch's expand(-1) export); token
    /// [1, 1, 768] Expand(size) -> [N, 1, 768]; Concat with x -> [N, 197, 768]; MatMul W[768, 3072].
    /// </summary>
    private static ModelGraph ClassTokenGraph()
    {
        var g = new ModelGraph();
        g.Inputs.Add(new ValueInfo("x", TensorDataType.Float, [Dimension.Named("batch"), Dimension.Of(196), Dimension.Of(768)]));
        g.Initializers.Add(new TensorInfo("token", TensorDataType.Float, [1, 1, 768]));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [768, 3072]));
        g.Initializers.Add(Scalar("zero", 0));
        g.Initializers.Add(Ints("axes0", 0));
        g.Initializers.Add(Ints("minus", -1, -1));
        g.Initializers.Add(Scalar("minus1", -1));
        g.Nodes.Add(new GraphNode("shape", "Shape", ["x"], ["s"]));
        g.Nodes.Add(new GraphNode("gather", "Gather", ["s", "zero"], ["n"]).With(NodeAttribute.OfInt("axis", 0)));
        g.Nodes.Add(new GraphNode("unsq", "Unsqueeze", ["n", "axes0"], ["n1"]));
        g.Nodes.Add(new GraphNode("cat", "Concat", ["n1", "minus"], ["size"]).With(NodeAttribute.OfInt("axis", 0)));
        g.Nodes.Add(new GraphNode("shape2", "Shape", ["size"], ["ss"]));
        g.Nodes.Add(new GraphNode("ones", "ConstantOfShape", ["ss"], ["one"]).With(NodeAttribute.OfTensor("value", new TensorInfo("v", TensorDataType.Int64, [1]) { IntValues = [1] })));
        g.Nodes.Add(new GraphNode("eq", "Equal", ["size", "minus1"], ["isneg"]));
        g.Nodes.Add(new GraphNode("where", "Where", ["isneg", "one", "size"], ["size2"]));
        g.Nodes.Add(new GraphNode("expand", "Expand", ["token", "size2"], ["tok"]));
        g.Nodes.Add(new GraphNode("join", "Concat", ["tok", "x"], ["h"]).With(NodeAttribute.OfInt("axis", 1)));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["h", "W"], ["y"]));
        g.Outputs.Add(new ValueInfo("y", TensorDataType.Float, null));
        return g;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void The_Class_Token_Expand_Of_A_Runtime_Shape_Is_Evaluated(long opset)
    {
        // Before shape arithmetic was evaluated, Expand's shape was unknown and the MatMul counted 0 (the ViT-B/16
        // failure of issue 18). Hand derivation: [N=2, 197, 768] x [768, 3072] = 2 x 197 x 768 x 3072 MACs.
        var r = FlopsCounter.Count(RoundTrip(ClassTokenGraph(), opset), new CountOptions { Batch = 2 });
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal([2L, 1, 768], r.Nodes.Single(n => n.Name == "expand").OutputShape!);
        Assert.Equal(2L * 197 * 768 * 3072, r.Macs);
    }

    [Fact]
    public void A_Causal_Mask_Sliced_To_The_Sequence_Length_And_Positions_From_Range_Are_Evaluated()
    {
        // GPT pattern: idx[1, T]; t = Shape(idx)[1]; pos = Range(0, t, 1) -> [T]; mask[1, 1, 256, 256] sliced
        // [:, :, :t, :t] -> [1, 1, T, T]; Where(mask, att, -inf) with att = q[1, 4, T, 32] x kᵀ[1, 4, 32, T].
        // With T = 40 given by --input idx:1x40: MACs = 4 x 40 x 40 x 32 = 204,800.
        var g = new ModelGraph();
        g.Inputs.Add(new ValueInfo("idx", TensorDataType.Int64, [Dimension.Named("batch"), Dimension.Named("sequence")]));
        g.Inputs.Add(new ValueInfo("q", TensorDataType.Float, [Dimension.Named("batch"), Dimension.Of(4), Dimension.Named("sequence"), Dimension.Of(32)]));
        g.Inputs.Add(new ValueInfo("kt", TensorDataType.Float, [Dimension.Named("batch"), Dimension.Of(4), Dimension.Of(32), Dimension.Named("sequence")]));
        g.Initializers.Add(new TensorInfo("mask", TensorDataType.Bool, [1, 1, 256, 256]) { IsExternal = true });
        g.Initializers.Add(Scalar("one", 1));
        g.Initializers.Add(Scalar("zero", 0));
        g.Initializers.Add(Ints("axes0", 0));
        g.Initializers.Add(Ints("starts", 0, 0));
        g.Initializers.Add(Ints("axes23", 2, 3));
        g.Initializers.Add(new TensorInfo("ninf", TensorDataType.Float, []) { FloatValues = [double.NegativeInfinity] });
        g.Nodes.Add(new GraphNode("shape", "Shape", ["idx"], ["s"]));
        g.Nodes.Add(new GraphNode("t", "Gather", ["s", "one"], ["t"]));
        g.Nodes.Add(new GraphNode("range", "Range", ["zero", "t", "one"], ["pos"]));
        g.Nodes.Add(new GraphNode("t1", "Unsqueeze", ["t", "axes0"], ["t1"]));
        g.Nodes.Add(new GraphNode("ends", "Concat", ["t1", "t1"], ["ends"]).With(NodeAttribute.OfInt("axis", 0)));
        g.Nodes.Add(new GraphNode("slice", "Slice", ["mask", "starts", "ends", "axes23"], ["m"]));
        g.Nodes.Add(new GraphNode("scores", "MatMul", ["q", "kt"], ["att"]));
        g.Nodes.Add(new GraphNode("masked", "Where", ["m", "att", "ninf"], ["att2"]));
        g.Nodes.Add(new GraphNode("softmax", "Softmax", ["att2"], ["p"]).With(NodeAttribute.OfInt("axis", -1)));
        var r = FlopsCounter.Count(RoundTrip(g), new CountOptions { InputShapes = new Dictionary<string, long[]> { ["idx"] = [1, 40] } });
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal([40L], r.Nodes.Single(n => n.Name == "range").OutputShape!);
        Assert.Equal([1L, 1, 40, 40], r.Nodes.Single(n => n.Name == "slice").OutputShape!);
        Assert.Equal(4L * 40 * 40 * 32, r.Macs);
        Assert.Empty(r.Assumptions); // the symbol 'sequence' is bound by idx for q and kt too

        // Without --input the sequence length is assumed (128) and said so.
        var assumed = FlopsCounter.Count(RoundTrip(g));
        Assert.Equal(4L * 128 * 128 * 32, assumed.Macs);
        Assert.Contains(assumed.Assumptions, a => a.Contains("'sequence'", StringComparison.Ordinal) && a.Contains("sequence length 128", StringComparison.Ordinal));
    }

    [Fact]
    public void Pads_Computed_By_Torchs_Dynamic_Pad_Export_Are_Evaluated()
    {
        // Swin's F.pad(x, (0, 0, 0, r, 0, b)) on x[B, H, W, C] with r, b computed at run time exports as: Concat of the
        // torch pads (last dimension first) -> Concat zeros for the batch -> Reshape [-1, 2] -> Slice(step -1) ->
        // Transpose -> Reshape [-1] -> Cast -> Pad. For x[1, 5, 3, 8] and window 7: b = (7 - 5 % 7) % 7 = 2,
        // r = (7 - 3 % 7) % 7 = 4 -> [1, 7, 7, 8]. (Without the reversal it would be [1, 9, 5, 8].)
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 5, 3, 8));
        g.Initializers.Add(Scalar("one", 1));
        g.Initializers.Add(Scalar("two", 2));
        g.Initializers.Add(Scalar("seven", 7));
        g.Initializers.Add(Ints("axes0", 0));
        g.Initializers.Add(Ints("zero1", 0));
        g.Initializers.Add(Ints("pairs", -1, 2));
        g.Initializers.Add(Ints("flat", -1));
        g.Initializers.Add(Ints("sStart", -1));
        g.Initializers.Add(Ints("sEnd", long.MinValue + 1));
        g.Initializers.Add(Ints("sStep", -1));
        g.Nodes.Add(new GraphNode("shape", "Shape", ["x"], ["s"]));
        foreach (var (dim, index) in new[] { ("h", "one"), ("w", "two") })
        {
            g.Nodes.Add(new GraphNode($"{dim}", "Gather", ["s", index], [$"{dim}"]));
            g.Nodes.Add(new GraphNode($"{dim}mod", "Mod", [$"{dim}", "seven"], [$"{dim}m"]));
            g.Nodes.Add(new GraphNode($"{dim}sub", "Sub", ["seven", $"{dim}m"], [$"{dim}d"]));
            g.Nodes.Add(new GraphNode($"{dim}mod2", "Mod", [$"{dim}d", "seven"], [$"{dim}p"]));
            g.Nodes.Add(new GraphNode($"{dim}unsq", "Unsqueeze", [$"{dim}p", "axes0"], [$"{dim}1"]));
        }

        g.Nodes.Add(new GraphNode("torchpads", "Concat", ["zero1", "zero1", "zero1", "w1", "zero1", "h1"], ["tp"]).With(NodeAttribute.OfInt("axis", 0)));
        g.Nodes.Add(new GraphNode("extend", "Concat", ["tp", "zero1", "zero1"], ["ext"]).With(NodeAttribute.OfInt("axis", 0)));
        g.Nodes.Add(new GraphNode("pairs", "Reshape", ["ext", "pairs"], ["pr"]));
        g.Nodes.Add(new GraphNode("reverse", "Slice", ["pr", "sStart", "sEnd", "axes0", "sStep"], ["rev"]));
        g.Nodes.Add(new GraphNode("tr", "Transpose", ["rev"], ["t"]).With(NodeAttribute.OfInts("perm", 1, 0)));
        g.Nodes.Add(new GraphNode("flat", "Reshape", ["t", "flat"], ["onnxpads"]));
        g.Nodes.Add(new GraphNode("cast", "Cast", ["onnxpads"], ["pads"]).With(NodeAttribute.OfInt("to", (long)TensorDataType.Int64)));
        g.Nodes.Add(new GraphNode("pad", "Pad", ["x", "pads"], ["y"]));
        var r = FlopsCounter.Count(RoundTrip(g));
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal([1L, 7, 7, 8], r.Nodes.Single(n => n.Name == "pad").OutputShape!);
    }

    [Fact]
    public void Einsum_ScatterND_And_Trilu_Have_Rules()
    {
        // Einsum "bhqd,bhkd->bhqk" on [1, 2, 5, 8] and [1, 2, 6, 8]: output [1, 2, 5, 6], MACs = 1·2·5·6·8 = 480.
        // ScatterND keeps the data's shape; Trilu keeps its input's. An implicit-output equation ("bhqd", no "->")
        // outputs the indices in alphabetical order (numpy einsum convention): b, d, h, q -> [1, 8, 2, 5].
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("q", TensorDataType.Float, 1, 2, 5, 8));
        g.Inputs.Add(ValueInfo.Fixed("k", TensorDataType.Float, 1, 2, 6, 8));
        g.Inputs.Add(ValueInfo.Fixed("idx", TensorDataType.Int64, 3, 1));
        g.Inputs.Add(ValueInfo.Fixed("upd", TensorDataType.Float, 3, 2, 5, 6));
        g.Nodes.Add(new GraphNode("einsum", "Einsum", ["q", "k"], ["s"]).With(NodeAttribute.OfString("equation", "bhqd,bhkd->bhqk")));
        g.Nodes.Add(new GraphNode("tri", "Trilu", ["s"], ["t"]));
        g.Nodes.Add(new GraphNode("scatter", "ScatterND", ["t", "idx", "upd"], ["y"]));
        g.Nodes.Add(new GraphNode("implicit", "Einsum", ["q"], ["sum"]).With(NodeAttribute.OfString("equation", "bhqd")));
        var r = FlopsCounter.Count(RoundTrip(g));
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal([1L, 2, 5, 6], r.Nodes.Single(n => n.Name == "scatter").OutputShape!);
        Assert.Equal(480, r.Macs);
        Assert.Equal([1L, 8, 2, 5], r.Nodes.Single(n => n.Name == "implicit").OutputShape!);
    }

    [Fact]
    public void Com_Microsoft_Attention_And_SkipLayerNormalization_Are_Counted()
    {
        // Attention: input [1, 8, 16], weights [16, 48] (q = k = v = 16), num_heads 2 -> output [1, 8, 16].
        // MACs = projection 8·16·48 (6,144) + Q·Kᵀ 8·8·16 (1,024) + attention·V 8·8·16 (1,024) = 8,192.
        // Then SkipLayerNormalization keeps [1, 8, 16] and FusedMatMul with W2 [16, 4]: 8·16·4 = 512 more.
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 8, 16));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [16, 48]));
        g.Initializers.Add(new TensorInfo("B", TensorDataType.Float, [48]));
        g.Initializers.Add(new TensorInfo("gamma", TensorDataType.Float, [16]));
        g.Initializers.Add(new TensorInfo("W2", TensorDataType.Float, [16, 4]));
        g.Nodes.Add(new GraphNode("attn", "Attention", ["x", "W", "B"], ["a"], "com.microsoft").With(NodeAttribute.OfInt("num_heads", 2)));
        g.Nodes.Add(new GraphNode("sln", "SkipLayerNormalization", ["a", "x", "gamma"], ["n"], "com.microsoft"));
        g.Nodes.Add(new GraphNode("fmm", "FusedMatMul", ["n", "W2"], ["y"], "com.microsoft"));
        var r = FlopsCounter.Count(RoundTrip(g));
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Empty(r.UnknownOps);
        Assert.Equal(8192 + 512, r.Macs);
        Assert.Equal([1L, 8, 4], r.Nodes.Single(n => n.Name == "fmm").OutputShape!);
    }

    [Fact]
    public void Where_Inference_Stops_The_Report_Names_The_Node_The_Reason_And_What_Depends_On_It()
    {
        // NonZero (no rule: its output length depends on the data) feeds a Reshape target: Shape, Reshape and the two
        // MatMuls after it (reading W1 [4, 4] and W2 [4, 2]: 24 of the 40 parameters) depend on it and count 0 —
        // 4 of the 6 nodes. The first MatMul (before it, 1·4·4 = 16 MACs) is still counted.
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        g.Initializers.Add(new TensorInfo("W0", TensorDataType.Float, [4, 4]));
        g.Initializers.Add(new TensorInfo("W1", TensorDataType.Float, [4, 4]));
        g.Initializers.Add(new TensorInfo("W2", TensorDataType.Float, [4, 2]));
        g.Nodes.Add(new GraphNode("mm0", "MatMul", ["x", "W0"], ["h"]));
        g.Nodes.Add(new GraphNode("nz", "NonZero", ["h"], ["where"]));
        g.Nodes.Add(new GraphNode("shape", "Shape", ["where"], ["target"]));
        g.Nodes.Add(new GraphNode("reshape", "Reshape", ["h", "target"], ["r"]));
        g.Nodes.Add(new GraphNode("mm1", "MatMul", ["r", "W1"], ["h2"]));
        g.Nodes.Add(new GraphNode("mm2", "MatMul", ["h2", "W2"], ["y"]));
        var r = FlopsCounter.Count(RoundTrip(g));
        Assert.True(r.Partial);
        Assert.Equal(16, r.Macs);
        var warning = Assert.Single(r.Warnings, w => w.Contains("shape inference stops here", StringComparison.Ordinal));
        Assert.Contains("nz (NonZero)", warning, StringComparison.Ordinal);
        Assert.Contains("4 of 6 nodes", warning, StringComparison.Ordinal);
        Assert.Contains("reading 24 of 40 parameters", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Boolean_Constants_Are_Read_And_Select_Shape_Entries()
    {
        // A bool Constant [true, false, true] picks from [2, 3, 4] (Where) or [9, 9, 9] -> Expand target [2, 9, 4]:
        // y = Expand(x[1, 1, 4], [2, 9, 4]) -> MatMul W[4, 5]: 2·9·4·5 = 360 MACs.
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 1, 4));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [4, 5]));
        g.Initializers.Add(Ints("a", 2, 3, 4));
        g.Initializers.Add(Ints("b", 9, 9, 9));
        g.Nodes.Add(new GraphNode("cond", "Constant", [], ["c"]).With(NodeAttribute.OfTensor("value", new TensorInfo("c", TensorDataType.Bool, [3]) { IntValues = [1, 0, 1] })));
        g.Nodes.Add(new GraphNode("where", "Where", ["c", "a", "b"], ["target"]));
        g.Nodes.Add(new GraphNode("expand", "Expand", ["x", "target"], ["e"]));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["e", "W"], ["y"]));
        var r = FlopsCounter.Count(RoundTrip(g));
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal([2L, 9, 4], r.Nodes.Single(n => n.Name == "expand").OutputShape!);
        Assert.Equal(360, r.Macs);
    }

    [Fact]
    public void Initializers_With_Dims_And_No_Data_Are_Counted_From_Their_Shape()
    {
        // A ModelProto written byte by byte (onnx.proto field numbers): initializer W has dims [4, 2] and float type
        // but neither raw_data nor external data (weights stripped). x[1, 4] MatMul W -> 8 MACs, 8 parameters.
        static byte[] Field(int number, byte[] payload) => [(byte)((number << 3) | 2), (byte)payload.Length, .. payload];
        static byte[] Varint(int number, int value) => [(byte)(number << 3), (byte)value];
        static byte[] Text(string s) => System.Text.Encoding.ASCII.GetBytes(s);
        byte[] dim(int v) => Field(1, Varint(1, v));
        byte[] tensorType = Field(1, [.. Varint(1, 1), .. Field(2, [.. dim(1), .. dim(4)])]);
        byte[] graph =
        [
            .. Field(1, [.. Field(1, Text("x")), .. Field(1, Text("W")), .. Field(2, Text("y")), .. Field(4, Text("MatMul"))]),
            .. Field(5, [.. Varint(1, 4), .. Varint(1, 2), .. Varint(2, 1), .. Field(8, Text("W"))]),
            .. Field(11, [.. Field(1, Text("x")), .. Field(2, tensorType)]),
        ];
        byte[] model = [.. Varint(1, 8), .. Field(7, graph), .. Field(8, Varint(2, 13))];
        var read = OnnxReader.Read(new MemoryStream(model), "stripped.onnx");
        Assert.Equal(0, read.Graph.Initializers.Single().StoredPayloadBytes);
        var r = FlopsCounter.Count(read);
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal(8, r.Macs);
        Assert.Equal(8, r.Params);
    }

    [Fact]
    public void An_Image_Input_Takes_Height_By_Width()
    {
        // x[N, 3, H, W] given as 32x32: [1, 3, 32, 32]; Conv 4 filters 3x3 pad 1 -> 4·32·32·27 = 110,592 MACs.
        var g = new ModelGraph();
        g.Inputs.Add(new ValueInfo("x", TensorDataType.Float, [Dimension.Named("N"), Dimension.Of(3), Dimension.Named("H"), Dimension.Named("W")]));
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, [4, 3, 3, 3]));
        g.Nodes.Add(new GraphNode("conv", "Conv", ["x", "w"], ["y"]).With(NodeAttribute.OfInts("pads", 1, 1, 1, 1), NodeAttribute.OfInts("kernel_shape", 3, 3)));
        var r = FlopsCounter.Count(RoundTrip(g), new CountOptions { InputShapes = new Dictionary<string, long[]> { [""] = [32, 32] } });
        Assert.Equal(110_592, r.Macs);
        Assert.Empty(r.Assumptions);
    }
}
