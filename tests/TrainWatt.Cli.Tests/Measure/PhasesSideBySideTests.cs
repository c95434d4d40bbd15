using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrainWatt.Cli.Tests.Distributed;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 14, "side by side": one measured run on a fake 200 W GPU with 1 s of start-up before the first epoch, gaps
/// between epochs and 0.7 s of tail. The text summary, <c>--summary-json</c>, <c>runs show</c> (text and JSON), MLflow
/// and the HTML report give the epochs' energy next to the whole process's, with the same phase names and the same
/// numbers (the store's split is recomputed from the stored samples, the summary's from the sampler).
/// </summary>
public partial class PhasesSideBySideTests
{
    private static readonly string[] Names = ["startup", "epochs", "between_epochs", "tail", "whole_process"];

    [GeneratedRegex(@"^trainwatt: phases \(counter; split at the epoch boundaries' meter readings\): startup [\d.]+ k?J \([\d.]+ s\), epochs [\d.]+ k?J \(5, [\d.]+ s\), between_epochs [\d.]+ k?J \([\d.]+ s\), tail [\d.]+ k?J \([\d.]+ s\), whole_process [\d.]+ k?J \([\d.]+ s\)$", RegexOptions.Multiline)]
    private static partial Regex PhasesLine();

    [Fact]
    public void Every_Output_Shows_The_Epochs_Next_To_The_Whole_Process_With_The_Same_Numbers()
    {
        // Given: epochs marked by epoch-start/epoch-end (0.3 s each, 0.1 s apart), 1 s before the first, 0.7 s after the last
        using var fake = FakeNvml.ConstantGpu(200);
        using var dir = new TempDirectory();
        using var mlflow = new RecordingHttpServer();
        string db = dir.File("runs.db"), summaryPath = dir.File("summary.json");
        const string Script = "sleep 1; for i in 1 2 3 4 5; do echo \"##trainwatt epoch-start n=$i\"; sleep 0.3; echo \"##trainwatt epoch-end n=$i total=5\"; sleep 0.1; done; sleep 0.6";
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        // When
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", db, "--meters", "nvml", "--summary-json", summaryPath,
            "--mlflow-uri", mlflow.Url, "--mlflow-run-id", "r1", "--", "bash", "-c", Script);

        // Then: the text summary has one phases line
        Assert.True(code == 0, stderr);
        Assert.Single(PhasesLine().Matches(stderr));

        // The summary JSON: the five phases add up to the whole process, which is energy_j and duration_s; epochs is
        // the sum of the epochs; startup and tail are the times before the first and after the last epoch.
        var summary = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement;
        var phases = summary.GetProperty("phases");
        Assert.Equal(["counter"], phases.GetProperty("provenance").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(5, phases.GetProperty("epoch_count").GetInt32());
        double J(JsonElement p, string name) => p.GetProperty(name).GetProperty("energy_j").GetDouble();
        double S(JsonElement p, string name) => p.GetProperty(name).GetProperty("duration_s").GetDouble();
        double whole = summary.GetProperty("energy_j").GetDouble();
        Assert.Equal(whole, J(phases, "whole_process"));
        Assert.Equal(summary.GetProperty("duration_s").GetDouble(), S(phases, "whole_process"), 9);
        Assert.Equal(whole, J(phases, "startup") + J(phases, "epochs") + J(phases, "between_epochs") + J(phases, "tail"), 6);
        Assert.Equal(S(phases, "whole_process"), S(phases, "startup") + S(phases, "epochs") + S(phases, "between_epochs") + S(phases, "tail"), 6);
        var epochs = summary.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(epochs.Sum(e => e.GetProperty("energy_j").GetDouble()), J(phases, "epochs"), 6);
        Assert.Equal(epochs[0].GetProperty("start_s").GetDouble(), S(phases, "startup"), 9);
        Assert.Equal(summary.GetProperty("duration_s").GetDouble() - epochs[^1].GetProperty("end_s").GetDouble(), S(phases, "tail"), 9);

        // At a constant 200 W each phase's energy is 200 W × its duration (oracle: the fake's power; the counter is read
        // at the boundaries, so only the reads' own timing, well under 10 ms = 2 J, separates them). The script sleeps
        // 1 s before the first epoch line (a boundary is stamped when its line is read, never before it is printed, so
        // start-up is at least that), 0.1 s between epochs and 0.6 s at the end (a line read late moves a boundary
        // later: those two are only known to be there).
        foreach (string name in Names)
        {
            Assert.InRange(J(phases, name), 200 * S(phases, name) - 2, 200 * S(phases, name) + 2);
        }

        Assert.InRange(S(phases, "startup"), 0.95, 30);
        Assert.InRange(S(phases, "between_epochs"), 0.01, 30);
        Assert.InRange(S(phases, "tail"), 0.05, 30);

        // runs show --json: the same phases from the stored samples (times stored to the microsecond: a phase summed
        // over the 5 epochs and 4 gaps may differ by up to 10 × 1 µs)
        long runId = summary.GetProperty("run_id").GetInt64();
        var (showCode, showOut, showErr) = CliHarness.Run("runs", "show", runId.ToString(CultureInfo.InvariantCulture), "--db", db, "--json");
        Assert.True(showCode == 0, showErr);
        var stored = JsonDocument.Parse(showOut).RootElement.GetProperty("phases");
        foreach (string name in Names)
        {
            Assert.Equal(J(phases, name), J(stored, name), 6);
            Assert.InRange(S(stored, name) - S(phases, name), -1e-5, 1e-5);
        }

        // runs show (text): the phases line, spelled as in the summary
        var (_, showText, _) = CliHarness.Run("runs", "show", runId.ToString(CultureInfo.InvariantCulture), "--db", db);
        Assert.Matches(PhasesLine(), "trainwatt: " + showText.Split('\n').Single(l => l.StartsWith("phases (", StringComparison.Ordinal)));

        // MLflow: the last batch carries trainwatt_<phase>_energy_j and trainwatt_<phase>_s at the step of the last epoch
        var final = mlflow.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Last(r => r.TryGetProperty("metrics", out var m) && m.EnumerateArray().Any(x => x.GetProperty("key").GetString() == "trainwatt_whole_process_energy_j"));
        var metrics = final.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("key").GetString()!, m => m);
        foreach (string name in Names)
        {
            Assert.Equal(J(phases, name), metrics[$"trainwatt_{name}_energy_j"].GetProperty("value").GetDouble());
            Assert.Equal(S(phases, name), metrics[$"trainwatt_{name}_s"].GetProperty("value").GetDouble());
            Assert.Equal(5, metrics[$"trainwatt_{name}_energy_j"].GetProperty("step").GetInt64());
        }

        // The HTML report: the phases table with the stored numbers
        string outDir = dir.File("report");
        var (reportCode, _, reportErr) = CliHarness.Run("report", runId.ToString(CultureInfo.InvariantCulture), "--db", db, "--out", outDir);
        Assert.True(reportCode == 0, reportErr);
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("<h2>Phases: the epochs and the whole process</h2>", html, StringComparison.Ordinal);
        foreach (string name in Names)
        {
            Assert.Contains($"<tr><td class=\"l\">{name}</td><td>{J(stored, name).ToString("0.###", CultureInfo.InvariantCulture)}</td>", html, StringComparison.Ordinal);
        }
    }
}
