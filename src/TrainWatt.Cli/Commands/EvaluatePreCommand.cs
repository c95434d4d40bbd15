using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Estimation;
using TrainWatt.Measurement.Evaluation;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt evaluate pre</c>'s options, typed. Nothing to check beyond parsing.</summary>
internal sealed record EvaluatePreSettings(string Dataset, PreTarget Target, EvaluationProtocol Protocol, IReadOnlyList<PreModelFamily>? Families, int Seed, bool Json)
    : ICommandSettings
{
    public IReadOnlyList<string> Validate() => Families is { Count: 0 } ? ["--models lists no family; name at least one, e.g. --models ridge,ridge-log-load, or leave it out for all."] : [];
}

/// <summary>
/// <c>trainwatt evaluate pre --dataset CSV --target power|epoch-energy|epoch-duration --protocol
/// grouped-kfold|leave-architecture-out|leave-gpu-out|leave-image-size-out|leave-batch-out|paper-split|kfold [--models a,b]
/// [--json]</c>: scores every PRE model family and the baselines on the same held-out rows, per group, with each
/// family's 90 % interval coverage (<see cref="PreDatasetEvaluation"/>). MAPE is in per cent.
/// </summary>
internal static class EvaluatePreCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string>("--dataset") { Description = "PRE dataset CSV (the journal set's training-set.csv format).", Required = true };
        var target = TypedOptions.Choice(
            "--target", "power, epoch-energy or epoch-duration (default power).", PreTarget.Power,
            ("power", PreTarget.Power), ("epoch-energy", PreTarget.EpochEnergy), ("energy", PreTarget.EpochEnergy), ("epoch-duration", PreTarget.EpochDuration), ("duration", PreTarget.EpochDuration));
        var protocol = TypedOptions.Choice(
            "--protocol",
            "grouped-kfold (default: 5 folds of configurations, so every test configuration is unseen), leave-architecture-out, leave-gpu-out, "
            + "leave-image-size-out, leave-batch-out (each group held out in turn), paper-split (70/30 rows, seed 2022: paper parity only, a lookup), kfold (5 folds of rows, a lookup too).",
            EvaluationProtocol.GroupedKFold,
            ("grouped-kfold", EvaluationProtocol.GroupedKFold), ("leave-architecture-out", EvaluationProtocol.LeaveArchitectureOut), ("loao", EvaluationProtocol.LeaveArchitectureOut),
            ("leave-gpu-out", EvaluationProtocol.LeaveGpuOut), ("logo", EvaluationProtocol.LeaveGpuOut), ("leave-image-size-out", EvaluationProtocol.LeaveImageSizeOut),
            ("leave-batch-out", EvaluationProtocol.LeaveBatchOut), ("paper-split", EvaluationProtocol.PaperSplit), ("kfold", EvaluationProtocol.KFold), ("k-fold", EvaluationProtocol.KFold));
        var models = TypedOptions.Parsed<IReadOnlyList<PreModelFamily>>(
            "--models", $"Comma-separated families to score (default all: {string.Join(", ", PreModelFamilies.All.Select(f => f.Name))}).",
            text => TypedOptions.CommaList(text).Select(PreModelFamilies.Find).ToArray());
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the CV folds (default 2022).", DefaultValueFactory = _ => 2022 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("pre", "Score PRE model families and the baselines (ML CO2 Impact, Green Algorithms) on a dataset: R2, MAPE (%), RMSE, MAE, the worst group, and each family's 90 % interval coverage.");
        foreach (Option o in new Option[] { dataset, target, protocol, models, seed, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var s = new EvaluatePreSettings(
                parse.GetValue(dataset)!, parse.GetValue(target).Value, parse.GetValue(protocol).Value, parse.GetValue(models), parse.GetValue(seed), parse.GetValue(json)).ThrowIfInvalid();
            PreEvaluationReport report;
            using (var progress = ImportProgressLine.For(context))
            {
                report = PreDatasetEvaluation.Run(new PreEvaluationRequest(s.Dataset, s.Target, s.Protocol)
                    { Families = s.Families, Seed = s.Seed, Progress = progress is null ? null : (done, all) => progress.Show($"evaluating: {done}/{all} model fits") });
            }

            context.WriteData(s.Json ? TypedJsonContext.Write(PreEvaluationJson.From(report), TypedJsonContext.Default.PreEvaluationJson) : ToText(report));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static string ToText(PreEvaluationReport report)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"PRE {report.Target.Name()} ({report.Target.Unit()}), protocol {report.Protocol.Name()}: {report.Protocol.Meaning()}");
        sb.AppendLine(ci, $"{report.Rows} rows, {report.Configurations} configurations; {report.ConfigurationOverlap:P1} of held-out rows have their configuration in the training part; metrics pooled over held-out rows");
        sb.AppendLine(ci, $"{"model",-18} {"R2",8} {"MAPE %",8} {"RMSE",11} {"MAE",11} {"n_test",6}  {"cover %",7}  worst {report.GroupedBy} (MAPE %)");
        foreach (var r in report.Results.OrderBy(r => r.Metrics.MapePercent))
        {
            string name = r.Model + (r.IsBaseline ? "*" : r.IsDefault ? " (default)" : "");
            string cover = r.Interval is { } i ? (100 * i.GroupCoverage).ToString("0.0", ci) : "-";
            string worst = r.WorstGroup is { } w ? $"{w.Group} ({w.Metrics.MapePercent:0.#})" : "-";
            sb.AppendLine(ci, $"{name,-18} {r.Metrics.R2,8:0.0000} {r.Metrics.MapePercent,8:0.00} {r.Metrics.Rmse,11:0.###} {r.Metrics.Mae,11:0.###} {r.Metrics.Count,6}  {cover,7}  {worst}");
        }

        sb.AppendLine("* baseline (given the measured time for energy targets)");
        var unit = report.Results.FirstOrDefault(r => r.Interval is not null)?.Interval;
        if (unit is not null)
        {
            sb.AppendLine(ci, $"cover %: runs inside the 90 % interval calibrated without their {unit.CalibratedBy} (mean over {unit.CalibrationGroups} {unit.CalibratedBy} groups, each weighted equally)");
        }

        return sb.ToString();
    }
}
