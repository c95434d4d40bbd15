using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Storage;
using TrainWatt.Storage.Jobs;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt runs merge JOB_ID</c>: a distributed job's energy per node and device, each GPU counted once
/// (see <see cref="JobEnergy"/> for the de-duplication rule).
/// </summary>
internal static class RunsMergeCommand
{
    public static Command Create(CliContext context)
    {
        var jobId = new Argument<string>("JOB_ID") { Description = "Job id stored by measure (SLURM_JOB_ID, TORCHELASTIC_RUN_ID or --job-id)." };
        var db = StoreLocation.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("merge", "A distributed job's energy per node and device, without double counting GPUs shared by several ranks.");
        command.Arguments.Add(jobId);
        command.Options.Add(db);
        command.Options.Add(json);
        command.SetAction(parse => StoreLocation.WithStore(context, parse.GetValue(db), store => Print(context, store, parse.GetValue(jobId)!, parse.GetValue(json))));
        return command;
    }

    /// <summary>Prints the merged job, or an error naming the fix when no run has this job id.</summary>
    internal static int Print(CliContext context, IRunStore store, string jobId, bool json)
    {
        var report = JobEnergy.Merge(store, jobId);
        if (report is null)
        {
            StoreLocation.DiagnosticRaw(context,
                $"error: no run in the store {store.Location} has job id '{jobId}'. Measure each rank with `trainwatt measure --job-id {jobId}` (or under SLURM/torchrun), or list runs with `trainwatt runs list`.");
            return (int)ExitCode.NoInput;
        }

        context.WriteData(json ? Json(report) : Text(report));
        return (int)ExitCode.Success;
    }

    private static string Text(JobEnergyReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Job {report.JobId}: {report.Runs.Count} runs on {report.PerNode.Count} nodes\n");
        text.Append(CultureInfo.InvariantCulture, $"  energy    {report.Total} (each device counted once)\n\n");
        var runs = report.Runs.Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture), JobEnergy.Node(r), JobEnergy.Rank(r) ?? "-", SqliteRunStore.StatusText(r.Status),
            r.Duration is { } d ? RunsCommand.Duration(d) : "",
        }).ToList();
        text.Append(RunsCommand.Table(["RUN", "NODE", "RANK", "STATUS", "DURATION"], runs)).Append('\n');
        var devices = report.Devices.Select(d => new[]
        {
            d.Node, d.Device, d.Component, d.Uuid ?? "-", d.Energy.Joules.ToString("0.###", CultureInfo.InvariantCulture),
            TrainWatt.Core.ProvenanceText.Name(d.Provenance), string.Join(',', d.CountedRuns), Runs(d.PartialRuns), Runs(d.DuplicateRuns),
        }).ToList();
        text.Append(RunsCommand.Table(["NODE", "DEVICE", "COMPONENT", "UUID", "ENERGY_J", "PROVENANCE", "COUNTED_RUNS", "PARTIAL_RUNS", "DUPLICATE_RUNS"], devices)).Append('\n');
        text.Append(RunsCommand.Table(["NODE", "ENERGY_J"],
            report.PerNode.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new[] { n.Key, n.Value.Joules.ToString("0.###", CultureInfo.InvariantCulture) }).ToList()));
        text.Append("Each device's time line is counted once: PARTIAL_RUNS add only the part of their window that the counted runs do not cover;\n");
        text.Append("DUPLICATE_RUNS measured the same device (same UUID on the same node) within windows already counted: left out.\n");
        return text.ToString();
    }

    private static string Runs(IReadOnlyList<long> runs) => runs.Count == 0 ? "-" : string.Join(',', runs);

    private static string Json(JobEnergyReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("job_id", report.JobId);
            json.WriteNumber("energy_j", report.Total.Joules);
            json.WriteStartArray("runs");
            foreach (var r in report.Runs)
            {
                json.WriteStartObject();
                json.WriteNumber("id", r.Id);
                json.WriteString("node", JobEnergy.Node(r));
                json.WriteString("rank", JobEnergy.Rank(r));
                json.WriteString("status", SqliteRunStore.StatusText(r.Status));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("nodes");
            foreach (var (node, energy) in report.PerNode.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(node, energy.Joules);
            }

            json.WriteEndObject();
            json.WriteStartArray("devices");
            foreach (var d in report.Devices)
            {
                json.WriteStartObject();
                json.WriteString("node", d.Node);
                json.WriteString("device", d.Device);
                json.WriteString("component", d.Component);
                json.WriteString("uuid", d.Uuid);
                json.WriteNumber("energy_j", d.Energy.Joules);
                json.WriteString("provenance", TrainWatt.Core.ProvenanceText.Name(d.Provenance));
                json.WriteStartArray("counted_runs");
                d.CountedRuns.ToList().ForEach(json.WriteNumberValue);
                json.WriteEndArray();
                json.WriteStartArray("partial_runs");
                d.PartialRuns.ToList().ForEach(json.WriteNumberValue);
                json.WriteEndArray();
                json.WriteStartArray("duplicate_runs");
                d.DuplicateRuns.ToList().ForEach(json.WriteNumberValue);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
