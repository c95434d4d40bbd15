using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: <c>flops</c> on a graph it cannot count correctly exits 65 naming the node, instead of a complete-looking count.</summary>
public sealed class FlopsMalformedGraphTests
{
    [Fact]
    public void A_conv_with_a_negative_group_exits_65_naming_the_node()
    {
        using var dir = new TempDirectory();
        var g = new ModelGraph { Name = "g" };
        g.Inputs.Add(ValueInfo.Fixed("x", TensorDataType.Float, 1, 3, 8, 8));
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, [4, 3, 3, 3]));
        g.Nodes.Add(new GraphNode("conv1", "Conv", ["x", "w"], ["y"]).With(NodeAttribute.OfInts("kernel_shape", 3, 3), NodeAttribute.OfInt("group", -7)));
        g.Outputs.Add(new ValueInfo("y", TensorDataType.Float, null));
        var model = new OnnxModel(g);
        model.Opsets.Add(new OpsetImport("", 13));
        string file = dir.File("bad.onnx");
        OnnxWriter.WriteFile(model, file);

        var (code, stdout, stderr) = CliHarness.Run("flops", file);
        Assert.Equal(65, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("node 'conv1' (Conv) in graph main: group -7 must be at least 1.", stderr, StringComparison.Ordinal);
        InputCrashTests.AssertOneClearLine(stderr);
    }
}
