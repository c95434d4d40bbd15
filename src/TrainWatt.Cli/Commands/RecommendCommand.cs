using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Measurement.Comparisons;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt recommend</c>'s options, typed.</summary>
internal sealed record RecommendSettings(
    RunSelection Runs, string? Db, IReadOnlyList<string> By, Metric Score, double MaxLoss, Metric Cost, string? Predicted, int Seed, bool Json) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = AnalysisInput.Problems(Runs).ToList();
        if (Score.Kind != MetricKind.Score)
        {
            problems.Add($"--metric must be a quality score such as f1 (higher is better); got {Score.Name}.");
        }

        if (!(MaxLoss >= 0) || !double.IsFinite(MaxLoss))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--max-loss must be a finite number >= 0 (absolute score units, e.g. 0.02); got {MaxLoss}."));
        }

        if (Cost.Kind == MetricKind.Score)
        {
            problems.Add($"--cost must be energy-per-sample, energy or duration; got {Cost.Name}.");
        }

        if (By.Count == 0)
        {
            problems.Add("--by names no key; give the keys that define a configuration, e.g. --by architecture,environment.");
        }

        return problems;
    }

    /// <summary>The options left at their defaults (which then fall back to what the runs have).</summary>
    public (bool By, bool Cost) Defaulted { get; init; }

    public RecommendRequest ToRequest() => new(Runs, By, Score, MaxLoss, Cost) { PredictedFile = Predicted, Seed = Seed, ByIsDefault = Defaulted.By, CostIsDefault = Defaulted.Cost };
}

/// <summary>
/// <c>trainwatt recommend --seaa2023 DIR --metric f1 --max-loss 0.02 [--by architecture,environment] [--cost
/// energy-per-sample] [--predicted FILE.json] [--json]</c>: the cheapest configuration within an absolute score loss
/// of the most accurate one, the Pareto front, and the saving against every other configuration with bootstrap CIs
/// (<see cref="RunComparisons.Recommend"/>).
/// </summary>
internal static class RecommendCommand
{
    public static Command Create(CliContext context)
    {
        var input = new AnalysisInput();
        var metric = TypedOptions.Parsed("--metric", "Quality score to keep (higher is better), e.g. f1.", Metric.Parse, "f1");
        var maxLoss = new Option<double>("--max-loss") { Description = "Allowed absolute loss of the median score against the most accurate configuration (0.02 = 2 F1 points).", DefaultValueFactory = _ => 0.02 };
        var by = TypedOptions.Parsed<IReadOnlyList<string>>("--by", "Keys that define a configuration.", TypedOptions.CommaList, "architecture,environment");
        var cost = TypedOptions.Parsed("--cost", "What to minimise: energy-per-sample (default, J per sample seen), energy (J) or duration (s).", Metric.Parse, "energy-per-sample");
        var predicted = new Option<string?>("--predicted") { Description = "JSON file of predicted configurations to mix in, marked as predicted: {\"configurations\":[{\"key\":{...},\"cost\":x,\"score\":y}]}." };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed.", DefaultValueFactory = _ => TrainWatt.Analysis.Statistics.Bootstrap.DefaultSeed };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("recommend", "Cheapest configuration within an allowed accuracy loss, Pareto front, and savings with uncertainty.");
        input.AddTo(command);
        foreach (var option in new Option[] { metric, maxLoss, by, cost, predicted, seed, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = new RecommendSettings(
                input.Selection(parse), parse.GetValue(input.Db), parse.GetValue(by).Value, parse.GetValue(metric).Value, parse.GetValue(maxLoss),
                parse.GetValue(cost).Value, parse.GetValue(predicted), parse.GetValue(seed), parse.GetValue(json)) { Defaulted = (parse.GetResult(by) is not { Implicit: false }, parse.GetResult(cost) is not { Implicit: false }) }.ThrowIfInvalid();
            return AnalysisInput.WithStoreIf(context, s.Runs.FromStore, s.Db, store =>
            {
                var result = RunComparisons.Recommend(s.ToRequest(), store);
                context.WriteData(s.Json ? RecommendationJson.Write(result) : ToText(result));
                return (int)ExitCode.Success;
            });
        });
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
            sb.AppendLine(c, $"  vs {s.Against.Label}: {s.Fraction * 100:F2} % {ci}, {r.Score.Name} {s.ScoreDifference:+0.0000;-0.0000}{(s.Undecided ? " (not enough repetitions to decide)" : "")}");
        }

        sb.AppendLine("Pareto front (cost vs score): " + string.Join(", ", r.Points.Where(p => p.OnParetoFront).OrderBy(p => p.Cost).Select(p => p.Label)));
        foreach (string n in r.Notes)
        {
            sb.AppendLine("Note: " + n);
        }

        return sb.ToString();
    }
}
