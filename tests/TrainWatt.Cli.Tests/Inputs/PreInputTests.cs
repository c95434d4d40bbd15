using System.Globalization;
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
        Assert.Equal($"error: {path}: models.power.target_transform \"sqrt\" is unknown; a model file uses identity, log, tdp-fraction, log-per-sample, power-x-duration or log-capped-at-tdp.\n", stderr);
    }

    private static string Dataset(TempDirectory dir, string name, Func<int, string, string>? edit = null)
    {
        var lines = new List<string> { "batch_size,ram_gb,training_size,validation_size,gflops,image_height,image_width,gpu,avg_gpu_power_w,avg_epoch_energy_kj,avg_epoch_duration_s,architecture" };
        for (int i = 0; i < 30; i++)
        {
            string row = string.Create(CultureInfo.InvariantCulture, $"{16 << (i % 3)},16,{1000 + 100 * i},{100 + 10 * i},{1 + i % 7}.5,128,128,RTX 3090,{100 + 5 * i},{1 + i},{10 + i},arch{i % 5}");
            lines.Add(edit is null ? row : edit(i, row));
        }

        string path = dir.File(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Replace(string row, int column, string value)
    {
        var fields = row.Split(',');
        fields[column] = value;
        return string.Join(',', fields);
    }

    [Theory]
    [InlineData(10, "1e300", "avg_epoch_duration_s", "must be a number > 0 and at most 1e8 s")]
    [InlineData(9, "1e300", "avg_epoch_energy_kj", "must be a number > 0 and at most 1e9 kJ")]
    [InlineData(8, "1e300", "avg_gpu_power_w", "must be a number > 0 and at most 100,000 W")]
    [InlineData(0, "1e300", "batch_size", "must be a whole number from 1 to 2,147,483,647")]
    [InlineData(0, "32.5", "batch_size", "must be a whole number from 1 to 2,147,483,647")]
    [InlineData(1, "1e300", "ram_gb", "must be a number > 0 and at most 1,000,000 GB")]
    public void Fit_with_an_out_of_range_dataset_value_names_file_line_and_column(int column, string value, string name, string rule)
    {
        using var dir = new TempDirectory();
        string path = Dataset(dir, "data.csv", (i, row) => i == 3 ? Replace(row, column, value) : row);
        var (code, _, stderr) = CliHarness.Run("fit", "--no-store", "--dataset", path, "--export", dir.File("model.json"));
        Assert.Equal(65, code);
        Assert.Contains($"{path}:5", stderr, StringComparison.Ordinal);
        Assert.Contains(name, stderr, StringComparison.Ordinal);
        Assert.Contains(rule, stderr, StringComparison.Ordinal);
        InputCrashTests.AssertOneClearLine(stderr);
        Assert.False(File.Exists(dir.File("model.json")));
    }

    [Fact]
    public void Fit_with_a_missing_column_names_it()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.csv");
        File.WriteAllLines(path, File.ReadAllLines(Dataset(dir, "full.csv")).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 4))));
        var (code, _, stderr) = CliHarness.Run("fit", "--no-store", "--dataset", path, "--export", dir.File("model.json"));
        Assert.Equal(65, code);
        Assert.Contains($"{path}:1: the header lacks column(s) gflops", stderr, StringComparison.Ordinal);
        InputCrashTests.AssertOneClearLine(stderr);

        // The GPU override columns come as a set: one of them alone names the others.
        path = Dataset(dir, "gpu.csv");
        File.WriteAllLines(path, File.ReadAllLines(path).Select((l, i) => l + (i == 0 ? ",gpu_cuda_cores" : ",10496")));
        (code, _, stderr) = CliHarness.Run("fit", "--no-store", "--dataset", path, "--export", dir.File("model.json"));
        Assert.Equal(65, code);
        Assert.Contains("gpu_memory_gb", stderr, StringComparison.Ordinal);
        InputCrashTests.AssertOneClearLine(stderr);
    }
}
