using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Procfs;

/// <summary>Resource use of the measured process tree at one reading.</summary>
/// <param name="ProcessCount">Live processes in the tree (root and all descendants).</param>
/// <param name="CpuTime">CPU time (user + system) used by the tree's processes since they started, including children already reaped; never decreases.</param>
/// <param name="ResidentBytes">Sum of the RSS of the live processes, in bytes.</param>
public readonly record struct ProcessTreeUsage(int ProcessCount, TimeSpan CpuTime, long ResidentBytes);

/// <summary>Settings of <see cref="ProcessTreeMeter"/>.</summary>
/// <param name="ProcRoot">procfs root (default "/proc"; tests pass a fake tree).</param>
/// <param name="IncludeCpuModel">Add the "cpu:model" channel (when RAPL is unavailable).</param>
/// <param name="CpuTdp">CPU thermal design power for the model; null = <see cref="ProcessTreeMeter.DefaultCpuTdp"/>.</param>
/// <param name="ClockTicksPerSecond">USER_HZ; null = sysconf(_SC_CLK_TCK) (100 on Linux).</param>
/// <param name="PageSizeBytes">Page size for RSS; null = <see cref="Environment.SystemPageSize"/>.</param>
/// <param name="RescanInterval">How often all of /proc is scanned for new descendants (null = 1 s); between scans only
/// the known tree's stat files are read, which keeps a 10 Hz sampler cheap on machines with many processes.</param>
public sealed record ProcessTreeMeterOptions(
    string ProcRoot = "/proc",
    bool IncludeCpuModel = true,
    Power? CpuTdp = null,
    int? ClockTicksPerSecond = null,
    int? PageSizeBytes = null,
    TimeSpan? RescanInterval = null)
{
    /// <summary>
    /// How the CPU model charges the run (<see cref="ICpuAttributedMeter.Attribution"/>, which can change it later). The
    /// meter alone charges the machine; the measurement pipeline sets the run's mode (<c>--cpu-attribution</c>, default process).
    /// </summary>
    public CpuAttribution Attribution { get; init; } = CpuAttribution.Machine;

    /// <summary>
    /// The CPUs the run may use (affinity, cgroup quota; <see cref="CpuIdentity.AvailableCpus"/>); null: every CPU in
    /// /proc/stat. The model's utilisation is CPU time over the capacity of these CPUs (<see cref="CpuTimeShare.Utilisation"/>).
    /// </summary>
    public double? AvailableCpus { get; init; }

    /// <summary>Where the TDP comes from, for the channel's note (<see cref="CpuTdpChoice.Source"/>); null: "TDP N W" or the default's wording.</summary>
    public string? CpuTdpSource { get; init; }

    /// <summary>The CPU as read from /proc and /sys, for <c>doctor</c>; null when not read.</summary>
    public CpuIdentity? Identity { get; init; }

    /// <summary>The TDP choice behind <see cref="ProcessTreeMeterOptions.CpuTdp"/>, for <c>doctor</c>; null when not made.</summary>
    public CpuTdpChoice? TdpChoice { get; init; }
}

/// <summary>
/// Modelled power of the host side of a training run, from procfs: RAM (from the RSS of the wrapped process tree)
/// and, when no RAPL counter exists, the CPU (TDP × load, the machine's or the tree's). Both channels are <see cref="Provenance.Model"/>.
/// </summary>
/// <remarks>
/// <para><b>RAM model</b> ("ram", component "ram"): P = 0.375 W per GB (10⁹ bytes) of resident memory of the process
/// tree, the model of the SEAA 2023 paper (<c>P_ram [W] = RSS_MB × 3.75e-4</c>; see docs/paper-notes.md; also Green
/// Algorithms' 3/8 W per GB). It ignores the DIMMs' idle power: it is the share attributable to the training.</para>
/// <para><b>CPU model</b> ("cpu:model", component "cpu"): P = TDP × u, with u the utilisation of the CPUs we may use
/// over the last window of at least one second from <c>/proc/stat</c> (busy / total ticks), the "TDP × load" rule of
/// Green Algorithms and ML CO2 Impact. Under <see cref="CpuAttribution.Process"/> u is the process tree's ticks over the
/// same capacity instead, which is the machine's power × the tree's share of its busy time (<see cref="CpuTimeShare"/>);
/// both are integrated into <see cref="CpuTotals"/>. TDP comes from <c>--cpu-tdp</c>, else the table
/// (<see cref="CpuTdpChoice"/>), else <see cref="DefaultCpuTdp"/>.</para>
/// <para>The process tree is the attached root process and every descendant found through the ppid field of
/// <c>/proc/*/stat</c>. Its CPU time counts each live process's utime + stime + cutime + cstime, so children that
/// already exited and were reaped still count (in their parent's cutime/cstime); it never decreases.</para>
/// <para>Until <see cref="Attach"/> is called the "ram" channel reports an error, not 0 W.</para>
/// </remarks>
public sealed class ProcessTreeMeter : IRateIndependentMeter, ICpuAttributedMeter
{
    /// <summary>RAM power per GB (10⁹ bytes) in use: the SEAA 2023 paper's 0.375 W/GB.</summary>
    public static readonly Power RamPowerPerGigabyte = Power.FromWatts(0.375);

