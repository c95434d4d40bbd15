using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Projection;
using TrainWatt.Measurement.Evaluation;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt evaluate step</c>'s options, typed.</summary>
internal sealed record EvaluateStepSettings(
    string Folder, Seaa2023EpochSource EpochSource, int MinEpochs, int MinStable, double MinShift, double? TargetPrecision, string? RunsCsv, bool Json,
    bool Live = false, double? DriftPrior = null)
    : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MinStable < 3)
        {
            problems.Add($"--min-stable-epochs must be at least 3 (a stable window needs a spread), got {MinStable}.");
        }

        if (MinEpochs < 1)
        {
            problems.Add($"--min-epochs-before-projection must be at least 1, got {MinEpochs}; the paper's s + w is 15.");
        }

        if (DriftPrior is double tau && !(tau >= 0 && tau <= 1))
        {
            problems.Add($"--drift-prior must be a relative standard deviation from 0 to 1 (e.g. 0.01 for 1 % over the run), got {tau.ToString(CultureInfo.InvariantCulture)}.");
        }

        return problems;
    }

    public StepEvaluationRequest ToRequest() => new(Folder, EpochSource)
    {
        MinEpochsBeforeProjection = MinEpochs, MinStableEpochs = MinStable, MinRelativeShift = MinShift, TargetPrecision = TargetPrecision, RunsCsv = RunsCsv,
        Live = Live, DriftPrior = DriftPrior,
    };
}

/// <summary>
/// <c>trainwatt evaluate step --seaa2023 DIR [--epochs-source runs-2023|runs] [--json]</c>: scores STEP (the paper's
/// and TrainWatt's) and the baselines on the 309 traced SEAA 2023 runs (<see cref="Seaa2023StepEvaluation"/>).
/// </summary>
internal static class EvaluateStepCommand
{
    public static Command Create(CliContext context)
    {
        var folder = new Option<string>("--seaa2023")
        {
            Description = "The SEAA 2023 data folder (holding trace-index.csv, runs.csv, runs-2023-version.csv and traces/).",
            Required = true,
        };
        var source = TypedOptions.Choice(
            "--epochs-source", "Where N comes from: runs-2023 (runs-2023-version.csv, the 2023 paper's counts; default) or runs (runs.csv, probably 10 too high).",
            Seaa2023EpochSource.Runs2023, ("runs-2023", Seaa2023EpochSource.Runs2023), ("runs", Seaa2023EpochSource.Runs));
        var minEpochs = new Option<int>("--min-epochs-before-projection")
        {
            Description = "Earliest projection point of TrainWatt's step, in finished epochs (default 15: the paper's s + w).",
            DefaultValueFactory = _ => 15,
        };
        var minStable = new Option<int>("--min-stable-epochs")
        {
            Description = "Epochs after the last detected change before step projects (default 15).",
            DefaultValueFactory = _ => StepEvaluationOptions.DefaultMinStableEpochs,
        };
        var precision = new Option<double?>("--target-precision")
        {
            Description = "step projects at the first stable epoch whose 90 % interval half-width is at most this fraction of the estimate (e.g. 0.005); default: none, the first stable epoch.",
        };
        var minShift = new Option<double>("--min-shift")
        {
            Description = "Smallest level change (fraction of the later level) the detector acts on (default 0.01).",
            DefaultValueFactory = _ => 0.01,
        };
        var live = new Option<bool>("--live") { Description = "Score the live projector exactly as measure --total-epochs N runs it (its first projection in each run); the offline settings are then unused." };
        var drift = new Option<double?>("--drift-prior") { Description = "Slow-drift prior of the intervals: standard deviation of the level's relative change over a run (default 0.01).", HelpName = "TAU" };
        var runsCsv = new Option<string?>("--runs-csv") { Description = "Also write one CSV row per run (truth and every estimate, J) to this file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("step", "Evaluate STEP and the baselines (Green Algorithms, ML CO2 Impact, Carbontracker) on the SEAA 2023 traces, with pseudo-epochs of equal length T/N.");
        foreach (var option in new Option[] { folder, source, minEpochs, minStable, minShift, precision, live, drift, runsCsv, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = new EvaluateStepSettings(
                parse.GetValue(folder)!, parse.GetValue(source).Value, parse.GetValue(minEpochs), parse.GetValue(minStable), parse.GetValue(minShift),
                parse.GetValue(precision) is { } p && p > 0 ? p : null, parse.GetValue(runsCsv), parse.GetValue(json), parse.GetValue(live), parse.GetValue(drift)).ThrowIfInvalid();
            StepEvaluationReport report;
            using (var progress = ImportProgressLine.For(context))
            {
                report = Seaa2023StepEvaluation.Run(s.ToRequest() with { Progress = progress is null ? null : (done, all) => progress.Show($"evaluating {done}/{all} runs") });
            }

            foreach (string failure in report.Failures)
            {
                context.Diagnostic("error: " + failure);
            }

            foreach (var excluded in report.Excluded)
            {
                context.Diagnostic($"warning: {excluded.Id} left out: {excluded.Reason}");
            }

            if (report.Summary is null)
            {
                return (int)ExitCode.DataError;
            }

            context.WriteData(s.Json ? TypedJsonContext.Write(StepEvaluationJson.From(report), TypedJsonContext.Default.StepEvaluationJson) : ToText(report));
            return report.Failures.Count == 0 ? (int)ExitCode.Success : (int)ExitCode.PartialFailure;
        });
        return command;
    }

    private static string ToText(StepEvaluationReport report)
    {
        var summary = report.Summary!;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{summary.Runs} runs, N from {report.EpochSourceName}, pseudo-epochs of T/N; step: {(report.Live ? "the live projector as measure runs it" : "offline")}, drift prior {report.Drift?.ToString() ?? "none"}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"method",-21} {"RMSE_kJ",9} {"MAPE",9}\n");
        foreach (string method in StepEvaluation.Methods)
        {
            text.Append(CultureInfo.InvariantCulture, $"{method,-21} {summary.RmseKilojoules[method],9:F3} {summary.Mape[method],9:P2}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"step RMSE = {report.StepRmseVsGreenAlgorithms:P2} of Green Algorithms'; {report.StepFallbacks} runs fell back to s = 10; median projection point {report.StepMedianProjectionEpoch} epochs; {report.LostTailRuns} runs with a lost GPU tail; step's 90 % intervals held the truth in {report.StepIntervalCoverage:P1} of runs\n");
        foreach (var f in report.ByFraction)
        {
            text.Append(CultureInfo.InvariantCulture, $"at {f.Fraction:P0} of the run: live projection in {f.Projected} runs, RMSE {f.LiveRmseKilojoules:F3} kJ, MAPE {f.LiveMape:P2}, coverage {f.LiveCoverage:P1}; the paper's rule on them {f.PaperRmseKilojoules:F3} kJ, MAPE {f.PaperMape:P2}\n");
        }

        foreach (var excluded in report.Excluded)
        {
            text.Append(CultureInfo.InvariantCulture, $"left out: {excluded.Id}: {excluded.Reason}\n");
        }

        return text.ToString();
    }
}
