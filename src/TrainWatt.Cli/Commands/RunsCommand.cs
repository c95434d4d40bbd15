using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Store;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Sqlite;

using TrainWatt.Core;
using TrainWatt.Core.Accounting;

namespace TrainWatt.Cli.Commands;

/// <summary>The options of <c>runs list|show|merge</c>.</summary>
/// <param name="Id">show: a run id or job id; merge: a job id; list: null.</param>
/// <param name="Db">--db, or null for the default store.</param>
/// <param name="Json">--json.</param>
internal sealed record RunsSettings(string? Id, string? Db, bool Json) : ICommandSettings
{
    /// <summary>The id (show and merge take one).</summary>
    public string Selected => Id ?? throw new InvalidOperationException("this runs command takes no id.");

    /// <summary>list: its filters.</summary>
    public RunListQuery? List { get; init; }

    public IReadOnlyList<string> Validate()
        => Id is not null && string.IsNullOrWhiteSpace(Id)
            ? [$"ID: '{Id}' is empty; give a run id or job id from `trainwatt runs list`."]
            : List?.Problems() ?? [];
}

/// <summary><c>trainwatt runs list|show</c>: the stored run history (<see cref="RunQueries"/>).</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("runs", "List and show stored runs.");
        var tag = new Option<string[]>("--tag") { Description = "Only runs with this tag key=value (repeatable: all must hold).", AllowMultipleArgumentsPerToken = false };
        var status = new Option<string?>("--status") { Description = "Only runs with this outcome: " + string.Join(", ", RunOutcome.Names) + " (failed: the command exited non-zero, or the measurement failed)." };
        var since = new Option<string?>("--since") { Description = "Only runs started since a date (2026-12-01) or a time back from now (2h, 7d)." };
        var limit = new Option<int?>("--limit") { Description = "Only the newest N runs that match." };
        var list = Create(context, "list", "List stored runs, oldest first: outcome, duration, energy, exit code, tags.", "Print one JSON array of runs (with energy_j, exit_code, outcome).", null, (s, host) =>
        {
            var listing = RunQueries.List(s.Db, host, s.List!);
            return s.Json ? ListJson(listing.Runs) : ListText(listing);
        }, parse => new RunListQuery
        {
            Tags = parse.GetValue(tag) ?? [], Outcome = parse.GetValue(status), Limit = parse.GetValue(limit),
            Since = parse.GetValue(since) is { } text ? RunListQuery.ParseSince(text, context.Time.GetUtcNow()) : null,
        });
        foreach (var option in new Option[] { tag, status, since, limit })
        {
            list.Options.Add(option);
        }

        command.Subcommands.Add(list);
        var id = new Argument<string>("ID") { Description = "Run id (see `trainwatt runs list`), or a job id: then the merged job (as `runs merge`)." };
        command.Subcommands.Add(Create(context, "show", "Show one run: devices, energy per device with provenance, epochs, faults.", "Print one JSON object.", id, (s, host) =>
        {
            var shown = RunQueries.Show(s.Db, s.Selected, host);
            return shown.Job is { } job ? RunsMergeCommand.Render(job, s.Json)
                : s.Json ? ShowJson(shown.Run!) : ShowText(shown.Run!.Details) + PhasesText(shown.Run.Phases) + ProjectionJson.Text(shown.Run.Projections, shown.Run.ProjectionError, Table);
        }));
        var jobId = new Argument<string>("JOB_ID") { Description = "Job id stored by measure (SLURM_JOB_ID, TORCHELASTIC_RUN_ID or --job-id)." };
        command.Subcommands.Add(Create(context, "merge", "A distributed job's energy per node and device, without double counting GPUs shared by several ranks.", "Print one JSON object.", jobId,
            (s, host) => RunsMergeCommand.Render(RunQueries.Merge(s.Db, s.Selected, host), s.Json)));
        return command;
    }

    /// <summary>A runs subcommand: parse, validate, one query, print its text.</summary>
    private static Command Create(CliContext context, string name, string description, string jsonDescription, Argument<string>? id, Func<RunsSettings, HostContext, string> query, Func<ParseResult, RunListQuery>? list = null)
    {
        var db = StoreLocation.CreateOption();
        var json = new Option<bool>("--json") { Description = jsonDescription };
        var command = new Command(name, description);
        if (id is not null)
        {
            command.Arguments.Add(id);
        }

        command.Options.Add(db);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var settings = new RunsSettings(id is null ? null : parse.GetValue(id), parse.GetValue(db), parse.GetValue(json)) { List = list?.Invoke(parse) }.ThrowIfInvalid();
            context.WriteData(query(settings, context.Host));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static string ListJson(IReadOnlyList<RunListEntry> runs) => RunJsonDocument(json =>
    {
        json.WriteStartArray();
        foreach (var entry in runs)
        {
            RunJson.WriteListEntry(json, entry.Run, entry.Energy?.Joules, entry.Outcome);
        }

        json.WriteEndArray();
    });

    private static string ShowJson(RunView view) => RunJsonDocument(json =>
    {
        json.WriteStartObject();
        RunJson.WriteDetailsMembers(json, view.Details);
        RunJson.WritePhases(json, view.Phases);
        ProjectionJson.WriteMembers(json, view.Projections, view.ProjectionError);
        json.WriteEndObject();
    });

    /// <summary>A document of the store's own run writer (<see cref="RunJson"/>, shared with export), compact, and a newline.</summary>
    private static string RunJsonDocument(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string ListText(RunListing list)
    {
        if (list.Total == 0)
        {
            return $"No runs in {list.Store}. Measure one with `trainwatt measure -- COMMAND` or import traces with `trainwatt import`.\n";
        }

        var rows = list.Runs.Select(e => new[]
        {
            e.Run.Id.ToString(CultureInfo.InvariantCulture), RunOutcome.Text(e.Run), e.Run.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            e.Run.Duration is { } d ? Duration(d) : "", e.Energy?.ToString() ?? "-", e.Run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
            string.Join(' ', e.Run.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")), e.Run.Command ?? e.Run.SourceKey ?? e.Run.Source,
        }).ToList();
        string shown = list.Runs.Count < list.Total ? string.Create(CultureInfo.InvariantCulture, $"{list.Runs.Count} of {list.Total} runs shown{(list.Matched < list.Total ? $" ({list.Matched} match the filters)" : "")}.\n") : "";
        return Table(["ID", "STATUS", "STARTED", "DURATION", "ENERGY", "EXIT", "TAGS", "COMMAND/SOURCE KEY"], rows) + shown;
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

        text.Append(CultureInfo.InvariantCulture, $"  energy    {details.TotalEnergy switch
        {
            null => $"none: {details.NoEnergyReason}",
            { } total when details.DevicesWithoutEnergy > 0 => $"{total} (sum of the devices below that have one; {details.DevicesWithoutEnergy} ha{(details.DevicesWithoutEnergy == 1 ? "s" : "ve")} no energy measurement)",
            { } total => $"{total} (sum of the devices below)",
        }}\n");
        foreach (var cpu in details.Annotations.Where(a => a.Kind == CpuAttributionResult.AnnotationKind).Select(a => CpuAttributionResult.FromAnnotation(a.Message)).OfType<CpuAttributionResult>())
        {
            text.Append("  ").Append(cpu.Line()).Append('\n');
        }

        text.Append('\n');
        var devices = details.Energy.Select(e => new[]
        {
            e.Device.Key,
            e.Device.Component,
            e.Device.Name ?? "",
            e.Samples.ToString(CultureInfo.InvariantCulture),
            e.Energy is { } energy ? Number(energy.Joules) : "-",
            e.Energy is null ? "-" : ProvenanceText.Name(e.Provenance),
            e.MeanPower is { } mean ? Number(mean.Watts) : "-",
            e.MaxPower is { } max ? Number(max.Watts) : "-",
            e.MaxGap is { } gap ? Number(gap.TotalSeconds) : "-",
            Number(e.ExcludedDuration.TotalSeconds),
        }).ToList();
        text.Append(Table(["DEVICE", "COMPONENT", "NAME", "SAMPLES", "ENERGY_J", "PROVENANCE", "MEAN_W", "MAX_W", "MAX_GAP_S", "EXCLUDED_S"], devices));
        foreach (var e in details.Energy)
        {
            if (e.Energy is { } counter && e.SampledEnergy is { } sampled && CounterCheck.RelativeDifference(counter, sampled) is double diff)
            {
                string flag = CounterCheck.Disagrees(counter, sampled) ? $": they disagree by more than 5 %, the counter is reported" : "";
                text.Append(CultureInfo.InvariantCulture, $"{e.Device.Key}: counter {Number(counter.Joules)} J, sampled power {Number(sampled.Joules)} J ({diff * 100:+0.0;-0.0} %){flag}.\n");
            }
        }

        if (details.Energy.Any(e => e.ExcludedDuration > TimeSpan.Zero))
        {
            text.Append("EXCLUDED_S: time in gaps between samples longer than 5 s, left out of the sampled energy (a lower bound there).\n");
        }

        if (details.Epochs.Count > 0)
        {
            text.Append('\n');
            var epochs = details.Epochs.Select(e => new[]
            {
                e.Number.ToString(CultureInfo.InvariantCulture),
                RunJson.Time(e.Start),
                Number((e.End - e.Start).TotalSeconds),
                e.Energy is { } energy ? Number(energy.Joules) : "-",
                ProvenanceText.Name(e.Provenance),
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

    /// <summary>The phases' line (epochs next to the whole process), or nothing.</summary>
    private static string PhasesText(Core.Accounting.RunPhases? phases) => phases is null ? "" : "\n" + phases.Line() + "\n";

    /// <summary>Up to 3 decimals, invariant: the number format of every text table here.</summary>
    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

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
