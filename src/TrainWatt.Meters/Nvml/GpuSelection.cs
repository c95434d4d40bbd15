using System.Globalization;

namespace TrainWatt.Meters.Nvml;

/// <summary>A GPU as enumerated by NVML: its NVML (PCI bus order, nvidia-smi) index and UUID.</summary>
public sealed record GpuIdentity(int Index, string Uuid);

/// <summary>Which GPUs to measure, and why.</summary>
/// <param name="Indices">NVML indices, in the order given (duplicates removed). Empty when nothing is visible.</param>
/// <param name="Source">Where the selection came from: "--gpus", "CUDA_VISIBLE_DEVICES" or "all".</param>
/// <param name="Warnings">Things the user should know (ignored entries, ordering caveats).</param>
/// <param name="Error">When not null the selection is invalid; this is the message, naming the entry and the fix.</param>
public sealed record GpuSelection(IReadOnlyList<int> Indices, string Source, IReadOnlyList<string> Warnings, string? Error = null)
{
    /// <summary>
    /// Resolves the GPUs to measure. <paramref name="gpusOption"/> (the <c>--gpus</c> value) wins when given; otherwise
    /// <paramref name="cudaVisibleDevices"/> restricts the set as CUDA would; otherwise every device is measured.
    /// </summary>
    /// <remarks>
    /// Entries are NVML indices (the numbering of <c>nvidia-smi</c>, PCI bus order) or UUIDs (<c>GPU-...</c>, a unique
    /// prefix is enough, as in CUDA). MIG device ids (<c>MIG-...</c>) are refused: NVML reports power and energy per
    /// physical GPU, not per MIG instance. CUDA semantics for <c>CUDA_VISIBLE_DEVICES</c>: an empty value hides every
    /// GPU, and parsing stops at the first entry that is not a valid device (that entry and the rest are ignored).
    /// </remarks>
    public static GpuSelection Resolve(
        IReadOnlyList<GpuIdentity> devices,
        string? gpusOption,
        string? cudaVisibleDevices,
        string? cudaDeviceOrder = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (!string.IsNullOrWhiteSpace(gpusOption))
        {
            return FromGpusOption(devices, gpusOption);
        }

        if (cudaVisibleDevices is not null)
        {
            return FromCudaVisibleDevices(devices, cudaVisibleDevices, cudaDeviceOrder);
        }

        return new GpuSelection(devices.Select(d => d.Index).ToArray(), "all", []);
    }

    private static GpuSelection FromGpusOption(IReadOnlyList<GpuIdentity> devices, string gpusOption)
    {
        var indices = new List<int>();
        foreach (string raw in gpusOption.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0)
            {
                return Invalid("--gpus", $"--gpus \"{gpusOption}\" has an empty entry. Use a comma-separated list such as --gpus 0,1.");
            }

            var (index, error) = Match(devices, raw);
            if (error is not null)
            {
                return Invalid("--gpus", $"--gpus entry \"{raw}\": {error} {Available(devices)}");
            }

            if (!indices.Contains(index))
            {
                indices.Add(index);
            }
        }

        return new GpuSelection(indices, "--gpus", []);
    }

    private static GpuSelection FromCudaVisibleDevices(IReadOnlyList<GpuIdentity> devices, string value, string? cudaDeviceOrder)
    {
        const string Source = "CUDA_VISIBLE_DEVICES";
        var warnings = new List<string>();
        var indices = new List<int>();
        if (value.Trim().Length == 0)
        {
            warnings.Add("CUDA_VISIBLE_DEVICES is empty: the training process sees no GPU, so no GPU is measured.");
            return new GpuSelection([], Source, warnings);
        }

        bool numeric = false;
        string[] entries = value.Split(',', StringSplitOptions.TrimEntries);
        for (int i = 0; i < entries.Length; i++)
        {
            string raw = entries[i];
            if (raw.StartsWith("MIG-", StringComparison.OrdinalIgnoreCase))
            {
                return Invalid(Source,
                    $"CUDA_VISIBLE_DEVICES entry \"{raw}\" is a MIG instance: NVML reports power and energy per physical GPU, not per MIG instance. " +
                    "Measure the parent GPU instead with --gpus <index> (see `nvidia-smi -L`); its energy includes every MIG instance on it.");
            }

            var (index, error) = Match(devices, raw);
            if (error is not null)
            {
                // CUDA ignores this entry and every entry after it.
                string ignored = string.Join(",", entries.Skip(i));
                warnings.Add($"CUDA_VISIBLE_DEVICES entry \"{raw}\": {error} CUDA ignores it and the entries after it (\"{ignored}\"). {Available(devices)}");
                break;
            }

            numeric |= int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            if (!indices.Contains(index))
            {
                indices.Add(index);
            }
        }

        if (numeric && devices.Count > 1 && !string.Equals(cudaDeviceOrder, "PCI_BUS_ID", StringComparison.Ordinal))
        {
            warnings.Add(
                "CUDA_VISIBLE_DEVICES indices are read in PCI bus order (as nvidia-smi numbers GPUs); CUDA's default order (FASTEST_FIRST) can differ " +
                "on machines with mixed GPUs. Set CUDA_DEVICE_ORDER=PCI_BUS_ID or use GPU UUIDs to be sure the measured GPUs are the ones used.");
        }

        return new GpuSelection(indices, Source, warnings);
    }

    private static (int Index, string? Error) Match(IReadOnlyList<GpuIdentity> devices, string raw)
    {
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            return devices.Any(d => d.Index == index)
                ? (index, null)
                : (-1, $"GPU index {index} does not exist.");
        }

        if (raw.StartsWith("MIG-", StringComparison.OrdinalIgnoreCase))
        {
            return (-1, "MIG instances cannot be measured separately (NVML reports power per physical GPU); give the parent GPU's index or UUID.");
        }

        // CUDA accepts UUIDs with or without the "GPU-" prefix, and any unique prefix.
        string wanted = raw.StartsWith("GPU-", StringComparison.OrdinalIgnoreCase) ? raw[4..] : raw;
        var matches = devices
            .Where(d => StripPrefix(d.Uuid).StartsWith(wanted, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count switch
        {
            1 => (matches[0].Index, null),
            0 => (-1, "no GPU has this index or UUID."),
            _ => (-1, $"this UUID prefix matches {matches.Count} GPUs; give more characters."),
        };
    }

    private static string StripPrefix(string uuid) => uuid.StartsWith("GPU-", StringComparison.OrdinalIgnoreCase) ? uuid[4..] : uuid;

    private static string Available(IReadOnlyList<GpuIdentity> devices)
        => devices.Count == 0
            ? "No GPU is available."
            : "Available GPUs: " + string.Join(", ", devices.Select(d => $"{d.Index} ({d.Uuid})")) + ".";

    private static GpuSelection Invalid(string source, string error) => new([], source, [], error);
}