    /// <summary>
    /// CPU TDP used when none is given: 85 W, CodeCarbon's constant for an unknown CPU (docs/landscape.md). A guess, so
    /// the channel's note says so and <c>--cpu-tdp</c> should be given when RAPL is missing.
    /// </summary>
    public static readonly Power DefaultCpuTdp = Power.FromWatts(85);

    /// <summary>Environment variable that replaces "/proc" (tests).</summary>
    public const string ProcRootEnvironmentVariable = "TRAINWATT_PROC_ROOT";

    /// <summary>Environment variable that replaces "/sys" for the CPU's topology and cgroup quota (tests).</summary>
    public const string SysRootEnvironmentVariable = "TRAINWATT_SYS_ROOT";

    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux (bits/confname.h)

    private readonly ProcessTreeMeterOptions _options;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly int _ticksPerSecond;
    private readonly int _pageSize;
    private readonly Power _tdp;
    private readonly Dictionary<int, long> _ticksByPid = [];
    private long _reapedTicks;
    private long _maxTreeTicks;
    private SystemCpuStat? _lastSystem;
    private readonly byte[] _statBytes = new byte[4096];
    private readonly char[] _statChars = new char[4096];
    private readonly HashSet<int> _outsiders = [];
    private ChannelReading? _lastCpuReading;
    private long _lastCpuTimestamp;
    private long _outsidersSince;
    private int[] _treePids = [];
    private int _scannedRoot;
    private long _lastScanTimestamp;
    private volatile int _rootPid;
    private long _treeTickBase;
    private long _treeTicksAtWindow;
    private bool _hasCpuPower;
    private double _machineW;
    private double _processW;
    private long _lastIntegrated;
    private double _machineJ;
    private double _processJ;
    private volatile int _attribution;

