using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Rapl;

/// <summary>
/// CPU package and DRAM energy from the Linux powercap RAPL counters (<c>/sys/class/powercap/intel-rapl:*</c>; AMD
/// Zen CPUs expose the same tree). All channels are <see cref="Provenance.Counter"/>.
/// </summary>
/// <remarks>
/// <para><b>What is summed.</b> One channel per package zone ("cpu:package-0", component "cpu") and one per DRAM zone
/// ("dram:package-0", component "dram"). The core (PP0) and uncore (PP1, integrated graphics) zones are sub-domains
/// whose energy is already inside their package, so they are listed by <see cref="Domains"/> but not measured. DRAM is
/// a child of the package in the powercap tree but a separate power plane (Intel SDM vol. 3B §14.10: PKG covers cores
/// and uncore, DRAM is its own domain), so package + DRAM do not overlap. The platform zone "psys" (client CPUs) covers
/// package, DRAM and more of the SoC; summing it with the others would double count, so it is measured only when the
/// machine has no package zone. <c>intel-rapl-mmio:*</c> zones duplicate the MSR package counters and are ignored.</para>
/// <para><b>Counters.</b> <see cref="ChannelReading.CumulativeEnergy"/> is the wrap-aware increase of <c>energy_uj</c>
/// since the meter was opened; <see cref="ChannelReading.Power"/> is the mean power since the previous read.</para>
/// <para><b>Permission.</b> Since Linux 5.10 (CVE-2020-8694, "Platypus") <c>energy_uj</c> is readable by root only;
/// <see cref="Open"/> then fails with the exact fix rather than reporting zero.</para>
/// </remarks>
public sealed class RaplMeter : IRateIndependentMeter
{
    /// <summary>The default powercap root.</summary>
    public const string DefaultRoot = "/sys/class/powercap";

    /// <summary>Environment variable that replaces <see cref="DefaultRoot"/> (tests, containers with /sys mounted elsewhere).</summary>
    public const string RootEnvironmentVariable = "TRAINWATT_POWERCAP_ROOT";

    private readonly Func<string, string> _readFile;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Counter[] _counters;
    private TimeSpan _lastElapsed;

    private RaplMeter(Func<string, string> readFile, TimeProvider time, long startTimestamp, Counter[] counters, IReadOnlyList<RaplDomain> domains)
    {
        _readFile = readFile;
        _time = time;
        _startTimestamp = startTimestamp;
        _counters = counters;
        _lastElapsed = time.GetElapsedTime(startTimestamp);
        Domains = domains;
        Channels = counters.Select(c => c.Channel).ToArray();
    }

    public string Name => "rapl";

    public IReadOnlyList<MeterChannel> Channels { get; }

    /// <summary>Every RAPL zone found, measured or not.</summary>
    public IReadOnlyList<RaplDomain> Domains { get; }

    /// <summary>Reads the powercap tree under <paramref name="root"/>. Missing or unreadable <c>name</c> files are skipped.</summary>
    public static IReadOnlyList<RaplDomain> Discover(string root, Func<string, string>? readFile = null)
    {
        readFile ??= File.ReadAllText;
        if (!Directory.Exists(root))
        {
            return [];
        }

        var domains = new List<RaplDomain>();
        // In sysfs the zones are symbolic links to directories under /sys/devices/virtual/powercap: list entries of
        // any kind and keep those that resolve to a directory. "intel-rapl-mmio:*" zones do not match the pattern.
        foreach (string dir in Directory.EnumerateFileSystemEntries(root, "intel-rapl:*").Where(Directory.Exists).Order(StringComparer.Ordinal))
        {
            string zone = Path.GetFileName(dir);
            string? name = TryRead(readFile, Path.Combine(dir, "name"));
            if (name is null)
            {
                continue;
            }

            ulong max = ulong.TryParse(TryRead(readFile, Path.Combine(dir, "max_energy_range_uj")), NumberStyles.None, CultureInfo.InvariantCulture, out ulong m) ? m : 0;
            int lastColon = zone.LastIndexOf(':');
            string? parent = zone.IndexOf(':') != lastColon ? zone[..lastColon] : null;
            domains.Add(new RaplDomain(zone, dir, name, parent, max));
        }

        return domains;
    }

