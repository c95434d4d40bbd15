using System.Text.RegularExpressions;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Bad input to the live projection of <c>trainwatt measure</c> (issue 14): an epoch count the run has passed, epochs of
/// zero length, epoch numbers that skip. The job runs to its end and every epoch is stored; the projection stops at the
/// first bad epoch with one line naming the option or the output and the fix, and makes no projection after it.
/// </summary>
public partial class ProjectionInputTests
{
    [GeneratedRegex(@"^trainwatt: epoch (\d+): projected total", RegexOptions.Multiline)]
    private static partial Regex ProjectionLine();

    [GeneratedRegex(@"^trainwatt: epoch (\d+): projection stopped, the run goes on: (.+)$", RegexOptions.Multiline)]
    private static partial Regex StoppedLine();

    private static (int Code, string Err, List<int> Stored, int StoredEpochs) Measure(string script, params string[] extra)
    {
        using var fake = FakeNvml.ConstantGpu(200);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };
        var (code, _, stderr) = CliHarness.Run(env, [.. new[] { "measure", "--db", db, "--meters", "nvml" }, .. extra, "--", "bash", "-c", script]);
        using var store = SqliteRunStore.Open(db);
        long runId = Assert.Single(store.ListRuns()).Id;
        var stored = store.GetProjections(runId).Select(p => p.Epoch).ToList();
        return (code, stderr, stored, store.GetRun(runId)!.Epochs.Count);
    }

    private static string Epochs(int count, string total = "", string exitCode = "0")
        => $"for i in $(seq 1 {count}); do sleep 0.12; echo \"##trainwatt epoch-end n=$i{total}\"; done; exit {exitCode}";

    [Fact]
    public void Should_Stop_Projecting_Once_When_The_Run_Passes_Total_Epochs_And_Keep_The_Job_Running()
    {
        // When: --total-epochs 12 but the job runs 16 epochs and exits 3 (its own code must come back)
        var (code, stderr, stored, epochs) = Measure(Epochs(16, exitCode: "3"), "--total-epochs", "12");

        // Then: one line at epoch 13 naming the option, the count and the fix; nothing projected after epoch 12
        Assert.Equal(3, code);
        Assert.Equal(16, epochs);
        var stopped = Assert.Single(StoppedLine().Matches(stderr));
        Assert.Equal("13", stopped.Groups[1].Value);
        Assert.Equal(
            "--total-epochs 12 is less than the 13 epochs already finished; give the run's planned total (--total-epochs 13 or more), or --max-epochs M with --early-stopping-patience P when early stopping decides.",
            stopped.Groups[2].Value);
        Assert.All(ProjectionLine().Matches(stderr), m => Assert.InRange(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 12));
        Assert.All(stored, e => Assert.InRange(e, 1, 12));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Name_The_Output_Not_An_Option_When_The_Announced_Total_Is_Passed()
    {
        // When: the markers say total=12 (no --total-epochs) and the job runs 16 epochs. Before issue 14 the message
        // blamed "--total-epochs 12", an option the user never gave.
        var (code, stderr, stored, _) = Measure(Epochs(16, " total=12"));

        // Then
        Assert.Equal(0, code);
        var stopped = Assert.Single(StoppedLine().Matches(stderr));
        Assert.Equal("13", stopped.Groups[1].Value);
        Assert.StartsWith("the command's output announced 12 epochs", stopped.Groups[2].Value, StringComparison.Ordinal);
        Assert.Contains("pass the planned total with --total-epochs N", stopped.Groups[2].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("--total-epochs 12", stderr, StringComparison.Ordinal);
        Assert.All(stored, e => Assert.InRange(e, 1, 12));
    }

    [Fact]
    public void Should_Not_Project_From_Epochs_That_Came_In_One_Burst_Of_Output()
    {
        // When: 24 markers printed at once after a second of work (a buffered script): epochs 2-24 last a few ms at
        // most, under the 100 ms sampling interval and a tenth of epoch 1's second. Before issue 14 this printed ten
        // projections from the burst (-27 % off).
        var (code, stderr, stored, epochs) = Measure("sleep 1; for i in $(seq 1 24); do echo \"##trainwatt epoch-end n=$i total=24\"; done");

        // Then: every epoch is stored, none is projected, and one line says why and how to fix it
        Assert.Equal(0, code);
        Assert.Equal(24, epochs);
        Assert.Empty(stored);
        Assert.Empty(ProjectionLine().Matches(stderr));
        var stopped = Assert.Single(StoppedLine().Matches(stderr));
        Assert.Matches(@"^epoch \d+ lasted [\d.]+ ms, the 3rd zero-length epoch: its end came in the same burst of output", stopped.Groups[2].Value);
        Assert.Contains("lower --interval (100 ms)", stopped.Groups[2].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Stop_When_Epoch_Numbers_Skip()
    {
        // When: the markers jump from 2 to 5 (epoch 5 then spans three epochs' work). Before issue 14 the projection
        // silently never ran again (the projector waits for epoch 3 forever).
        var (code, stderr, stored, _) = Measure("for i in 1 2 5 6 7 8 9 10 11 12 13 14 15 16; do sleep 0.12; echo \"##trainwatt epoch-end n=$i total=16\"; done");

        // Then
        Assert.Equal(0, code);
        var stopped = Assert.Single(StoppedLine().Matches(stderr));
        Assert.Equal("5", stopped.Groups[1].Value);
        Assert.StartsWith("epoch 5 ended right after epoch 2: epochs 3-4 were never reported", stopped.Groups[2].Value, StringComparison.Ordinal);
        Assert.Empty(stored);
    }
}
