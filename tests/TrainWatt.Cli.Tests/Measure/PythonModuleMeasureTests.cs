using System.Diagnostics;
using System.Text.Json;
using TrainWatt.Cli.Tests.Distributed;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 19: a real PyTorch training loop (samples/python/torch_digits_module.py: an MLP on scikit-learn's digits,
/// Debian python3-torch and python3-sklearn) marked with the <c>trainwatt</c> Python module, under <c>measure</c>:
/// epochs, the planned total and the scores are stored, and <c>recommend</c> works on the runs. Skips without
/// /usr/bin/python3 with torch and sklearn.
/// </summary>
public class PythonModuleMeasureTests
{
    private const string Python = "/usr/bin/python3";

    private static bool HasTorch()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, sklearn"]) { RedirectStandardError = true, UseShellExecute = false })!;
        process.StandardError.ReadToEnd();
        return process.WaitForExit(120_000) && process.ExitCode == 0;
    }

    [Fact]
    public async Task Should_Store_Epochs_Plan_And_Scores_Of_A_Real_Torch_Loop_And_Recommend_On_Them()
    {
        Assert.SkipUnless(HasTorch(), "needs /usr/bin/python3 with torch and sklearn (apt-get install python3-torch python3-sklearn)");
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string script = Path.Combine(SharedData.RepositoryRoot, "samples", "python", "torch_digits_module.py");
        var env = new Dictionary<string, string?> { ["PYTHONPATH"] = Path.Combine(SharedData.RepositoryRoot, "python") };

        // When: two configurations (hidden 8 and 64 units), 3 epochs each
        foreach (string hidden in (string[])["8", "64"])
        {
            using var measure = TrainWattProcess.Start(env,
                "measure", "--db", db, "--meters", "process", "--progress", "quiet", "--framework", "marker", "--tag", "model=mlp" + hidden, "--",
                Python, script, "--epochs", "3", "--hidden", hidden);
            var (code, _, stderr) = await measure.WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(code == 0, stderr);
        }

        // Then: each run has 3 epochs of 1,437 samples, planned total 3, and its accuracy/f1/loss metrics
        for (int id = 1; id <= 2; id++)
        {
            var (showCode, show, showErr) = CliHarness.Run("runs", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--json");
            Assert.True(showCode == 0, showErr);
            using var run = JsonDocument.Parse(show);
            var epochs = run.RootElement.GetProperty("epochs").EnumerateArray().ToList();
            Assert.Equal([1, 2, 3], epochs.Select(e => e.GetProperty("n").GetInt32()));
            Assert.All(epochs, e => Assert.Equal(1437, e.GetProperty("samples_seen").GetInt64()));
            var annotations = run.RootElement.GetProperty("annotations").EnumerateArray()
                .Select(a => (Kind: a.GetProperty("kind").GetString(), Message: a.GetProperty("message").GetString()!)).ToList();
            Assert.Contains(("total_epochs", "3"), annotations);
            Assert.Contains(annotations, a => a.Kind == "metric" && a.Message.StartsWith("accuracy=", StringComparison.Ordinal));
            Assert.Contains(annotations, a => a.Kind == "metric" && a.Message.StartsWith("f1=", StringComparison.Ordinal));
        }

        var (recommendCode, recommend, recommendErr) = CliHarness.Run("recommend", "--runs", "all", "--db", db, "--metric", "accuracy", "--by", "model", "--max-loss", "1", "--json");
        Assert.True(recommendCode == 0, recommendErr);
        using var decision = JsonDocument.Parse(recommend);
        Assert.Equal(JsonValueKind.Object, decision.RootElement.ValueKind);
        Assert.Contains("mlp", recommend, StringComparison.Ordinal);
    }
}