    /// <summary>Opens the meter on <paramref name="root"/> (default <see cref="DefaultRoot"/>).</summary>
    /// <param name="root">Powercap root directory.</param>
    /// <param name="time">Clock for timestamps and elapsed time.</param>
    /// <param name="startTimestamp">Origin of <see cref="MeterReading.Elapsed"/>; null = now.</param>
    /// <param name="readFile">File reader (tests inject one that throws <see cref="UnauthorizedAccessException"/>, since they run as root).</param>
    /// <exception cref="MeterUnavailableException">No RAPL zone, or a counter is not readable; carries the fix.</exception>
    public static RaplMeter Open(string? root, TimeProvider time, long? startTimestamp = null, Func<string, string>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        root ??= DefaultRoot;
        readFile ??= File.ReadAllText;
        var domains = Discover(root, readFile);
        var measured = SelectMeasured(domains);
        if (measured.Count == 0)
        {
            string why = domains.Count == 0
                ? $"No RAPL powercap zone under {root} (no intel-rapl:* directory with a name file)."
                : $"RAPL zones under {root} have no package, dram or psys domain (found: {string.Join(", ", domains.Select(d => $"{d.ZoneId}={d.Name}"))}).";
            throw new MeterUnavailableException("rapl", why + " The CPU is not Intel/AMD x86, the machine is a VM without RAPL, or the powercap driver is not loaded.",
                "On bare-metal Intel/AMD Linux load the driver: `sudo modprobe intel_rapl_msr` (and `intel_rapl_common`). In a VM RAPL is usually unavailable: TrainWatt uses the CPU TDP model instead.");
        }

        var counters = new List<Counter>();
        foreach (var (domain, channel) in measured)
        {
            ulong start = ReadCounter(readFile, domain);
            counters.Add(new Counter(domain, channel, start));
        }

        return new RaplMeter(readFile, time, startTimestamp ?? time.GetTimestamp(), counters.ToArray(), domains);
    }

    /// <summary>Tries to open the meter and describes the outcome for <c>trainwatt doctor</c>.</summary>
    public static MeterProbe Probe(string? root, Func<string, string>? readFile = null)
    {
        try
        {
            using var meter = Open(root, TimeProvider.System, readFile: readFile);
            var measured = meter._counters.Select(c => c.Domain.ZoneId).ToHashSet(StringComparer.Ordinal);
            var found = meter.Domains.Select(d =>
            {
                string role = measured.Contains(d.ZoneId) ? "measured"
                    : d.Name is "core" or "uncore" ? "inside its package, not summed"
                    : "not summed (would double count)";
                return $"{d.ZoneId} {d.Name}: {role}";
            }).ToList();
            return new MeterProbe("rapl", true, found);
        }
        catch (MeterUnavailableException e)
        {
            return e.ToProbe();
        }
    }

    private static List<(RaplDomain Domain, MeterChannel Channel)> SelectMeasured(IReadOnlyList<RaplDomain> domains)
    {
        var result = new List<(RaplDomain, MeterChannel)>();
        foreach (var d in domains)
        {
            if (d.ParentZoneId is null && d.Name.StartsWith("package", StringComparison.Ordinal))
            {
                result.Add((d, new MeterChannel($"cpu:{d.Name}", "cpu", d.Name, Provenance.Counter, Note: $"RAPL {d.ZoneId} energy_uj")));
            }
            else if (d.Name == "dram")
            {
                string owner = DeviceNameOf(d, domains);
                result.Add((d, new MeterChannel($"dram:{owner}", "dram", owner, Provenance.Counter, Note: $"RAPL {d.ZoneId} energy_uj")));
            }
        }

        if (!result.Any(r => r.Item2.Component == "cpu"))
        {
            // Only without package zones: psys already includes package and DRAM.
            result.Clear();
            foreach (var d in domains.Where(d => d.Name == "psys"))
            {
                result.Add((d, new MeterChannel($"psys:{d.ZoneId}", "psys", d.Name, Provenance.Counter, Note: $"RAPL {d.ZoneId} energy_uj (platform: package, DRAM and more)")));
            }
        }

        return result;
    }

