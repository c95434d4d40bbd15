using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Live STEP projection inside <c>trainwatt measure</c> (issue 4, "Live"): a bash child prints 24 marker epochs against a
/// fake NVML GPU at a constant 200 W; the lines, the stored history, <c>runs show</c> and the summary file must agree.
/// </summary>
public partial class LiveProjectionTests
{
    private const int Epochs = 24;

    // Oracle: ChangePointOptions defaults: MinStableEpochs 5, EpochsNeeded = 2 × 5 = 10 epochs before any judgement.
    private const int EpochsNeeded = 10;
    private const int MinStableEpochs = 5;

    [GeneratedRegex(@"^trainwatt: epoch (\d+): projected total ([\d.]+) (J|kJ|MJ) \[([\d.]+) \3, ([\d.]+) \3\] \(90 %, step, stable from epoch (\d+), N 24\)$", RegexOptions.Multiline)]
    private static partial Regex ProjectionLine();

    [GeneratedRegex(@"^trainwatt: epoch (\d+): no projection yet \((.+)\)$", RegexOptions.Multiline)]
    private static partial Regex NotYetLine();

    private static (int Code, string Err, string Db, string Summary, TempDirectory Dir) MeasureTwentyFourEpochs(params string[] extra)
    {
        // A constant 200 W GPU (no sine): every epoch's energy is 200 W × its duration.
        var fake = FakeNvml.ConstantGpu(200);
        var dir = new TempDirectory();
        string db = dir.File("runs.db");
        string summary = dir.File("summary.json");
        // 0.25 s epochs waited for without a fork per epoch (read -t on an open pipe): on a loaded machine a forked
        // sleep adds tens of ms of scatter, and the detector rightly waits for evidence that the level is flat (issue 14).
        string script = $"exec 3<> <(:); for i in $(seq 1 {Epochs}); do read -t 0.25 -u 3; echo \"##trainwatt epoch-end n=$i total={Epochs}\"; done";
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };
        var (code, _, stderr) = CliHarness.Run(env, [.. new[] { "measure", "--db", db, "--meters", "nvml", "--summary-json", summary }, .. extra, "--", "bash", "-c", script]);
        fake.Dispose();
        return (code, stderr, db, summary, dir);
    }

    [Fact]
    public void Should_Print_Projection_Lines_Only_From_The_Stable_Epoch_On_And_Store_Them_As_The_Run_History()
    {
        // When
        var (code, stderr, db, summary, dir) = MeasureTwentyFourEpochs();
        using var _ = dir;

        // Then: projection lines, in epoch order, none before the detector can judge (epoch 10), each with a stable
        // window of at least 5 epochs ending at its epoch; N 24 from the markers' total=24.
        Assert.True(code == 0, stderr);
        var lines = ProjectionLine().Matches(stderr).ToList();
        Assert.NotEmpty(lines);
        var epochs = lines.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(epochs.Order(), epochs);
        Assert.Equal(epochs.Distinct().Count(), epochs.Count);
        foreach (var m in lines)
        {
            int epoch = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int stableFrom = int.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture);
            Assert.InRange(epoch, EpochsNeeded, Epochs);
            Assert.True(epoch - stableFrom + 1 >= MinStableEpochs, m.Value);
            double estimate = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            double lower = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            double upper = double.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture);
            Assert.True(lower <= estimate && estimate <= upper, m.Value);
        }

        // Not verbose (--progress auto, not a terminal): no "not yet stable" chatter.
        Assert.Empty(NotYetLine().Matches(stderr));

        // The store holds one history entry per printed line, same epochs, same numbers (printed with 2 decimals).
        using var store = SqliteRunStore.Open(db);
        long runId = Assert.Single(store.ListRuns()).Id;
        var history = store.GetProjections(runId);
        Assert.Equal(epochs, history.Select(p => p.Epoch));
        Assert.All(history, p =>
        {
            Assert.Equal("step", p.Method);
            Assert.Equal(0.9, p.Confidence);
            Assert.Equal(24, p.TotalEpochsMin);
            Assert.Equal(24, p.TotalEpochsMax);
        });
        var first = lines[0];
        string unit = first.Groups[3].Value;
        double scale = unit switch { "J" => 1, "kJ" => 1e3, _ => 1e6 };
        Assert.Equal(double.Parse(first.Groups[2].Value, CultureInfo.InvariantCulture), history[0].Projected.Joules / scale, 0.005);

        // runs show --json: the same history, and the final error = (last projection − measured) / measured, computed
        // here by hand from the JSON's own numbers.
        var (showCode, showOut, showErr) = CliHarness.Run("runs", "show", runId.ToString(CultureInfo.InvariantCulture), "--db", db, "--json");
        Assert.True(showCode == 0, showErr);
        var root = JsonDocument.Parse(showOut).RootElement;
        var projections = root.GetProperty("projections").EnumerateArray().ToList();
        Assert.Equal(epochs, projections.Select(p => p.GetProperty("epoch").GetInt32()));
        Assert.Equal(history[^1].Projected.Joules, projections[^1].GetProperty("projected_energy_j").GetDouble());
        double measured = root.GetProperty("energy_j").GetDouble();
        var error = root.GetProperty("projection_error");
        Assert.Equal(measured, error.GetProperty("measured_energy_j").GetDouble(), 1e-9);
        Assert.Equal((history[^1].Projected.Joules - measured) / measured, error.GetProperty("relative").GetDouble(), 1e-12);
        Assert.Equal(history.Count, error.GetProperty("projections").GetInt32());

        // The end-of-run summary names the last projection's error; the summary file carries the history too.
        Assert.Contains($"projection: the last (epoch {epochs[^1]}) was ", stderr, StringComparison.Ordinal);
        var file = JsonDocument.Parse(File.ReadAllText(summary)).RootElement;
        Assert.Equal(epochs, file.GetProperty("projections").EnumerateArray().Select(p => p.GetProperty("epoch").GetInt32()));

        // runs show (text) lists the projections table.
        var (_, text, _) = CliHarness.Run("runs", "show", runId.ToString(CultureInfo.InvariantCulture), "--db", db);
        Assert.Contains($"Projections ({history.Count}):", text, StringComparison.Ordinal);
        Assert.Contains("EPOCH  PROJECTED_J", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Say_Why_There_Is_No_Projection_Yet_For_Every_Early_Epoch_With_Progress_Lines()
    {
        // When: --progress lines (verbose)
        var (code, stderr, _, _, dir) = MeasureTwentyFourEpochs("--progress", "lines");
        using var _ = dir;

        // Then: every finished epoch gets exactly one line: a projection or the reason there is none; epochs 1-9 can
        // only get the reason (fewer than the 10 epochs the detector needs).
        Assert.True(code == 0, stderr);
        var projected = ProjectionLine().Matches(stderr).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var notYet = NotYetLine().Matches(stderr).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, Epochs), projected.Concat(notYet).Order());
        Assert.All(Enumerable.Range(1, EpochsNeeded - 1), e => Assert.Contains(e, notYet));
    }

    [Fact]
    public void Should_Say_Once_That_N_Is_Needed_When_The_Run_Never_Announces_Its_Total()
    {
        using var fakeDir = new TempDirectory();
        using var fake = FakeNvml.ConstantGpu(200);
        string db = fakeDir.File("runs.db");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };

        // When: markers without total=, no --total-epochs
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", db, "--meters", "nvml", "--", "bash", "-c",
            $"exec 3<> <(:); for i in $(seq 1 {Epochs}); do read -t 0.25 -u 3; echo \"##trainwatt epoch-end n=$i\"; done");

        // Then: no projection line, and the hint exactly once (when the constant-power run became stable, as the
        // first test shows it does within 24 epochs), not once per epoch
        Assert.True(code == 0, stderr);
        Assert.Empty(ProjectionLine().Matches(stderr));
        Assert.Single(Regex.Matches(stderr, "but no projection: the total number of epochs is unknown"));
        using var store = SqliteRunStore.Open(db);
        Assert.Empty(store.GetProjections(Assert.Single(store.ListRuns()).Id));
    }

    [Fact]
    public void Should_Send_The_Exporters_The_Same_Projections_As_The_Stored_History()
    {
        // Given: an MLflow stand-in that accepts everything
        using var mlflow = new TrainWatt.Cli.Tests.Distributed.RecordingHttpServer();

        // When
        var (code, stderr, db, _, dir) = MeasureTwentyFourEpochs("--mlflow-uri", mlflow.Url, "--mlflow-run-id", "r1");
        using var _ = dir;

        // Then: one projector per run: each epoch's MLflow projection metric is the stored history's entry for that
        // epoch, and epochs without a stored projection carry none
        Assert.True(code == 0, stderr);
        using var store = SqliteRunStore.Open(db);
        var history = store.GetProjections(Assert.Single(store.ListRuns()).Id).ToDictionary(p => p.Epoch);
        Assert.NotEmpty(history);
        var projected = new Dictionary<long, double>();
        var epochSteps = new HashSet<long>();
        foreach (var request in mlflow.Requests)
        {
            if (!JsonDocument.Parse(request.Body).RootElement.TryGetProperty("metrics", out var metrics))
            {
                continue;
            }

            foreach (var m in metrics.EnumerateArray())
            {
                string key = m.GetProperty("key").GetString()!;
                if (key == "trainwatt_epoch_energy_j")
                {
                    epochSteps.Add(m.GetProperty("step").GetInt64());
                }
                else if (key == "trainwatt_projected_energy_j")
                {
                    projected[m.GetProperty("step").GetInt64()] = m.GetProperty("value").GetDouble();
                }
            }
        }

        Assert.Equal(Enumerable.Range(1, Epochs).Select(e => (long)e), epochSteps.Order());
        Assert.Equal(history.Keys.Select(e => (long)e).Order(), projected.Keys.Order());
        Assert.All(projected, kv => Assert.Equal(history[(int)kv.Key].Projected.Joules, kv.Value));
    }

    [Theory]
    [InlineData("--max-epochs", "0", "--max-epochs must be a positive number")]
    [InlineData("--early-stopping-patience", "-1", "--early-stopping-patience must be 0 or more")]
    [InlineData("--drift-prior", "-0.01", "--drift-prior -0.01 is not a relative standard deviation from 0 to 1")]
    public void Should_Reject_Bad_Projection_Options_With_A_Usage_Error(string option, string value, string expected)
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), option, value, "--", "true");

        // Oracle: ExitCode.Usage = 64 (sysexits EX_USAGE)
        Assert.Equal(64, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }
}
