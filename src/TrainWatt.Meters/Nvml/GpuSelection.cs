using System.Globalization;

namespace TrainWatt.Meters.Nvml;

/// <summary>A GPU as enumerated by NVML (or nvidia-smi): its NVML index (nvidia-smi numbering), UUID and what else is known.</summary>
/// <param name="Index">NVML index.</param>
/// <param name="Uuid">"GPU-..." UUID; a placeholder when unreadable.</param>
/// <param name="Name">Product name, null when unknown.</param>
/// <param name="PciBusId">PCI bus id ("00000000:01:00.0"), null when unknown.</param>
/// <param name="Unreadable">Why NVML cannot read this GPU (e.g. its handle is refused with NO_PERMISSION), null when it can.</param>
public sealed record GpuIdentity(int Index, string Uuid, string? Name = null, string? PciBusId = null, string? Unreadable = null);

/// <summary>Which GPUs to measure, and why.</summary>
/// <param name="Indices">NVML indices, in the order given (duplicates removed). Empty when nothing is visible.</param>
/// <param name="Source">Where the selection came from: "--gpus", "CUDA_VISIBLE_DEVICES" or "all".</param>
/// <param name="Warnings">Things the user should know (ignored entries, ordering caveats).</param>
/// <param name="Error">When not null the selection is invalid; this is the message, naming the entry and the fix.</param>
public sealed record GpuSelection(IReadOnlyList<int> Indices, string Source, IReadOnlyList<string> Warnings, string? Error = null)
{
    /// <summary>The fix printed with a CUDA ordering refusal.</summary>
    public const string OrderFix =
        "Give GPU UUIDs in CUDA_VISIBLE_DEVICES (`nvidia-smi -L` lists them), or pick the GPUs with --gpus <nvidia-smi index or UUID>, " +
        "or set CUDA_DEVICE_ORDER=PCI_BUS_ID for both the job and TrainWatt.";

    /// <summary>
    /// Resolves the GPUs to measure. <paramref name="gpusOption"/> (the <c>--gpus</c> value) wins when given; otherwise
    /// <paramref name="cudaVisibleDevices"/> restricts the set as CUDA would; otherwise every device is measured.
    /// </summary>
    /// <remarks>
    /// <para><c>--gpus</c> entries are NVML indices (the numbering of <c>nvidia-smi</c>) or UUIDs (with or without
    /// <c>GPU-</c>, a unique prefix is enough).</para>
    /// <para><c>CUDA_VISIBLE_DEVICES</c> is parsed as the CUDA driver does. Sources: the CUDA C++ Programming Guide,
    /// "CUDA Environment Variables" (entries are integer indices or UUID strings in nvidia-smi's form, e.g.
    /// <c>GPU-8932f937-...</c>, or an abbreviation long enough to be unique; MIG instances as <c>MIG-...</c>; "if one of
    /// the indices is invalid, only the devices whose index precedes the invalid index are visible"), and PyTorch's
    /// <c>TestVisibleDeviceParses</c> in test/test_cuda.py, which pins the driver's behaviour: an index is read like
    /// <c>strtoul</c> (leading sign allowed, digits up to the first non-digit: <c>1gpu2</c> is 1), a negative index or a
    /// string that is no index ends the list, and an index named twice makes <em>no</em> GPU visible. A UUID needs its
    /// <c>GPU-</c> prefix (without it the entry is not an index, so it ends the list).</para>
    /// <para>Numeric entries are CUDA ordinals, not NVML indices: CUDA orders devices FASTEST_FIRST by default
    /// (unspecified beyond the fastest), NVML by PCI bus but without a stability guarantee (nvml.h,
    /// nvmlDeviceGetHandleByIndex_v2). They are mapped through the PCI bus ids of the readable GPUs when
    /// <c>CUDA_DEVICE_ORDER=PCI_BUS_ID</c>, or when every GPU is the same model (then the orders agree up to identical
    /// devices); otherwise the selection is refused with <see cref="OrderFix"/>. GPUs NVML cannot read are not counted
    /// as CUDA ordinals (a process that cannot open a GPU does not enumerate it).</para>
    /// <para>MIG instances: <c>MIG-GPU-&lt;uuid&gt;/&lt;gi&gt;/&lt;ci&gt;</c> (the form before driver R470) selects its parent
    /// GPU, with a warning that NVML's energy covers every instance on it; <c>MIG-&lt;uuid&gt;</c> cannot be traced to its
    /// parent without NVML's MIG calls and is refused with the fix.</para>
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

        var readable = devices.Where(d => d.Unreadable is null).ToList();
        bool pciOrder = string.Equals(cudaDeviceOrder?.Trim(), "PCI_BUS_ID", StringComparison.Ordinal);
        var ordinals = readable
            .OrderBy(d => d.PciBusId is null ? 1 : 0)
            .ThenBy(d => d.PciBusId?.ToUpperInvariant(), StringComparer.Ordinal)
            .ThenBy(d => d.Index)
            .ToList();
        bool oneModel = readable.Count > 0 && readable.All(d => d.Name is not null && d.Name == readable[0].Name);
        bool mig = false;

