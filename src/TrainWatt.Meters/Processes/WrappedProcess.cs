using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TrainWatt.Meters.Processes;

/// <summary>
/// Runs a command (no shell) with its standard output and error piped through TrainWatt: every chunk is written on to
/// TrainWatt's own stdout/stderr as soon as it arrives, byte for byte (so <c>\r</c> progress bars still animate and
/// binary or non-UTF-8 output is unchanged), and a copy is decoded and handed to the epoch detection. Standard input is
/// inherited.
/// </summary>
/// <remarks>
/// <para>The command's output is sacred: the thread that reads a stream (its "pump") only reads, writes on and queues a
/// copy; it never waits for what is done with that copy. A separate scanner thread decodes the copies (UTF-8, invalid
/// bytes become U+FFFD in the copy only) and calls the chunk handler, so epoch bookkeeping (meter reads, a slow store)
/// can never stall the command's output, and an exception in the handler stops the scanning, not the pump. When the
/// scanner falls more than <see cref="MaxUnscannedBytes"/> behind, chunks are passed on but not scanned
/// (<see cref="UnscannedBytes"/>).</para>
/// <para>A program writing to a pipe may buffer its output; <see cref="Start(string, IReadOnlyList{string}, IReadOnlyDictionary{string, string?}, Stream, Stream, ChunkHandler)"/>
/// sets <c>PYTHONUNBUFFERED=1</c> (unless the environment already sets it) so Python prints each line when it is
/// written. Programs in other languages should flush after each epoch marker (the .NET and Python helpers do).</para>
/// <para>If TrainWatt dies while the command runs (SIGKILL, a crash), the pipes would lose their only reader and the
/// command would die of EPIPE/SIGPIPE at its next write. On Linux a <see cref="StandbyRelay"/> holds the pipes too and,
/// only once TrainWatt is gone, passes the rest of the output on to the process's real stdout and stderr; while
/// TrainWatt lives it reads nothing (the output path is unchanged). It is stopped when both streams have ended. Where
/// it cannot start, the command runs as before and <see cref="RelayProblem"/> says why.</para>
/// </remarks>
public sealed class WrappedProcess : IDisposable
{
    /// <summary>Output that may wait to be scanned; beyond it, chunks are passed on unscanned (64 MiB).</summary>
    public const int MaxUnscannedBytes = 64 * 1024 * 1024;

    private const int ChunkBytes = 16 * 1024;

    private readonly Process _process;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly ScanQueue _queue;
    private readonly Task _scanner;
    private readonly Scanner _scan;
    private readonly Task _relayStopped;

