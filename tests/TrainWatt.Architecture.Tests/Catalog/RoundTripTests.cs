using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Architecture.Tests.Catalog;

/// <summary>Catalog graph, exported to ONNX and read back, gives identical counts (oracle: the in-memory count).</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, int> Models => new()
    {
        { "mobilenetv2", 96 }, { "nasnetmobile", 96 }, { "xception", 96 }, { "resnet50", 64 }, { "vgg16", 32 },
        { "inceptionv3", 96 }, { "resnet18", 64 }, { "efficientnet-b0", 64 }, { "vit-b16", 64 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Exported_Onnx_Counts_Exactly_As_The_Catalog_Graph(string name, int size)
    {
        // Given a catalog network (small input: payload size does not change the structure)
        var built = ModelCatalog.Build(name, new CatalogOptions { ImageSize = size, Classes = 10 });
        var direct = FlopsCounter.Count(built);

        // When it is written as ONNX and read back
        using var stream = new MemoryStream();
        OnnxWriter.Write(built, stream);
        stream.Position = 0;
        var read = OnnxReader.Read(stream, name + ".onnx");
        var counted = FlopsCounter.Count(read);

        // Then every total and every node agrees
        Assert.Equal(direct.Params, counted.Params);
        Assert.Equal(direct.TrainableParams, counted.TrainableParams);
        Assert.Equal(direct.Macs, counted.Macs);
        Assert.Equal(direct.Flops, counted.Flops);
        Assert.Equal(direct.ActivationBytes, counted.ActivationBytes);
        Assert.Equal(direct.WeightBytes, counted.WeightBytes);
        Assert.Equal(direct.Nodes.Select(n => (n.Name, n.Flops)), counted.Nodes.Select(n => (n.Name, n.Flops)));
        Assert.False(counted.Partial);
        // The file carries real payloads: float32 weights take 4 bytes per parameter.
        Assert.True(stream.Length > 4 * direct.Params);
    }

    [Fact]
    public void External_Data_Export_Keeps_The_Model_Small_And_Is_Never_Read_Back()
    {
        // Given ResNet18 exported with its weights in a side file (11.7 M float32 params: ~47 MB of data)
        using var dir = new TrainWatt.Testing.TempDirectory();
        var built = ModelCatalog.Build("resnet18");
        string model = dir.File("r18.onnx"), data = dir.File("r18.onnx.data");
        OnnxWriter.WriteFile(built, model, data);

        // Then the model file holds only structure, the data file the payloads (4 bytes per parameter at least)
        var expected = FlopsCounter.Count(built);
        Assert.True(new FileInfo(model).Length < 1 << 20);
        Assert.True(new FileInfo(data).Length >= 4 * (expected.Params - 100_000));

        // And counting works with the data file deleted: it is never opened
        File.Delete(data);
        var read = OnnxReader.ReadFile(model);
        Assert.All(read.Graph.Initializers.Where(t => t.ElementCount >= 256), t => Assert.Equal("r18.onnx.data", t.ExternalLocation));
        var counted = FlopsCounter.Count(read);
        Assert.Equal(expected.Params, counted.Params);
        Assert.Equal(expected.Flops, counted.Flops);
    }

    [Fact]
    public void Paper_Head_Replaces_The_Top()
    {
        // Hand derivation: VGG16 without top at 128 px ends in 512 channels; GAP + Dense(1) adds 512 + 1 parameters to
        // the 14,714,688 convolution parameters (keras VGG16(include_top=False) "Total params: 14,714,688").
        var r = FlopsCounter.Count(ModelCatalog.Build("vgg16", ModelCatalog.PaperOptions("vgg16")));
        Assert.Equal(14_714_688 + 513, r.Params);
    }

    [Fact]
    public void Unknown_Name_Lists_The_Catalog()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelCatalog.Build("resnet51"));
        Assert.Contains("resnet50", e.Message, StringComparison.Ordinal);
    }
}
