using System.Globalization;
using System.Text.Json;
using TrainWatt.Core.Simulation;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary><c>trainwatt project</c> end to end on files written by the test.</summary>
public class ProjectCommandTests
{
    /// <summary>
    /// A 1 Hz nvidia-smi trace, samples at t = 0..163 s; epochs end at 10.5, 20.5, ... 160.5 s (16 epochs). Power is
    /// 100 W up to t = 100 s and 200 W from t = 101 s, so epochs 0-9 run at 100 W and 10-15 at 200 W.
    /// By the paper's rule (last sample of each epoch duplicated into the next; trapezoid):
    /// E_0 = 10 s × 100 W = 1000 J; E_1..E_9 = (100 + 100)/2 + 9 × 100 = 1000 J each: Σ_{e&lt;10} = 10000 J.
    /// E_10 = (100 + 200)/2 + 9 × 200 = 1950 J; E_11..E_15 = 2000 J. Window 10-14: 9950 J, mean 1990 J.
    /// Paper formula, N = 16: 10000 + 1990 × (16 − 10) = 21940 J. Measured: 10000 + 1950 + 5 × 2000 = 21950 J.
    /// Power variant: window samples all 200 W; T = 160.5 s − 0 s: 200 × 160.5 = 32100 J.
    /// </summary>
    private static (TempDirectory Dir, string Trace, string Epochs) HandTrace()
    {
        var dir = new TempDirectory();
        var start = new DateTime(2026, 3, 2, 9, 0, 0);
        var trace = dir.File("gpu.csv");
        using (var w = new StreamWriter(trace))
        {
            w.Write(TrainingRunSimulator.NvidiaSmiHeader + "\n");
            for (int t = 0; t <= 163; t++)
            {
                double watts = t <= 100 ? 100 : 200;
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{start.AddSeconds(t):yyyy/MM/dd HH:mm:ss.fff}, NVIDIA GeForce RTX 3090, 90 %, 30 %, 24576 MiB, 20000 MiB, {watts:F2} W, 350.00 W, 60\n"));
            }
        }

        var epochs = dir.File("epochs.csv");
        File.WriteAllText(epochs, "epoch,end_time\n" + string.Concat(Enumerable.Range(0, 16).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k},{start.AddSeconds(10 * k + 10.5):yyyy-MM-ddTHH:mm:ss.fff}\n"))));
        return (dir, trace, epochs);
    }

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout).RootElement;

