using System.Globalization;
using System.Text;
using TrainWatt.Storage.Jobs;
using TrainWatt.Storage.Sqlite;

using TrainWatt.Core;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// How <c>trainwatt runs merge JOB_ID</c> (and <c>runs show JOB_ID</c>) prints a distributed job's energy per node and
/// device, each GPU counted once (see <see cref="JobEnergy"/> for the de-duplication rule). The command itself is one
/// of <see cref="RunsCommand"/>'s.
/// </summary>
internal static class RunsMergeCommand
{
    public static string Render(JobEnergyReport report, bool json) => json ? CliJson.Write(Json(report), CompactJsonContext.Default.JobJson) : Text(report);

    private static string Text(JobEnergyReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Job {report.JobId}: {report.Runs.Count} runs on {report.PerNode.Count} nodes\n");
        text.Append(CultureInfo.InvariantCulture, $"  energy    {(report.Total is { } total ? $"{total} (each device counted once)" : $"none: {report.NoEnergyReason}")}\n\n");
        var runs = report.Runs.Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture), JobEnergy.Node(r), JobEnergy.Rank(r) ?? "-", SqliteRunStore.StatusText(r.Status),
            r.Duration is { } d ? RunsCommand.Duration(d) : "",
        }).ToList();
        text.Append(RunsCommand.Table(["RUN", "NODE", "RANK", "STATUS", "DURATION"], runs)).Append('\n');
        var devices = report.Devices.Select(d => new[]
        {
            d.Node, d.Device, d.Component, d.Uuid ?? "-", RunsCommand.Number(d.Energy.Joules),
            ProvenanceText.Name(d.Provenance), string.Join(',', d.CountedRuns), Runs(d.PartialRuns), Runs(d.DuplicateRuns),
        }).ToList();
        text.Append(RunsCommand.Table(["NODE", "DEVICE", "COMPONENT", "UUID", "ENERGY_J", "PROVENANCE", "COUNTED_RUNS", "PARTIAL_RUNS", "DUPLICATE_RUNS"], devices)).Append('\n');
        text.Append(RunsCommand.Table(["NODE", "ENERGY_J"],
            report.PerNode.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new[] { n.Key, RunsCommand.Number(n.Value.Joules) }).ToList()));
        text.Append("Each device's time line is counted once: PARTIAL_RUNS add only the part of their window that the counted runs do not cover;\n");
        text.Append("DUPLICATE_RUNS measured the same device (same UUID on the same node) within windows already counted: left out.\n");
        return text.ToString();
    }

    private static string Runs(IReadOnlyList<long> runs) => runs.Count == 0 ? "-" : string.Join(',', runs);

    private static JobJson Json(JobEnergyReport report) => new(
        report.JobId,
        report.Total?.Joules,
        report.NoEnergyReason,
        [.. report.Runs.Select(r => new JobRunJson(r.Id, JobEnergy.Node(r), JobEnergy.Rank(r), SqliteRunStore.StatusText(r.Status)))],
        new SortedDictionary<string, double>(report.PerNode.ToDictionary(n => n.Key, n => n.Value.Joules), StringComparer.Ordinal),
        [.. report.Devices.Select(d => new JobDeviceJson(d.Node, d.Device, d.Component, d.Uuid, d.Energy.Joules, ProvenanceText.Name(d.Provenance),
            d.CountedRuns, d.PartialRuns, d.DuplicateRuns))]);
}
