using System.Globalization;

namespace TrainWatt.Meters.Procfs;

/// <summary>Where <see cref="CpuIdentity.Read"/> looks; tests pass fake trees in a temporary folder.</summary>
/// <param name="ProcRoot">procfs (<c>/proc</c>): <c>cpuinfo</c>, <c>stat</c>, <c>self/status</c>, <c>self/cgroup</c>.</param>
/// <param name="SysRoot">sysfs (<c>/sys</c>): <c>devices/system/cpu/cpuN/topology</c> and the cgroup mount <c>fs/cgroup</c>.</param>
public sealed record CpuIdentityPaths(string ProcRoot = "/proc", string SysRoot = "/sys");

/// <summary>
/// The CPU as Linux shows it: model name, sockets, physical cores, logical CPUs (threads), whether a hypervisor is
/// underneath, and how many CPUs this process may use (its affinity and its cgroup's CPU quota).
/// </summary>
/// <param name="ModelName">The first "model name" of <c>/proc/cpuinfo</c>; null when there is none (most ARM kernels).</param>
/// <param name="Sockets">Distinct physical package ids.</param>
/// <param name="Cores">Distinct (package, core id) pairs: physical cores the kernel sees.</param>
/// <param name="Threads">Logical CPUs the kernel sees (the processors of <c>/proc/cpuinfo</c>).</param>
/// <param name="Hypervisor">True when cpuinfo's flags carry <c>hypervisor</c> (a VM: the cores are virtual CPUs).</param>
/// <param name="AffinityCpus">CPUs in <c>Cpus_allowed_list</c> of <c>/proc/self/status</c>; null when unreadable.</param>
/// <param name="QuotaCpus">The cgroup CPU quota as CPUs (quota / period; the smallest along the cgroup path, v2 <c>cpu.max</c> or v1 <c>cpu.cfs_quota_us</c>); null when unlimited or unreadable.</param>
public sealed record CpuIdentity(string? ModelName, int Sockets, int Cores, int Threads, bool Hypervisor, int? AffinityCpus, double? QuotaCpus)
{
    /// <summary>CPUs this process may use: the smallest of <see cref="Threads"/>, the affinity and the quota.</summary>
    public double AvailableCpus => Math.Min(Threads, Math.Min(AffinityCpus ?? double.MaxValue, QuotaCpus ?? double.MaxValue));

    /// <summary>True when this process may use fewer CPUs than the kernel sees.</summary>
    public bool Limited => AvailableCpus < Threads;

    /// <summary>Reads the identity; missing files give what can be known (one socket, the CPU count of <c>/proc/stat</c>), never an exception.</summary>
    public static CpuIdentity Read(CpuIdentityPaths? paths = null)
    {
        paths ??= new CpuIdentityPaths();
        string? cpuinfo = TryRead(Path.Combine(paths.ProcRoot, "cpuinfo"));
        var info = ParseCpuInfo(cpuinfo ?? "");
        int threads = info.Processors.Count;
        if (threads == 0)
        {
            string? stat = TryRead(Path.Combine(paths.ProcRoot, "stat"));
            threads = stat is not null && ProcParser.TryParseSystemStat(stat, out var s) ? s.CpuCount : Environment.ProcessorCount;
        }

        // Topology from sysfs (complete on every architecture), else from cpuinfo's physical id / core id.
        var packages = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<string>(StringComparer.Ordinal);
        string cpuDir = Path.Combine(paths.SysRoot, "devices", "system", "cpu");
        if (Directory.Exists(cpuDir))
        {
            foreach (string dir in Directory.EnumerateDirectories(cpuDir, "cpu*"))
            {
                string name = Path.GetFileName(dir);
                if (name.Length <= 3 || !name[3..].All(char.IsAsciiDigit))
                {
                    continue;
                }

                string? package = TryRead(Path.Combine(dir, "topology", "physical_package_id"))?.Trim();
                string? core = TryRead(Path.Combine(dir, "topology", "core_id"))?.Trim();
                if (package is not null && core is not null)
                {
                    packages.Add(package);
                    cores.Add(package + ":" + core);
                }
            }
        }

        if (packages.Count == 0)
        {
            foreach (var p in info.Processors)
            {
                packages.Add(p.PhysicalId ?? "0");
                cores.Add((p.PhysicalId ?? "0") + ":" + (p.CoreId ?? p.Processor));
            }
        }

        int sockets = Math.Max(1, packages.Count);
        int coreCount = cores.Count > 0 ? cores.Count : threads;
        int? affinity = ParseCpuList(TryStatusLine(Path.Combine(paths.ProcRoot, "self", "status"), "Cpus_allowed_list:"));
        double? quota = CgroupQuota(paths);
        return new CpuIdentity(info.ModelName, sockets, coreCount, Math.Max(1, threads), info.Hypervisor, affinity, quota);
    }

