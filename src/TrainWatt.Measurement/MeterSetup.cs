using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Procfs;

namespace TrainWatt.Measurement;

/// <summary>Which meters a measurement reads, as typed values (what <c>--meters</c>, <c>--gpus</c> and <c>--cpu-tdp</c> parse into).</summary>
/// <param name="Kinds">Meter technologies; <see cref="MeterKinds.Auto"/> for automatic selection.</param>
/// <param name="Gpus">The GPUs to read (indices or UUIDs, as <c>--gpus</c>); null: CUDA_VISIBLE_DEVICES, else all.</param>
/// <param name="CpuTdp">The CPU TDP for the CPU model when RAPL is unavailable; null for the default.</param>
/// <param name="Interval">The sampling interval (nvidia-smi's own sampling period).</param>
public sealed record MeterSelection(MeterKinds Kinds = MeterKinds.Auto, string? Gpus = null, Power? CpuTdp = null, TimeSpan? Interval = null);

/// <summary>Where a measurement's meters come from: the hardware in the product, fakes in tests and for .NET callers.</summary>
public interface IMeterSource
{
    /// <summary>Opens the meters of <paramref name="selection"/>.</summary>
    /// <exception cref="MeterUnavailableException">An explicitly named meter cannot be opened.</exception>
    MeterSetup Open(MeterSelection selection, HostContext host);
}

/// <summary>The machine's meters (NVML, nvidia-smi, RAPL, procfs) through <see cref="MeterFactory"/>.</summary>
public sealed class HardwareMeterSource : IMeterSource
{
    public static HardwareMeterSource Instance { get; } = new();

    public MeterSetup Open(MeterSelection selection, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(host);
        var set = MeterFactory.Open(new MeterRequest(selection.Kinds, host.Env, host.Time, selection.Gpus, selection.Interval, selection.CpuTdp));
        var notes = set.Probes.Where(p => !p.Available).Select(p => $"no {p.Meter} meter: {p.Reason}").ToList();
        notes.AddRange(set.Probes.Where(p => p.Available).SelectMany(p => p.Warnings.Select(w => $"{p.Meter}: {w}")));
        return new MeterSetup(set.Meters, notes);
    }
}

/// <summary>The meters a measurement reads and what auto selection skipped. Disposing disposes every meter.</summary>
public sealed class MeterSetup : IDisposable
{
    /// <param name="meters">Opened meters.</param>
    /// <param name="notes">What auto selection skipped and why.</param>
    public MeterSetup(IReadOnlyList<IMeter> meters, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meters = meters;
        Notes = notes ?? [];
    }

    public IReadOnlyList<IMeter> Meters { get; }

    /// <summary>The process-tree meter, to attach to the started command.</summary>
    public ProcessTreeMeter? Process => Meters.OfType<ProcessTreeMeter>().FirstOrDefault();

    /// <summary>What auto selection skipped and why, shown once before the command starts.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>True when no channel is a hardware counter or sampled power (the run is modelled only).</summary>
    public bool ModelOnly => Meters.SelectMany(m => m.Channels).All(c => c.Provenance == Provenance.Model);

    /// <summary>The channels, as the "recording to" line lists them.</summary>
    public string Describe()
        => Meters.Count == 0
            ? "no meter (only time and epochs are recorded)"
            : string.Join(", ", Meters.SelectMany(m => m.Channels).Select(c => $"{c.Id} ({ProvenanceText.Name(c.Provenance)})"));

    public void Dispose()
    {
        foreach (var meter in Meters)
        {
            meter.Dispose();
        }
    }
}
