using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;
using TrainWatt.Testing;

namespace TrainWatt.Architecture.Tests.Catalog;

/// <summary><see cref="FlopsReports"/>: what <c>trainwatt flops</c> counts, and the typed failures it reports.</summary>
public sealed class FlopsReportsTests
{
    [Fact]
    public void A_Catalog_Network_Exported_And_Read_Back_Counts_The_Same()
    {
        using var dir = new TempDirectory();
        var request = new FlopsRequest { Architecture = "mobilenetv2", Alpha = 0.35, Classes = 3, Inputs = [InputShape.Parse("3x64x64")], ExportOnnx = dir.File("m.onnx") };
        var built = FlopsReports.Count(request);
        Assert.Equal(dir.File("m.onnx"), built.ExportedTo);
        var read = FlopsReports.Count(new FlopsRequest { OnnxFile = dir.File("m.onnx") });
        Assert.Equal(built.Result.Flops, read.Result.Flops);
        Assert.Equal(built.Result.Params, read.Result.Params);
        Assert.Equal(dir.File("m.onnx"), read.Source);
    }

    [Fact]
    public void The_Paper_Configuration_Defaults_To_The_Tf_Profiler_Convention()
    {
        // Oracle: paper-notes.md 1.2, VGG16 at 128 px: 10.0288 GFLOPs (TF profiler).
        var report = FlopsReports.Count(new FlopsRequest { Architecture = "vgg16", Paper = true });
        Assert.Equal(FlopsConvention.TfProfiler, report.Result.Convention);
        Assert.InRange(report.Result.Gflops, 10.0288 * 0.99, 10.0288 * 1.01);
    }

    [Theory]
    [InlineData("3x224x224", "", new long[] { 3, 224, 224 })]
    [InlineData("input:1x3x32x32", "input", new long[] { 1, 3, 32, 32 })]
    public void Input_Shapes_Parse(string text, string name, long[] dims)
    {
        var shape = InputShape.Parse(text);
        Assert.Equal(name, shape.Name);
        Assert.Equal(dims, shape.Dimensions);
    }

    [Fact]
    public void Bad_Shapes_And_Heads_Say_The_Form()
    {
        Assert.Contains("e.g. 3x224x224", Assert.Throws<FormatException>(() => InputShape.Parse("3x0x2")).Message, StringComparison.Ordinal);
        Assert.Contains("UNITS[:ACTIVATION]", Assert.Throws<FormatException>(() => FlopsReports.ParseHead("x:relu")).Message, StringComparison.Ordinal);
        Assert.Equal([new DenseLayer(1024, "relu"), new DenseLayer(1, "linear")], FlopsReports.ParseHead("1024:relu, 1"));
        Assert.NotNull(FlopsReports.CatalogInputProblem(InputShape.Parse("3x224x200")));
        Assert.Null(FlopsReports.CatalogInputProblem(InputShape.Parse("1x3x224x224")));
    }

    [Fact]
    public void Failures_Are_Typed_And_Say_The_Fix()
    {
        using var dir = new TempDirectory();
        Assert.Contains("--arch NAME", Assert.Throws<FileNotFoundException>(() => FlopsReports.Count(new FlopsRequest { OnnxFile = dir.File("none.onnx") })).Message, StringComparison.Ordinal);
        File.WriteAllBytes(dir.File("bad.onnx"), [0x3A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
        var bad = Assert.Throws<InvalidDataException>(() => FlopsReports.Count(new FlopsRequest { OnnxFile = dir.File("bad.onnx") }));
        Assert.Contains("at byte 1", bad.Message, StringComparison.Ordinal);
        Assert.EndsWith(FlopsReports.OnnxFix, bad.Message, StringComparison.Ordinal);
        var notPaper = Assert.Throws<ArgumentException>(() => FlopsReports.Count(new FlopsRequest { Architecture = "resnet18", Paper = true }));
        Assert.DoesNotContain("(Parameter", notPaper.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FlopsReports.Count(new FlopsRequest()));
    }
}
