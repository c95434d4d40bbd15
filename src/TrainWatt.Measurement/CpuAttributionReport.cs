using System.Globalization;
using System.Text.Json.Serialization;
using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Units;
using TrainWatt.Meters;

namespace TrainWatt.Measurement;

/// <summary>
/// A run's CPU energy both ways (<c>--cpu-attribution</c>): the whole machine's CPU energy and the process tree's
/// share of it, with the mode that says which one the run is charged.
/// </summary>
/// <param name="Mode">Which figure is the run's.</param>
/// <param name="Provenance">How the CPU energy was obtained: counter (RAPL) or model (TDP × utilisation).</param>
/// <param name="Machine">The machine's CPU energy over the run.</param>
/// <param name="Process">The process tree's share of it.</param>
public sealed record CpuAttributionResult(CpuAttribution Mode, Provenance Provenance, Energy Machine, Energy Process)
{
    /// <summary>Annotation kind under which a run stores it (message: <see cref="AnnotationMessage"/>).</summary>
    public const string AnnotationKind = "cpu_attribution";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The CPU energy the run is charged: <see cref="Process"/> or <see cref="Machine"/>, by <see cref="Mode"/>.</summary>
    public Energy Run => Mode == CpuAttribution.Process ? Process : Machine;

    /// <summary>Process / machine, 0-1; null when the machine's CPU energy is not positive.</summary>
    public double? Share => Machine.Joules > 0 ? Math.Clamp(Process.Joules / Machine.Joules, 0, 1) : null;

    /// <summary>The summary's line (text summary and <c>runs show</c>).</summary>
    public string Line()
    {
        string share = Share is double s ? $", {CpuAttributionText.Percent(s)} of the machine's" : "";
        string attributed = CpuAttributionText.Label(Provenance, attributed: true);
        string whole = CpuAttributionText.Label(Provenance, attributed: false);
        return Mode == CpuAttribution.Process
            ? $"cpu attribution process: the run's CPU energy {Process} ({attributed}{share}); machine-wide {Machine} ({whole}), not charged to the run (--cpu-attribution machine charges it)"
            : $"cpu attribution machine: the run is charged the machine-wide CPU energy {Machine} ({whole}); the process tree's share was {Process} ({attributed}{share})";
    }

    /// <summary>"mode=process provenance=counter run_j=1.5 machine_j=265 process_j=1.5" (invariant, round-trip numbers).</summary>
    public string AnnotationMessage()
        => string.Create(Invariant, $"mode={CpuAttributionText.Name(Mode)} provenance={ProvenanceText.Name(Provenance)} run_j={Run.Joules:R} machine_j={Machine.Joules:R} process_j={Process.Joules:R}");

    /// <summary>Reads <see cref="AnnotationMessage"/> back; null for any other text.</summary>
    public static CpuAttributionResult? FromAnnotation(string? message)
    {
        var fields = (message ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        return fields.TryGetValue("mode", out var m) && CpuAttributionText.TryParse(m, out var mode)
            && fields.TryGetValue("provenance", out var p) && ProvenanceText.TryParse(p, out var provenance)
            && fields.TryGetValue("machine_j", out var mj) && double.TryParse(mj, NumberStyles.Float, Invariant, out double machine)
            && fields.TryGetValue("process_j", out var pj) && double.TryParse(pj, NumberStyles.Float, Invariant, out double process)
            ? new CpuAttributionResult(mode, provenance, Energy.FromJoules(machine), Energy.FromJoules(process))
            : null;
    }
}

/// <summary>The summary document's <c>cpu_attribution</c> object.</summary>
public sealed record CpuAttributionJson(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("provenance")] string Provenance,
    [property: JsonPropertyName("run_energy_j")] double RunJoules,
    [property: JsonPropertyName("machine_energy_j")] double MachineJoules,
    [property: JsonPropertyName("process_energy_j")] double ProcessJoules,
    [property: JsonPropertyName("process_share")] double? ProcessShare)
{
    public static CpuAttributionJson? From(CpuAttributionResult? r) => r is null ? null : new(
        CpuAttributionText.Name(r.Mode), ProvenanceText.Name(r.Provenance), r.Run.Joules, r.Machine.Joules, r.Process.Joules, r.Share);
}

/// <summary>
/// Takes a run's CPU figures from the meters that attribute CPU energy: sets the mode before the run (so an idle
/// baseline measured with <c>--idle</c> is the run's share too: none), snapshots their totals when the run begins (after
/// its first reading) and when it finishes (after its last), gives the difference, and sets the meters back to the
/// machine's figure.
/// </summary>
internal sealed class CpuAttributionTracker
{
    private readonly ICpuAttributedMeter[] _meters;
    private CpuEnergyTotals[] _start = [];

    /// <param name="meters">The run's meters; those that attribute CPU energy and have a CPU channel are used.</param>
    /// <param name="mode">The run's mode, set on them now.</param>
    public CpuAttributionTracker(IEnumerable<IMeter> meters, CpuAttribution mode)
    {
        _meters = [.. meters.Where(m => m.Channels.Any(c => c.Component == "cpu")).OfType<ICpuAttributedMeter>()];
        Mode = mode;
        foreach (var m in _meters)
        {
            m.Attribution = mode;
        }
    }

    public CpuAttribution Mode { get; }

    /// <summary>True when some meter attributes CPU energy (else there is nothing to report or store).</summary>
    public bool Active => _meters.Length > 0;

    /// <summary>The run's figures after <see cref="Finish"/>; null before, or without an attributing meter.</summary>
    public CpuAttributionResult? Result { get; private set; }

    public void Start() => _start = [.. _meters.Select(m => m.CpuTotals)];

    public CpuAttributionResult? Finish()
    {
        if (!Active || _start.Length != _meters.Length)
        {
            return null;
        }

        var machine = Energy.Zero;
        var process = Energy.Zero;
        for (int i = 0; i < _meters.Length; i++)
        {
            var run = _meters[i].CpuTotals.Since(_start[i]);
            machine += run.Machine;
            process += run.Process;
        }

        // Between runs the meters read the whole machine again: experiment run's wait for an idle machine adds their power.
        foreach (var m in _meters)
        {
            m.Attribution = CpuAttribution.Machine;
        }

        Result = new CpuAttributionResult(Mode, _meters[0].CpuProvenance, machine, process);
        return Result;
    }
}
