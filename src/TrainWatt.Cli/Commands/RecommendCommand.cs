using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt recommend --seaa2023 DIR --metric f1 --max-loss 0.02 [--by architecture,environment] [--cost
/// energy-per-sample] [--predicted FILE.json] [--json]</c>: the cheapest configuration within an absolute score loss
/// of the most accurate one, the Pareto front, and the saving against every other configuration with bootstrap CIs.
/// </summary>
internal static class RecommendCommand
{
    public static Command Create(CliContext context)
    {
        var input = new AnalysisInput();
        var metric = new Option<string>("--metric") { Description = "Quality score to keep (higher is better), e.g. f1.", DefaultValueFactory = _ => "f1" };
        var maxLoss = new Option<double>("--max-loss") { Description = "Allowed absolute loss of the median score against the most accurate configuration (0.02 = 2 F1 points).", DefaultValueFactory = _ => 0.02 };
        var by = new Option<string>("--by") { Description = "Keys that define a configuration.", DefaultValueFactory = _ => "architecture,environment" };
        var cost = new Option<string>("--cost") { Description = "What to minimise: energy-per-sample (default, J per sample seen), energy (J) or duration (s).", DefaultValueFactory = _ => "energy-per-sample" };
        var predicted = new Option<string?>("--predicted") { Description = "JSON file of predicted configurations to mix in, marked as predicted: {\"configurations\":[{\"key\":{...},\"cost\":x,\"score\":y}]}." };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed.", DefaultValueFactory = _ => TrainWatt.Analysis.Statistics.Bootstrap.DefaultSeed };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("recommend", "Cheapest configuration within an allowed accuracy loss, Pareto front, and savings with uncertainty.");
        input.AddTo(command);
        foreach (var option in new Option[] { metric, maxLoss, by, cost, predicted, seed, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => AnalysisInput.Guard(context, () =>
        {
            var runs = input.Load(parse, context);
            var keys = parse.GetValue(by)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var costMetric = Metric.Parse(parse.GetValue(cost)!);
            if (costMetric.Kind == MetricKind.Score)
            {
                throw new FormatException($"--cost must be energy-per-sample, energy or duration; got {parse.GetValue(cost)}.");
            }

            var points = parse.GetValue(predicted) is { } file ? PredictedPoints.Load(file) : null;
            var result = Recommender.Recommend(runs, keys, Metric.Parse(parse.GetValue(metric)!), parse.GetValue(maxLoss), costMetric, points, new GroupAnalysisOptions(Seed: parse.GetValue(seed)));
            context.WriteData(parse.GetValue(json) ? RecommendationJson.Write(result) : ToText(result));
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static string ToText(RecommendationResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Most accurate: {r.MostAccurate.Label} ({r.Score.Name} {r.MostAccurate.Score:F4}, {r.Cost.Name} {r.MostAccurate.Cost:G4} {r.Cost.Unit})");
        sb.AppendLine(c, $"Recommended:   {r.Chosen.Label} ({r.Score.Name} {r.Chosen.Score:F4}, {r.Cost.Name} {r.Chosen.Cost:G4} {r.Cost.Unit}){(r.Chosen.Predicted ? " [predicted]" : string.Empty)}");
        sb.AppendLine(c, $"Score loss:    {r.ScoreLoss:F4} (allowed {r.MaxLoss:G4}; {r.ScoreLoss / r.MostAccurate.Score * 100:F2} % relative)");
        sb.AppendLine("Saving of the recommendation against each configuration (median cost; 95% bootstrap CI):");
        foreach (var s in r.Savings)
        {
            string ci = s.Lower is { } lo && s.Upper is { } hi ? string.Create(c, $"[{lo * 100:F1} %, {hi * 100:F1} %]") : "(no CI)";
            sb.AppendLine(c, $"  vs {s.Against.Label}: {s.Fraction * 100:F2} % {ci}, {r.Score.Name} {s.ScoreDifference:+0.0000;-0.0000}");
        }

        sb.AppendLine("Pareto front (cost vs score): " + string.Join(", ", r.Points.Where(p => p.OnParetoFront).OrderBy(p => p.Cost).Select(p => p.Label)));
        foreach (string n in r.Notes)
        {
            sb.AppendLine("Note: " + n);
        }

        return sb.ToString();
    }
}