        string[] entries = value.Split(',');
        for (int i = 0; i < entries.Length; i++)
        {
            string raw = entries[i].Trim();
            int index;
            string? invalid = null;
            if (raw.StartsWith("MIG-", StringComparison.Ordinal))
            {
                // Before R470 a MIG device was named after its parent: MIG-GPU-<uuid>/<gpu instance>/<compute instance>.
                string rest = raw[4..];
                int slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (!rest.StartsWith("GPU-", StringComparison.Ordinal) || slash < 0)
                {
                    return Invalid(Source,
                        $"CUDA_VISIBLE_DEVICES entry \"{raw}\" is a MIG instance; TrainWatt cannot tell which GPU holds it, and NVML reports power and energy " +
                        "per physical GPU, not per MIG instance. Measure the parent GPU with --gpus <index or UUID> (`nvidia-smi -L` lists each MIG device under its GPU); " +
                        "its energy is shared by every MIG instance on it.");
                }

                (index, invalid) = MatchUuid(readable, rest[..slash]);
                mig |= invalid is null;
            }
            else if (raw.StartsWith("GPU-", StringComparison.Ordinal))
            {
                (index, invalid) = MatchUuid(readable, raw);
            }
            else if (ParseOrdinal(raw) is int ordinal)
            {
                if (ordinal >= ordinals.Count)
                {
                    (index, invalid) = (-1, $"CUDA ordinal {ordinal} does not exist ({ordinals.Count} readable GPU(s)).");
                }
                else if (!pciOrder && !oneModel)
                {
                    string models = string.Join(", ", ordinals.Select(d => $"{d.Index}: {d.Name ?? "unknown model"} on bus {d.PciBusId ?? "?"}"));
                    return Invalid(Source,
                        $"CUDA_VISIBLE_DEVICES={value} names GPUs by CUDA ordinal, but this machine has different GPU models ({models}) and without CUDA_DEVICE_ORDER=PCI_BUS_ID " +
                        "CUDA numbers them fastest first, not in the PCI bus order NVML uses, so TrainWatt cannot tell which GPU the job uses. " + OrderFix);
                }
                else
                {
                    index = ordinals[ordinal].Index;
                }
            }
            else
            {
                (index, invalid) = (-1, raw.Length > 0 && raw[0] == '-' ? "a negative index." : "neither a CUDA index nor a GPU-/MIG- UUID.");
            }

            if (invalid is not null)
            {
                string ignored = string.Join(",", entries.Skip(i).Select(e => e.Trim()));
                warnings.Add($"CUDA_VISIBLE_DEVICES entry \"{raw}\": {invalid} CUDA ignores it and the entries after it (\"{ignored}\"). {Available(devices)}");
                break;
            }

            if (indices.Contains(index))
            {
                warnings.Add($"CUDA_VISIBLE_DEVICES={value} names GPU {index} twice: CUDA then makes no GPU visible to the job, so no GPU is measured. Name each GPU once.");
                return new GpuSelection([], Source, warnings);
            }

            indices.Add(index);
        }

        if (mig)
        {
            warnings.Add("CUDA_VISIBLE_DEVICES names MIG instances: NVML has no per-instance power, so the parent GPU's energy is measured; it is shared by every MIG instance on it.");
        }

        return new GpuSelection(indices, Source, warnings);
    }

    /// <summary>An index read as the CUDA driver reads it (strtoul-like: optional sign, leading digits, rest ignored); null when not an index or negative.</summary>
    internal static int? ParseOrdinal(string raw)
    {
        int i = 0;
        bool negative = false;
        if (i < raw.Length && (raw[i] == '+' || raw[i] == '-'))
        {
            negative = raw[i] == '-';
            i++;
        }

        int start = i;
        while (i < raw.Length && raw[i] is >= '0' and <= '9')
        {
            i++;
        }

        if (i == start || !int.TryParse(raw.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return null;
        }

        return negative && value != 0 ? null : value;
    }

    private static (int Index, string? Error) MatchUuid(IReadOnlyList<GpuIdentity> readable, string uuidPrefix)
    {
        var matches = readable.Where(d => d.Uuid.StartsWith(uuidPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => (matches[0].Index, null),
            0 => (-1, "no readable GPU has this UUID."),
            _ => (-1, $"this UUID prefix matches {matches.Count} GPUs."),
        };
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

        // --gpus accepts UUIDs with or without the "GPU-" prefix, and any unique prefix.
        string wanted = raw.StartsWith("GPU-", StringComparison.OrdinalIgnoreCase) ? raw[4..] : raw;
        var matches = devices
            .Where(d => d.Unreadable is null && StripPrefix(d.Uuid).StartsWith(wanted, StringComparison.OrdinalIgnoreCase))
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
            : "Available GPUs: " + string.Join(", ", devices.Select(d => d.Unreadable is null ? $"{d.Index} ({d.Uuid})" : $"{d.Index} (unreadable)")) + ".";

    private static GpuSelection Invalid(string source, string error) => new([], source, [], error);
}
