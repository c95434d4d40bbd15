using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary><c>trainwatt flops</c> end to end, in-process.</summary>
public sealed class FlopsCommandTests
{
    [Fact]
    public void Should_Print_Json_Counts_For_A_Catalog_Architecture()
    {
        // Oracle: torchvision ResNet50 docs, 25,557,032 params and 4.09 GMACs at 224 (see PublishedFiguresTests).
        var (code, stdout, stderr) = CliHarness.Run("flops", "--arch", "resnet50", "--variant", "torchvision", "--input", "3x224x224", "--json", "--samples", "1000");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(25_557_032, root.GetProperty("trainable_params").GetInt64());
        Assert.InRange(root.GetProperty("macs").GetInt64(), 4.09e9 * 0.98, 4.09e9 * 1.02);
        Assert.False(root.GetProperty("partial").GetBoolean());
        Assert.Equal(0, root.GetProperty("unknown_ops").GetArrayLength());
        Assert.False(root.TryGetProperty("nodes", out _));
        // Training per epoch = 3 x forward FLOPs x samples (stated assumption).
        Assert.Equal(3.0 * root.GetProperty("flops").GetInt64() * 1000, root.GetProperty("training_flops_per_epoch").GetDouble());
    }

    [Fact]
    public void Should_State_The_Sequence_Length_It_Assumed_For_A_Transformer()
    {
        // The committed torch.nn.TransformerEncoder export (Architecture.Tests/Corpus) has input [batch, sequence].
        // Hand derivation (ExportedModelsTests): 4·(4·S·d² + 2·S²·d + 2·S·d·f), d 256, f 1024: S = 128 -> 436,207,616.
        string file = Path.Combine(SharedData.RepositoryRoot, "tests", "TrainWatt.Architecture.Tests", "Corpus", "transformer_encoder.onnx");
        var (code, stdout, stderr) = CliHarness.Run("flops", file, "--json");
        Assert.Equal(0, code);
        Assert.Contains("assumed sequence length 128", stderr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(436_207_616, doc.RootElement.GetProperty("macs").GetInt64());
        Assert.Contains("sequence length 128", doc.RootElement.GetProperty("assumptions")[0].GetString(), StringComparison.Ordinal);

        // Given: 256 tokens -> 4·(4·256·256² + 2·256²·256 + 2·256·256·1024) = 939,524,096, nothing assumed.
        var (code2, given, stderr2) = CliHarness.Run("flops", file, "--input", "input:1x256", "--json");
        Assert.Equal(0, code2);
        Assert.DoesNotContain("assumed", stderr2, StringComparison.Ordinal);
        Assert.Equal(939_524_096, JsonDocument.Parse(given).RootElement.GetProperty("macs").GetInt64());
    }

    [Fact]
    public void Should_Give_The_Papers_Gflops_With_Paper_Settings()
    {
        // Oracle: paper-notes.md 1.2, VGG16 at 128 px: 10.0288 GFLOPs (TF profiler).
        var (code, stdout, _) = CliHarness.Run("flops", "--arch", "vgg16", "--paper", "--convention", "tf-profiler", "--json");
        Assert.Equal(0, code);
        double gflops = JsonDocument.Parse(stdout).RootElement.GetProperty("flops").GetInt64() / 1e9;
        Assert.InRange(gflops, 10.0288 * 0.99, 10.0288 * 1.01);
    }

    [Fact]
    public void Paper_Settings_Default_To_The_Tf_Profiler_Convention()
    {
        // Oracle: paper-notes.md 1.2, ResNet50 at 128 px: 2.5244 GFLOPs; training-set.csv InceptionV3 224 px Dogs: 5.903.
        var (c1, resnet, _) = CliHarness.Run("flops", "--arch", "resnet50", "--paper", "--json");
        Assert.Equal(0, c1);
        Assert.Equal("tf-profiler", JsonDocument.Parse(resnet).RootElement.GetProperty("convention").GetString());
        Assert.InRange(JsonDocument.Parse(resnet).RootElement.GetProperty("flops").GetInt64() / 1e9, 2.5244 * 0.99, 2.5244 * 1.01);
        var (c2, inception, _) = CliHarness.Run("flops", "--arch", "inceptionv3", "--paper", "--input", "3x224x224", "--classes", "120", "--json");
        Assert.Equal(0, c2);
        Assert.InRange(JsonDocument.Parse(inception).RootElement.GetProperty("flops").GetInt64() / 1e9, 5.903 * 0.99, 5.903 * 1.01);
    }

    [Fact]
    public void Should_Export_And_Count_The_Same_Model_From_Onnx_With_Per_Node_Output()
    {
        using var dir = new TempDirectory();
        string file = dir.File("m.onnx");
        var (c1, built, _) = CliHarness.Run("flops", "--arch", "mobilenetv2", "--alpha", "0.35", "--input", "3x64x64", "--classes", "3", "--json", "--export-onnx", file);
        Assert.Equal(0, c1);
        var (c2, read, _) = CliHarness.Run("flops", file, "--json", "--per-node");
        Assert.Equal(0, c2);
        var a = JsonDocument.Parse(built).RootElement;
        var b = JsonDocument.Parse(read).RootElement;
        foreach (string key in new[] { "params", "macs", "flops", "activation_bytes", "weight_bytes" })
        {
            Assert.Equal(a.GetProperty(key).GetInt64(), b.GetProperty(key).GetInt64());
        }

        Assert.True(b.GetProperty("nodes").GetArrayLength() > 50);
    }

    [Fact]
    public void Should_Render_A_Human_Table()
    {
        var (code, stdout, _) = CliHarness.Run("flops", "--arch", "vgg16");
        Assert.Equal(0, code);
        Assert.Contains("138.36 M", stdout, StringComparison.Ordinal);
        Assert.Contains("138,357,544", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Report_A_Malformed_File_With_Its_Offset_And_Exit_65()
    {
        using var dir = new TempDirectory();
        string file = dir.File("bad.onnx");
        File.WriteAllBytes(file, [0x3A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
        var (code, stdout, stderr) = CliHarness.Run("flops", file);
        Assert.Equal(65, code);
        Assert.Equal("", stdout);
        Assert.Contains("bad.onnx", stderr, StringComparison.Ordinal);
        Assert.Contains("at byte 1", stderr, StringComparison.Ordinal);
        Assert.Contains("torch.onnx.export", stderr, StringComparison.Ordinal); // the fix
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, "flops")]
    [InlineData(64, "flops", "--arch", "resnet51")]
    [InlineData(64, "flops", "--arch", "vgg16", "--input", "3x224")]
    [InlineData(66, "flops", "/nonexistent/model.onnx")]
    public void Should_Fail_Clearly_On_Bad_Usage(int expected, params string[] args)
    {
        var (code, _, stderr) = CliHarness.Run(args);
        Assert.Equal(expected, code);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    [Fact]
    public void Help_States_The_Flops_Convention()
    {
        var (_, stdout, _) = CliHarness.Run("flops", "--help");
        Assert.Contains("FLOPs = 2 x MACs", stdout, StringComparison.Ordinal);
        Assert.Contains("3 x forward", stdout, StringComparison.Ordinal);
    }
}
