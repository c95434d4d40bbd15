using System.Globalization;

namespace TrainWatt.Meters.AmdSmi;

/// <summary>An AMD GPU as AMD SMI enumerates it.</summary>
/// <param name="Index">AMD SMI index (the order of amdsmi_get_socket_handles / amdsmi_get_processor_handles, as <c>amd-smi</c> numbers GPUs).</param>
/// <param name="Uuid">amdsmi_get_gpu_device_uuid, null when unreadable.</param>
/// <param name="HipUuid">The "GPU-..." UUID ROCr and HIP use (amdsmi_get_gpu_enumeration_info, ROCm 6.4+), null when unknown.</param>
/// <param name="HipId">The HIP ordinal (amdsmi_get_gpu_enumeration_info), null when unknown.</param>
public sealed record AmdGpuIdentity(int Index, string? Uuid, string? HipUuid = null, int? HipId = null);

/// <summary>Which AMD GPUs to measure, and why.</summary>
/// <param name="Indices">AMD SMI indices, in the order given, without duplicates.</param>
/// <param name="Source">"--gpus", "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES + HIP_VISIBLE_DEVICES", ... or "all".</param>
/// <param name="Warnings">Ignored entries, ordering assumptions.</param>
public sealed record AmdGpuSelection(IReadOnlyList<int> Indices, string Source, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Resolves the GPUs a ROCm job sees. <paramref name="gpusOption"/> (<c>--gpus</c>: AMD SMI indices or UUIDs) wins.
    /// Otherwise the ROCm runtime's rules: <c>ROCR_VISIBLE_DEVICES</c> (indices or UUIDs, applied first by ROCr), then
    /// <c>HIP_VISIBLE_DEVICES</c>, else <c>CUDA_VISIBLE_DEVICES</c> (which HIP also honours), whose indices count the
    /// GPUs left by ROCR_VISIBLE_DEVICES. Indices are HIP ordinals: <c>hip_id</c> from amdsmi_get_gpu_enumeration_info
    /// where the library has it (ROCm 6.4+), else AMD SMI's own order (said in a warning). An entry that is neither an
    /// index in range nor a known UUID ends the list (the rest is ignored, with a warning); an empty value hides every GPU.
    /// </summary>
    /// <exception cref="GpuSelectionException">A <c>--gpus</c> entry names no GPU.</exception>
    public static AmdGpuSelection Resolve(IReadOnlyList<AmdGpuIdentity> gpus, string? gpusOption, string? rocrVisible, string? hipVisible, string? cudaVisible)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        var warnings = new List<string>();
        if (!string.IsNullOrWhiteSpace(gpusOption))
        {
            var chosen = new List<int>();
            foreach (string entry in gpusOption.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var gpu = (int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? gpus.FirstOrDefault(g => g.Index == i) : null)
                    ?? ByUuid(gpus, entry)
                    ?? throw new GpuSelectionException(
                        $"--gpus \"{gpusOption}\": \"{entry}\" is not an AMD GPU of this machine (AMD SMI indices 0-{gpus.Count - 1}, or a UUID as `amd-smi list` shows it).");
                if (!chosen.Contains(gpu.Index))
                {
                    chosen.Add(gpu.Index);
                }
            }

            return new AmdGpuSelection(chosen, "--gpus", warnings);
        }

        bool hipOrder = gpus.Count > 0 && gpus.All(g => g.HipId is not null);
        var visible = hipOrder ? gpus.OrderBy(g => g.HipId).ToList() : [.. gpus];
        if (!hipOrder && gpus.Count > 1 && (rocrVisible ?? hipVisible ?? cudaVisible) is not null)
        {
            warnings.Add("this AMD SMI library does not report HIP ordinals (amdsmi_get_gpu_enumeration_info, ROCm 6.4+): device indices in ROCR_VISIBLE_DEVICES / HIP_VISIBLE_DEVICES are taken in AMD SMI's order; give UUIDs or --gpus if the job sees another order.");
        }

        var sources = new List<string>();
        if (rocrVisible is not null)
        {
            visible = Filter(visible, rocrVisible, "ROCR_VISIBLE_DEVICES", warnings);
            sources.Add("ROCR_VISIBLE_DEVICES");
        }

        string? hipName = hipVisible is not null ? "HIP_VISIBLE_DEVICES" : cudaVisible is not null ? "CUDA_VISIBLE_DEVICES" : null;
        if (hipName is not null)
        {
            visible = Filter(visible, hipVisible ?? cudaVisible!, hipName, warnings);
            sources.Add(hipName);
        }

        return new AmdGpuSelection([.. visible.Select(g => g.Index)], sources.Count == 0 ? "all" : string.Join(" + ", sources), warnings);
    }

    private static AmdGpuIdentity? ByUuid(IReadOnlyList<AmdGpuIdentity> gpus, string entry)
        => gpus.FirstOrDefault(g => string.Equals(g.Uuid, entry, StringComparison.OrdinalIgnoreCase) || string.Equals(g.HipUuid, entry, StringComparison.OrdinalIgnoreCase));

    private static List<AmdGpuIdentity> Filter(List<AmdGpuIdentity> visible, string value, string variable, List<string> warnings)
    {
        var result = new List<AmdGpuIdentity>();
        foreach (string raw in value.Split(','))
        {
            string entry = raw.Trim();
            var gpu = int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? (i < visible.Count ? visible[i] : null) : ByUuid(visible, entry);
            if (gpu is null)
            {
                if (entry.Length > 0 || value.Trim().Length > 0)
                {
                    warnings.Add($"{variable}={value}: \"{entry}\" is neither a device index (0-{visible.Count - 1}) nor a known GPU UUID; it and the entries after it are ignored, as ROCm does.");
                }

                break;
            }

            if (!result.Contains(gpu))
            {
                result.Add(gpu);
            }
        }

        return result;
    }
}
