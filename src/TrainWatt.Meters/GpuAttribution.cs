using System.Globalization;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Processes;

namespace TrainWatt.Meters;

/// <summary>
/// The run's estimated share of a GPU that other processes used too (issue 17, "GPU attribution"). The GPU's energy
/// stays the device's; this is the part attributed to the run, by each process's share of the GPU's SM utilisation
/// (nvmlDeviceGetProcessUtilization), as Kepler and Alumet attribute GPU power. An estimate: SM time is not energy
/// (memory traffic and clocks are not shared out), hence its own provenance word, <see cref="ProvenanceName"/>.
/// </summary>
/// <param name="ChannelId">The GPU channel ("gpu:0").</param>
/// <param name="Share">The run's share of the GPU's energy while the command ran, 0-1.</param>
/// <param name="OtherProcesses">Process ids seen on the GPU that are not in the run's process tree.</param>
/// <param name="Basis">How the share was estimated, in words.</param>
public sealed record GpuAttribution(string ChannelId, double Share, IReadOnlyList<int> OtherProcesses, string Basis)
{
    /// <summary>The provenance of an attributed figure, spelled as in every output.</summary>
    public const string ProvenanceName = "attributed";

    /// <summary>The run's share of <paramref name="deviceEnergy"/> (the GPU channel's energy).</summary>
    public Energy Of(Energy deviceEnergy) => deviceEnergy * Share;

    /// <summary>One line for the run's notes.</summary>
    public string Note(Energy deviceEnergy) => string.Create(CultureInfo.InvariantCulture,
        $"{ChannelId} was shared: {OtherProcesses.Count} other process{(OtherProcesses.Count == 1 ? "" : "es")} used it (pid {string.Join(", ", OtherProcesses)}); ") +
        string.Create(CultureInfo.InvariantCulture, $"the run's attributed share is {Share * 100:0.0} % = {Of(deviceEnergy)} of the GPU's {deviceEnergy} ({ProvenanceName}: an estimate {Basis}).");
}

/// <summary>A GPU meter that can tell the run's share of a GPU that other processes use too.</summary>
public interface IGpuAttribution
{
    /// <summary>The run's root process: it and its descendants are the run; every other process on a GPU is not.</summary>
    void AttachRun(int rootPid);

    /// <summary>The GPUs other processes used while the run was attached (a GPU used only by the run is not listed).</summary>
    IReadOnlyList<GpuAttribution> Attribution { get; }
}

/// <summary>
/// The run's share of one GPU over time: fed with the GPU's processes and their SM utilisation every so often, and
/// with each interval's device energy; pure logic (the process-tree test is injected).
/// </summary>
internal sealed class GpuShareTracker(string channelId)
{
    private readonly SortedSet<int> _others = [];
    private double _share = 1;
    private double _deviceJ;
    private double _attributedJ;
    private string _basis = "by SM utilisation (nvmlDeviceGetProcessUtilization)";

    /// <summary>
    /// Updates the share from the GPU's compute processes and the SM-utilisation samples since the last update
    /// (<paramref name="samples"/> null when the driver cannot give them). Without other processes the share is 1.
    /// </summary>
    public void Update(IReadOnlyCollection<int> processes, IReadOnlyList<(int Pid, double Sm)>? samples, Func<int, bool> isRun)
    {
        var others = processes.Where(p => !isRun(p)).ToList();
        if (others.Count == 0 && (samples is null || samples.All(s => isRun(s.Pid) || s.Sm == 0)))
        {
            _share = 1;
            return;
        }

        _others.UnionWith(others);
        _others.UnionWith(samples?.Where(s => !isRun(s.Pid) && s.Sm > 0).Select(s => s.Pid) ?? []);
        double total = samples?.Sum(s => s.Sm) ?? 0;
        if (total > 0)
        {
            _share = samples!.Where(s => isRun(s.Pid)).Sum(s => s.Sm) / total;
            return;
        }

        if (samples is null)
        {
            int all = Math.Max(processes.Count, 1);
            _share = processes.Count(isRun) / (double)all;
            _basis = "by an equal split among the GPU's compute processes (this GPU gives no per-process SM utilisation)";
        }

        // Samples known but all idle: keep the last share.
    }

    /// <summary>Adds one interval's device energy at the current share.</summary>
    public void Add(double joules)
    {
        if (joules > 0)
        {
            _deviceJ += joules;
            _attributedJ += joules * _share;
        }
    }

    /// <summary>The attribution, or null when no other process used the GPU.</summary>
    public GpuAttribution? Result() => _others.Count == 0
        ? null
        : new GpuAttribution(channelId, _deviceJ > 0 ? _attributedJ / _deviceJ : _share, [.. _others], _basis);
}

/// <summary>Whether a process is the run's root or one of its descendants (parent chain in /proc), cached per pid.</summary>
internal sealed class RunProcessTree(int rootPid, string procRoot = "/proc")
{
    private readonly Dictionary<int, bool> _known = [];

    public int Root => rootPid;

    public bool Contains(int pid)
    {
        if (pid == rootPid)
        {
            return true;
        }

        if (_known.TryGetValue(pid, out bool known))
        {
            return known;
        }

        bool result = false;
        int current = pid;
        for (int depth = 0; depth < 64 && current > 1; depth++)
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(procRoot, current.ToString(CultureInfo.InvariantCulture), "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                break;
            }

            if (!ProcessEntry.TryParse(stat, out var entry))
            {
                break;
            }

            if (entry.ParentPid == rootPid)
            {
                result = true;
                break;
            }

            current = entry.ParentPid;
        }

        _known[pid] = result;
        return result;
    }
}