    [Fact]
    public void Parity_Should_Reproduce_The_Papers_Epoch_Formula_On_A_Hand_Computed_Trace()
    {
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var (code, stdout, stderr) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--method", "step", "--parity", "seaa2023", "--json");
            Assert.True(code == 0, stderr);
            var j = Json(stdout);
            Assert.Equal(21940, j.GetProperty("projected_energy_j").GetDouble(), 1e-6);
            Assert.Equal(21950, j.GetProperty("measured_energy_j").GetDouble(), 1e-6);
            Assert.Equal(10, j.GetProperty("stable_from_epoch").GetInt32());
            Assert.Equal(16, j.GetProperty("epochs_used").GetInt32());
            Assert.Equal(16, j.GetProperty("total_epochs_assumed").GetDouble());
            Assert.Equal("seaa2023", j.GetProperty("parity").GetString());
            Assert.True(j.GetProperty("lower_j").GetDouble() <= 21940 && 21940 <= j.GetProperty("upper_j").GetDouble());
            Assert.Equal(0.9, j.GetProperty("confidence").GetDouble());

            // Live-style: only epochs 0-14 and N given: the same number.
            var (code2, stdout2, _) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--after-epoch", "14", "--total-epochs", "16", "--parity", "seaa2023", "--json");
            Assert.Equal(0, code2);
            Assert.Equal(21940, Json(stdout2).GetProperty("projected_energy_j").GetDouble(), 1e-6);
        }
    }

    [Fact]
    public void Parity_Power_Variant_Should_Be_Window_Power_Times_T()
    {
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var (code, stdout, stderr) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--method", "step-power", "--parity", "seaa2023", "--json");
            Assert.True(code == 0, stderr);
            Assert.Equal(32100, Json(stdout).GetProperty("projected_energy_j").GetDouble(), 1e-6);
        }
    }

    [Fact]
    public void Carbontracker_Should_Be_The_First_Epoch_Times_N()
    {
        // E_0 = 1000 J (see HandTrace) × N = 16 (finished run) = 16000 J; one epoch gives no spread: a point interval.
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var (code, stdout, _) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--method", "carbontracker", "--json");
            Assert.Equal(0, code);
            var j = Json(stdout);
            Assert.Equal("carbontracker", j.GetProperty("method").GetString());
            Assert.Equal(16000, j.GetProperty("projected_energy_j").GetDouble(), 1e-9);
            Assert.Equal(16000, j.GetProperty("lower_j").GetDouble(), 1e-3);
            Assert.Contains("range of N only", j.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Early_Stopping_Bounds_Should_Give_A_Range_Of_N()
    {
        // After epoch 15 with patience 20 and max epochs 60: N in [21, 60]; the JSON states the range it assumed.
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var (code, stdout, _) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--after-epoch", "14", "--early-stopping-patience", "20", "--max-epochs", "60", "--json");
            Assert.Equal(0, code);
            var j = Json(stdout);
            Assert.Equal(21, j.GetProperty("total_epochs_min").GetInt32());
            Assert.Equal(60, j.GetProperty("total_epochs_max").GetInt32());
            Assert.Equal(40.5, j.GetProperty("total_epochs_assumed").GetDouble());
        }
    }

    [Fact]
    public void Should_Answer_Not_Yet_Stable_With_Nulls_And_A_Reason()
    {
        // After epoch 11 the 200 W phase has 2 epochs: the change at epoch 10 is seen and 5 epochs are needed.
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var (code, stdout, _) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--after-epoch", "11", "--total-epochs", "40", "--json");
            Assert.Equal(0, code);
            var j = Json(stdout);
            Assert.Equal(JsonValueKind.Null, j.GetProperty("projected_energy_j").ValueKind);
            Assert.Equal(JsonValueKind.Null, j.GetProperty("lower_j").ValueKind);
            Assert.Equal(JsonValueKind.Null, j.GetProperty("stable_from_epoch").ValueKind);
            Assert.StartsWith("not yet stable", j.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(12, j.GetProperty("epochs_used").GetInt32());
        }
    }

    [Fact]
    public void Should_Project_A_Simulated_Run_Within_Its_Interval()
    {
        // simulate writes a run with known truth; project after epoch 15 with N bounded as the generator states.
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("simulate", "--out", dir.Path, "--seed", "3");
        Assert.True(code == 0, stderr);
        var truth = JsonDocument.Parse(File.ReadAllText(dir.File("run-3-truth.json"))).RootElement;
        var (code2, stdout, stderr2) = CliHarness.Run(
            "project", "--trace", dir.File("run-3-gpu.csv"), "--epochs", dir.File("run-3-epochs.csv"), "--after-epoch", "15",
            "--max-epochs", truth.GetProperty("max_epochs").GetInt32().ToString(CultureInfo.InvariantCulture),
            "--min-epochs", truth.GetProperty("min_epochs").GetInt32().ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(code2 == 0, stderr2);
        var j = Json(stdout);
        double measured = truth.GetProperty("measured_energy_j").GetDouble();
        Assert.InRange(measured, j.GetProperty("lower_j").GetDouble(), j.GetProperty("upper_j").GetDouble());
        Assert.InRange(j.GetProperty("projected_energy_j").GetDouble() / measured, 0.95, 1.05);
    }

    [Fact]
    public void The_Drift_Prior_Is_Recorded_And_Widens_The_Interval_With_The_Distance_Still_To_Go()
    {
        // The hand trace's last 5 epochs cost exactly 2000 J (no scatter), N = 40: with --drift-prior 0 the interval
        // has no width beyond the window's (none); with 0.02 the 24 epochs still to come carry the drift's spread.
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            JsonElement Project(string tau)
            {
                var (code, stdout, stderr) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--total-epochs", "40", "--drift-prior", tau, "--json");
                Assert.True(code == 0, stderr);
                return Json(stdout);
            }

            var none = Project("0");
            var drift = Project("0.02");
            Assert.Equal(0.02, drift.GetProperty("drift_prior").GetDouble());
            Assert.Equal("--drift-prior", drift.GetProperty("drift_prior_source").GetString());
            Assert.Equal(none.GetProperty("projected_energy_j").GetDouble(), drift.GetProperty("projected_energy_j").GetDouble(), 1e-6);
            double Width(JsonElement j) => j.GetProperty("upper_j").GetDouble() - j.GetProperty("lower_j").GetDouble();
            Assert.True(Width(drift) > Width(none) + 100, $"{Width(drift)} J vs {Width(none)} J");

            var (bad, _, error) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--drift-prior", "2");
            Assert.Equal(64, bad);
            Assert.Contains("--drift-prior 2 must be a relative standard deviation from 0 to 1", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Text_Output_Should_Show_The_Interval_Not_A_Bare_Number()
    {
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var (code, stdout, _) = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--parity", "seaa2023");
            Assert.Equal(0, code);
            Assert.Contains("projected total  21.9 kJ  (90 % interval", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parity_Counts_A_Half_Written_Last_Line_As_One_Of_The_Three_Dropped_Rows()
    {
        // The paper's pipeline (pandas, skipfooter = 3) drops the last 3 rows it read, and pandas reads a half-written
        // last line as a row: Core's Seaa2023Parity.TrimEndFor drops 2 complete samples then, not the 3 that project's
        // own re-declared trim dropped. Hand, with HandTrace cut after t = 160 s (so its last epoch, ending at 160.5 s,
        // runs to the end of the trace):
        // whole file: 158-160 s dropped, epoch 15 = 150 -> 157 s = 7 s x 200 W = 1400 J; measured 10 000 + 1950 + 4 x 2000 + 1400 = 21 350 J.
        // a half-written t = 161 s line: it and 159-160 s dropped, epoch 15 = 150 -> 158 s = 1600 J; measured 21 550 J (the old trim: 21 350 J).
        var (dir, _, epochs) = HandTrace();
        using (dir)
        {
            string Write(string name, bool halfWritten)
            {
                var lines = File.ReadAllLines(Path.Combine(dir.Path, "gpu.csv"))[..162]; // header and t = 0..160 s
                string text = string.Join("\n", lines) + "\n" + (halfWritten ? lines[^1].Replace("09:02:40", "09:02:41", StringComparison.Ordinal)[..60] : "");
                File.WriteAllText(dir.File(name), text);
                return dir.File(name);
            }

            var whole = CliHarness.Run("project", "--trace", Write("whole.csv", false), "--epochs", epochs, "--parity", "seaa2023", "--json");
            Assert.True(whole.ExitCode == 0, whole.Err);
            Assert.Equal(21_350, Json(whole.Out).GetProperty("measured_energy_j").GetDouble(), 1e-6);

            var cut = CliHarness.Run("project", "--trace", Write("cut.csv", true), "--epochs", epochs, "--parity", "seaa2023", "--json");
            Assert.True(cut.ExitCode == 0, cut.Err);
            Assert.Equal(21_550, Json(cut.Out).GetProperty("measured_energy_j").GetDouble(), 1e-6);
            Assert.Contains("half-written last line", cut.Err, StringComparison.Ordinal);

            // The projection itself (s = 10, w = 5) does not reach the last epoch: 21 940 J both ways.
            Assert.Equal(21_940, Json(whole.Out).GetProperty("projected_energy_j").GetDouble(), 1e-6);
            Assert.Equal(21_940, Json(cut.Out).GetProperty("projected_energy_j").GetDouble(), 1e-6);
        }
    }

    [Theory]
    [InlineData("--total-epochs", "12", "--total-epochs 12 is less than the 16 epochs in ", "--total-epochs 16 or more")]
    [InlineData("--max-epochs", "10", "--max-epochs 10 is less than the 16 epochs in ", "--max-epochs 16 or more")]
    public void Should_Refuse_An_Epoch_Count_Below_The_Epochs_The_Log_Already_Has(string option, string value, string problem, string fix)
    {
        // HandTrace's log has 16 epochs: N is at least 16, also when --after-epoch uses fewer. Before issue 14,
        // --after-epoch 11 --total-epochs 12 projected a total from N = 12 and --max-epochs 10 printed "no projection" with exit 0.
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            foreach (string[] extra in new[] { Array.Empty<string>(), ["--after-epoch", "11"] })
            {
                var (code, stdout, stderr) = CliHarness.Run([.. new[] { "project", "--trace", trace, "--epochs", epochs, option, value }, .. extra]);
                Assert.Equal(64, code);
                Assert.Empty(stdout);
                string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains(problem + epochs, line, StringComparison.Ordinal);
                Assert.Contains(fix, line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Should_Refuse_An_Epoch_Log_Going_Backwards_Or_With_A_Zero_Length_Epoch_Naming_The_Line_And_The_Fix()
    {
        var (dir, trace, _) = HandTrace();
        using (dir)
        {
            File.WriteAllText(dir.File("back.csv"), "epoch,end_time\n0,2026-03-02T09:00:20\n1,2026-03-02T09:00:10\n");
            File.WriteAllText(dir.File("zero.csv"), "epoch,end_time\n0,2026-03-02T09:00:20\n1,2026-03-02T09:00:20\n");
            File.WriteAllText(dir.File("renumbered.csv"), "epoch,end_time\n0,2026-03-02T09:00:10\n1,2026-03-02T09:00:20\n0,2026-03-02T09:00:30\n");
            foreach (var (file, line, expected) in new[]
            {
                ("back.csv", 3, "is 10 s before epoch 0's end (line 2): the log goes backwards in time"),
                ("zero.csv", 3, "a zero-length epoch"),
                ("renumbered.csv", 4, "epoch 0 where epoch 2 was expected: the log goes back to an epoch it already has"),
            })
            {
                var (code, stdout, stderr) = CliHarness.Run("project", "--trace", trace, "--epochs", dir.File(file), "--total-epochs", "20");
                Assert.Equal(65, code);
                Assert.Empty(stdout);
                string message = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains($"{file}:{line}", message, StringComparison.Ordinal);
                Assert.Contains(expected, message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Missing_Or_Bad_Inputs_Should_Fail_With_One_Clear_Message()
    {
        var (dir, trace, epochs) = HandTrace();
        using (dir)
        {
            var missing = CliHarness.Run("project", "--trace", dir.File("nope.csv"), "--epochs", epochs);
            Assert.Equal(66, missing.ExitCode);
            Assert.Contains("nope.csv", missing.Err, StringComparison.Ordinal);

            File.WriteAllText(dir.File("bad.csv"), "epoch,end_time\n0,2026-03-02T09:00:10\n2,2026-03-02T09:00:20\n");
            var bad = CliHarness.Run("project", "--trace", trace, "--epochs", dir.File("bad.csv"));
            Assert.Equal(65, bad.ExitCode);
            Assert.Contains("bad.csv:3", bad.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", bad.Err, StringComparison.Ordinal);

            var confidence = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--confidence", "1.5");
            Assert.Equal(64, confidence.ExitCode);

            var beyond = CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--after-epoch", "99");
            Assert.Equal(64, beyond.ExitCode);
            Assert.Contains("beyond the last epoch", beyond.Err, StringComparison.Ordinal);
        }
    }
}