    /// <summary>Counts the CPUs of a kernel CPU list ("0-3,8,10-11" is 7); null for text that is not one.</summary>
    public static int? ParseCpuList(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }

        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return null;
                }

                count++;
            }
            else if (int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int from)
                && int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int to) && to >= from)
            {
                count += to - from + 1;
            }
            else
            {
                return null;
            }
        }

        return count > 0 ? count : null;
    }

    /// <summary>
    /// Parses a cgroup v2 <c>cpu.max</c> ("200000 100000" is 2 CPUs; "max 100000" is unlimited, null) or, with
    /// <paramref name="period"/>, a v1 <c>cpu.cfs_quota_us</c> (-1 is unlimited).
    /// </summary>
    public static double? ParseQuota(string? quota, string? period = null)
    {
        var parts = (quota ?? "").Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (period is not null)
        {
            parts = [.. parts.Take(1), .. period.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(1)];
        }

        return parts.Length >= 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long q)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long p) && q > 0 && p > 0
            ? (double)q / p
            : null;
    }

    /// <summary>The smallest CPU quota along this process's cgroup path (v2 unified, else the v1 cpu controller).</summary>
    private static double? CgroupQuota(CpuIdentityPaths paths)
    {
        string? cgroups = TryRead(Path.Combine(paths.ProcRoot, "self", "cgroup"));
        if (cgroups is null)
        {
            return null;
        }

        string mount = Path.Combine(paths.SysRoot, "fs", "cgroup");
        double? smallest = null;
        foreach (string line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-ID:controller-list:cgroup-path (cgroups(7)); v2 is "0::/path".
            var fields = line.Split(':', 3);
            if (fields.Length != 3)
            {
                continue;
            }

            bool v2 = fields[0] == "0" && fields[1].Length == 0;
            var controllers = fields[1].Split(',');
            if (!v2 && !controllers.Contains("cpu"))
            {
                continue;
            }

            // Inside a container the path is often the host's while the mount shows the container's own cgroup: try the
            // path and each of its ancestors, then the mount's root.
            string[] roots = v2 ? [mount] : [Path.Combine(mount, fields[1]), Path.Combine(mount, "cpu"), Path.Combine(mount, "cpu,cpuacct")];
            foreach (string root in roots.Distinct(StringComparer.Ordinal))
            {
                string relative = fields[2].Trim().TrimStart('/');
                while (true)
                {
                    string dir = relative.Length == 0 ? root : Path.Combine(root, relative);
                    double? q = v2
                        ? ParseQuota(TryRead(Path.Combine(dir, "cpu.max")))
                        : ParseQuota(TryRead(Path.Combine(dir, "cpu.cfs_quota_us")), TryRead(Path.Combine(dir, "cpu.cfs_period_us")));
                    if (q is double cpus && (smallest is null || cpus < smallest))
                    {
                        smallest = cpus;
                    }

                    if (relative.Length == 0)
                    {
                        break;
                    }

                    int slash = relative.LastIndexOf('/');
                    relative = slash < 0 ? "" : relative[..slash];
                }
            }
        }

        return smallest;
    }

    private sealed record CpuInfoProcessor(string Processor, string? PhysicalId, string? CoreId);

    private sealed record CpuInfo(string? ModelName, bool Hypervisor, List<CpuInfoProcessor> Processors);

    private static CpuInfo ParseCpuInfo(string text)
    {
        string? model = null;
        bool hypervisor = false;
        var processors = new List<CpuInfoProcessor>();
        string? processor = null, physical = null, core = null;
        void Flush()
        {
            if (processor is not null)
            {
                processors.Add(new CpuInfoProcessor(processor, physical, core));
            }

            processor = physical = core = null;
        }

        foreach (string raw in text.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            string key = raw[..colon].Trim();
            string value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    Flush();
                    processor = value;
                    break;
                case "model name":
                    model ??= value.Length > 0 ? value : null;
                    break;
                case "physical id":
                    physical = value;
                    break;
                case "core id":
                    core = value;
                    break;
                case "flags":
                    hypervisor |= value.Split(' ').Contains("hypervisor");
                    break;
            }
        }

        Flush();
        return new CpuInfo(model, hypervisor, processors);
    }

    private static string? TryStatusLine(string path, string prefix)
        => TryRead(path)?.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
