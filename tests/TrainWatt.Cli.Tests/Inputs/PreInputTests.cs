using System.Text.Json.Nodes;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: PRE model files and datasets that crashed estimate and fit.</summary>
public sealed class PreInputTests
{
    private static readonly string[] Run =
        ["--arch", "vgg16", "--gpu", "RTX 3090", "--batch-size", "32", "--input", "128x128", "--train-samples", "1000", "--val-samples", "100", "--epochs", "10"];

    private static string DefaultModel => Path.Combine(SharedData.RepositoryRoot, "data", "pre-default-model.json");

    [Fact]
    public void Estimate_with_an_unknown_target_transform_names_the_key_and_the_choices()
    {
        using var dir = new TempDirectory();
        var model = JsonNode.Parse(File.ReadAllText(DefaultModel))!;
        model["models"]!["power"]!["target_transform"] = "sqrt";
        string path = dir.File("model.json");
        File.WriteAllText(path, model.ToJsonString());
        var (code, _, stderr) = CliHarness.Run(["estimate", .. Run, "--pre-model", path]);
        Assert.Equal(65, code);
        Assert.Equal($"error: {path}: models.power.target_transform \"sqrt\" is unknown; a model file uses identity, log, tdp-fraction or log-per-sample.\n", stderr);
    }
}
