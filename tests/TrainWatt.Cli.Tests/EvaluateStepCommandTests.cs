using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// <c>trainwatt evaluate step</c> on the 309 SEAA 2023 traces (../shared; skipped when absent). Oracle for the
/// acceptance: issue 4 (TrainWatt's step RMSE ≤ 2.5 % of Green Algorithms' RMSE on the same runs); the baselines'
/// ordering follows the paper (paper-notes 2.4: STEP far below GA and ML CO2 Impact).
/// </summary>
public class EvaluateStepCommandTests
{
    [Fact]
    public void Should_Meet_The_Acceptance_On_The_309_Seaa2023_Runs()
    {
        string folder = SharedData.RequireSeaa2023();
        var (code, stdout, stderr) = CliHarness.Run("evaluate", "step", "--seaa2023", folder, "--json");
        Assert.True(code == 0, stderr);
        var j = JsonDocument.Parse(stdout).RootElement;
        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        Assert.Equal(302, j.GetProperty("runs").GetInt32()); // 309 less the 7 partial process traces (issue 14)
        Assert.Equal(7, j.GetProperty("excluded_runs").GetArrayLength());
        var rmse = j.GetProperty("rmse_kj");
        double step = rmse.GetProperty("step").GetDouble(), ga = rmse.GetProperty("green_algorithms").GetDouble();
        Assert.True(step <= 0.025 * ga, $"step RMSE {step:F3} kJ > 2.5 % of GA's {ga:F3} kJ");
        Assert.True(step < rmse.GetProperty("step_paper").GetDouble());
        Assert.True(rmse.GetProperty("step_paper").GetDouble() < ga);
        Assert.True(ga < rmse.GetProperty("ml_co2_impact").GetDouble());
        foreach (string method in new[] { "step", "step_paper", "step_paper_power", "green_algorithms", "ml_co2_impact", "carbontracker", "step_paper_same_point" })
        {
            Assert.True(j.GetProperty("mape").GetProperty(method).GetDouble() > 0, method);
        }

        Assert.Equal(47, j.GetProperty("lost_tail_runs").GetInt32()); // data README: 47 GPU traces lost their tail
    }

    [Fact]
    public void The_Live_Projector_As_Measure_Runs_It_Meets_The_Issue_14_Targets_On_Seaa2023()
    {
        // Issue 14 acceptance: the first live projection of each run, the projector built by measure's own factory with
        // N known (--total-epochs N): RMSE at most 5 % of Green Algorithms', median first projection at epoch 16 or
        // earlier (the paper projects at 15), and 90 % intervals holding the truth in 85-97 % of the runs. Measured:
        // 3.60 %, epoch 13, 90.7 % (docs/step.md).
        string folder = SharedData.RequireSeaa2023();
        var (code, stdout, stderr) = CliHarness.Run("evaluate", "step", "--seaa2023", folder, "--live", "--json");
        Assert.True(code == 0, stderr);
        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        var j = JsonDocument.Parse(stdout).RootElement;
        Assert.True(j.GetProperty("live").GetBoolean());
        Assert.Equal(302, j.GetProperty("runs").GetInt32());
        Assert.Equal(0.01, j.GetProperty("drift_prior").GetDouble());
        Assert.Equal("default", j.GetProperty("drift_prior_source").GetString());
        Assert.True(j.GetProperty("step_rmse_vs_green_algorithms").GetDouble() <= 0.05, stdout);
        Assert.True(j.GetProperty("step_median_projection_epoch").GetDouble() <= 16, stdout);
        Assert.InRange(j.GetProperty("step_interval_coverage").GetDouble(), 0.85, 0.97);

        // The left-out runs are named with their reason; the by-fraction table has the paper's rule at the same points.
        var excluded = j.GetProperty("excluded_runs").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(23, 7).Select(r => $"cloud/nasnet_mobile/{r}"), excluded.Select(e => e.GetProperty("run").GetString()));
        Assert.All(excluded, e => Assert.StartsWith("partial process trace", e.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Contains("cloud/nasnet_mobile/25 left out: partial process trace", stderr, StringComparison.Ordinal);
        var fractions = j.GetProperty("by_fraction").EnumerateArray().ToList();
        Assert.Equal([0.1, 0.2, 0.3, 0.5, 0.75, 0.9], fractions.Select(f => f.GetProperty("fraction").GetDouble()));
        Assert.Equal(302, fractions[^1].GetProperty("projected").GetInt32()); // every run has a projection by 90 %
        Assert.All(fractions, f => Assert.True(f.GetProperty("paper_rmse_all_kj").GetDouble() > 0));
    }

    [Fact]
    public void A_Drift_Prior_Out_Of_Range_Is_A_Usage_Error()
    {
        var (code, _, stderr) = CliHarness.Run("evaluate", "step", "--seaa2023", "/nowhere", "--live", "--drift-prior", "1.5");
        Assert.Equal(64, code); // ExitCode.Usage (sysexits EX_USAGE)
        Assert.Contains("--drift-prior must be a relative standard deviation from 0 to 1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Fail_Clearly_On_A_Folder_That_Is_Not_The_Data_Set()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("evaluate", "step", "--seaa2023", dir.Path);
        Assert.Equal(65, code);
        Assert.Contains("trace-index.csv", stderr, StringComparison.Ordinal);
    }
}
