using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage.Jobs;

/// <summary>One physical device of a distributed job on one node, counted once.</summary>
/// <param name="Node">Node name (SLURMD_NODENAME, else the host name, as stored by <c>measure</c>).</param>
/// <param name="Device">Device key as measured ("gpu:0"); the first counted run's key when ranks number GPUs differently.</param>
/// <param name="Component">"gpu", "cpu", "ram", "process"...</param>
/// <param name="Uuid">Hardware UUID (GPUs), the de-duplication key.</param>
/// <param name="Energy">Energy counted for the device over the job.</param>
/// <param name="Provenance">Weakest provenance among the counted measurements (Model beats Sampled beats Counter).</param>
/// <param name="CountedRuns">Runs whose whole measurement of this device is counted.</param>
/// <param name="DuplicateRuns">Runs whose window of this device lies wholly inside counted windows: left out.</param>
/// <param name="PartialRuns">Runs counted only for the part of their window that no counted run covers.</param>
public sealed record JobDeviceEnergy(
    string Node,
    string Device,
    string Component,
    string? Uuid,
    Energy Energy,
    Provenance Provenance,
    IReadOnlyList<long> CountedRuns,
    IReadOnlyList<long> DuplicateRuns,
    IReadOnlyList<long> PartialRuns);

/// <summary>A distributed job's energy: every run with its job id, merged per node and device.</summary>
public sealed record JobEnergyReport(string JobId, IReadOnlyList<RunRecord> Runs, IReadOnlyList<JobDeviceEnergy> Devices)
{
    /// <summary>
    /// Sum over the de-duplicated devices; null when no run of the job has a device with an energy measurement
    /// (<see cref="NoEnergyReason"/>), so that no output reports a silent 0 J.
    /// </summary>
    public Energy? Total => Devices.Count == 0 ? null : Devices.Aggregate(Energy.Zero, (sum, d) => sum + d.Energy);

    /// <summary>Why <see cref="Total"/> is null; null when it is known.</summary>
    public string? NoEnergyReason => Devices.Count == 0
        ? $"no energy measurement: none of the job's {Runs.Count} run{(Runs.Count == 1 ? "" : "s")} has a device with power or energy samples (see `trainwatt runs show ID` for each)"
        : null;

    /// <summary>Energy per node.</summary>
    public IReadOnlyDictionary<string, Energy> PerNode => Devices
        .GroupBy(d => d.Node, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Aggregate(Energy.Zero, (sum, d) => sum + d.Energy), StringComparer.Ordinal);
}

/// <summary>
/// Merges the runs of a distributed job (one <c>trainwatt measure</c> per rank or per node) without double counting.
/// </summary>
/// <remarks>
/// <para>A device is identified per node by its hardware UUID (GPUs), else by its key for node-wide devices (a CPU
/// package, RAM), else per run (the process meter measures one process). Several ranks on one node that each measured
/// the same GPUs (every rank sees all GPUs, or ranks share one) produce several measurements of one device.</para>
/// <para>Rule: the measurements of one device on one node are grouped into clusters of overlapping time windows
/// (first to last sample). In each cluster the measurement with the longest window counts whole (it covers the others
/// best; ties go to the lowest run id); then, in the same order, every other measurement adds only the energy of the
/// parts of its window that no earlier one covers (its samples integrated over those parts: counter differences
/// interpolated linearly, power by the trapezoid rule, intervals that the run's <see cref="SampleGapRule"/> calls gaps
/// left out, as everywhere else). So the device's time line is covered once, as the union of the windows: windows that do not
/// overlap (a job that restarted) add up, a window inside another adds nothing (a duplicate) and one that sticks out
/// adds its overhang (a partial run).</para>
/// </remarks>
public static class JobEnergy
{
    /// <summary>The metadata key (in <c>runs.metadata</c>) holding the node name written by measure.</summary>
    public const string NodeKey = "node";

    /// <summary>The metadata key holding the rank (RANK, SLURM_PROCID).</summary>
    public const string RankKey = "rank";

