using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Storage;
using TrainWatt.Storage.Import;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt import nvidia-smi FILE...</c> and <c>trainwatt import seaa2023 DIR</c>: traces into the run store.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import", "Import recorded traces into the run store.");
        command.Subcommands.Add(CreateNvidiaSmi(context));
        command.Subcommands.Add(CreateSeaa2023(context));
        return command;
    }

    private static Command CreateNvidiaSmi(CliContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "nvidia-smi --query-gpu ... --format=csv traces (plain or gzip).", Arity = ArgumentArity.OneOrMore };
        var (db, replace, json) = CommonOptions();
        var command = new Command("nvidia-smi", "Import nvidia-smi CSV traces: one run per file and GPU, with every fault found.");
        command.Arguments.Add(files);
        command.Options.Add(db);
        command.Options.Add(replace);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            string[] paths = parse.GetValue(files) ?? [];
            var missing = paths.Where(p => !File.Exists(p)).ToList();
            if (missing.Count > 0)
            {
                foreach (string path in missing)
                {
                    StoreLocation.DiagnosticRaw(context, $"error: {path}: no such file. Give nvidia-smi CSV files (plain or .gz).");
                }

                return (int)ExitCode.NoInput;
            }

            return StoreLocation.WithStore(context, parse.GetValue(db), store =>
            {
                var report = new NvidiaSmiImporter(store).Import(paths, Policy(parse.GetValue(replace)));
                return Report(context, store, report, parse.GetValue(json));
            });
        });
        return command;
    }

    private static Command CreateSeaa2023(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "The SEAA 2023 data folder (holding traces/ENV/MODEL/ and runs.csv)." };
        var (db, replace, json) = CommonOptions();
        var command = new Command("seaa2023", "Import the SEAA 2023 data set: every GPU trace with its process trace, flags lost tails, records runs.csv metadata.");
        command.Arguments.Add(directory);
        command.Options.Add(db);
        command.Options.Add(replace);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(directory)!;
            if (!Directory.Exists(dir))
            {
                StoreLocation.DiagnosticRaw(context, $"error: {dir}: no such folder. Give the seaa2023 data folder (the one holding traces/ and runs.csv).");
                return (int)ExitCode.NoInput;
            }

            return StoreLocation.WithStore(context, parse.GetValue(db), store =>
            {
                var report = new Seaa2023Importer(store).Import(dir, Policy(parse.GetValue(replace)));
                return Report(context, store, report, parse.GetValue(json));
            });
        });
        return command;
    }

    private static (Option<string?> Db, Option<bool> Replace, Option<bool> Json) CommonOptions() =>
    (
        StoreLocation.CreateOption(),
        new Option<bool>("--replace") { Description = "Re-import inputs already in the store (default: skip them; re-import is idempotent)." },
        new Option<bool>("--json") { Description = "Print the import report as one JSON object." }
    );

    private static ExistingRunPolicy Policy(bool replace) => replace ? ExistingRunPolicy.Replace : ExistingRunPolicy.Skip;

    private static int Report(CliContext context, IRunStore store, ImportReport report, bool json)
    {
        foreach (var failure in report.Failed)
        {
            StoreLocation.DiagnosticRaw(context, "error: " + failure);
        }

        foreach (var warning in report.AllWarnings)
        {
            StoreLocation.DiagnosticRaw(context, "warning: " + warning);
        }

        if (json)
        {
            context.WriteData(Json(store, report));
        }
        else
        {
            context.WriteData(Text(store, report));
        }

        bool anyGood = report.Imported.Count + report.Skipped.Count + report.Replaced.Count > 0;
        return report.Failed.Count == 0 ? (int)ExitCode.Success : anyGood ? (int)ExitCode.PartialFailure : (int)ExitCode.DataError;
    }

    private static string Text(IRunStore store, ImportReport report)
    {
        var text = new StringBuilder();
        var ids = report.Imported.Select(r => r.RunId).ToList();
        string range = ids.Count == 0 ? "" : ids.Count == 1 ? $" (id {ids[0]})" : $" (ids {ids.Min()}-{ids.Max()})";
        text.Append(CultureInfo.InvariantCulture, $"Imported {report.Imported.Count} runs{range}, {report.Imported.Sum(r => r.Samples)} samples, into {store.Location}.\n");
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

        if (report.Failed.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Failed: {report.Failed.Count} inputs gave no run (see the errors above).\n");
        }

        return text.ToString();
    }

    private static string Json(IRunStore store, ImportReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("store", store.Location);
            json.WriteStartArray("imported");
            foreach (var run in report.Imported)
            {
                json.WriteStartObject();
                json.WriteNumber("run_id", run.RunId);
                json.WriteString("source_key", run.SourceKey);
                json.WriteString("status", run.Status.ToString().ToLowerInvariant());
                json.WriteNumber("samples", run.Samples);
                json.WriteStartArray("flags");
                foreach (string flag in run.Flags)
                {
                    json.WriteStringValue(flag);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteStrings(json, "skipped", report.Skipped);
            WriteStrings(json, "replaced", report.Replaced);
            json.WriteStartArray("failed");
            foreach (var failure in report.Failed)
            {
                json.WriteStartObject();
                json.WriteString("file", failure.File);
                json.WriteString("message", failure.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in report.AllWarnings)
            {
                json.WriteStartObject();
                json.WriteString("file", warning.File);
                json.WriteString("message", warning.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
