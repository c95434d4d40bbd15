using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// ONNX models (<see cref="OnnxReader.Read"/>, then <see cref="FlopsCounter.Count(OnnxModel, CountOptions?)"/> as
/// <c>trainwatt flops</c> does): a malformed file is an <see cref="OnnxFormatException"/>, an impossible graph a
/// <see cref="GraphStructureException"/>; nothing else may escape. Byte mutations of two valid seeds (a hand-made graph
/// and the catalog's MobileNetV2 with external weights), plus structural ones written back by <see cref="OnnxWriter"/>:
/// extreme dimensions, attribute values and Reshape targets, self-loops, unknown operators. The byte-level fuzz with
/// wire-type and huge-length mutations is tests/TrainWatt.Architecture.Tests/Onnx/FuzzTests.cs.
/// </summary>
public sealed class OnnxFuzzTests
{
    public const int Cases = 2_000;
    private const int Seed = 13_003;

    private static readonly long[] ExtremeLongs = [0, -1, -2, 1, long.MaxValue, long.MinValue, int.MaxValue, (long)int.MaxValue + 1, 1L << 32, 1L << 40, 1L << 62, 3_000_000_000];

    private static readonly Lazy<byte[][]> Seeds = new(() => [HandMade(), Catalog()]);

    private static byte[] HandMade()
    {
        var g = new ModelGraph { Name = "seed" };
        g.Inputs.Add(new ValueInfo("x", TensorDataType.Float, [Dimension.Named("N"), Dimension.Of(3), Dimension.Of(8), Dimension.Of(8)]));
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, [4, 3, 3, 3]));
        g.Initializers.Add(new TensorInfo("shape", TensorDataType.Int64, [2]) { IntValues = [1, -1] });
        g.Nodes.Add(new GraphNode("conv", "Conv", ["x", "w"], ["c"]).With(NodeAttribute.OfInts("pads", 1, 1, 1, 1), NodeAttribute.OfInts("strides", 2, 2)));
        g.Nodes.Add(new GraphNode("relu", "Relu", ["c"], ["r"]));
        g.Nodes.Add(new GraphNode("pool", "MaxPool", ["r"], ["p"]).With(NodeAttribute.OfInts("kernel_shape", 1, 1)));
        g.Nodes.Add(new GraphNode("flat", "Reshape", ["p", "shape"], ["f"]));
        g.Nodes.Add(new GraphNode("k", "Constant", [], ["W2"]).With(NodeAttribute.OfTensor("value", new TensorInfo("W2", TensorDataType.Float, [64, 5]))));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["f", "W2"], ["y0"]));
        g.Nodes.Add(new GraphNode("sm", "Softmax", ["y0"], ["y"]).With(NodeAttribute.OfInt("axis", -1)));
        g.ValueInfos.Add(ValueInfo.Fixed("c", TensorDataType.Float, 1, 4, 4, 4));
        g.Outputs.Add(ValueInfo.Fixed("y", TensorDataType.Float, 1, 5));
        var m = new OnnxModel(g);
        m.Opsets.Add(new OpsetImport("", 13));
        return Write(m);
    }

    private static byte[] Catalog()
    {
        // The catalog's structure with the weights as external data (no payload): tens of KiB instead of MiBs.
        var model = ModelCatalog.Build("mobilenetv2", new CatalogOptions { ImageSize = 32, Alpha = 0.35, Classes = 2 });
        var g = model.Graph;
        var external = g.Initializers.Select(t => new TensorInfo(t.Name, t.DataType, t.Dims) { IsExternal = true, ExternalLocation = "w.bin" }).ToList();
        g.Initializers.Clear();
        g.Initializers.AddRange(external);
        return Write(model);
    }

    private static byte[] Write(OnnxModel model)
    {
        var s = new MemoryStream();
        OnnxWriter.Write(model, s);
        return s.ToArray();
    }

    internal static FuzzCase Generate(int index, Random rng)
    {
        var seeds = Seeds.Value;
        var seed = seeds[rng.Next(seeds.Length)];
        if (rng.Next(3) == 0)
        {
            return new FuzzCase(index, Structural(seed, rng, out byte[] data), data);
        }

        byte[] mutated = Mutator.Mutate(seed, rng, out string how, seeds);
        return new FuzzCase(index, "bytes: " + how, mutated);
    }

    private static string Structural(byte[] seed, Random rng, out byte[] data)
    {
        var model = OnnxReader.Read(new MemoryStream(seed), "seed");
        var g = model.Graph;
        var node = g.Nodes[rng.Next(g.Nodes.Count)];
        long extreme = ExtremeLongs[rng.Next(ExtremeLongs.Length)];
        string how;
        switch (rng.Next(7))
        {
            case 0 when g.Initializers.Count > 0:
                {
                    int i = rng.Next(g.Initializers.Count);
                    var t = g.Initializers[i];
                    long[] dims = [.. t.Dims];
                    if (dims.Length > 0)
                    {
                        dims[rng.Next(dims.Length)] = extreme;
                    }

                    // External, so that the writer writes no payload of the new size (the reader never reads one).
                    g.Initializers[i] = new TensorInfo(t.Name, t.DataType, dims) { IsExternal = true, ExternalLocation = "w.bin" };
                    how = $"initializer {t.Name} dim -> {extreme}";
                    break;
                }

            case 1 when g.Inputs.Count > 0:
                {
                    var input = g.Inputs[0];
                    var shape = input.Shape is null ? [] : input.Shape.ToArray();
                    if (shape.Length > 0)
                    {
                        shape[rng.Next(shape.Length)] = Dimension.Of(extreme);
                    }

                    g.Inputs[0] = new ValueInfo(input.Name, input.ElementType, shape);
                    how = $"input dim -> {extreme}";
                    break;
                }

            case 2 when node.Attributes.Count > 0:
                {
                    var a = node.Attributes[rng.Next(node.Attributes.Count)];
                    if (a.Ints.Count > 0)
                    {
                        a.Ints[rng.Next(a.Ints.Count)] = extreme;
                    }
                    else
                    {
                        a.Int = extreme;
                    }

                    how = $"{node.OpType} attribute {a.Name} -> {extreme}";
                    break;
                }

            case 3:
                {
                    // Reshape targets and other small integer tensors: values shape inference trusts.
                    var ints = g.Initializers.Select((t, i) => (t, i)).Where(x => x.t.IntValues is { Length: > 0 }).ToList();
                    if (ints.Count == 0)
                    {
                        goto default;
                    }

                    var (t, i) = ints[rng.Next(ints.Count)];
                    long[] values = [.. t.IntValues!];
                    values[rng.Next(values.Length)] = extreme;
                    g.Initializers[i] = new TensorInfo(t.Name, t.DataType, t.Dims) { IntValues = values };
                    how = $"int tensor {t.Name} value -> {extreme}";
                    break;
                }

            case 4:
                {
                    int at = g.Nodes.IndexOf(node);
                    var looped = new GraphNode(node.Name, node.OpType, [.. node.Outputs.Take(1), .. node.Inputs.Skip(1)], node.Outputs, node.Domain);
                    looped.Attributes.AddRange(node.Attributes);
                    g.Nodes[at] = looped;
                    how = $"{node.OpType} reads its own output";
                    break;
                }

            case 5:
                {
                    int at = g.Nodes.IndexOf(node);
                    string op = new[] { "", "NoSuchOp", "Conv", "Gemm", "Einsum", "Loop", "If", "Resize", "Tile", "Expand" }[rng.Next(10)];
                    var renamed = new GraphNode(node.Name, op, node.Inputs, node.Outputs, rng.Next(4) == 0 ? "com.example" : node.Domain);
                    renamed.Attributes.AddRange(node.Attributes);
                    g.Nodes[at] = renamed;
                    how = $"{node.OpType} -> op '{op}'";
                    break;
                }

            default:
                {
                    int at = g.Nodes.IndexOf(node);
                    var doubled = new GraphNode(node.Name, node.OpType, node.Inputs, [.. node.Outputs, .. node.Outputs], node.Domain);
                    doubled.Attributes.AddRange(node.Attributes);
                    g.Nodes[at] = doubled;
                    g.Nodes.Insert(rng.Next(g.Nodes.Count + 1), doubled);
                    how = $"{node.OpType} duplicated with repeated outputs";
                    break;
                }
        }

        data = Write(model);
        return "structure: " + how;
    }

    internal static void Check(FuzzCase fuzz)
    {
        var model = OnnxReader.Read(new MemoryStream(fuzz.Input, writable: false), $"fuzz-{fuzz.Index}.onnx");
        FlopsCounter.Count(model);
    }

    [Fact]
    public void Mutated_Models_Count_Or_Fail_With_The_Documented_Errors()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("ONNX", Seed, Cases)
            {
                PreviewChars = 0,
                Documented = e => e is OnnxFormatException or GraphStructureException,
                CaseAllocationLimit = 64L << 20,
            },
            Generate,
            Check,
            minAccepted: Cases / 20,
            minRejected: Cases / 4);
    }
}
