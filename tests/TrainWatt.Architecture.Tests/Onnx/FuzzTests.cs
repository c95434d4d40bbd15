using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Architecture.Tests.Onnx;

/// <summary>
/// 10,000 mutated ONNX files (fixed seed): truncations, byte flips, wrong wire types, huge declared lengths, inserted
/// garbage and graph cycles. Each must either count or fail with <see cref="OnnxFormatException"/> /
/// <see cref="GraphStructureException"/> carrying a clear message; nothing else may escape, and no single file may
/// allocate more than 16 MiB (the seeds are under 16 KiB, so more would mean a length was trusted).
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261124;

    private static byte[] SeedFile()
    {
        // A small but feature-rich model: MobileNetV2 at alpha 0.35 on 32 px with 2 classes is too big in payload,
        // so use a hand-made graph plus an If subgraph and Constant nodes.
        var g = new ModelGraph { Name = "seed" };
        g.Inputs.Add(new ValueInfo("x", TensorDataType.Float, [Dimension.Named("N"), Dimension.Of(3), Dimension.Of(8), Dimension.Of(8)]));
        g.Initializers.Add(new TensorInfo("w", TensorDataType.Float, [4, 3, 3, 3]));
        g.Initializers.Add(new TensorInfo("shape", TensorDataType.Int64, [2]) { IntValues = [1, -1] });
        g.Nodes.Add(new GraphNode("conv", "Conv", ["x", "w"], ["c"]).With(NodeAttribute.OfInts("pads", 1, 1, 1, 1), NodeAttribute.OfInts("strides", 2, 2)));
        g.Nodes.Add(new GraphNode("relu", "Relu", ["c"], ["r"]));
        g.Nodes.Add(new GraphNode("flat", "Reshape", ["r", "shape"], ["f"]));
        g.Nodes.Add(new GraphNode("k", "Constant", [], ["W2"]).With(NodeAttribute.OfTensor("value", new TensorInfo("W2", TensorDataType.Float, [64, 5]))));
        g.Nodes.Add(new GraphNode("mm", "MatMul", ["f", "W2"], ["y"]));
        g.ValueInfos.Add(ValueInfo.Fixed("c", TensorDataType.Float, 1, 4, 4, 4));
        g.Outputs.Add(ValueInfo.Fixed("y", TensorDataType.Float, 1, 5));
        var m = new OnnxModel(g);
        m.Opsets.Add(new OpsetImport("", 13));
        var s = new MemoryStream();
        OnnxWriter.Write(m, s);
        return s.ToArray();
    }

    private static byte[] CatalogSeed()
    {
        // Real catalog structure (NASNet cells: Pad, Slice, Concat, pooling), weights made tiny by a 1-class head at 32 px
        // would still be MBs, so keep only the structure: drop the payload by using external data.
        var model = ModelCatalog.Build("mobilenetv2", new CatalogOptions { ImageSize = 32, Alpha = 0.35, Classes = 2 });
        var g = model.Graph;
        var external = g.Initializers.Select(t => new TensorInfo(t.Name, t.DataType, t.Dims) { IsExternal = true, ExternalLocation = "w.bin" }).ToList();
        g.Initializers.Clear();
        g.Initializers.AddRange(external);
        var s = new MemoryStream();
        OnnxWriter.Write(model, s);
        return s.ToArray();
    }

    [Fact]
    public void Ten_Thousand_Mutated_Files_Never_Crash_Hang_Or_Blow_Up()
    {
        var seeds = new[] { SeedFile(), CatalogSeed() };
        var rng = new Random(Seed);
        int counted = 0, formatErrors = 0, structureErrors = 0;
        for (int i = 0; i < 10_000; i++)
        {
            var seed = seeds[i % seeds.Length];
            byte[] data = Mutate(seed, rng, out string how);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var model = OnnxReader.Read(new MemoryStream(data, writable: false), $"fuzz-{i}.onnx");
                FlopsCounter.Count(model);
                counted++;
            }
            catch (OnnxFormatException e)
            {
                Assert.StartsWith($"fuzz-{i}.onnx: malformed ONNX at byte ", e.Message, StringComparison.Ordinal);
                formatErrors++;
            }
            catch (GraphStructureException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                structureErrors++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed}, iteration {i} ({how}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 16L << 20, $"seed {Seed}, iteration {i} ({how}) allocated {allocated} bytes");
        }

        // The mutations must exercise both outcomes, or the test proves nothing.
        Assert.True(counted > 100, $"only {counted} files parsed");
        Assert.True(formatErrors > 1000, $"only {formatErrors} format errors");
        Assert.True(structureErrors > 0, "no graph-structure error (cycle) was produced");
    }

    private static byte[] Mutate(byte[] seed, Random rng, out string how)
    {
        var data = (byte[])seed.Clone();
        switch (rng.Next(7))
        {
            case 0:
                how = "truncate";
                return data[..rng.Next(data.Length)];
            case 1:
                how = "flip bytes";
                for (int k = rng.Next(1, 9); k > 0; k--)
                {
                    data[rng.Next(data.Length)] ^= (byte)rng.Next(1, 256);
                }

                return data;
            case 2:
                {
                    how = "wrong wire type";
                    int p = rng.Next(data.Length);
                    data[p] = (byte)((data[p] & ~7) | rng.Next(8));
                    return data;
                }

            case 3:
                {
                    how = "huge declared length";
                    int p = rng.Next(data.Length - 10);
                    byte[] huge = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
                    huge.CopyTo(data, p);
                    return data;
                }

            case 4:
                {
                    how = "insert garbage";
                    int p = rng.Next(data.Length);
                    var junk = new byte[rng.Next(1, 32)];
                    rng.NextBytes(junk);
                    return [.. data[..p], .. junk, .. data[p..]];
                }

            case 5:
                {
                    how = "cycle";
                    var model = OnnxReader.Read(new MemoryStream(seed), "seed");
                    var nodes = model.Graph.Nodes;
                    int a = rng.Next(nodes.Count), b = rng.Next(nodes.Count);
                    var first = nodes[Math.Min(a, b)];
                    var later = nodes[Math.Max(a, b)];
                    if (first.Inputs.Count == 0 || later.Outputs.Count == 0)
                    {
                        return data;
                    }

                    var rewired = new GraphNode(first.Name, first.OpType, [later.Outputs[0], .. first.Inputs.Skip(1)], first.Outputs, first.Domain);
                    rewired.Attributes.AddRange(first.Attributes);
                    nodes[nodes.IndexOf(first)] = rewired;
                    var s = new MemoryStream();
                    OnnxWriter.Write(model, s);
                    return s.ToArray();
                }

            default:
                {
                    how = "duplicate slice";
                    int p = rng.Next(data.Length), n = rng.Next(1, Math.Min(256, data.Length - p + 1));
                    return [.. data[..p], .. data[p..(p + n)], .. data[p..]];
                }
        }
    }
}
