using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary><c>trainwatt estimate --llm</c> end to end (in-process).</summary>
public sealed class LlmEstimateCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Llama2_7B_On_1024_A100_Gives_Model_Provenance_Flops_And_An_Interval()
    {
        // Hand: (6 x 7e9 + 6 x 32 x 4096 x 4096) x 2e12 = 9.0442e22 FLOPs (Kaplan et al. 2020 with the attention term).
        var (code, stdout, stderr) = CliHarness.Run(
            ["estimate", "--llm", "--params", "7B", "--layers", "32", "--hidden", "4096", "--tokens", "2T", "--seq-len", "4096", "--gpu", "A100 SXM4 80GB", "--gpu-count", "1024", "--pue", "1.1", "--json"]);
        Assert.True(code == 0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("model", r.GetProperty("provenance").GetString());
        Assert.Equal(9.0442e22, r.GetProperty("flops").GetDouble(), 9.0442e22 * 1e-4);
        var hours = r.GetProperty("gpu_hours");
        Assert.InRange(hours.GetProperty("value").GetDouble(), hours.GetProperty("lower").GetDouble(), hours.GetProperty("upper").GetDouble());
        // Published: 184,320 GPU-hours (Touvron et al. 2023, Table 2); the interval holds it.
        Assert.InRange(184_320, hours.GetProperty("lower").GetDouble(), hours.GetProperty("upper").GetDouble());
        Assert.Equal(1.1, r.GetProperty("pue").GetDouble());
    }

    [Fact]
    public void Config_Json_And_Lora_Are_Read_And_Shown()
    {
        string config = Path.Combine(_temp.Path, "config.json");
        File.WriteAllText(config, """{"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "intermediate_size": 11008, "vocab_size": 32000, "max_position_embeddings": 4096}""");
        var (code, stdout, stderr) = CliHarness.Run(["estimate", "--llm", "--config", config, "--tokens", "100M", "--gpu", "H100 SXM5", "--finetune", "lora", "--trainable-params", "40M"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("6.738e+9 parameters, 32 layers x 4096 wide", stdout, StringComparison.Ordinal);
        Assert.Contains("LoRA (base frozen, 4e+7 adapter parameters trained)", stdout, StringComparison.Ordinal);
        Assert.Contains("sequence 4096", stdout, StringComparison.Ordinal); // from max_position_embeddings
        Assert.Contains("(model, 90 % interval)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Onnx_Model_Supplies_The_Parameters_Through_The_Counter()
    {
        // Oracle: torchvision's VGG16 has 138,357,544 parameters (docs/flops.md; trainwatt flops --arch vgg16 prints the same).
        string file = Path.Combine(_temp.Path, "vgg16.onnx");
        var (c1, _, e1) = CliHarness.Run(["flops", "--arch", "vgg16", "--export-onnx", file]);
        Assert.True(c1 == 0, e1);
        var (code, stdout, stderr) = CliHarness.Run(["estimate", "--llm", "--config", file, "--tokens", "1e9", "--seq-len", "1", "--gpu", "H100 SXM5", "--json"]);
        Assert.True(code == 0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(138_357_544, r.GetProperty("parameters").GetDouble());
        Assert.Equal(6 * 138_357_544d * 1e9, r.GetProperty("flops").GetDouble(), 1e6);
        Assert.Contains("counted as by trainwatt flops", r.GetProperty("model_source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_Config_Is_Exit_65_With_One_Line_Naming_The_File_And_Field()
    {
        string config = Path.Combine(_temp.Path, "config.json");
        File.WriteAllText(config, """{"hidden_size": 4096, "num_hidden_layers": 32, "vocab_size": 32000}""");
        var (code, stdout, stderr) = CliHarness.Run(["estimate", "--llm", "--config", config, "--tokens", "1T", "--seq-len", "2048", "--gpu", "H100 SXM5"]);
        Assert.Equal(65, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {config}: field 'num_attention_heads' is missing (or n_head); is this a transformer config.json?", stderr.Trim());
    }

    [Fact]
    public void Missing_Config_Is_Exit_66_And_Missing_Options_Are_Exit_64()
    {
        string config = Path.Combine(_temp.Path, "absent.json");
        var (code, _, stderr) = CliHarness.Run(["estimate", "--llm", "--config", config, "--tokens", "1T", "--gpu", "H100 SXM5"]);
        Assert.Equal(66, code);
        Assert.Contains(config + ": no such config file", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliHarness.Run(["estimate", "--llm", "--params", "7B", "--gpu", "H100 SXM5", "--seq-len", "0", "--tokens", "1T"]);
        Assert.Equal(64, code);
        Assert.Contains("--seq-len must be > 0", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliHarness.Run(["estimate", "--llm", "--params", "7 billion", "--tokens", "1T", "--gpu", "H100 SXM5"]);
        Assert.Equal(64, code);
        Assert.Contains("--params", stderr, StringComparison.Ordinal);
    }
}
