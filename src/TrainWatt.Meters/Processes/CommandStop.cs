using System.Diagnostics;

namespace TrainWatt.Meters.Processes;

/// <summary>
/// Stops a measured command when asked (<c>estimate --probe</c>), and leaves none of its processes behind: SIGINT to
/// every process of its tree (what Ctrl+C on a terminal does, so a training script can stop cleanly), SIGTERM after
/// <see cref="InterruptGrace"/>, SIGKILL after <see cref="TerminateGrace"/> more; once the command has exited, any
/// process of its tree still running gets SIGTERM, then SIGKILL a second later.
/// </summary>
/// <remarks>
/// <para>The tree (<see cref="ProcessTree"/>) is the command, its descendants and the members of process groups they
/// lead. It is read again every 50 ms while the command runs, so children started during the stop are found, and
/// processes are remembered by pid and start time: one orphaned by its parent's exit is still ended, and a pid reused by
/// an unrelated process is never signalled.</para>
/// <para>A stop asked for before the command starts applies when it starts. A command that exits on its own before any
/// stop is asked for is left alone, and so are the processes it left (as <c>measure</c> does).</para>
/// </remarks>
public sealed class CommandStop
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LeftoverGrace = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Action<string> _say;
    private readonly string _procRoot;
    private readonly Dictionary<int, ProcessEntry> _tracked = [];
    private int? _root;
    private ProcessEntry? _rootEntry;
    private string? _reason;
    private Thread? _thread;

    /// <param name="interruptGrace">How long the command has after SIGINT before SIGTERM.</param>
    /// <param name="terminateGrace">How long it has after SIGTERM before SIGKILL.</param>
    /// <param name="say">Where the one-line reports go ("stopping the command: SIGINT to 3 processes").</param>
    /// <param name="procRoot">The procfs root (tests).</param>
    public CommandStop(TimeSpan interruptGrace, TimeSpan terminateGrace, Action<string>? say = null, string procRoot = "/proc")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interruptGrace, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(terminateGrace, TimeSpan.Zero);
        InterruptGrace = interruptGrace;
        TerminateGrace = terminateGrace;
        _say = say ?? (_ => { });
        _procRoot = procRoot;
    }

    public TimeSpan InterruptGrace { get; }

    public TimeSpan TerminateGrace { get; }

    /// <summary>True once a stop was asked for.</summary>
    public bool Requested
    {
        get
        {
            lock (_gate)
            {
                return _reason is not null;
            }
        }
    }

    /// <summary>The strongest signal sent to the command itself (2 SIGINT, 15 SIGTERM, 9 SIGKILL); null before any.</summary>
    public int? StrongestSignal { get; private set; }

    /// <summary>Processes of the tree ended after the command itself had exited.</summary>
    public int LeftoversEnded { get; private set; }

    /// <summary>Asks for the stop (once; later calls do nothing). <paramref name="reason"/> says why, in the report line.</summary>
    public void Request(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_gate)
        {
            if (_reason is not null)
            {
                return;
            }

            _reason = reason;
            if (_root is not null)
            {
                StartLocked();
            }
        }
    }

    /// <summary>The command has started as process <paramref name="pid"/> (called by the measurement session).</summary>
    public void Attach(int pid)
    {
        lock (_gate)
        {
            _root = pid;
            _rootEntry = ProcessTree.Read(_procRoot, pid);
            if (_rootEntry is { } entry)
            {
                _tracked[pid] = entry;
            }

            if (_reason is not null)
            {
                StartLocked();
            }
        }
    }

    /// <summary>
    /// The command has exited (called by the measurement session): when a stop was asked for, waits until it has ended
    /// every process of the tree.
    /// </summary>
    public void CommandExited()
    {
        Thread? thread;
        lock (_gate)
        {
            thread = _thread;
        }

        thread?.Join();
    }

    private void StartLocked()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "trainwatt command stop" };
        _thread.Start();
    }

    private void Run()
    {
        string reason;
        lock (_gate)
        {
            reason = _reason!;
        }

        if (RootRunning())
        {
            int count = Signal(SigInt);
            _say($"{reason}: stopping the command: SIGINT to {count} process{(count == 1 ? "" : "es")} (SIGTERM after {InterruptGrace.TotalSeconds:0.#} s, SIGKILL {TerminateGrace.TotalSeconds:0.#} s later).");
            if (!WaitForRootExit(InterruptGrace))
            {
                _say($"the command is still running {InterruptGrace.TotalSeconds:0.#} s after SIGINT: SIGTERM to {Signal(SigTerm)} processes.");
                if (!WaitForRootExit(TerminateGrace))
                {
                    _say($"the command is still running {TerminateGrace.TotalSeconds:0.#} s after SIGTERM: SIGKILL to {Signal(SigKill)} processes.");
                    WaitForRootExit(TimeSpan.FromSeconds(5));
                }
            }
        }

        EndLeftovers();
    }

    /// <summary>Processes of the tree still running after the command exited: SIGTERM, then SIGKILL.</summary>
    private void EndLeftovers()
    {
        var left = Running().Where(e => e.Pid != _root).ToList();
        if (left.Count == 0)
        {
            return;
        }

        Send(left, SigTerm);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < LeftoverGrace && left.Any(e => ProcessTree.IsRunning(e, _procRoot)))
        {
            Thread.Sleep(Poll);
        }

        Send([.. left.Where(e => ProcessTree.IsRunning(e, _procRoot))], SigKill);
        LeftoversEnded = left.Count;
        _say($"ended {left.Count} process{(left.Count == 1 ? "" : "es")} the command left running ({string.Join(", ", left.Select(e => e.Pid))}).");
    }

    private bool RootRunning() => _rootEntry is { } root && ProcessTree.IsRunning(root, _procRoot);

    /// <summary>Waits up to <paramref name="limit"/> for the command to exit, finding new members of its tree meanwhile.</summary>
    private bool WaitForRootExit(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (RootRunning())
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            Refresh();
            Thread.Sleep(Poll);
        }

        return true;
    }

    /// <summary>Reads the tree again and remembers its new members.</summary>
    private void Refresh()
    {
        if (_root is not int root || !RootRunning())
        {
            return;
        }

        foreach (var entry in ProcessTree.Of(root, ProcessTree.All(_procRoot)))
        {
            _tracked.TryAdd(entry.Pid, entry);
        }
    }

    /// <summary>Signals every running member of the tree (read again first); returns how many.</summary>
    private int Signal(int signal)
    {
        Refresh();
        var running = Running();
        Send(running, signal);
        if (running.Any(e => e.Pid == _root))
        {
            StrongestSignal = signal;
        }

        return running.Count;
    }

    private List<ProcessEntry> Running() => [.. _tracked.Values.Where(e => ProcessTree.IsRunning(e, _procRoot))];

    private static void Send(IEnumerable<ProcessEntry> processes, int signal)
    {
        foreach (var entry in processes)
        {
            if (OperatingSystem.IsWindows())
            {
                try
                {
                    using var process = Process.GetProcessById(entry.Pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // already gone
                }
            }
            else
            {
                _ = NativeMethods.kill(entry.Pid, signal);
            }
        }
    }
}
