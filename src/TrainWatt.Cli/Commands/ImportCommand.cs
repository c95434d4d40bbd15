using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Measurement.Store;
using TrainWatt.Storage.Import;

namespace TrainWatt.Cli.Commands;

/// <summary>The options of <c>import nvidia-smi</c> and <c>import seaa2023</c>.</summary>
/// <param name="Inputs">The trace files (nvidia-smi), or the one data folder (seaa2023).</param>
/// <param name="Db">--db, or null for the default store.</param>
/// <param name="Replace">--replace: import inputs already in the store again.</param>
/// <param name="Json">--json.</param>
internal sealed record ImportSettings(IReadOnlyList<string> Inputs, string? Db, bool Replace, bool Json) : ICommandSettings
{
    public ExistingRunPolicy Policy => Replace ? ExistingRunPolicy.Replace : ExistingRunPolicy.Skip;

    public IReadOnlyList<string> Validate()
        => Inputs.Any(string.IsNullOrWhiteSpace)
            ? ["FILE/DIR: an input is empty; give the path of a trace file or data folder."]
            : [];
}

/// <summary><c>trainwatt import nvidia-smi FILE...</c> and <c>trainwatt import seaa2023 DIR</c>: traces into the run store (<see cref="RunImport"/>).</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import", "Import recorded traces into the run store.");
        var files = new Argument<string[]>("FILE") { Description = "nvidia-smi --query-gpu ... --format=csv traces (plain or gzip).", Arity = ArgumentArity.OneOrMore };
        command.Subcommands.Add(Create(context, "nvidia-smi", "Import nvidia-smi CSV traces: one run per file and GPU, with every fault found.", files,
            parse => parse.GetValue(files) ?? [], (s, host, progress) => RunImport.NvidiaSmi(s.Inputs, s.Policy, s.Db, host, progress)));
        var directory = new Argument<string>("DIR") { Description = "The SEAA 2023 data folder (holding traces/ENV/MODEL/ and runs.csv)." };
        command.Subcommands.Add(Create(context, "seaa2023", "Import the SEAA 2023 data set: every GPU trace with its process trace, flags lost tails, records runs.csv metadata.", directory,
            parse => [parse.GetValue(directory)!], (s, host, progress) => RunImport.Seaa2023(s.Inputs[0], s.Policy, s.Db, host, progress)));
        return command;
    }

    private static Command Create(CliContext context, string name, string description, Argument inputs, Func<ParseResult, string[]> readInputs, Func<ImportSettings, HostContext, Action<ImportProgress>?, ImportOutcome> import)
    {
        var db = StoreLocation.CreateOption();
        var replace = new Option<bool>("--replace") { Description = "Re-import inputs already in the store (default: skip them; re-import is idempotent)." };
        var json = new Option<bool>("--json") { Description = "Print the import report as one JSON object." };
        var command = new Command(name, description);
        command.Arguments.Add(inputs);
        command.Options.Add(db);
        command.Options.Add(replace);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var settings = new ImportSettings(readInputs(parse), parse.GetValue(db), parse.GetValue(replace), parse.GetValue(json)).ThrowIfInvalid();
            ImportOutcome outcome;
            using (var progress = ImportProgressLine.For(context))
            {
                outcome = import(settings, context.Host, progress is null ? null : progress.Report);
            }

            Render(context, outcome, settings.Json);
            return (int)outcome.Outcome;
        });
        return command;
    }

    private static void Render(CliContext context, ImportOutcome outcome, bool json)
    {
        var report = outcome.Report;
        foreach (var failure in report.Failed)
        {
            StoreLocation.DiagnosticRaw(context, "error: " + failure);
        }

        foreach (var warning in report.AllWarnings)
        {
            StoreLocation.DiagnosticRaw(context, "warning: " + warning);
        }

        context.WriteData(json ? CliJson.Write(Json(outcome), CompactJsonContext.Default.ImportJson) : Text(outcome));
    }

    private static ImportJson Json(ImportOutcome outcome)
    {
        var report = outcome.Report;
        return new ImportJson(
            outcome.Store,
            [.. report.Imported.Select(r => new ImportedRunJson(r.RunId, r.SourceKey, r.Status.ToString().ToLowerInvariant(), r.Samples, r.Flags))],
            report.Skipped,
            report.Replaced,
            [.. report.Failed.Select(f => new FileMessageJson(f.File, f.Message))],
            [.. report.AllWarnings.Select(w => new FileMessageJson(w.File, w.Message))],
            report.RemovedIncomplete);
    }

    private static string Text(ImportOutcome outcome)
    {
        var report = outcome.Report;
        var text = new StringBuilder();
        var ids = report.Imported.Select(r => r.RunId).ToList();
        string range = ids.Count == 0 ? "" : ids.Count == 1 ? $" (id {ids[0]})" : $" (ids {ids.Min()}-{ids.Max()})";
        text.Append(CultureInfo.InvariantCulture, $"Imported {report.Imported.Count} runs{range}, {report.Imported.Sum(r => r.Samples)} samples, into {outcome.Store}.\n");
        var flags = report.Imported.SelectMany(r => r.Flags).GroupBy(f => f, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (flags.Count > 0)
        {
            text.Append("Flagged runs: ").AppendJoin(", ", flags.Select(g => $"{g.Key} {g.Count()}")).Append('\n');
        }

        if (report.Skipped.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Skipped {report.Skipped.Count} runs already in the store (use --replace to import them again).\n");
        }

        if (report.Replaced.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Replaced {report.Replaced.Count} runs that were already in the store.\n");
        }

        if (report.RemovedIncomplete > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Removed {report.RemovedIncomplete} incomplete runs an interrupted import of the same input had left.\n");
        }

        if (report.Failed.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Failed: {report.Failed.Count} inputs gave no run (see the errors above).\n");
        }

        return text.ToString();
    }
}
