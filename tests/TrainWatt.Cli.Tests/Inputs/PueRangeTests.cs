using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13 (unlisted cases): every command taking --pue refuses one above 100 with the rule, on one clean line.</summary>
public sealed class PueRangeTests
{
    private const string Rule = "PUE must be at most 100 (facility energy / IT energy; data centres report 1.1 to 3); got 1E+300.";

    [Fact]
    public void Estimate_refuses_a_pue_above_100()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run(new Dictionary<string, string?> { ["HOME"] = dir.Path },
            "estimate", "--arch", "vgg16", "--gpu", "RTX 3090", "--batch-size", "32", "--input", "128x128", "--train-samples", "1000", "--val-samples", "100", "--epochs", "10", "--pue", "1e300");
        Assert.Equal(64, code);
        Assert.Equal($"error: --pue: {Rule}\n", stderr);
    }

    [Fact]
    public void Export_refuses_a_pue_above_100_and_an_intensity_above_10000()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("export", "1", "--format", "codecarbon", "--carbon-intensity", "1e300", "--pue", "1e300", "--db", dir.File("runs.db"));
        Assert.Equal(64, code);
        Assert.Contains($"error: --pue: {Rule}\n", stderr, StringComparison.Ordinal);
        Assert.Contains("error: --carbon-intensity must be at most 10,000 gCO2e/kWh; got 1E+300.\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_refuses_a_pue_above_100_without_dotnet_parameter_noise()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--pue", "1e300", "--db", dir.File("runs.db"), "--", "true");
        Assert.Equal(64, code);
        Assert.Contains($"--pue 1E+300: {Rule}\n", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", stderr, StringComparison.Ordinal);
    }
}
