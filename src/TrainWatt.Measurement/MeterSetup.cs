using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Procfs;

namespace TrainWatt.Measurement;

/// <summary>The meters a measurement reads (opened by <see cref="MeterFactory"/>) and what auto selection skipped.</summary>
internal sealed class MeterSetup : IDisposable
{
    private readonly MeterSet _set;

    private MeterSetup(MeterSet set, IReadOnlyList<string> notes)
    {
        _set = set;
        Notes = notes;
    }

    public IReadOnlyList<IMeter> Meters => _set.Meters;

    /// <summary>The process-tree meter, to attach to the started command.</summary>
    public ProcessTreeMeter? Process => _set.Process;

    /// <summary>What auto selection skipped and why, shown once before the command starts.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>True when no channel is a hardware counter or sampled power (the run is modelled only).</summary>
    public bool ModelOnly => _set.Channels.All(c => c.Provenance == Provenance.Model);

    /// <summary>Opens the meters of a <c>--meters</c> value (see <see cref="MeterFactory.Open"/>).</summary>
    /// <exception cref="MeterUnavailableException">An explicitly named meter cannot be opened.</exception>
    /// <exception cref="ArgumentException">An unknown meter name.</exception>
    public static MeterSetup Open(string spec, string? gpus, double? cpuTdpWatts, TimeSpan interval, HostContext context)
    {
        var set = MeterFactory.Open(new MeterRequest(
            spec, context.Env, context.Time, gpus, interval, cpuTdpWatts is double watts ? Power.FromWatts(watts) : null));
        var notes = set.Probes.Where(p => !p.Available).Select(p => $"no {p.Meter} meter: {p.Reason}").ToList();
        return new MeterSetup(set, notes);
    }

    public void Dispose() => _set.Dispose();
}
