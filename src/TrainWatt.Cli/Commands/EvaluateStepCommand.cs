using System.CommandLine;
using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Traces;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt evaluate step --seaa2023 DIR [--epochs-source runs-2023|runs] [--json]</c>: scores STEP (the paper's
/// and TrainWatt's) and the baselines on the 309 traced SEAA 2023 runs (<see cref="StepEvaluation"/>).
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
        var source = new Option<string>("--epochs-source")
        {
            Description = "Where N comes from: runs-2023 (runs-2023-version.csv, the 2023 paper's counts; default) or runs (runs.csv, probably 10 too high).",
            DefaultValueFactory = _ => "runs-2023",
        };
        source.AcceptOnlyFromAmong("runs-2023", "runs");
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
        var runsCsv = new Option<string?>("--runs-csv") { Description = "Also write one CSV row per run (truth and every estimate, J) to this file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("step", "Evaluate STEP and the baselines (Green Algorithms, ML CO2 Impact, Carbontracker) on the SEAA 2023 traces, with pseudo-epochs of equal length T/N.");
        foreach (var option in new Option[] { folder, source, minEpochs, minStable, minShift, precision, runsCsv, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(
            context,
            parse.GetValue(folder)!,
            parse.GetValue(source) == "runs" ? Seaa2023EpochSource.Runs : Seaa2023EpochSource.Runs2023,
            parse.GetValue(minEpochs),
            parse.GetValue(minStable),
            parse.GetValue(minShift),
            parse.GetValue(precision) is { } p && p > 0 ? p : null,
            parse.GetValue(runsCsv),
            parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string folder, Seaa2023EpochSource source, int minEpochs, int minStable, double minShift, double? precision, string? runsCsv, bool json)
    {
        if (!Directory.Exists(folder))
        {
            context.Diagnostic($"error: {folder} does not exist; --seaa2023 must name the SEAA 2023 data folder (e.g. ../shared/data/seaa2023).");
            return (int)ExitCode.NoInput;
        }

        if (minStable < 3 || minEpochs < 1)
        {
            context.Diagnostic("error: --min-stable-epochs must be at least 3 and --min-epochs-before-projection at least 1.");
            return (int)ExitCode.Usage;
        }

        IReadOnlyList<Seaa2023TracedRun> runs;
        try
        {
            runs = Seaa2023StepDataset.Load(folder, source);
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException or IOException)
        {
            context.Diagnostic("error: " + e.Message);
            return (int)ExitCode.DataError;
        }

        var options = new StepEvaluationOptions(new ChangePointOptions(MinStableEpochs: minStable, MinRelativeShift: minShift, MinEpochsSeen: minEpochs), minEpochs, TargetRelativeHalfWidth: precision);
        var results = new StepRunEvaluation[runs.Count];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var run = runs[i];
            var gpu = NvidiaSmiCsv.ReadFile(run.GpuTrace);
            var process = ProcessTraceCsv.ReadFile(run.ProcessTrace);
            if (gpu.IsFatal || gpu.Devices.Count == 0)
            {
                failures.Add($"{run.GpuTrace}: {gpu.Faults.FirstOrDefault()?.Message ?? "no device"}");
                return;
            }

            if (process.IsFatal || process.First is null || process.Last is null)
            {
                failures.Add($"{run.ProcessTrace}: {process.Faults.FirstOrDefault()?.Message ?? "no samples"}");
                return;
            }

            try
            {
                results[i] = StepEvaluation.EvaluateRun(
                    new StepEvaluationInput(run.Id, gpu.Devices[0].Samples, process.First.Value, process.Last.Value, run.TotalEpochs),
                    options);
            }
            catch (ArgumentException e)
            {
                failures.Add(e.Message);
            }
        });

        foreach (string failure in failures.Order(StringComparer.Ordinal))
        {
            context.Diagnostic("error: " + failure);
        }

        var done = results.Where(r => r is not null).ToArray();
        if (done.Length == 0)
        {
            return (int)ExitCode.DataError;
        }

        var summary = StepEvaluation.Summarize(done);
        if (runsCsv is not null)
        {
            WriteRunsCsv(runsCsv, done);
        }

        string sourceName = source == Seaa2023EpochSource.Runs ? "runs" : "runs-2023";
        double ratio = summary.RmseKilojoules["step"] / summary.RmseKilojoules["green_algorithms"];
        if (json)
        {
            context.WriteData(JsonOutput.Object(w =>
            {
                w.WriteNumber("runs", summary.Runs);
                w.WriteString("epochs_source", sourceName);
                w.WriteStartObject("rmse_kj");
                foreach (var (k, v) in summary.RmseKilojoules)
                {
                    w.WriteNumber(k, Math.Round(v, 4));
                }

                w.WriteEndObject();
                w.WriteStartObject("mape");
                foreach (var (k, v) in summary.Mape)
                {
                    w.WriteNumber(k, Math.Round(v, 6));
                }

                w.WriteEndObject();
                w.WriteNumber("step_rmse_vs_green_algorithms", Math.Round(ratio, 6));
                w.WriteNumber("step_fallbacks", done.Count(r => r.StepFellBack));
                w.WriteNumber("step_interval_coverage", Math.Round(done.Count(r => r.StepCovered) / (double)done.Length, 4));
                w.WriteNumber("step_median_projection_epoch", Median(done.Select(r => (double)r.StepProjectionEpoch)));
                w.WriteNumber("lost_tail_runs", done.Count(r => r.LostTail));
                w.WriteNumber("failed_runs", failures.Count);
            }));
        }
        else
        {
            var text = new System.Text.StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{summary.Runs} runs, N from {sourceName}, pseudo-epochs of T/N\n");
            text.Append("method              RMSE_kJ      MAPE\n");
            foreach (string method in StepEvaluation.Methods)
            {
                text.Append(CultureInfo.InvariantCulture, $"{method,-18} {summary.RmseKilojoules[method],9:F3} {summary.Mape[method],9:P2}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"step RMSE = {ratio:P2} of Green Algorithms'; {done.Count(r => r.StepFellBack)} runs fell back to s = 10; median projection point {Median(done.Select(r => (double)r.StepProjectionEpoch))} epochs; {done.Count(r => r.LostTail)} runs with a lost GPU tail; step's 90 % intervals held the truth in {done.Count(r => r.StepCovered) / (double)done.Length:P1} of runs\n");
            context.WriteData(text.ToString());
        }

        return failures.IsEmpty ? (int)ExitCode.Success : (int)ExitCode.PartialFailure;
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static void WriteRunsCsv(string path, IReadOnlyList<StepRunEvaluation> runs)
    {
        using var writer = new StreamWriter(path);
        writer.Write("run,total_epochs,duration_s,truth_j," + string.Join(',', StepEvaluation.Methods.Select(m => m + "_j")) + ",step_projection_epoch,step_stable_from,step_fell_back,lost_tail\n");
        foreach (var r in runs)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Id},{r.TotalEpochs},{r.Duration.TotalSeconds:F3},{r.Truth.Joules:F2},"));
            writer.Write(string.Join(',', StepEvaluation.Methods.Select(m => r.Estimates[m].Joules.ToString("F2", CultureInfo.InvariantCulture))));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $",{r.StepProjectionEpoch},{r.StepStableFromIndex},{(r.StepFellBack ? 1 : 0)},{(r.LostTail ? 1 : 0)}\n"));
        }
    }
}
