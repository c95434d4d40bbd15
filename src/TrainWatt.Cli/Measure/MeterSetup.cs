using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Nvml;
using TrainWatt.Meters.Procfs;
using TrainWatt.Meters.Rapl;

namespace TrainWatt.Cli.Measure;

/// <summary>The meters a measurement reads and how to attach the process meter to the started command.</summary>
internal sealed class MeterSetup : IDisposable
{
    private MeterSetup(IReadOnlyList<IMeter> meters, ProcessTreeMeter? process, IReadOnlyList<string> notes)
    {
        Meters = meters;
        Process = process;
        Notes = notes;
    }

    public IReadOnlyList<IMeter> Meters { get; }

    public ProcessTreeMeter? Process { get; }

    /// <summary>What auto selection skipped and why, shown once before the command starts.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Opens the meters named by <paramref name="spec"/>: <c>auto</c> (every available one: NVML, RAPL, and the
    /// process/model meter, whose CPU model is used only without RAPL) or a comma-separated list of
    /// <c>nvml</c>, <c>rapl</c>, <c>process</c>, each of which must open.
    /// </summary>
    /// <exception cref="MeterUnavailableException">An explicitly named meter cannot be opened.</exception>
    /// <exception cref="ArgumentException">An unknown meter name.</exception>
    public static MeterSetup Open(string spec, string? gpus, double? cpuTdpWatts, CliContext context)
    {
        var names = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).Distinct().ToList();
        bool auto = names is ["auto"];
        foreach (string name in names)
        {
            if (name is not ("auto" or "nvml" or "rapl" or "process" or "nvidia-smi"))
            {
                throw new ArgumentException($"Unknown meter \"{name}\". Use auto, or a comma-separated list of nvml, nvidia-smi, rapl, process.");
            }
        }

        if (names.Contains("auto") && !auto)
        {
            throw new ArgumentException("--meters auto cannot be combined with other meters.");
        }

        if (names.Contains("nvidia-smi"))
        {
            throw new MeterUnavailableException("nvidia-smi", "The nvidia-smi meter is not part of this build yet.", "Use --meters nvml (the NVML library that nvidia-smi itself uses) or auto.");
        }

        var meters = new List<IMeter>();
        var notes = new List<string>();
        ProcessTreeMeter? process = null;
        try
        {
            bool haveRapl = false;
            if (auto || names.Contains("nvml"))
            {
                try
                {
                    meters.Add(NvmlMeter.Open(NvmlMeterOptions.FromEnvironment(context.Env, gpus), context.Time));
                }
                catch (MeterUnavailableException e) when (auto)
                {
                    notes.Add($"no GPU meter: {e.Message}");
                }
            }
            else if (gpus is not null)
            {
                throw new ArgumentException("--gpus selects NVML devices; add nvml to --meters (or use auto).");
            }

            if (auto || names.Contains("rapl"))
            {
                try
                {
                    meters.Add(RaplMeter.Open(context.Env(RaplMeter.RootEnvironmentVariable), context.Time));
                    haveRapl = true;
                }
                catch (MeterUnavailableException e) when (auto)
                {
                    notes.Add($"no RAPL counters (the CPU is modelled from TDP × load instead): {e.Message}");
                }
            }

            if (auto || names.Contains("process"))
            {
                var options = new ProcessTreeMeterOptions(
                    ProcRoot: context.Env(ProcessTreeMeter.ProcRootEnvironmentVariable) ?? "/proc",
                    IncludeCpuModel: !haveRapl,
                    CpuTdp: cpuTdpWatts is double watts ? Power.FromWatts(watts) : null);
                try
                {
                    process = new ProcessTreeMeter(options, context.Time);
                    meters.Add(process);
                }
                catch (MeterUnavailableException e) when (auto)
                {
                    notes.Add($"no process meter: {e.Message}");
                }
            }

            return new MeterSetup(meters, process, notes);
        }
        catch
        {
            foreach (var meter in meters)
            {
                meter.Dispose();
            }

            throw;
        }
    }

    /// <summary>True when no channel is a hardware counter or sampled power (the run is modelled only).</summary>
    public bool ModelOnly => Meters.SelectMany(m => m.Channels).All(c => c.Provenance == Provenance.Model);

    public void Dispose()
    {
        foreach (var meter in Meters)
        {
            meter.Dispose();
        }
    }
}
