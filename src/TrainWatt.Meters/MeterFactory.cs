using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters.AmdSmi;
using TrainWatt.Meters.NvidiaSmi;
using TrainWatt.Meters.Nvml;
using TrainWatt.Meters.Procfs;
using TrainWatt.Meters.Rapl;

namespace TrainWatt.Meters;

/// <summary>The meter technologies a user can ask for with <c>--meters</c>.</summary>
[Flags]
public enum MeterKinds
{
    /// <summary>No explicit choice: automatic selection (what <c>--meters auto</c> means).</summary>
    None = 0,

    /// <summary>Automatic selection (the same as <see cref="None"/>).</summary>
    Auto = None,

    /// <summary>NVML library (GPU energy counter or power).</summary>
    Nvml = 1,

    /// <summary>nvidia-smi process (GPU power).</summary>
    NvidiaSmi = 2,

    /// <summary>RAPL powercap counters (CPU package, DRAM).</summary>
    Rapl = 4,

    /// <summary>procfs process tree (RAM model; CPU model when RAPL is not used).</summary>
    Process = 8,

    /// <summary>AMD SMI library (AMD GPU energy counter or power).</summary>
    AmdSmi = 16,
}

/// <summary>What to open. Environment overrides: TRAINWATT_NVML_LIBRARY, TRAINWATT_AMDSMI_LIBRARY, TRAINWATT_NVIDIA_SMI, TRAINWATT_POWERCAP_ROOT, TRAINWATT_PROC_ROOT.</summary>
/// <param name="Meters">Which meters: <see cref="MeterKinds.Auto"/>, or the flags of exactly those to open (<see cref="MeterFactory.Parse"/> reads a <c>--meters</c> value).</param>
/// <param name="Environment">Environment lookup (CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES, overrides).</param>
/// <param name="Time">Clock of every meter.</param>
/// <param name="Gpus">The <c>--gpus</c> value, null for none.</param>
/// <param name="Interval">Sampling interval (used by nvidia-smi's <c>-lms</c>); default 100 ms.</param>
/// <param name="CpuTdp">The <c>--cpu-tdp</c> value for the CPU model; null = <see cref="ProcessTreeMeter.DefaultCpuTdp"/>.</param>
/// <param name="StartTimestamp">Common origin of every meter's <see cref="MeterReading.Elapsed"/>; null = now.</param>
public sealed record MeterRequest(
    MeterKinds Meters,
    Func<string, string?> Environment,
    TimeProvider Time,
    string? Gpus = null,
    TimeSpan? Interval = null,
    Power? CpuTdp = null,
    long? StartTimestamp = null);

/// <summary>The opened meters and what happened to every technology tried. Disposing disposes every meter.</summary>
/// <param name="Meters">Opened meters (GPU first, then RAPL, then process).</param>
/// <param name="Probes">One entry per technology tried, available or not (for the summary and <c>doctor</c>).</param>
public sealed record MeterSet(IReadOnlyList<IMeter> Meters, IReadOnlyList<MeterProbe> Probes) : IDisposable
{
    /// <summary>The process-tree meter, when opened: call <see cref="ProcessTreeMeter.Attach"/> with the child's pid.</summary>
    public ProcessTreeMeter? Process => Meters.OfType<ProcessTreeMeter>().FirstOrDefault();

    /// <summary>Every channel of every meter.</summary>
    public IEnumerable<MeterChannel> Channels => Meters.SelectMany(m => m.Channels);

    public void Dispose()
    {
        foreach (var meter in Meters)
        {
            meter.Dispose();
        }
    }
}

/// <summary>Resolves <c>--meters</c> into opened meters; also probes every technology for <c>trainwatt doctor</c>.</summary>
public static class MeterFactory
{
    /// <summary>
    /// Parses a <c>--meters</c> value. "auto" (or empty) gives <see cref="MeterKinds.None"/>, meaning automatic choice.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the valid ones.</exception>
    public static MeterKinds Parse(string? meters)
    {
        if (string.IsNullOrWhiteSpace(meters) || meters.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return MeterKinds.None;
        }

        var kinds = MeterKinds.None;
        foreach (string name in meters.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            kinds |= name.ToLowerInvariant() switch
            {
                "nvml" => MeterKinds.Nvml,
                "nvidia-smi" => MeterKinds.NvidiaSmi,
                "rapl" => MeterKinds.Rapl,
                "process" => MeterKinds.Process,
                "amd-smi" or "amdsmi" => MeterKinds.AmdSmi,
                _ => throw new ArgumentException(
                    $"Unknown meter \"{name}\" in --meters \"{meters}\". Use auto, or a comma-separated list of: nvml, amd-smi, nvidia-smi, rapl, process.", nameof(meters)),
            };
        }

        return kinds;
    }

