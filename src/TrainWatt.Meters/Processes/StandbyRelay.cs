using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;

namespace TrainWatt.Meters.Processes;

/// <summary>
/// Keeps a wrapped command's output flowing if TrainWatt dies (SIGKILL, a crash, the OOM killer): a small
/// <c>/bin/sh</c> process that stands by, holding its own read ends of the command's stdout and stderr pipes, and copies
/// them to the real stdout and stderr (which it inherited, so a file keeps its offset and a terminal stays the
/// terminal) only once TrainWatt is gone. The command never meets a pipe without a reader (EPIPE, SIGPIPE) and nothing
/// already in the pipes is lost.
/// </summary>
/// <remarks>
/// <para>Why a standby relay and not a relay in the data path (command → relay → stdout, with a copy to TrainWatt):
/// on the normal path it costs nothing, because it reads nothing while TrainWatt lives: no extra hop, no extra latency,
/// no change to a single byte, and the pumps of <see cref="WrappedProcess"/> stay the only readers. A relay in the path
/// would add a copy and a context switch to every chunk for the whole run, to protect the rare death of TrainWatt.
/// What the standby design cannot save: a chunk that a pump had read but not yet written when TrainWatt died (at most
/// one 16 KiB read per stream, only when the death falls between that read and its write).</para>
/// <para>How: the relay is <c>/bin/sh -c</c> with a fixed script (no dependency on where TrainWatt is installed, so it
/// works for the CLI and for .NET callers alike). It opens <c>/proc/TRAINWATT_PID/fd/N</c> of TrainWatt's read ends,
/// which on Linux opens the same pipes; ignores SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE (a Ctrl+C or a scheduler's
/// SIGTERM is for the command: the relay lives exactly as long as the command's output does); says "ready" on a
/// handshake pipe; then blocks reading its stdin, a pipe whose only writer is TrainWatt. A "stop" line on it (TrainWatt
/// has read both streams to their end) ends the relay; end of file (every writer gone: TrainWatt died) starts the copy,
/// one <c>cat</c> per stream until the command's last writer closes it, falling back to discarding when the output
/// itself is gone (as TrainWatt's pumps do), so the command never blocks on a full pipe.</para>
/// <para>Where it cannot start (not Linux, no <c>/proc</c>, no <c>/bin/sh</c>, no answer within
/// <see cref="ReadyTimeout"/>) the command runs as before and <see cref="WrappedProcess.RelayProblem"/> says why.</para>
/// </remarks>
internal sealed class StandbyRelay
{
    /// <summary>Hang guard for the relay's "ready" (a shell start takes milliseconds; a loaded machine may take seconds).</summary>
    internal static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The shell that runs the relay: POSIX sh at its fixed path.</summary>
    internal const string Shell = "/bin/sh";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// $1 TrainWatt's pid, $2 and $3 its read ends of the command's stdout and stderr, $4 the write end of the
    /// handshake pipe. The opens run with stderr on /dev/null (a failure ends the shell with status 2; TrainWatt says
    /// why in one line) and the real stderr saved on fd 6. A non-interactive sh runs the background list with SIGINT
    /// ignored already; the trap covers the rest and is inherited by the cats as "ignored".
    /// </summary>
    internal const string Script =
        "trap '' INT TERM HUP QUIT PIPE\n" +
        "d=/proc/$1/fd\n" +
        "exec 6>&2 2>/dev/null 5>\"$d/$4\" 3<\"$d/$2\" 4<\"$d/$3\"\n" +
        "exec 2>&6 6>&-\n" +
        "echo ready >&5\n" +
        "exec 5>&-\n" +
        "if read -r line; then exit 0; fi\n" +
        "exec 0</dev/null\n" +
        "{ cat <&3 2>/dev/null || cat <&3 >/dev/null; } 4<&- &\n" +
        "{ cat <&4 >&2 2>/dev/null || cat <&4 >/dev/null; } 3<&-\n" +
        "wait\n";

    private readonly Process _relay;
    private int _stopped;

    private StandbyRelay(Process relay)
    {
        _relay = relay;
    }

    /// <summary>The relay's process id.</summary>
    public int Id => _relay.Id;

    /// <summary>
    /// Starts a relay (<paramref name="shell"/> running <see cref="Script"/>) for <paramref name="child"/>'s redirected
    /// stdout and stderr and waits for it to hold them.
    /// Returns null with <paramref name="problem"/> (one line, no trailing period) where it cannot.
    /// </summary>
    public static StandbyRelay? TryStart(Process child, string shell, out string? problem)
    {
        if (!OperatingSystem.IsLinux())
        {
            problem = "it needs Linux's /proc/PID/fd";
            return null;
        }

        int self = Environment.ProcessId;
        if (!Directory.Exists($"/proc/{self}/fd"))
        {
            problem = $"/proc/{self}/fd is not there (is /proc mounted?)";
            return null;
        }

        if (child.StandardOutput.BaseStream is not PipeStream stdout || child.StandardError.BaseStream is not PipeStream stderr)
        {
            problem = "the command's output does not come through pipes";
            return null;
        }

        using var ready = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var info = new ProcessStartInfo(shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add("trainwatt-relay");
        info.ArgumentList.Add(self.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Descriptor(stdout));
        info.ArgumentList.Add(Descriptor(stderr));
        info.ArgumentList.Add(ready.ClientSafePipeHandle.DangerousGetHandle().ToString(CultureInfo.InvariantCulture));
        var relay = new Process { StartInfo = info };
        try
        {
            relay.Start();
        }
        catch (Win32Exception ex)
        {
            relay.Dispose();
            problem = $"cannot run {shell} ({new Win32Exception(ex.NativeErrorCode).Message})"; // the OS reason alone: "No such file or directory"
            return null;
        }

        byte[] answer = new byte[16];
        var read = Task.Run(() => ready.Read(answer));
        int first = Task.WaitAny([read, relay.WaitForExitAsync()], ReadyTimeout);
        if (first == 0 && read.IsCompletedSuccessfully && read.Result > 0)
        {
            ready.DisposeLocalCopyOfClientHandle(); // our copy of the write end (the relay closes its own after "ready")
            problem = null;
            return new StandbyRelay(relay);
        }

        problem = first switch
        {
            1 => $"it could not open the command's pipes through /proc/{self}/fd (sh exited with code {relay.ExitCode})",
            0 => "its handshake pipe failed",
            _ => $"it gave no sign within {ReadyTimeout.TotalSeconds:0} s",
        };
        Kill(relay);
        ready.DisposeLocalCopyOfClientHandle(); // with the relay gone, no writer is left: a pending read ends
        relay.Dispose();
        return null;
    }

    /// <summary>
    /// Ends the relay without it copying anything: for when TrainWatt has read both streams to their end. Idempotent and
    /// thread-safe; a relay already gone (killed by someone else) is fine.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            var stdin = _relay.StandardInput.BaseStream;
            stdin.Write("stop\n"u8);
            stdin.Flush();
            stdin.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The relay is gone already.
        }

        if (!_relay.WaitForExit(StopTimeout))
        {
            Kill(_relay);
        }

        _relay.Dispose();
    }

    private static string Descriptor(PipeStream stream) =>
        stream.SafePipeHandle.DangerousGetHandle().ToString(CultureInfo.InvariantCulture);

    private static void Kill(Process relay)
    {
        try
        {
            relay.Kill();
            relay.WaitForExit(StopTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited on its own.
        }
    }
}