    private static string? TryRead(Func<string, string> readFile, string path)
    {
        try
        {
            return readFile(path).Trim();
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

    private static string DeviceNameOf(RaplDomain d, IReadOnlyList<RaplDomain> domains)
        => d.ParentZoneId is { } parent && domains.FirstOrDefault(p => p.ZoneId == parent) is { } package ? package.Name : d.Name + "-" + d.ZoneId;

    private static ulong ReadCounter(Func<string, string> readFile, RaplDomain domain)
    {
        string text;
        try
        {
            text = readFile(domain.EnergyFile);
        }
        catch (UnauthorizedAccessException e)
        {
            throw PermissionDenied(domain, e);
        }
        catch (IOException e)
        {
            throw new MeterUnavailableException("rapl", $"Cannot read {domain.EnergyFile}: {e.Message}", "Check that the powercap driver is loaded (`lsmod | grep rapl`).", e);
        }

        return ulong.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new MeterUnavailableException("rapl", $"{domain.EnergyFile} does not hold a counter value (\"{text.Trim()}\").", null);
    }

    internal static MeterUnavailableException PermissionDenied(RaplDomain domain, Exception inner)
        => new("rapl",
            $"{domain.EnergyFile} is not readable (permission denied): since Linux 5.10 (CVE-2020-8694) RAPL energy counters are readable by root only.",
            "Grant read access until the next reboot: `sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj`; " +
            "to keep it, add the systemd-tmpfiles rule `z /sys/class/powercap/intel-rapl:*/energy_uj 0444 - - -` to /etc/tmpfiles.d/trainwatt-rapl.conf " +
            "(or run TrainWatt with sudo). In a container the host must grant it.",
            inner);

    public MeterReading Read()
    {
        var timestamp = _time.GetUtcNow();
        var elapsed = _time.GetElapsedTime(_startTimestamp);
        double seconds = (elapsed - _lastElapsed).TotalSeconds;
        _lastElapsed = elapsed;
        var readings = new ChannelReading[_counters.Length];
        for (int i = 0; i < _counters.Length; i++)
        {
            readings[i] = _counters[i].Read(_readFile, seconds);
        }

        return new MeterReading(timestamp, elapsed, readings);
    }

    public void Dispose()
    {
        // Nothing held open: each read opens and closes the sysfs file.
    }

    private sealed class Counter(RaplDomain domain, MeterChannel channel, ulong start)
    {
        private ulong _last = start;
        private ulong _total;

        public RaplDomain Domain { get; } = domain;

        public MeterChannel Channel { get; } = channel;

        public ChannelReading Read(Func<string, string> readFile, double secondsSinceLast)
        {
            ulong current;
            try
            {
                current = ReadCounter(readFile, Domain);
            }
            catch (MeterUnavailableException e)
            {
                return new ChannelReading(Channel.Id, null, null, Error: e.Message);
            }

            ulong? delta = RaplCounter.Delta(_last, current, Domain.MaxEnergyRangeMicrojoules);
            _last = current;
            if (delta is null)
            {
                return new ChannelReading(Channel.Id, null, null,
                    Error: $"{Domain.EnergyFile} went backwards and max_energy_range_uj is unknown; this interval is lost.");
            }

            _total += delta.Value;
            var increase = Energy.FromMicrojoules(delta.Value); // RAPL counts µJ
            Power? power = secondsSinceLast > 0 ? increase / TimeSpan.FromSeconds(secondsSinceLast) : null;
            return new ChannelReading(Channel.Id, power, Energy.FromMicrojoules(_total));
        }
    }
}
