using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;
using TrainWatt.Testing;

namespace TrainWatt.Architecture.Tests.Onnx;

/// <summary>Reader and counter on small hand-built models whose counts are derived by hand in each test.</summary>
public sealed class OnnxReaderTests
{
    private static OnnxModel Model(ModelGraph g, long opset = 13)
    {
        var m = new OnnxModel(g);
        m.Opsets.Add(new OpsetImport("", opset));
        return m;
    }

    private static OnnxModel RoundTrip(OnnxModel model)
    {
        var s = new MemoryStream();
        OnnxWriter.Write(model, s);
        s.Position = 0;
        return OnnxReader.Read(s, "test.onnx");
    }

    /// <summary>x[N,3,8,8] -> Conv(4 filters 3x3 pad 1, bias) -> Relu -> y.</summary>
    private static ModelGraph ConvRelu(bool external = false, bool symbolic = false)
    {
        var g = new ModelGraph { Name = "convrelu" };
        g.Inputs.Add(new ValueInfo("x", TensorDataType.Float, [symbolic ? Dimension.Named("N") : Dimension.Of(1), Dimension.Of(3), symbolic ? Dimension.Named("H") : Dimension.Of(8), Dimension.Of(8)]));
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, [4, 3, 3, 3]) { IsExternal = external, ExternalLocation = external ? "missing-weights.bin" : null });
        g.Initializers.Add(new TensorInfo("b", TensorDataType.Float, [4]));
        g.Nodes.Add(new GraphNode("conv", "Conv", ["x", "w", "b"], ["c"]).With(NodeAttribute.OfInts("pads", 1, 1, 1, 1), NodeAttribute.OfInts("kernel_shape", 3, 3)));
        g.Nodes.Add(new GraphNode("relu", "Relu", ["c"], ["y"]));
        g.Outputs.Add(new ValueInfo("y", TensorDataType.Float, null));
        return g;
    }

    [Fact]
    public void Counts_A_Conv_Relu_By_Hand()
    {
        // Hand derivation: output 1x4x8x8 = 256 elements; MACs = 256 x (3 x 3 x 3) = 6912;
        // FLOPs = 2 x 6912 + 256 (bias) + 256 (ReLU) = 14336; params = 108 + 4 = 112; weight bytes = 448;
        // activations = 2 tensors x 256 x 4 B = 2048.
        var r = FlopsCounter.Count(RoundTrip(Model(ConvRelu())));
        Assert.Equal(112, r.Params);
        Assert.Equal(6912, r.Macs);
        Assert.Equal(14336, r.Flops);
        Assert.Equal(448, r.WeightBytes);
        Assert.Equal(2048, r.ActivationBytes);
        Assert.False(r.Partial);
        Assert.Equal(3 * 14336.0, r.TrainingFlopsPerSample);
        Assert.Equal(3 * 14336.0 * 1000, r.TrainingFlopsPerEpoch(1000));
    }

    [Fact]
    public void External_Data_Is_Counted_From_Dims_Without_Opening_The_File()
    {
        // The external file does not exist: counting must still give the 108 weight elements from dims.
        var read = RoundTrip(Model(ConvRelu(external: true)));
        var w = read.Graph.Initializers.Single(t => t.Name == "w");
        Assert.True(w.IsExternal);
        Assert.Equal("missing-weights.bin", w.ExternalLocation);
        Assert.Equal(112, FlopsCounter.Count(read).Params);
    }

    [Fact]
    public void Symbolic_Dims_Take_Values_From_Input_Shapes_And_Batch()
    {
        var read = RoundTrip(Model(ConvRelu(symbolic: true)));

        // Without --input, H (a symbolic image side) takes the stated default 224: output 1x4x224x8, MACs =
        // 4 x 224 x 8 x 27 = 193,536; the assumption and how to change it are reported, and the count is complete.
        var assumed = FlopsCounter.Count(read);
        Assert.False(assumed.Partial);
        Assert.Equal(193_536, assumed.Macs);
        var assumption = Assert.Single(assumed.Assumptions);
        Assert.Contains("assumed image side 224", assumption, StringComparison.Ordinal);
        Assert.Contains("--input x:", assumption, StringComparison.Ordinal);

        // Batch 2 via --batch and 3x8x8 via --input: twice the single-image MACs (6912).
        var r = FlopsCounter.Count(read, new CountOptions { Batch = 2, InputShapes = new Dictionary<string, long[]> { [""] = [3, 8, 8] } });
        Assert.Equal(2 * 6912, r.Macs);
        Assert.False(r.Partial);
        Assert.Equal(3 * 14336.0, r.TrainingFlopsPerSample);
    }

    [Fact]
    public void Unknown_Operators_Are_Listed_And_Make_The_Result_Partial()
    {
        var g = ConvRelu();
        g.Nodes.Add(new GraphNode("mystery", "FancyOp", ["y"], ["z"], "com.example"));
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(["com.example.FancyOp"], r.UnknownOps);
        Assert.True(r.Partial);
        Assert.Equal(6912, r.Macs);
    }

    [Fact]
    public void Constant_Nodes_Value_Info_And_Reshape_Are_Followed()
    {
        // x[1,12] -> Reshape(Constant [2,6]) -> MatMul W[6,5] -> [2,5]: MACs = 2 x 5 x 6 = 60. The Constant is an
        // int64 shape, not a weight: params = 30.
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 12));
        g.Nodes.Add(new GraphNode("shape", "Constant", [], ["s"]).With(NodeAttribute.OfTensor("value", new TensorInfo("s", TensorDataType.Int64, [2]) { IntValues = [2, 6] })));
        g.Nodes.Add(new GraphNode("reshape", "Reshape", ["x", "s"], ["r"]));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [6, 5]));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["r", "W"], ["y"]));
        g.Outputs.Add(ValueInfo.Fixed("y", TensorDataType.Float, 2, 5));
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(60, r.Macs);
        Assert.Equal(30, r.Params);
        Assert.Equal([2L, 5L], r.Nodes.Single(n => n.Name == "mm").OutputShape!);
    }

    [Fact]
    public void Shared_Initializers_Are_Counted_Once()
    {
        // Two MatMuls share W[4,4]: params 16, MACs 2 x 16.
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [4, 4]));
        g.Nodes.Add(new GraphNode("a", "MatMul", ["x", "W"], ["h"]));
        g.Nodes.Add(new GraphNode("b", "MatMul", ["h", "W"], ["y"]));
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(16, r.Params);
        Assert.Equal(32, r.Macs);
    }

    [Fact]
    public void If_Subgraphs_Are_Counted_And_Reported()
    {
        // then: MatMul x[1,4] W[4,3] (12 MACs); else: Identity. Both branches reported; outer MACs = 12.
        var then = new ModelGraph { Name = "then" };
        then.Initializers.Add(new TensorInfo("Wt", TensorDataType.Float, [4, 3]));
        then.Nodes.Add(new GraphNode("mm", "MatMul", ["x", "Wt"], ["t"]));
        then.Outputs.Add(new ValueInfo("t", TensorDataType.Float, null));
        var otherwise = new ModelGraph { Name = "else" };
        otherwise.Nodes.Add(new GraphNode("id", "Identity", ["x"], ["e"]));
        otherwise.Outputs.Add(new ValueInfo("e", TensorDataType.Float, null));
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        g.Inputs.Add(ValueInfo.Fixed("cond", TensorDataType.Bool));
        var node = new GraphNode("if", "If", ["cond"], ["y"]);
        node.Attributes.Add(new NodeAttribute("then_branch", AttributeKind.Graph) { });
        node.Attributes[0].Graphs.Add(then);
        node.Attributes.Add(new NodeAttribute("else_branch", AttributeKind.Graph));
        node.Attributes[1].Graphs.Add(otherwise);
        g.Nodes.Add(node);

        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(12, r.Macs);
        Assert.Equal(12, r.Params);
        Assert.Equal(2, r.Subgraphs.Count);
        Assert.Contains(r.Subgraphs, s => s.Path.EndsWith("then_branch", StringComparison.Ordinal) && s.Macs == 12);
    }

    [Fact]
    public void Opset7_Attribute_Forms_Are_Understood()
    {
        // Hand derivation: x[1,2,4,4] -Pad(attr pads 1 on H and W)-> [1,2,6,6] -Upsample(attr scales 1,1,2,2)->
        // [1,2,12,12] -Slice(attrs H 0:6)-> [1,2,6,12] -Split(attr split 1,1 on C)-> 2 x [1,1,6,12]
        // -Squeeze(attr axes 1)-> [1,6,12] -ReduceMean(axes 2, keepdims 0)-> [1,6] (72 FLOPs: one per input element).
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 2, 4, 4));
        g.Nodes.Add(new GraphNode("pad", "Pad", ["x"], ["p"]).With(NodeAttribute.OfInts("pads", 0, 0, 1, 1, 0, 0, 1, 1)));
        var up = new GraphNode("up", "Upsample", ["p"], ["u"]);
        var scales = new NodeAttribute("scales", AttributeKind.Floats);
        scales.Floats.AddRange([1f, 1f, 2f, 2f]);
        up.Attributes.Add(scales);
        g.Nodes.Add(up);
        g.Nodes.Add(new GraphNode("slice", "Slice", ["u"], ["s"]).With(NodeAttribute.OfInts("starts", 0), NodeAttribute.OfInts("ends", 6), NodeAttribute.OfInts("axes", 2)));
        g.Nodes.Add(new GraphNode("split", "Split", ["s"], ["a", "b"]).With(NodeAttribute.OfInt("axis", 1), NodeAttribute.OfInts("split", 1, 1)));
        g.Nodes.Add(new GraphNode("squeeze", "Squeeze", ["a"], ["q"]).With(NodeAttribute.OfInts("axes", 1)));
        g.Nodes.Add(new GraphNode("mean", "ReduceMean", ["q"], ["y"]).With(NodeAttribute.OfInts("axes", 2), NodeAttribute.OfInt("keepdims", 0)));
        var r = FlopsCounter.Count(RoundTrip(Model(g, opset: 7)));
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.Equal([1L, 2, 12, 12], r.Nodes.Single(n => n.Name == "up").OutputShape!);
        Assert.Equal([1L, 1, 6, 12], r.Nodes.Single(n => n.Name == "split").OutputShape!);
        Assert.Equal([1L, 6], r.Nodes.Single(n => n.Name == "mean").OutputShape!);
        Assert.Equal(72, r.Nodes.Single(n => n.Name == "mean").Flops);
    }

    [Fact]
    public void Sparse_Initializers_Count_Their_Stored_Values()
    {
        // W is a sparse [4,3] matrix with 5 stored values: params = 5, MatMul x[1,4] W -> 12 MACs (dense shape).
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        g.SparseInitializers.Add(new SparseInitializer(new TensorInfo("W", TensorDataType.Float, [5]), [4, 3]));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["x", "W"], ["y"]));
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(5, r.Params);
        Assert.Equal(12, r.Macs);
        Assert.False(r.Partial);
    }

    [Fact]
    public void Absurd_Sizes_Fail_Clearly_Instead_Of_Wrapping()
    {
        // A 2^62-element float tensor: its byte size (2^64) does not fit 64 bits -> a clear structural error.
        var huge = new ModelGraph();
        huge.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        huge.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [1L << 31, 1L << 31]) { IsExternal = true });
        huge.Nodes.Add(new GraphNode("mm", "MatMul", ["x", "W"], ["y"]));
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(Model(huge))));
        Assert.Contains("2^63", e.Message, StringComparison.Ordinal);

        // An input of 2^40 x 2^40 pixels: the Conv's MACs overflow -> that node is counted 0 and the result is partial.
        var wide = ConvRelu();
        wide.Inputs.Clear();
        wide.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 3, 1L << 40, 1L << 40));
        var r = FlopsCounter.Count(RoundTrip(Model(wide)));
        Assert.True(r.Partial);
        Assert.Equal(0, r.Macs);
    }

    [Fact]
    public void Value_Info_Supplies_The_Shape_After_An_Unknown_Operator()
    {
        // x[1,4] -> Custom (unknown) -> h, declared [1,4] in value_info -> MatMul W[4,2]: 8 MACs still counted.
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        g.Nodes.Add(new GraphNode("custom", "MyNorm", ["x"], ["h"], "com.example"));
        g.ValueInfos.Add(ValueInfo.Fixed("h", TensorDataType.Float, 1, 4));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [4, 2]));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["h", "W"], ["y"]));
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(8, r.Macs);
        Assert.Equal(["com.example.MyNorm"], r.UnknownOps);
        Assert.True(r.Partial);
    }

    [Fact]
    public void Loop_Bodies_Are_Counted_Once_And_Reported()
    {
        // Loop(M, cond, v[1,4]) with body v' = MatMul(v, W[4,4]): one iteration = 16 MACs, reported as a subgraph.
        var body = new ModelGraph { Name = "body" };
        body.Inputs.Add(ValueInfo.Fixed("i", TensorDataType.Int64));
        body.Inputs.Add(ValueInfo.Fixed("c", TensorDataType.Bool));
        body.Inputs.Add(new ValueInfo("v", TensorDataType.Float, null));
        body.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [4, 4]));
        body.Nodes.Add(new GraphNode("c_out", "Identity", ["c"], ["c2"]));
        body.Nodes.Add(new GraphNode("step", "MatMul", ["v", "W"], ["v2"]));
        body.Outputs.Add(ValueInfo.Fixed("c2", TensorDataType.Bool));
        body.Outputs.Add(new ValueInfo("v2", TensorDataType.Float, null));
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("M", TensorDataType.Int64));
        g.Inputs.Add(ValueInfo.Fixed("cond", TensorDataType.Bool));
        g.Inputs.Add(ValueInfo.Fixed("v0", TensorDataType.Float, 1, 4));
        var loop = new GraphNode("loop", "Loop", ["M", "cond", "v0"], ["vN"]);
        loop.Attributes.Add(new NodeAttribute("body", AttributeKind.Graph));
        loop.Attributes[0].Graphs.Add(body);
        g.Nodes.Add(loop);
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(16, r.Macs);
        var sub = Assert.Single(r.Subgraphs);
        Assert.Equal("Loop", sub.OwnerOpType);
        Assert.Contains("one iteration", sub.Note, StringComparison.Ordinal);
        Assert.Equal([1L, 4], r.Nodes.Single(n => n.Name == "loop").OutputShape!);
    }

    [Fact]
    public void Lstm_Macs_Follow_The_Gate_Formula()
    {
        // Hand derivation: seq 10, batch 2, input 8, hidden 16, one direction: per step 4 gates x 16 x (8 + 16) = 1536
        // MACs; 10 x 2 steps -> 30,720 MACs. Y is [10, 1, 2, 16].
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 10, 2, 8));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [1, 64, 8]));
        g.Initializers.Add(new TensorInfo("R", TensorDataType.Float, [1, 64, 16]));
        g.Nodes.Add(new GraphNode("lstm", "LSTM", ["x", "W", "R"], ["y", "h"]).With(NodeAttribute.OfInt("hidden_size", 16)));
        var r = FlopsCounter.Count(RoundTrip(Model(g)));
        Assert.Equal(30_720, r.Macs);
        Assert.Equal([10L, 1, 2, 16], r.Nodes.Single().OutputShape!);
        Assert.Equal(64 * 8 + 64 * 16, r.Params);
    }

    [Fact]
    public void A_Cycle_Is_A_Clear_Error()
    {
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4));
        g.Nodes.Add(new GraphNode("a", "Add", ["x", "b_out"], ["a_out"]));
        g.Nodes.Add(new GraphNode("b", "Relu", ["a_out"], ["b_out"]));
        var e = Assert.Throws<GraphStructureException>(() => FlopsCounter.Count(RoundTrip(Model(g))));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_File_Names_File_And_Offset()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.onnx");
        var s = new MemoryStream();
        OnnxWriter.Write(Model(ConvRelu()), s);
        File.WriteAllBytes(path, s.ToArray()[..(int)(s.Length - 10)]);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxReader.ReadFile(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 0, s.Length);
    }

    [Fact]
    public void Reader_Skips_Payloads_Instead_Of_Loading_Them()
    {
        // A 64 MiB float tensor: reading must allocate far less than its payload (oracle: the payload size).
        var g = new ModelGraph();
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 4096));
        g.Initializers.Add(new TensorInfo("W", TensorDataType.Float, [4096, 4096]));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["x", "W"], ["y"]));
        using var dir = new TempDirectory();
        string path = dir.File("big.onnx");
        OnnxWriter.WriteFile(Model(g), path);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = OnnxReader.ReadFile(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4096L * 4096, FlopsCounter.Count(model).Params);
        Assert.InRange(allocated, 0, 1 << 20);
    }
}