    private WrappedProcess(Process process, Task stdoutPump, Task stderrPump, ScanQueue queue, Scanner scan, Task scanner, StandbyRelay? relay, string? relayProblem)
    {
        _process = process;
        _stdoutPump = stdoutPump;
        _stderrPump = stderrPump;
        _queue = queue;
        _scan = scan;
        _scanner = scanner;
        RelayId = relay?.Id;
        RelayProblem = relayProblem;

        // Once both streams have ended nothing is left to protect; until then (a grandchild may hold the pipes after
        // the command exits) the relay stays, so that it takes over if this process ends first.
        _relayStopped = relay is null
            ? Task.CompletedTask
            : Task.WhenAll(stdoutPump, stderrPump).ContinueWith(_ => relay.Stop(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Receives each output chunk (a decoded copy) and whether it came from stderr.</summary>
    public delegate void ChunkHandler(ReadOnlySpan<char> chunk, bool fromStderr);

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Bytes passed on but not scanned: scanning was more than <see cref="MaxUnscannedBytes"/> behind, or was stopped
    /// (<see cref="StopScanning"/>).
    /// </summary>
    public long UnscannedBytes => _queue.Dropped + _scan.Skipped;

    /// <summary>
    /// Why no standby relay protects the command's output from TrainWatt's death (one line: "it needs Linux's
    /// /proc/PID/fd"), or null when one does.
    /// </summary>
    public string? RelayProblem { get; }

    /// <summary>The standby relay's process id, or null without one.</summary>
    public int? RelayId { get; }

    /// <summary>The exception from the chunk handler that stopped the scanning (the output still passed), or null.</summary>
    public Exception? ScanFailure => _scan.Failure;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>, its output going on to two text writers:
    /// decoded as UTF-8, so invalid bytes become U+FFFD. Use the <see cref="Stream"/> overload to pass the output on
    /// byte for byte.
    /// </summary>
    public static WrappedProcess Start(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        TextWriter stdout,
        TextWriter stderr,
        ChunkHandler onChunk)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return Start(fileName, arguments, environment, new TextWriterStream(stdout), new TextWriterStream(stderr), onChunk);
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. Throws <see cref="CommandStartException"/>
    /// when the command cannot be found or run.
    /// </summary>
    /// <param name="fileName">Program name (looked up on PATH) or path.</param>
    /// <param name="arguments">Arguments, passed as they are (no shell quoting).</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <param name="stdout">Where the child's stdout goes on to, byte for byte (written and flushed per chunk).</param>
    /// <param name="stderr">Where the child's stderr goes on to, byte for byte.</param>
    /// <param name="onChunk">Called for every chunk after it was written on, from the scanner thread (never a pump).</param>
    public static WrappedProcess Start(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        Stream stdout,
        Stream stderr,
        ChunkHandler onChunk)
        => Start(fileName, arguments, environment, stdout, stderr, onChunk, StandbyRelay.Shell);

    /// <summary>As the public overload, with the standby relay run by <paramref name="relayShell"/> (tests: a missing shell).</summary>
    internal static WrappedProcess Start(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        Stream stdout,
        Stream stderr,
        ChunkHandler onChunk,
        string relayShell)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
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

        var queue = new ScanQueue(MaxUnscannedBytes);
        var scan = new Scanner(queue, onChunk);
        var scanner = StartThread("trainwatt output scanner", scan.Run);
        var outPump = StartThread("trainwatt stdout pump", () => Pump(process.StandardOutput.BaseStream, stdout, queue, fromStderr: false));
        var errPump = StartThread("trainwatt stderr pump", () => Pump(process.StandardError.BaseStream, stderr, queue, fromStderr: true));

        // After the pumps: the command's output flows while the relay starts (a few milliseconds).
        StandbyRelay? relay;
        string? relayProblem;
        try
        {
            relay = StandbyRelay.TryStart(process, relayShell, out relayProblem);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            relay = null; // the relay is a safety net: its failure must not stop the command's measurement
            relayProblem = $"it failed to start ({e.GetType().Name}: {e.Message})";
        }

        return new WrappedProcess(process, outPump, errPump, queue, scan, scanner, relay, relayProblem);
    }

    /// <summary>
    /// Waits for the child to exit and for its output to drain (at most <paramref name="drainTimeout"/> after exit:
    /// a grandchild that keeps the pipes open must not hold the run; what it writes later is passed on, not scanned),
    /// then for the scanner to handle every chunk queued until then. Returns the exit code (128+N after signal N).
    /// When the output drained, the standby relay has ended too.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var pumps = Task.WhenAll(_stdoutPump, _stderrPump);
        await Task.WhenAny(pumps, Task.Delay(drainTimeout, cancellationToken)).ConfigureAwait(false);
        if (pumps.IsCompleted)
        {
            await _relayStopped.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _queue.Complete();
        await _scanner.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (pumps.IsFaulted)
        {
            await pumps.ConfigureAwait(false); // a bug in a pump: surface it rather than lose it
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Skips what is still queued for scanning (counted in <see cref="UnscannedBytes"/>), so that
    /// <see cref="WaitForExitAsync"/> returns without waiting for a backlog of epoch bookkeeping: for a stop asked for
    /// after the command exited. The output keeps passing on.
    /// </summary>
    public void StopScanning() => _scan.Stop();

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

    public void Dispose()
    {
        _queue.Complete(); // a scanner still waiting (the wait was cancelled) ends once the queue is empty
        _process.Dispose();
    }

    /// <summary>
    /// Each stream is read by its own thread with blocking reads, and the scanner has its own thread: an epoch line is
    /// timed when it arrives, not when a busy thread pool gets round to it.
    /// </summary>
    private static Task StartThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex); // observed by WaitForExitAsync
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Reads, writes on, queues a copy: nothing here waits for the epoch bookkeeping.</summary>
    private static void Pump(Stream source, Stream target, ScanQueue queue, bool fromStderr)
    {
        byte[] bytes = new byte[ChunkBytes];
        bool passThrough = true;
        while (true)
        {
            int read;
            try
            {
                read = source.Read(bytes);
            }
            catch (IOException)
            {
                read = 0; // the pipe broke: the command's output has ended
            }

            if (read == 0)
            {
                queue.AddEnd(fromStderr);
                if (passThrough && target is TextWriterStream text)
                {
                    PassOn(() => text.Complete(), ref passThrough);
                }

                return;
            }

            if (passThrough)
            {
                PassOn(() =>
                {
                    target.Write(bytes, 0, read);
                    target.Flush();
                }, ref passThrough);
            }

            queue.TryAdd(bytes.AsSpan(0, read), fromStderr);
        }
    }

    private static void PassOn(Action write, ref bool passThrough)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            // Our own output is gone (a closed pipe, `| head`): keep draining and scanning the command's output so it
            // never blocks on a full pipe, and keep measuring.
            passThrough = false;
        }
    }

    /// <summary>One queued copy of a chunk (pooled bytes), or the end of a stream.</summary>
    private readonly record struct Chunk(byte[]? Bytes, int Length, bool FromStderr, bool End, bool AfterGap);

    /// <summary>
    /// The chunks waiting for the scanner, bounded in bytes. The pumps never wait on it beyond a short lock: a chunk
    /// that does not fit is not queued (counted in <see cref="Dropped"/>, and the stream's next chunk is marked).
    /// </summary>
    private sealed class ScanQueue(long maxBytes)
    {
        private readonly Queue<Chunk> _chunks = new();
        private readonly bool[] _gap = new bool[2];
        private long _bytes;
        private long _dropped;
        private bool _completed;

        public long Dropped => Interlocked.Read(ref _dropped);

        public void TryAdd(ReadOnlySpan<byte> bytes, bool fromStderr)
        {
            int stream = fromStderr ? 1 : 0;
            lock (_chunks)
            {
                if (_completed || _bytes + bytes.Length > maxBytes)
                {
                    Interlocked.Add(ref _dropped, bytes.Length);
                    _gap[stream] = true;
                    return;
                }

                _bytes += bytes.Length;
            }

            byte[] copy = ArrayPool<byte>.Shared.Rent(bytes.Length);
            bytes.CopyTo(copy);
            lock (_chunks)
            {
                if (_completed)
                {
                    _bytes -= bytes.Length;
                    ArrayPool<byte>.Shared.Return(copy);
                    return;
                }

                _chunks.Enqueue(new Chunk(copy, bytes.Length, fromStderr, End: false, AfterGap: _gap[stream]));
                _gap[stream] = false;
                Monitor.Pulse(_chunks);
            }
        }

        public void AddEnd(bool fromStderr)
        {
            lock (_chunks)
            {
                if (!_completed)
                {
                    _chunks.Enqueue(new Chunk(null, 0, fromStderr, End: true, AfterGap: false));
                    Monitor.Pulse(_chunks);
                }
            }
        }

        /// <summary>Nothing more is queued; the scanner ends once it has taken what is there.</summary>
        public void Complete()
        {
            lock (_chunks)
            {
                _completed = true;
                Monitor.PulseAll(_chunks);
            }
        }

        /// <summary>Waits for the next chunk; false once the queue is complete and empty.</summary>
        public bool TryTake(out Chunk chunk)
        {
            lock (_chunks)
            {
                while (_chunks.Count == 0 && !_completed)
                {
                    Monitor.Wait(_chunks);
                }

                if (!_chunks.TryDequeue(out chunk))
                {
                    return false;
                }

                _bytes -= chunk.Length;
                return true;
            }
        }
    }

    /// <summary>Decodes each queued chunk (one decoder per stream) and hands it to the chunk handler.</summary>
    private sealed class Scanner(ScanQueue queue, ChunkHandler onChunk)
    {
        private volatile Exception? _failure;
        private volatile bool _stopped;
        private long _skipped;

        public Exception? Failure => _failure;

        public long Skipped => Interlocked.Read(ref _skipped);

        public void Stop() => _stopped = true;

        public void Run()
        {
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
            Decoder[] decoders = [utf8.GetDecoder(), utf8.GetDecoder()];
            char[] chars = new char[utf8.GetMaxCharCount(ChunkBytes)];
            while (queue.TryTake(out var chunk))
            {
                try
                {
                    if (_stopped)
                    {
                        Interlocked.Add(ref _skipped, chunk.Length);
                    }
                    else if (_failure is null)
                    {
                        Scan(chunk, decoders[chunk.FromStderr ? 1 : 0], chars);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _failure = e; // scanning stops; the pumps and the command go on
                }
                finally
                {
                    if (chunk.Bytes is { } bytes)
                    {
                        ArrayPool<byte>.Shared.Return(bytes);
                    }
                }
            }
        }

        private void Scan(Chunk chunk, Decoder decoder, char[] chars)
        {
            if (chunk.AfterGap)
            {
                // Output was skipped before this chunk: end the cut line rather than join it to what follows.
                decoder.Reset();
                onChunk("\n", chunk.FromStderr);
            }

            int decoded = decoder.GetChars(chunk.Bytes ?? [], 0, chunk.Length, chars, 0, flush: chunk.End);
            if (decoded > 0)
            {
                onChunk(chars.AsSpan(0, decoded), chunk.FromStderr);
            }
        }
    }
}

/// <summary>
/// Passes bytes on to a <see cref="TextWriter"/>, decoded as UTF-8 (invalid bytes become U+FFFD): for callers whose
/// output is text (a <see cref="StringWriter"/> in tests). Not byte for byte; the CLI passes streams.
/// </summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private char[] _chars = [];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count), flush: false);

    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer, flush: false);

    /// <summary>The stream has ended: writes what an incomplete last sequence decodes to.</summary>
    public void Complete()
    {
        Write([], flush: true);
        writer.Flush();
    }

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Write(ReadOnlySpan<byte> bytes, bool flush)
    {
        int max = _decoder.GetCharCount(bytes, flush);
        if (_chars.Length < max)
        {
            _chars = new char[Math.Max(max, 4096)];
        }

        int decoded = _decoder.GetChars(bytes, _chars, flush);
        writer.Write(_chars, 0, decoded);
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
