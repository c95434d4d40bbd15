using TrainWatt.Meters;

namespace TrainWatt.Measurement.Doctor;

/// <summary>What <c>trainwatt doctor</c> found.</summary>
/// <param name="Probes">Every meter technology tried (nvml, amd-smi, nvidia-smi, rapl, process), available or not, with reason and fix.</param>
/// <param name="Environment">What the machine says about GPUs (container, device nodes, driver, visible devices).</param>
/// <param name="GpuFix">When no GPU meter works: the fix the environment implies; else null.</param>
/// <param name="AutoMeters">What <c>measure --meters auto</c> would open, in order.</param>
public sealed record DoctorReport(IReadOnlyList<MeterProbe> Probes, GpuEnvironment Environment, string? GpuFix, IReadOnlyList<string> AutoMeters)
{
    /// <summary>True when <see cref="AutoMeters"/> holds a GPU meter.</summary>
    public bool HasGpuMeter => AutoMeters.Contains("nvml") || AutoMeters.Contains("amd-smi") || AutoMeters.Contains("nvidia-smi");
}

/// <summary>
/// Tries every meter technology (<see cref="MeterFactory.ProbeAll"/>), inspects the GPU environment and works out what
/// automatic meter selection would use: the body of <c>trainwatt doctor</c>. Never throws for an unavailable meter:
/// that is what it reports.
/// </summary>
public static class MeterDoctor
{
    /// <summary>Replaces "/" when looking for container markers, /dev/nvidiactl and /proc/driver/nvidia (tests).</summary>
    public const string FileSystemRootEnvironmentVariable = "TRAINWATT_FS_ROOT";

    /// <param name="gpus">GPUs to check, as for measure: NVML indices or UUIDs, comma-separated; null for CUDA_VISIBLE_DEVICES, else all.</param>
    /// <param name="host">Environment (meter overrides, CUDA_VISIBLE_DEVICES, <see cref="FileSystemRootEnvironmentVariable"/>) and clock.</param>
    public static DoctorReport Diagnose(string? gpus, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var probes = MeterFactory.ProbeAll(new MeterRequest(MeterKinds.Auto, host.Env, host.Time, gpus));
        var environment = GpuEnvironment.Detect(host.Env, host.Env(FileSystemRootEnvironmentVariable) ?? "/");
        bool gpuAvailable = probes.Any(p => p.Meter is "nvml" or "amd-smi" or "nvidia-smi" && p.Available);
        return new DoctorReport(probes, environment, gpuAvailable ? null : environment.GpuFix(), AutoSelection(probes));
    }

    /// <summary>What <c>measure --meters auto</c> would open, given these probes (the rule of <see cref="MeterFactory.Open"/>).</summary>
    internal static List<string> AutoSelection(IReadOnlyList<MeterProbe> probes)
    {
        bool Ok(string name) => probes.Any(p => p.Meter == name && p.Available);
        var result = new List<string>();
        if (Ok("nvml"))
        {
            result.Add("nvml");
        }
        else if (Ok("amd-smi"))
        {
            result.Add("amd-smi");
        }
        else if (Ok("nvidia-smi"))
        {
            result.Add("nvidia-smi");
        }

        result.AddRange(new[] { "rapl", "process" }.Where(Ok));
        return result;
    }
}