    /// <summary>Opens the meter. Fails when procfs cannot be read.</summary>
    /// <exception cref="MeterUnavailableException">The proc root has no readable <c>stat</c> file.</exception>
    public ProcessTreeMeter(ProcessTreeMeterOptions options, TimeProvider time, long? startTimestamp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _startTimestamp = startTimestamp ?? time.GetTimestamp();
        _ticksPerSecond = options.ClockTicksPerSecond ?? ClockTicks();
        _pageSize = options.PageSizeBytes ?? Environment.SystemPageSize;
        _tdp = options.CpuTdp ?? DefaultCpuTdp;
        if (_tdp.Watts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The CPU TDP must be positive, but was {_tdp}.");
        }

        _lastSystem = ReadSystem() ?? throw new MeterUnavailableException("process",
            $"Cannot read {Path.Combine(options.ProcRoot, "stat")}: procfs is not mounted or this is not Linux.",
            "Run on Linux with /proc mounted (in a container, /proc is mounted by default).");

        var channels = new List<MeterChannel>
        {
            new("ram", "ram", "process tree RAM", Provenance.Model, Note: "modelled: 0.375 W per GB of resident memory (RSS) of the process tree (SEAA 2023 paper)"),
        };
        if (options.IncludeCpuModel)
        {
            string source = options.CpuTdpSource
                ?? (options.CpuTdp is null ? $"default TDP {_tdp.Watts.ToString("0.#", CultureInfo.InvariantCulture)} W (give --cpu-tdp for your CPU)" : $"TDP {_tdp.Watts.ToString("0.#", CultureInfo.InvariantCulture)} W");
            channels.Add(new MeterChannel("cpu:model", "cpu", "CPU", Provenance.Model,
                Note: $"modelled: {source} × CPU utilisation from /proc/stat (the machine's, or the process tree's under --cpu-attribution process); no RAPL counter available"));
        }

        Channels = channels;
        _attribution = (int)options.Attribution;
        _lastIntegrated = _time.GetTimestamp();
    }

    /// <inheritdoc/>
    public CpuAttribution Attribution
    {
        get => (CpuAttribution)_attribution;
        set => _attribution = (int)value;
    }

    /// <inheritdoc/>
    public Provenance CpuProvenance => Provenance.Model;

    /// <summary>What <c>doctor</c> shows about the CPU: its identity, the cores we may use and what the model assumes.</summary>
    public IReadOnlyList<string> CpuLines
    {
        get
        {
            if (_options.Identity is not { } id)
            {
                return [];
            }

            string F(double n) => n.ToString("0.##", CultureInfo.InvariantCulture);
            string limits = $"affinity {(id.AffinityCpus is int a ? a.ToString(CultureInfo.InvariantCulture) : "unknown")}, cgroup quota {(id.QuotaCpus is double q ? F(q) + " CPUs" : "none")}";
            var lines = new List<string>
            {
                $"cpu: {id.ModelName ?? "(no model name)"}; {id.Sockets} socket(s), {id.Cores} cores, {id.Threads} threads{(id.Hypervisor ? " (VM: virtual CPUs)" : "")}; {F(id.AvailableCpus)} available to us ({limits})",
            };
            if (_options.TdpChoice is { } choice)
            {
                lines.Add($"cpu TDP: {choice.Source}");
                lines.Add(_options.IncludeCpuModel
                    ? $"cpu model: assumes {F(_tdp.Watts)} W × the utilisation of {F(id.AvailableCpus)} CPUs (no RAPL counter)"
                    : "cpu model: not used (RAPL counters measure the CPU)");
            }

            return lines;
        }
    }

    /// <summary>The TDP choice's warning (a VM or container slice charged a whole default socket), or null.</summary>
    public string? CpuWarning => _options.IncludeCpuModel ? _options.TdpChoice?.Warning : null;

    /// <inheritdoc/>
    /// <remarks>
    /// The model's own integral (trapezoids between this meter's readings) of the machine's modelled power and of the
    /// process tree's; zero without the CPU model.
    /// </remarks>
    public CpuEnergyTotals CpuTotals => new(Energy.FromJoules(_machineJ), Energy.FromJoules(_processJ));

    /// <summary>
    /// The tree's CPU time in clock ticks, monotonic over the meter's life (it keeps growing when a new root is
    /// attached), and the machine's busy and total ticks from <c>/proc/stat</c>, read now. The RAPL attribution
    /// (<see cref="CpuAttributedRaplMeter"/>) takes its shares from these.
    /// </summary>
    /// <returns>Null when <c>/proc/stat</c> cannot be read.</returns>
    public (long TreeTicks, long BusyTicks, long TotalTicks)? ReadCpuTimes()
    {
        if (_rootPid != 0)
        {
            LastUsage = ReadTree(_rootPid);
        }

        var system = ReadSystem();
        return system is { } s ? (TreeTicks, s.BusyTicks, s.TotalTicks) : null;
    }

    private long TreeTicks => _treeTickBase + _maxTreeTicks;

    public string Name => "process";

    public IReadOnlyList<MeterChannel> Channels { get; }

    /// <summary>The attached root process id, 0 when none.</summary>
    public int RootProcessId => _rootPid;

    /// <summary>Usage of the tree at the last <see cref="Read"/>; default before the first.</summary>
    public ProcessTreeUsage LastUsage { get; private set; }

    /// <summary>Measures the tree rooted at <paramref name="pid"/> from now on (call right after starting the child).</summary>
    public void Attach(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (pid != _rootPid && _rootPid != 0)
        {
            // A new tree (the next run of an experiment): its CPU time starts from zero, while TreeTicks keeps growing.
            _treeTickBase += _maxTreeTicks;
            _maxTreeTicks = 0;
            _reapedTicks = 0;
            _ticksByPid.Clear();
        }

        _rootPid = pid;
    }

    public MeterReading Read()
    {
        var timestamp = _time.GetUtcNow();
        var elapsed = _time.GetElapsedTime(_startTimestamp);
        var readings = new List<ChannelReading>(2) { ReadRam() };
        if (_options.IncludeCpuModel)
        {
            readings.Add(ReadCpuModel());
        }

        return new MeterReading(timestamp, elapsed, readings);
    }

    private ChannelReading ReadRam()
    {
        int root = _rootPid;
        if (root == 0)
        {
            return new ChannelReading("ram", null, null, Error: "no process attached yet");
        }

        var usage = ReadTree(root);
        LastUsage = usage;
        var power = Power.FromWatts(RamPowerPerGigabyte.Watts * usage.ResidentBytes / 1e9);
        return new ChannelReading("ram", power, null, MemoryUsedMiB: usage.ResidentBytes / 1048576.0);
    }

    private ChannelReading ReadCpuModel()
    {
        // /proc/stat is read at most once a second: a utilisation over >= 1 s is what a TDP model can use, and the
        // sampler may read ten times a second.
        long timestamp = _time.GetTimestamp();
        if (_lastCpuReading is { } cached && _time.GetElapsedTime(_lastCpuTimestamp, timestamp) < TimeSpan.FromSeconds(1))
        {
            Integrate(timestamp, _machineW, _processW);
            return Charged(cached);
        }

        var now = ReadSystem();
        if (now is null)
        {
            return new ChannelReading("cpu:model", null, null, Error: $"cannot read {Path.Combine(_options.ProcRoot, "stat")}");
        }

        var last = _lastSystem!.Value;
        _lastSystem = now;
        long total = now.Value.TotalTicks - last.TotalTicks;
        if (total <= 0)
        {
            return new ChannelReading("cpu:model", null, null, Error: "no CPU time elapsed since the last reading");
        }

        // The machine's utilisation, and the process tree's, of the CPUs we may use (CpuTimeShare.Utilisation): the
        // tree's power is the machine's × the tree's share of the machine's busy time when nothing is clamped.
        long tree = TreeTicks;
        double load = CpuTimeShare.Utilisation(now.Value.BusyTicks - last.BusyTicks, total, now.Value.CpuCount, _options.AvailableCpus ?? now.Value.CpuCount);
        double treeLoad = CpuTimeShare.Utilisation(tree - _treeTicksAtWindow, total, now.Value.CpuCount, _options.AvailableCpus ?? now.Value.CpuCount);
        _treeTicksAtWindow = tree;
        _lastCpuTimestamp = timestamp;
        Integrate(timestamp, _tdp.Watts * load, _tdp.Watts * treeLoad);
        _lastCpuReading = new ChannelReading("cpu:model", _tdp * load, null, UtilizationPercent: load * 100);
        return Charged(_lastCpuReading.Value);
    }

    /// <summary>The reading as charged: the machine's, or under process attribution the tree's power and utilisation.</summary>
    private ChannelReading Charged(ChannelReading machine)
        => Attribution == CpuAttribution.Process
            ? machine with { Power = Power.FromWatts(_processW), UtilizationPercent = _processW / _tdp.Watts * 100 }
            : machine;

    /// <summary>Adds the trapezoid from the last reading to this one to both totals, as the sampler integrates the channel, and keeps the new powers.</summary>
    private void Integrate(long timestamp, double machineW, double processW)
    {
        double seconds = _time.GetElapsedTime(_lastIntegrated, timestamp).TotalSeconds;
        _lastIntegrated = timestamp;
        if (_hasCpuPower && seconds > 0)
        {
            _machineJ += (_machineW + machineW) / 2 * seconds;
            _processJ += (_processW + processW) / 2 * seconds;
        }

        _machineW = machineW;
        _processW = processW;
        _hasCpuPower = true;
    }

    /// <summary>Finds the tree (full scan at most every RescanInterval, else the known pids) and updates the CPU-time totals.</summary>
    private ProcessTreeUsage ReadTree(int root)
    {
        long now = _time.GetTimestamp();
        bool rescan = root != _scannedRoot || _time.GetElapsedTime(_lastScanTimestamp, now) >= (_options.RescanInterval ?? TimeSpan.FromSeconds(1));
        var tree = rescan ? ScanTree(root) : ReadKnown(root);
        if (rescan)
        {
            _scannedRoot = root;
            _lastScanTimestamp = now;
        }

        _treePids = tree.Select(s => s.Pid).ToArray();

        // Two lower bounds of the tree's CPU time, the larger is used (and never decreases):
        //  (a) utime+stime+cutime+cstime of the live processes: includes children reaped by a live process, even ones
        //      too short-lived to be seen between two readings;
        //  (b) utime+stime of the live processes plus the last seen utime+stime of every tree process that vanished:
        //      still counts children whose parent is gone (after the root exits, only (b) and the maximum remain).
        // (b) adds only own times, so a grandchild reaped by a child that later vanished is not counted twice.
        var liveOwn = tree.ToDictionary(s => s.Pid, s => s.UserTicks + s.SystemTicks);
        foreach (var (pid, ticks) in _ticksByPid)
        {
            if (!liveOwn.ContainsKey(pid))
            {
                _reapedTicks += ticks;
            }
        }

        _ticksByPid.Clear();
        foreach (var (pid, ticks) in liveOwn)
        {
            _ticksByPid[pid] = ticks;
        }

        long withChildren = tree.Sum(s => s.TotalTicks);
        long ownPlusVanished = liveOwn.Values.Sum() + _reapedTicks;
        _maxTreeTicks = Math.Max(_maxTreeTicks, Math.Max(withChildren, ownPlusVanished));
        long rss = tree.Sum(s => s.RssPages) * _pageSize;
        return new ProcessTreeUsage(tree.Count, TimeSpan.FromSeconds((double)_maxTreeTicks / _ticksPerSecond), rss);
    }

    /// <summary>
    /// Reads /proc/PID/stat of every process not already known to be outside the tree and returns the root and its
    /// descendants (by ppid). A process outside the tree cannot join it (a ppid only changes to a reaper), so known
    /// outsiders are skipped; the outsider set is forgotten every 30 s in case a pid was reused by a new child.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a second: would stay unoptimised under tiering
    private List<ProcessStat> ScanTree(int root)
    {
        long now = _time.GetTimestamp();
        if (root != _scannedRoot || _time.GetElapsedTime(_outsidersSince, now) >= TimeSpan.FromSeconds(30))
        {
            _outsiders.Clear();
            _outsidersSince = now;
        }

        var stats = new Dictionary<int, ProcessStat>();
        var present = new HashSet<int>();
        var pids = new FileSystemEnumerable<int>(_options.ProcRoot, static (ref FileSystemEntry entry) => ParsePid(entry.FileName), ProcEnumeration)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.IsDirectory && ParsePid(entry.FileName) > 0,
        };
        foreach (int pid in pids)
        {
            present.Add(pid);
            if (_outsiders.Contains(pid))
            {
                continue;
            }

            if (TryReadStat(Path.Combine(_options.ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"), out var stat))
            {
                stats[stat.Pid] = stat;
            }
        }

        var children = stats.Values.ToLookup(s => s.ParentPid);
        var tree = new List<ProcessStat>();
        var queue = new Queue<int>();
        if (stats.ContainsKey(root))
        {
            queue.Enqueue(root);
        }

        while (queue.Count > 0)
        {
            int pid = queue.Dequeue();
            tree.Add(stats[pid]);
            foreach (var child in children[pid])
            {
                if (child.Pid != pid)
                {
                    queue.Enqueue(child.Pid);
                }
            }
        }

        _outsiders.IntersectWith(present);
        foreach (int pid in stats.Keys)
        {
            _outsiders.Add(pid);
        }

        foreach (var member in tree)
        {
            _outsiders.Remove(member.Pid);
        }

        return tree;
    }

    /// <summary>Re-reads the stat files of the tree found by the last scan; processes that exited are dropped.</summary>
    private List<ProcessStat> ReadKnown(int root)
    {
        var tree = new List<ProcessStat>(_treePids.Length);
        foreach (int pid in _treePids)
        {
            // The parent check drops a pid reused by an unrelated process since the last scan.
            if (TryReadStat(Path.Combine(_options.ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"), out var stat)
                && (pid == root || Array.IndexOf(_treePids, stat.ParentPid) >= 0))
            {
                tree.Add(stat);
            }
        }

        return tree;
    }

    private static readonly EnumerationOptions ProcEnumeration = new() { AttributesToSkip = 0, IgnoreInaccessible = true };

    private static int ParsePid(ReadOnlySpan<char> name)
        => name.Length > 0 && char.IsAsciiDigit(name[0]) && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a second: would stay unoptimised under tiering
    private SystemCpuStat? ReadSystem()
    {
        string? text = TryRead(Path.Combine(_options.ProcRoot, "stat"));
        return text is not null && ProcParser.TryParseSystemStat(text, out var stat) ? stat : null;
    }

    /// <summary>Reads and parses a /proc/PID/stat file into reused buffers (a 10 Hz sampler reads many of them).</summary>
    private bool TryReadStat(string path, out ProcessStat stat)
    {
        stat = default;
        int length;
        try
        {
            using var handle = File.OpenHandle(path);
            length = RandomAccess.Read(handle, _statBytes, 0);
        }
        catch (IOException)
        {
            return false; // the process exited between listing and reading
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // Latin-1 maps every byte to one char: the numeric fields are ASCII whatever the command name holds.
        int chars = Encoding.Latin1.GetChars(_statBytes.AsSpan(0, length), _statChars);
        return ProcParser.TryParseProcessStat(_statChars.AsSpan(0, chars), out stat);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the process exited between listing and reading
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int ClockTicks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 100;
        }

        long ticks = NativeMethods.sysconf(ScClkTck);
        return ticks > 0 ? (int)ticks : 100;
    }

    public void Dispose()
    {
    }

    private static partial class NativeMethods
    {
        [DllImport("libc", EntryPoint = "sysconf")]
        public static extern long sysconf(int name);
    }
}
