using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Measurement.Comparisons;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt analyze</c>'s options, typed.</summary>
internal sealed record AnalyzeSettings(
    RunSelection Runs, string? Db, IReadOnlyList<string> By, Metric Metric, int Seed, Metric? Correlate, string? Within, bool Json) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = AnalysisInput.Problems(Runs).ToList();
        if (By.Count is < 1 or > 2)
        {
            problems.Add($"--by takes one or two keys (e.g. architecture,environment); got {By.Count}: '{string.Join(",", By)}'.");
        }

        return problems;
    }

    /// <summary>The options left at their defaults (which then fall back to what the runs have).</summary>
    public (bool By, bool Metric) Defaulted { get; init; }

    public AnalyzeRequest ToRequest() => new(Runs, By, Metric) { Seed = Seed, Correlate = Correlate, Within = Within, ByIsDefault = Defaulted.By, MetricIsDefault = Defaulted.Metric };
}

/// <summary>
/// <c>trainwatt analyze --seaa2023 DIR [--filter key=value ...] --by architecture[,environment] --metric
/// energy-per-sample|energy|duration|f1 [--json]</c>: group medians with bootstrap CIs, Kruskal-Wallis + eta^2,
/// Dunn-Holm pairs with Cliff's delta, Shapiro-Wilk per group, Levene, and a two-way ANOVA for two keys
/// (<see cref="RunComparisons.Analyze"/>).
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create(CliContext context)
    {
        var input = new AnalysisInput();
        var by = TypedOptions.Parsed<IReadOnlyList<string>>("--by", "One or two comma-separated keys to group by (default: architecture,environment, or the tags the runs have).", TypedOptions.CommaList, "architecture,environment");
        var metric = TypedOptions.Parsed("--metric", "energy-per-sample (J per sample seen), energy (J), duration (s), or a score such as f1.", Metric.Parse, "energy-per-sample");
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed (same seed, same CIs).", DefaultValueFactory = _ => TrainWatt.Analysis.Statistics.Bootstrap.DefaultSeed };
        var correlate = TypedOptions.Parsed("--correlate", "Also give Spearman's rho (one-sided, positive) between the metric and this score (e.g. f1): does spending more buy accuracy?", Metric.Parse);
        var within = new Option<string?>("--within") { Description = "With --correlate: one correlation per value of this key (e.g. environment)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("analyze", "Compare groups of runs like the paper: medians, Kruskal-Wallis, Dunn-Holm, Cliff's delta, two-way ANOVA.");
        input.AddTo(command);
        foreach (var option in new Option[] { by, metric, seed, correlate, within, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = new AnalyzeSettings(
                input.Selection(parse), parse.GetValue(input.Db), parse.GetValue(by).Value, parse.GetValue(metric).Value, parse.GetValue(seed), parse.GetValue(correlate),
                parse.GetValue(within), parse.GetValue(json)) { Defaulted = (parse.GetResult(by) is not { Implicit: false }, parse.GetResult(metric) is not { Implicit: false }) }.ThrowIfInvalid();
            return AnalysisInput.WithStoreIf(context, s.Runs.FromStore, s.Db, store =>
            {
                var result = RunComparisons.Analyze(s.ToRequest(), store);
                context.WriteData(s.Json ? GroupAnalysisJson.Write(result) : ToText(result));
                return (int)ExitCode.Success;
            });
        });
        return command;
    }

    internal static string ToText(GroupAnalysisResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Metric: {r.Metric.Name} [{r.Metric.Unit}], grouped by {string.Join(", ", r.By)}");
        int width = Math.Max(5, r.Groups.Max(g => g.Label.Length));
        sb.AppendLine(c, $"{"Group".PadRight(width)}  {"n",4}  {"median",12}  {"95% CI",27}  {"Shapiro p",10}");
        foreach (var g in r.Groups)
        {
            string ci = g.MedianCi is { } i ? string.Create(c, $"[{i.Lower:G6}, {i.Upper:G6}]") : "-";
            string sw = g.Shapiro is { } s ? s.P.ToString("G3", c) : "-";
            sb.AppendLine(c, $"{g.Label.PadRight(width)}  {g.N,4}  {g.Median,12:G6}  {ci,27}  {sw,10}");
        }

        if (r.Levene is { } lev)
        {
            sb.AppendLine(c, $"Levene (median): W = {lev.W:G5}, p = {lev.P:G3}");
        }

        if (r.KruskalWallis is { } kw)
        {
            sb.AppendLine(c, $"Kruskal-Wallis: H = {kw.H:G6}, df = {kw.Df}, p = {kw.P:G3}, eta2 = {kw.EtaSquared:G4}{(r.TestsOnSmallGroups ? " (groups too small: indicative only, see the notes)" : "")}");
        }

        if (r.Posthoc.Count > 0)
        {
            sb.AppendLine("Dunn post-hoc (Holm) and Cliff's delta:");
            foreach (var p in r.Posthoc)
            {
                sb.AppendLine(c, $"  {p.A.Label} vs {p.B.Label}: z = {p.Z:F3}, p_holm = {p.PHolm:G3}, delta = {p.CliffsDelta.Delta:F3} ({p.CliffsDelta.Magnitude.ToString().ToLowerInvariant()})");
            }
        }

        if (r.Anova is { } a)
        {
            sb.AppendLine("Two-way ANOVA (type II):");
            foreach (var t in new[] { a.A, a.B, a.Interaction })
            {
                sb.AppendLine(c, $"  {t.Name}: F({t.Df}, {a.ResidualDf}) = {t.F:G6}, p = {t.P:G3}, partial eta2 = {t.PartialEtaSquared:G4}");
            }
        }

        if (r.TradeOff is { Count: > 0 } tradeOff)
        {
            sb.AppendLine(c, $"Spearman {r.Metric.Name} vs {r.TradeOffScore} (one-sided, rho > 0):");
            foreach (var t in tradeOff)
            {
                string label = t.Within.Count == 0 ? "all runs" : string.Join(", ", t.Within.Select(w => $"{w.Key}={w.Value}"));
                sb.AppendLine(c, $"  {label}: n = {t.N}, rho = {t.Rho:F3}, p = {t.PGreater:G3}");
            }
        }

        if (r.RunsWithoutMetric > 0)
        {
            sb.AppendLine(c, $"{r.RunsWithoutMetric} run(s) without {r.Metric.Name} were left out.");
        }

        foreach (string note in r.Notes)
        {
            sb.AppendLine("Note: " + note);
        }

        return sb.ToString();
    }
}