    /// <summary>
    /// Opens the requested meters. Auto: NVML if it opens, else AMD SMI if it opens, else nvidia-smi if it works; plus RAPL if readable; plus the
    /// process meter always (with the CPU model when RAPL is not opened). An explicit list opens exactly those and
    /// throws when one of them is unavailable.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown meter name.</exception>
    /// <exception cref="MeterUnavailableException">An explicitly requested meter cannot be opened (already opened ones are disposed).</exception>
    public static MeterSet Open(MeterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kinds = request.Meters;
        bool auto = kinds == MeterKinds.None;
        long start = request.StartTimestamp ?? request.Time.GetTimestamp();
        var meters = new List<IMeter>();
        var probes = new List<MeterProbe>();
        try
        {
            bool gpuOpened = false;
            if (auto || kinds.HasFlag(MeterKinds.Nvml))
            {
                gpuOpened = TryOpen(() => NvmlMeter.Open(NvmlOptions(request), request.Time, start), meters, probes, required: !auto);
            }

            bool amdOpened = false;
            if ((auto && !gpuOpened) || kinds.HasFlag(MeterKinds.AmdSmi))
            {
                amdOpened = TryOpen(() => AmdSmiMeter.Open(AmdOptions(request), request.Time, start), meters, probes, required: !auto);
            }

            if ((auto && !gpuOpened && !amdOpened) || kinds.HasFlag(MeterKinds.NvidiaSmi))
            {
                TryOpen(() => NvidiaSmiMeter.Open(SmiOptions(request), request.Time, start), meters, probes, required: !auto);
            }

            bool raplOpened = false;
            if (auto || kinds.HasFlag(MeterKinds.Rapl))
            {
                raplOpened = TryOpen(() => RaplMeter.Open(PowercapRoot(request.Environment), request.Time, start), meters, probes, required: !auto);
            }

            if (auto || kinds.HasFlag(MeterKinds.Process))
            {
                TryOpen(() => new ProcessTreeMeter(ProcessOptions(request, includeCpuModel: !raplOpened), request.Time, start), meters, probes, required: true);
            }

            // RAPL's CPU packages are charged by the process tree's share of the machine's CPU time, read by the process meter.
            if (meters.OfType<ProcessTreeMeter>().FirstOrDefault() is { } process && meters.FindIndex(m => m is RaplMeter) is int rapl and >= 0)
            {
                meters[rapl] = new CpuAttributedRaplMeter(meters[rapl], process, request.Time);
            }
        }
        catch
        {
            foreach (var meter in meters)
            {
                meter.Dispose();
            }

            throw;
        }

        return new MeterSet(meters, probes);
    }

    /// <summary>Tries every technology (opening and closing each) and reports what it found: the body of <c>trainwatt doctor</c>.</summary>
    public static IReadOnlyList<MeterProbe> ProbeAll(MeterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var probes = new List<MeterProbe>
        {
            NvmlMeter.Probe(NvmlOptions(request)),
            AmdSmiMeter.Probe(AmdOptions(request)),
            NvidiaSmiMeter.Probe(SmiOptions(request)),
            RaplMeter.Probe(PowercapRoot(request.Environment)),
        };
        try
        {
            using var process = new ProcessTreeMeter(ProcessOptions(request, includeCpuModel: !probes.Single(p => p.Meter == "rapl").Available), request.Time);
            probes.Add(Opened(process));
        }
        catch (MeterUnavailableException e)
        {
            probes.Add(e.ToProbe());
        }

        return probes;
    }

    private static bool TryOpen(Func<IMeter> open, List<IMeter> meters, List<MeterProbe> probes, bool required)
    {
        try
        {
            var meter = open();
            meters.Add(meter);
            probes.Add(Opened(meter));
            return true;
        }
        catch (MeterUnavailableException e) when (!required)
        {
            probes.Add(e.ToProbe());
            return false;
        }
    }

    private static MeterProbe Opened(IMeter meter)
        => new(meter.Name, true, [.. meter.Channels.Select(c => $"{c.Id} {c.DeviceName} ({ProvenanceText.Name(c.Provenance)}){(c.Note is null ? "" : ": " + c.Note)}"), .. (meter as ProcessTreeMeter)?.CpuLines ?? []])
        {
            Warnings = meter switch
            {
                NvmlMeter nvml => nvml.Warnings,
                AmdSmiMeter amd => amd.Selection.Warnings,
                ProcessTreeMeter { CpuWarning: { } warning } => [warning],
                _ => [],
            },
        };

    private static NvmlMeterOptions NvmlOptions(MeterRequest r) => NvmlMeterOptions.FromEnvironment(r.Environment, r.Gpus);

    private static AmdSmiMeterOptions AmdOptions(MeterRequest r) => AmdSmiMeterOptions.FromEnvironment(r.Environment, r.Gpus);

    private static NvidiaSmiMeterOptions SmiOptions(MeterRequest r) => NvidiaSmiMeterOptions.FromEnvironment(r.Environment, r.Interval, r.Gpus);

    private static string PowercapRoot(Func<string, string?> env) => env(RaplMeter.RootEnvironmentVariable) is { Length: > 0 } root ? root : RaplMeter.DefaultRoot;

    /// <summary>The process meter's options: procfs root, and the CPU model's TDP for the CPUs we may use (<see cref="CpuTdpChoice"/>).</summary>
    private static ProcessTreeMeterOptions ProcessOptions(MeterRequest r, bool includeCpuModel)
    {
        string proc = r.Environment(ProcessTreeMeter.ProcRootEnvironmentVariable) is { Length: > 0 } p ? p : "/proc";
        string sys = r.Environment(ProcessTreeMeter.SysRootEnvironmentVariable) is { Length: > 0 } s ? s : "/sys";
        var identity = CpuIdentity.Read(new CpuIdentityPaths(proc, sys));
        var choice = CpuTdpChoice.Choose(identity, r.CpuTdp);
        return new ProcessTreeMeterOptions(proc, includeCpuModel, choice.Tdp)
        {
            AvailableCpus = identity.Limited ? identity.AvailableCpus : null,
            CpuTdpSource = choice.Source,
            Identity = identity,
            TdpChoice = choice,
        };
    }
}
