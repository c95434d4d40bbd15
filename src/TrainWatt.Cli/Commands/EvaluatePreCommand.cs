using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Estimation;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt evaluate pre --dataset CSV --target power|epoch-energy|epoch-duration --protocol
/// paper-split|kfold|leave-architecture-out|leave-gpu-out [--models a,b] [--json]</c>: scores every PRE model family and
/// the baselines on the same held-out rows. MAPE is in per cent.
/// </summary>
internal static class EvaluatePreCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string>("--dataset") { Description = "PRE dataset CSV (the journal set's training-set.csv format).", Required = true };
        var target = new Option<string>("--target") { Description = "power, epoch-energy or epoch-duration (default power).", DefaultValueFactory = _ => "power" };
        var protocol = new Option<string>("--protocol") { Description = "paper-split (70/30, seed 2022), kfold (5-fold), leave-architecture-out, leave-gpu-out (default paper-split).", DefaultValueFactory = _ => "paper-split" };
        var models = new Option<string?>("--models") { Description = $"Comma-separated families to score (default all: {string.Join(", ", PreModelFamilies.All.Select(f => f.Name))})." };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the CV folds (default 2022).", DefaultValueFactory = _ => 2022 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("pre", "Score PRE model families and the baselines (ML CO2 Impact, Green Algorithms) on a dataset: R2, MAPE (%), RMSE, MAE.");
        foreach (Option o in new Option[] { dataset, target, protocol, models, seed, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            try
            {
                var t = PreTargets.Parse(parse.GetValue(target)!);
                var p = PreEvaluation.ParseProtocol(parse.GetValue(protocol)!);
                var families = parse.GetValue(models) is { } list
                    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(PreModelFamilies.Find).ToList()
                    : PreModelFamilies.All;
                var rows = PreDataset.Load(parse.GetValue(dataset)!);
                var results = PreEvaluation.Run(rows, t, p, families, new SearchSettings(Seed: parse.GetValue(seed)));
                context.WriteData(parse.GetValue(json) ? ToJson(p, t, rows.Count, results) : ToText(p, t, rows.Count, results));
                return (int)ExitCode.Success;
            }
            catch (FileNotFoundException ex)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.NoInput;
            }
            catch (PreDatasetException ex)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.DataError;
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.Usage;
            }
        });
        return command;
    }

    private static string ToJson(EvaluationProtocol protocol, PreTarget target, int rows, IReadOnlyList<EvaluationResult> results) => JsonOutput.Object(w =>
    {
        w.WriteString("protocol", protocol.Name());
        w.WriteString("target", target.Name());
        w.WriteString("unit", target.Unit());
        w.WriteNumber("n_rows", rows);
        w.WriteString("mape_unit", "percent");
        w.WriteStartArray("results");
        foreach (var r in results)
        {
            w.WriteStartObject();
            w.WriteString("model", r.Model);
            w.WriteBoolean("baseline", r.IsBaseline);
            w.WriteNumber("r2", r.Metrics.R2);
            w.WriteNumber("mape", r.Metrics.MapePercent);
            w.WriteNumber("rmse", r.Metrics.Rmse);
            w.WriteNumber("mae", r.Metrics.Mae);
            w.WriteNumber("n_test", r.Metrics.Count);
            w.WriteString("description", r.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static string ToText(EvaluationProtocol protocol, PreTarget target, int rows, IReadOnlyList<EvaluationResult> results)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"PRE {target.Name()} ({target.Unit()}), protocol {protocol.Name()}, {rows} rows; metrics pooled over held-out rows");
        sb.AppendLine(ci, $"{"model",-18} {"R2",8} {"MAPE %",8} {"RMSE",11} {"MAE",11} {"n_test",6}");
        foreach (var r in results.OrderBy(r => r.Metrics.MapePercent))
        {
            sb.AppendLine(ci, $"{r.Model + (r.IsBaseline ? "*" : ""),-18} {r.Metrics.R2,8:0.0000} {r.Metrics.MapePercent,8:0.00} {r.Metrics.Rmse,11:0.###} {r.Metrics.Mae,11:0.###} {r.Metrics.Count,6}");
        }

        sb.AppendLine("* baseline (given the measured time for energy targets)");
        return sb.ToString();
    }
}
