using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Measurement;
using TrainWatt.Core.Projection;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt runs list|show</c>: the stored run history.</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("runs", "List and show stored runs.");
        command.Subcommands.Add(CreateList(context));
        command.Subcommands.Add(CreateShow(context));
        command.Subcommands.Add(RunsMergeCommand.Create(context));
        return command;
    }

    private static Command CreateList(CliContext context)
    {
        var db = StoreLocation.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON array of runs." };
        var command = new Command("list", "List stored runs, oldest first.");
        command.Options.Add(db);
        command.Options.Add(json);
        command.SetAction(parse => StoreLocation.WithStore(context, parse.GetValue(db), store =>
        {
            var runs = store.ListRuns();
            context.WriteData(parse.GetValue(json) ? ListJson(runs) : ListText(runs, store.Location));
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var id = new Argument<string>("ID") { Description = "Run id (see `trainwatt runs list`), or a job id: then the merged job (as `runs merge`)." };
        var db = StoreLocation.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("show", "Show one run: devices, energy per device with provenance, epochs, faults.");
        command.Arguments.Add(id);
        command.Options.Add(db);
        command.Options.Add(json);
        command.SetAction(parse => StoreLocation.WithStore(context, parse.GetValue(db), store =>
        {
            string idText = parse.GetValue(id)!;
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out long runId) || store.GetRun(runId) is null)
            {
                if (store.ListRuns().Any(r => r.JobId == idText))
                {
                    return RunsMergeCommand.Print(context, store, idText, parse.GetValue(json));
                }

                if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out runId))
                {
                    StoreLocation.DiagnosticRaw(context, $"error: '{idText}' is neither a run id nor a job id in the store {store.Location}. List the runs with `trainwatt runs list`.");
                    return (int)ExitCode.NoInput;
                }
            }

            var details = store.GetRun(runId);
            if (details is null)
            {
                return NoSuchRun(context, store, runId);
            }

            var projections = store.GetProjections(runId);
            var error = details.Run.Status == RunStatus.Completed ? LiveProjection.FinalError(projections, details.TotalEnergy) : null;
            context.WriteData(parse.GetValue(json) ? ShowJson(details, projections, error) : ShowText(details) + ProjectionJson.Text(projections, error, Table));
            return (int)ExitCode.Success;
        }));
        return command;
    }

    internal static int NoSuchRun(CliContext context, IRunStore store, long runId)
    {
        StoreLocation.DiagnosticRaw(context, $"error: there is no run {runId} in the store {store.Location}. List the runs with `trainwatt runs list`.");
        return (int)ExitCode.NoInput;
    }

    private static string ListJson(IReadOnlyList<RunRecord> runs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var run in runs)
            {
                RunJson.WriteRun(json, run);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string ListText(IReadOnlyList<RunRecord> runs, string location)
    {
        if (runs.Count == 0)
        {
            return $"No runs in {location}. Measure one with `trainwatt measure -- COMMAND` or import traces with `trainwatt import`.\n";
        }

        var rows = runs.Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture),
            SqliteRunStore.StatusText(r.Status),
            r.Source,
            r.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            r.Duration is { } d ? Duration(d) : "",
            r.DeviceCount.ToString(CultureInfo.InvariantCulture),
            r.SampleCount.ToString(CultureInfo.InvariantCulture),
            r.AnnotationCount.ToString(CultureInfo.InvariantCulture),
            r.Command ?? r.SourceKey ?? "",
        }).ToList();
        return Table(["ID", "STATUS", "SOURCE", "STARTED", "DURATION", "DEVICES", "SAMPLES", "NOTES", "COMMAND/SOURCE KEY"], rows);
    }

    private static string ShowJson(RunDetails details, IReadOnlyList<ProjectionEntry> projections, ProjectionErrorSummary? error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            RunJson.WriteDetailsMembers(json, details);
            ProjectionJson.WriteMembers(json, projections, error);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string ShowText(RunDetails details)
    {
        var run = details.Run;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Run {run.Id} ({run.Uuid})\n");
        text.Append(CultureInfo.InvariantCulture, $"  status    {SqliteRunStore.StatusText(run.Status)}{(run.IsAbandoned ? " (left running by a process that no longer exists)" : "")}{(run.ExitCode is { } code ? $", exit code {code}" : "")}\n");
        text.Append(CultureInfo.InvariantCulture, $"  source    {run.Source}{(run.SourceKey is null ? "" : " " + run.SourceKey)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  started   {RunJson.Time(run.Started)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  ended     {(run.Ended is { } ended ? RunJson.Time(ended) : "-")}{(run.Duration is { } d ? $" ({Duration(d)})" : "")}\n");
        if (run.Command is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  command   {run.Command}\n");
        }

        if (run.JobId is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  job       {run.JobId}\n");
        }

        if (run.Tags.Count > 0)
        {
            text.Append("  tags      ").AppendJoin(' ', run.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"  energy    {details.TotalEnergy} (sum of the devices below)\n\n");
        var devices = details.Energy.Select(e => new[]
        {
            e.Device.Key,
            e.Device.Component,
            e.Device.Name ?? "",
            e.Samples.ToString(CultureInfo.InvariantCulture),
            e.Energy is { } energy ? energy.Joules.ToString("0.###", CultureInfo.InvariantCulture) : "-",
            e.Energy is null ? "-" : TrainWatt.Core.ProvenanceText.Name(e.Provenance),
            e.MeanPower is { } mean ? mean.Watts.ToString("0.###", CultureInfo.InvariantCulture) : "-",
            e.MaxPower is { } max ? max.Watts.ToString("0.###", CultureInfo.InvariantCulture) : "-",
            e.MaxGap is { } gap ? gap.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) : "-",
            e.ExcludedDuration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        }).ToList();
        text.Append(Table(["DEVICE", "COMPONENT", "NAME", "SAMPLES", "ENERGY_J", "PROVENANCE", "MEAN_W", "MAX_W", "MAX_GAP_S", "EXCLUDED_S"], devices));
        if (details.Energy.Any(e => e.ExcludedDuration > TimeSpan.Zero))
        {
            text.Append(CultureInfo.InvariantCulture, $"EXCLUDED_S: time in gaps between samples {details.Run.GapRule.Description}, left out of the sampled energy (a lower bound there).\n");
        }

        if (details.Epochs.Count > 0)
        {
            text.Append('\n');
            var epochs = details.Epochs.Select(e => new[]
            {
                e.Number.ToString(CultureInfo.InvariantCulture),
                RunJson.Time(e.Start),
                (e.End - e.Start).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                e.Energy is { } energy ? energy.Joules.ToString("0.###", CultureInfo.InvariantCulture) : "-",
                TrainWatt.Core.ProvenanceText.Name(e.Provenance),
            }).ToList();
            text.Append(Table(["EPOCH", "START", "DURATION_S", "ENERGY_J", "PROVENANCE"], epochs));
        }

        if (details.Annotations.Count > 0)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"Faults and notes ({details.Annotations.Count}):\n");
            foreach (var a in details.Annotations)
            {
                string where = a.File is null ? "" : a.Line is { } line ? $"{a.File}:{line}: " : $"{a.File}: ";
                text.Append(CultureInfo.InvariantCulture, $"  {a.Kind}: {where}{a.Message}\n");
            }
        }

        return text.ToString();
    }

    internal static string Duration(TimeSpan duration)
        => duration.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h{duration.Minutes:00}m{duration.Seconds:00}s")
            : duration.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes}m{duration.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");

    /// <summary>A plain left-aligned text table, two spaces between columns, no trailing spaces.</summary>
    internal static string Table(string[] header, IReadOnlyList<string[]> rows)
    {
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
