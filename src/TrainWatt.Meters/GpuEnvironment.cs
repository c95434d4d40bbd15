namespace TrainWatt.Meters;

/// <summary>
/// Facts about the machine that explain why GPU meters fail (container without GPU devices, hidden GPUs, missing
/// driver capabilities), each as a line for <c>trainwatt doctor</c>, plus the fix they imply.
/// </summary>
/// <param name="InContainer">A container marker was found (/.dockerenv, /run/.containerenv, or KUBERNETES_SERVICE_HOST).</param>
/// <param name="HasDeviceNodes">/dev/nvidiactl exists.</param>
/// <param name="KernelDriverVersion">First line of /proc/driver/nvidia/version, null when the kernel driver is not loaded (or not visible).</param>
/// <param name="NvidiaVisibleDevices">NVIDIA_VISIBLE_DEVICES (NVIDIA Container Toolkit), null when unset.</param>
/// <param name="NvidiaDriverCapabilities">NVIDIA_DRIVER_CAPABILITIES, null when unset.</param>
/// <param name="CudaVisibleDevices">CUDA_VISIBLE_DEVICES, null when unset.</param>
public sealed record GpuEnvironment(
    bool InContainer,
    bool HasDeviceNodes,
    string? KernelDriverVersion,
    string? NvidiaVisibleDevices,
    string? NvidiaDriverCapabilities,
    string? CudaVisibleDevices)
{
    /// <summary>Inspects the machine. <paramref name="fileSystemRoot"/> replaces "/" (tests).</summary>
    public static GpuEnvironment Detect(Func<string, string?> environment, string fileSystemRoot = "/")
    {
        ArgumentNullException.ThrowIfNull(environment);
        string P(string path) => Path.Combine(fileSystemRoot, path.TrimStart('/'));
        bool container = File.Exists(P("/.dockerenv")) || File.Exists(P("/run/.containerenv")) || !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"));
        string? version = null;
        try
        {
            string file = P("/proc/driver/nvidia/version");
            if (File.Exists(file))
            {
                version = File.ReadLines(file).FirstOrDefault()?.Trim();
            }
        }
        catch (IOException)
        {
            version = null;
        }
        catch (UnauthorizedAccessException)
        {
            version = null;
        }

        return new GpuEnvironment(container, File.Exists(P("/dev/nvidiactl")), version,
            environment("NVIDIA_VISIBLE_DEVICES"), environment("NVIDIA_DRIVER_CAPABILITIES"), environment("CUDA_VISIBLE_DEVICES"));
    }

    /// <summary>What was found, one fact per line.</summary>
    public IReadOnlyList<string> Facts()
    {
        var facts = new List<string>
        {
            InContainer ? "running in a container" : "not in a container (no /.dockerenv, /run/.containerenv or KUBERNETES_SERVICE_HOST)",
            HasDeviceNodes ? "/dev/nvidiactl present" : "/dev/nvidiactl absent (no NVIDIA device nodes)",
            KernelDriverVersion is null ? "NVIDIA kernel driver not visible (/proc/driver/nvidia/version absent)" : "kernel driver: " + KernelDriverVersion,
        };
        if (NvidiaVisibleDevices is not null)
        {
            facts.Add($"NVIDIA_VISIBLE_DEVICES={NvidiaVisibleDevices}");
        }

        if (NvidiaDriverCapabilities is not null)
        {
            facts.Add($"NVIDIA_DRIVER_CAPABILITIES={NvidiaDriverCapabilities}");
        }

        if (CudaVisibleDevices is not null)
        {
            facts.Add($"CUDA_VISIBLE_DEVICES={CudaVisibleDevices}");
        }

        return facts;
    }

    /// <summary>
    /// The fix these facts point to when the GPU meters are unavailable, or null when they explain nothing (then the
    /// meter's own fix applies).
    /// </summary>
    public string? GpuFix()
    {
        if (NvidiaVisibleDevices is "void" or "none" or "")
        {
            return $"NVIDIA_VISIBLE_DEVICES={NvidiaVisibleDevices} hides every GPU from this container: start it with `--gpus all` or `-e NVIDIA_VISIBLE_DEVICES=all`.";
        }

        if (InContainer && !HasDeviceNodes)
        {
            return "This container has no NVIDIA devices: start it with `docker run --gpus all ...` (NVIDIA Container Toolkit), or pass the devices " +
                   "`--device /dev/nvidiactl --device /dev/nvidia-uvm --device /dev/nvidia0` and mount the host's libnvidia-ml.so.1; " +
                   "in Kubernetes request `nvidia.com/gpu` resources.";
        }

        if (InContainer && NvidiaDriverCapabilities is { } caps && !caps.Contains("utility", StringComparison.Ordinal) && !caps.Contains("all", StringComparison.Ordinal))
        {
            return $"NVIDIA_DRIVER_CAPABILITIES={caps} lacks `utility`, so the toolkit does not mount NVML or nvidia-smi: set NVIDIA_DRIVER_CAPABILITIES=compute,utility.";
        }

        if (!InContainer && KernelDriverVersion is null)
        {
            return "The NVIDIA kernel driver is not loaded: install it (`sudo ubuntu-drivers install` or `sudo apt install nvidia-driver-<version>`) " +
                   "and load it (`sudo modprobe nvidia`), or reboot after installing. Without an NVIDIA GPU, TrainWatt measures CPU and RAM only.";
        }

        return null;
    }
}