    /// <summary>Merges every run of <paramref name="jobId"/>; null when the store has no run with that job id.</summary>
    public static JobEnergyReport? Merge(IRunStore store, string jobId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = store.ListRuns().Where(r => string.Equals(r.JobId, jobId, StringComparison.Ordinal)).ToList();
        if (runs.Count == 0)
        {
            return null;
        }

        var measurements = new List<Measurement>();
        foreach (var run in runs)
        {
            var details = store.GetRun(run.Id);
            if (details is null)
            {
                continue; // deleted meanwhile
            }

            string node = Node(run);
            var gapRule = run.GapRule;
            foreach (var energy in details.Energy)
            {
                if (energy.Energy is not { } joules || energy.First is not { } first || energy.Last is not { } last)
                {
                    continue;
                }

                var device = energy.Device;
                string identity = device.Uuid is { Length: > 0 } uuid ? "uuid:" + uuid
                    : device.Component == "process" ? $"run:{run.Id}:{device.Key}"
                    : "key:" + device.Key;
                measurements.Add(new Measurement(node, identity, device, run.Id, first, last, joules, energy.Provenance, energy.Provenance == Provenance.Counter, gapRule));
            }
        }

        var devices = new List<JobDeviceEnergy>();
        foreach (var group in measurements.GroupBy(m => (m.Node, m.Identity)).OrderBy(g => g.Key.Node, StringComparer.Ordinal).ThenBy(g => g.Key.Identity, StringComparer.Ordinal))
        {
            var counted = new List<Measurement>();
            var partial = new List<long>();
            var dropped = new List<long>();
            var total = Energy.Zero;
            foreach (var cluster in Clusters(group.OrderBy(m => m.First).ThenBy(m => m.RunId).ToList()))
            {
                var covered = new List<(DateTimeOffset From, DateTimeOffset To)>();
                foreach (var m in cluster.OrderByDescending(m => m.Last - m.First).ThenBy(m => m.RunId))
                {
                    if (covered.Count == 0)
                    {
                        counted.Add(m);
                        total += m.Energy;
                    }
                    else if (Uncovered(m.First, m.Last, covered) is { Count: > 0 } parts)
                    {
                        partial.Add(m.RunId);
                        total += Energy.FromJoules(ClippedJoules(store.EnumerateSamples(m.RunId, m.Device.Id), parts, m.Counter, m.GapRule));
                    }
                    else
                    {
                        dropped.Add(m.RunId);
                        continue;
                    }

                    covered.Add((m.First, m.Last));
                }
            }

            var contributing = group.Where(m => !dropped.Contains(m.RunId)).ToList();
            var provenance = contributing.Max(m => m.Provenance == Provenance.UserGiven ? Provenance.Counter : m.Provenance);
            var head = counted[0].Device;
            devices.Add(new JobDeviceEnergy(
                group.Key.Node, head.Key, head.Component, head.Uuid,
                total,
                provenance,
                counted.Select(m => m.RunId).ToList(),
                dropped.Order().ToList(),
                partial.Order().ToList()));
        }

        return new JobEnergyReport(jobId, runs, devices);
    }

    /// <summary>The node a run was measured on: metadata "node", else the stored host, else "unknown".</summary>
    public static string Node(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return MetadataString(run, NodeKey) ?? run.Host ?? "unknown";
    }

    /// <summary>The rank stored with a run, when measure saw one.</summary>
    public static string? Rank(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return MetadataString(run, RankKey);
    }

    private static string? MetadataString(RunRecord run, string key)
    {
        if (string.IsNullOrEmpty(run.Metadata))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(run.Metadata);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            return null; // imported runs may carry other metadata shapes
        }
    }

    private static IEnumerable<List<Measurement>> Clusters(List<Measurement> sorted)
    {
        var cluster = new List<Measurement>();
        DateTimeOffset end = DateTimeOffset.MinValue;
        foreach (var m in sorted)
        {
            if (cluster.Count > 0 && m.First > end)
            {
                yield return cluster;
                cluster = [];
            }

            cluster.Add(m);
            end = cluster.Count == 1 || m.Last > end ? m.Last : end;
        }

        if (cluster.Count > 0)
        {
            yield return cluster;
        }
    }

    /// <summary>The parts of [from, to] outside every interval of <paramref name="covered"/>, in time order (empty when none).</summary>
    internal static List<(DateTimeOffset From, DateTimeOffset To)> Uncovered(DateTimeOffset from, DateTimeOffset to, IEnumerable<(DateTimeOffset From, DateTimeOffset To)> covered)
    {
        var parts = new List<(DateTimeOffset From, DateTimeOffset To)>();
        DateTimeOffset cursor = from;
        foreach (var (a, b) in covered.OrderBy(c => c.From))
        {
            if (b <= cursor)
            {
                continue;
            }

            if (a >= to)
            {
                break;
            }

            if (a > cursor)
            {
                parts.Add((cursor, a));
            }

            cursor = b;
            if (cursor >= to)
            {
                break;
            }
        }

        if (cursor < to)
        {
            parts.Add((cursor, to));
        }

        return parts;
    }

    /// <summary>
    /// Energy in joules of a device's samples (time order) over <paramref name="parts"/> (disjoint, in time order): with
    /// <paramref name="counter"/>, each pair of counter readings spreads its difference linearly over its interval;
    /// otherwise power is linear between samples (the trapezoid rule, clipped). Intervals that <paramref name="gapRule"/>
    /// (the run's) calls gaps are left out, counter or not, as in <see cref="DeviceEnergyCalculator"/> for power.
    /// </summary>
    internal static double ClippedJoules(IEnumerable<SampleRecord> samples, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> parts, bool counter, SampleGapRule gapRule)
    {
        double joules = 0;
        (DateTimeOffset T, double V)? previous = null;
        foreach (var sample in samples)
        {
            double? value = counter ? sample.CumulativeEnergy?.Joules : sample.Power?.Watts;
            if (value is not double v)
            {
                continue;
            }

            if (previous is var (t0, v0) && sample.Timestamp > t0 && !gapRule.IsGap(sample.Timestamp - t0))
            {
                double span = (sample.Timestamp - t0).TotalSeconds;
                foreach (var (from, to) in parts)
                {
                    DateTimeOffset a = from > t0 ? from : t0;
                    DateTimeOffset b = to < sample.Timestamp ? to : sample.Timestamp;
                    if (b <= a)
                    {
                        continue;
                    }

                    double xa = (a - t0).TotalSeconds / span;
                    double xb = (b - t0).TotalSeconds / span;
                    joules += counter
                        ? (v - v0) * (xb - xa)
                        : (b - a).TotalSeconds * (v0 + (v - v0) * (xa + xb) / 2);
                }
            }

            previous = (sample.Timestamp, v);
        }

        return joules;
    }

    private sealed record Measurement(string Node, string Identity, StoredDevice Device, long RunId, DateTimeOffset First, DateTimeOffset Last, Energy Energy, Provenance Provenance, bool Counter, SampleGapRule GapRule);
}
