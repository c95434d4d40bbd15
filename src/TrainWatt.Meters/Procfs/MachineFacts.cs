using System.Globalization;
using System.Runtime.InteropServices;

namespace TrainWatt.Meters.Procfs;

/// <summary>
/// The machine a run is measured on, as emissions reports name it (CodeCarbon's os, cpu_count, cpu_model,
/// ram_total_size): read once from the runtime and procfs. A value that cannot be read is null, never guessed.
/// </summary>
/// <param name="Os">Operating system and architecture, e.g. "Linux 6.8.0-1017-azure x86_64".</param>
/// <param name="CpuCount">Logical CPUs available to the process.</param>
/// <param name="CpuModel">The first "model name" of <c>/proc/cpuinfo</c>.</param>
/// <param name="RamTotalGb">MemTotal of <c>/proc/meminfo</c> in GiB (CodeCarbon's "GB": bytes / 1024³).</param>
public sealed record MachineFacts(string? Os, int? CpuCount, string? CpuModel, double? RamTotalGb)
{
    /// <summary>Reads this machine (procfs under <paramref name="procRoot"/>; tests pass a fake tree).</summary>
    public static MachineFacts Read(string procRoot = "/proc")
    {
        ArgumentNullException.ThrowIfNull(procRoot);
        string os = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}".Trim();
        return new MachineFacts(os.Length > 0 ? os : null, Environment.ProcessorCount, ReadCpuModel(procRoot), ReadRamGb(procRoot));
    }

    /// <summary>The first <c>model name</c> line of cpuinfo; null when absent or unreadable.</summary>
    internal static string? ReadCpuModel(string procRoot)
    {
        foreach (string line in Lines(Path.Combine(procRoot, "cpuinfo")))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == "model name")
            {
                string name = line[(colon + 1)..].Trim();
                return name.Length > 0 ? name : null;
            }
        }

        return null;
    }

    /// <summary>MemTotal (kB) of meminfo in GiB; null when absent or unreadable.</summary>
    internal static double? ReadRamGb(string procRoot)
    {
        foreach (string line in Lines(Path.Combine(procRoot, "meminfo")))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) && kb > 0
                    ? kb / (1024.0 * 1024.0)
                    : null;
            }
        }

        return null;
    }

    private static IEnumerable<string> Lines(string path)
    {
        try
        {
            return File.ReadLines(path).Take(4096).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
