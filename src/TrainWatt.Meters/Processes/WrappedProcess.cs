using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TrainWatt.Meters.Processes;

/// <summary>
/// Runs a command (no shell) with its standard output and error piped through TrainWatt: every chunk is written on to
/// TrainWatt's own stdout/stderr as soon as it arrives (so <c>\r</c> progress bars still animate) and split into
/// segments for the epoch detector. Standard input is inherited.
/// </summary>
/// <remarks>
/// <para>Output is decoded as UTF-8 (invalid bytes become U+FFFD) and written unchanged otherwise.</para>
/// <para>A program writing to a pipe may buffer its output; <see cref="Start"/> sets <c>PYTHONUNBUFFERED=1</c> (unless
/// the environment already sets it) so Python prints each line when it is written. Programs in other languages
/// should flush after each epoch marker (the .NET and Python helpers do).</para>
/// </remarks>
public sealed class WrappedProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private WrappedProcess(Process process, Task stdoutPump, Task stderrPump)
    {
        _process = process;
        _stdoutPump = stdoutPump;
        _stderrPump = stderrPump;
    }

    /// <summary>Receives each output chunk (already decoded) and whether it came from stderr.</summary>
    public delegate void ChunkHandler(ReadOnlySpan<char> chunk, bool fromStderr);

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. Throws <see cref="CommandStartException"/>
    /// when the command cannot be found or run.
    /// </summary>
    /// <param name="fileName">Program name (looked up on PATH) or path.</param>
    /// <param name="arguments">Arguments, passed as they are (no shell quoting).</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <param name="stdout">Where the child's stdout goes on to.</param>
    /// <param name="stderr">Where the child's stderr goes on to.</param>
    /// <param name="onChunk">Called for every chunk after it was written on, from the pump thread of its stream.</param>
    public static WrappedProcess Start(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        TextWriter stdout,
        TextWriter stderr,
        ChunkHandler onChunk)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(onChunk);
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!info.Environment.ContainsKey("PYTHONUNBUFFERED"))
        {
            info.Environment["PYTHONUNBUFFERED"] = "1";
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new CommandStartException(fileName, ex.NativeErrorCode, ex.Message, ex);
        }

        var outPump = StartPump(process.StandardOutput.BaseStream, stdout, onChunk, fromStderr: false);
        var errPump = StartPump(process.StandardError.BaseStream, stderr, onChunk, fromStderr: true);
        return new WrappedProcess(process, outPump, errPump);
    }

    /// <summary>
    /// Waits for the child to exit and for its output to drain (at most <paramref name="drainTimeout"/> after exit:
    /// a grandchild that keeps the pipes open must not hold the run). Returns the exit code (128+N after signal N).
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var pumps = Task.WhenAll(_stdoutPump, _stderrPump);
        await Task.WhenAny(pumps, Task.Delay(drainTimeout, cancellationToken)).ConfigureAwait(false);
        if (pumps.IsFaulted)
        {
            await pumps.ConfigureAwait(false); // a bug in a chunk handler: surface it rather than lose it
        }

        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> (SIGINT, SIGTERM, SIGQUIT, SIGHUP) to the child. Returns false if it has exited.</summary>
    public bool Signal(PosixSignal signal)
    {
        if (_process.HasExited)
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            _process.Kill(entireProcessTree: true);
            return true;
        }

        return NativeMethods.kill(_process.Id, NativeMethods.SignalNumber(signal)) == 0;
    }

    public void Dispose() => _process.Dispose();

    /// <summary>
    /// Each stream is read by its own thread with blocking reads: an epoch line is timed when it arrives, not when a
    /// busy thread pool gets round to it.
    /// </summary>
    private static Task StartPump(Stream source, TextWriter target, ChunkHandler onChunk, bool fromStderr)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Pump(source, target, onChunk, fromStderr);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex); // observed by WaitForExitAsync
            }
        })
        {
            IsBackground = true,
            Name = fromStderr ? "trainwatt stderr pump" : "trainwatt stdout pump",
        };
        thread.Start();
        return done.Task;
    }

    private static void Pump(Stream source, TextWriter target, ChunkHandler onChunk, bool fromStderr)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        byte[] bytes = new byte[16 * 1024];
        char[] chars = new char[(16 * 1024) + 4];
        bool passThrough = true;
        while (true)
        {
            int read = source.Read(bytes);
            bool end = read == 0;
            int decoded = decoder.GetChars(bytes, 0, read, chars, 0, flush: end);
            if (decoded > 0)
            {
                if (passThrough)
                {
                    try
                    {
                        target.Write(chars, 0, decoded);
                        target.Flush();
                    }
                    catch (IOException)
                    {
                        // Our own output is gone (a closed pipe, `| head`): keep draining and scanning the command's
                        // output so it never blocks on a full pipe, and keep measuring.
                        passThrough = false;
                    }
                }

                onChunk(chars.AsSpan(0, decoded), fromStderr);
            }

            if (end)
            {
                return;
            }
        }
    }
}

/// <summary>The command could not be started: not found, not executable.</summary>
public sealed class CommandStartException(string fileName, int errorNumber, string reason, Exception inner)
    : Exception($"Cannot run \"{fileName}\": {reason}. " + Hint(errorNumber), inner)
{
    /// <summary>The command as given.</summary>
    public string FileName { get; } = fileName;

    /// <summary>The OS error number (2 = not found, 13 = permission denied).</summary>
    public int ErrorNumber { get; } = errorNumber;

    /// <summary>True when the program does not exist (ENOENT), as opposed to existing but not being runnable.</summary>
    public bool NotFound => ErrorNumber == 2;

    private static string Hint(int errorNumber) => errorNumber switch
    {
        2 => "Check the program name and PATH; the command after -- runs without a shell, so use bash -c '...' for shell syntax.",
        13 => "The file is not executable: chmod +x it, or run it through its interpreter (python3 script.py).",
        _ => "Check that the command runs on its own.",
    };
}

internal static partial class NativeMethods
{
    // Linux signal numbers (signal(7)); PosixSignal's values are abstract negatives.
    public static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Only SIGHUP, SIGINT, SIGQUIT and SIGTERM are forwarded."),
    };

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);

    [DllImport("libc", SetLastError = true)]
    public static extern int getpgrp();

    [DllImport("libc", SetLastError = true)]
    public static extern int tcgetpgrp(int fd);
}
