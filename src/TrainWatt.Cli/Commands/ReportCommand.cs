using System.CommandLine;
using TrainWatt.Analysis.Data;
using TrainWatt.Measurement.Comparisons;
using TrainWatt.Reporting;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt report</c>'s options, typed: exactly one of <see cref="RunId"/>, <see cref="Experiment"/> and the SEAA 2023 folder.</summary>
internal sealed record ReportSettings(
    long? RunId, string? Experiment, RunSelection Runs, string? Db, string? Out, Metric Score, double MaxLoss, string? Predicted, string? Country, string? Region, double? Pue) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Runs.FromStore)
        {
            problems.Add("report takes RUN_ID, --experiment NAME or --seaa2023 DIR; --runs is for analyze and recommend.");
        }

        if ((RunId is null ? 0 : 1) + (Experiment is null ? 0 : 1) + (Runs.Seaa2023Directory is null ? 0 : 1) != 1)
        {
            problems.Add("Give exactly one of RUN_ID, --experiment NAME or --seaa2023 DIR.");
        }

        return problems;
    }

    public ReportRequest ToRequest() => new()
    {
        RunId = RunId, Experiment = Experiment, Seaa2023 = Runs.Seaa2023Directory is null ? null : Runs, Score = Score, MaxLoss = MaxLoss, PredictedFile = Predicted,
        Country = Country, Region = Region, Pue = Pue,
    };
}

/// <summary>
/// <c>trainwatt report (RUN_ID | --experiment NAME | --seaa2023 DIR) --out DIR</c>: a self-contained HTML page
/// (index.html, plots embedded as data URIs) plus the PNG plots beside it (<see cref="RunReports"/>).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var input = new AnalysisInput();
        var runId = new Argument<long?>("run-id") { Description = "A stored run to report on (power timeline with epochs, energy per epoch).", Arity = ArgumentArity.ZeroOrOne };
        var experiment = new Option<string?>("--experiment") { Description = "Report on the runs of an experiment (runs tagged experiment=NAME, configurations by their config tag)." };
        var output = new Option<string?>("--out") { Description = "Folder to write index.html, the PNG plots and pairwise.csv into (default: ./trainwatt-report-run-ID, ./trainwatt-report-NAME or ./trainwatt-report-seaa2023)." };
        var country = new Option<string?>("--country") { Description = "Grid for a run's carbon figure (ISO code or name); default: the --region's country, else the world average.", HelpName = "CODE" };
        var region = new Option<string?>("--region") { Description = "Cloud region or preset for a run's PUE and grid (gcp:europe-west1, preset:on-prem-average).", HelpName = "KEY" };
        var pue = new Option<double?>("--pue") { Description = "PUE for a run's carbon figure (default: the region's, else the on-prem average).", HelpName = "RATIO" };
        var metric = TypedOptions.Parsed("--metric", "Score for the Pareto plot (default f1).", Metric.Parse, "f1");
        var maxLoss = new Option<double>("--max-loss") { Description = "Allowed absolute score loss for the recommendation shown.", DefaultValueFactory = _ => 0.02 };
        var predicted = new Option<string?>("--predicted") { Description = "JSON file of predicted configurations ({\"configurations\":[{\"key\":{...},\"cost\":x,\"score\":y}]}): mixed into the Pareto plot and compared with the measured medians (estimate vs actual)." };
        var command = new Command("report", "Write an HTML report with plots for a run, an experiment or the SEAA 2023 data.");
        command.Arguments.Add(runId);
        input.AddTo(command);
        foreach (var option in new Option[] { experiment, output, metric, maxLoss, predicted, country, region, pue })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = new ReportSettings(
                parse.GetValue(runId), parse.GetValue(experiment), input.Selection(parse), parse.GetValue(input.Db), parse.GetValue(output)!,
                parse.GetValue(metric).Value, parse.GetValue(maxLoss), parse.GetValue(predicted), parse.GetValue(country), parse.GetValue(region), parse.GetValue(pue)).ThrowIfInvalid();
            var request = s.ToRequest();
            return AnalysisInput.WithStoreIf(context, request.FromStore, s.Db, store =>
            {
                HtmlReport report;
                using (var progress = ImportProgressLine.For(context))
                {
                    report = RunReports.Build(request with { Progress = progress is null ? null : progress.Show }, store, context.Host);
                }

                string page = report.Write(s.Out ?? request.DefaultOutDirectory);
                context.Diagnostic($"trainwatt: report written to {Path.GetFullPath(page)} (beside it: {string.Join(", ", report.Files)}); open it in a browser.");
                context.WriteData(page + "\n");
                return (int)ExitCode.Success;
            });
        });
        return command;
    }
}
