using System.IO.Compression;
using System.Text;

namespace TrainWatt.Core.Traces;

/// <summary>
/// Reads a whole nvidia-smi CSV trace (plain or gzip, detected by its magic bytes, not its name) into per-device
/// traces, streaming: one pass over the raw UTF-8 bytes, a reused buffer, no string per line.
/// </summary>
/// <remarks>
/// <para>Never throws for bad data. Line-level problems (a garbage line, an unparsable value, the half-written last
/// line of a logger that was killed) are <see cref="TraceFault"/>s with file and line; the line is skipped and the
/// rest of the file is used. A file that cannot give data at all (empty, header only, binary, corrupt or truncated
/// gzip, no timestamp or power column) gives no devices and one <see cref="FaultKind.Fatal"/> fault saying what was
/// expected.</para>
/// <para>An unterminated last line is kept when it is complete (all fields present and valid: nvidia-smi was stopped
/// just before writing the line end) and reported as <see cref="FaultKind.TruncatedLine"/> otherwise.</para>
/// </remarks>
public static class NvidiaSmiCsv
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int MaxLineBytes = 1024 * 1024;

    /// <summary>The order of device keys in results: numeric when both keys are integers ("2" before "10"), else ordinal.</summary>
    public static IComparer<string> DeviceKeyOrder => DeviceKeyComparer.Instance;

    /// <summary>Reads the trace at <paramref name="path"/>. I/O errors (missing file, no permission) give a fatal fault.</summary>
    /// <param name="path">A plain or gzip-compressed nvidia-smi CSV file.</param>
    /// <param name="options">Read options; null means <see cref="TraceReadOptions.Default"/>.</param>
    public static TraceReadResult ReadFile(string path, TraceReadOptions? options = null)
    {
        var collector = new Collector(path);
        return collector.ToResult(ScanFile(path, collector, options));
    }

    /// <summary>
    /// Reads a trace from <paramref name="stream"/> (plain or gzip, detected from its first two bytes). The stream is
    /// read to its end and not disposed.
    /// </summary>
    /// <param name="stream">The trace bytes.</param>
    /// <param name="fileName">Name used in faults and in <see cref="DeviceTrace.File"/>.</param>
    /// <param name="options">Read options; null means <see cref="TraceReadOptions.Default"/>.</param>
    public static TraceReadResult Read(Stream stream, string fileName, TraceReadOptions? options = null)
    {
        var collector = new Collector(fileName);
        return collector.ToResult(Scan(stream, fileName, collector, options));
    }

    /// <summary>
    /// Streams the trace at <paramref name="path"/> into <paramref name="sink"/>, sample by sample, without keeping
    /// the samples: for integrating large or many traces in constant memory (<see cref="Accounting.EnergyIntegrator"/>).
    /// </summary>
    /// <remarks>Faults are as for <see cref="ReadFile"/>. When the result <see cref="TraceScanResult.IsFatal"/>, discard
    /// whatever the sink received (a truncated gzip is only known at its end).</remarks>
    public static TraceScanResult ScanFile(string path, ITraceSampleSink sink, TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "does not exist; check the path.",
                UnauthorizedAccessException => "cannot be read (permission denied).",
                _ => $"cannot be opened: {e.Message}",
            };
            return Fatal(path, why);
        }

        using (stream)
        {
            return Scan(stream, path, sink, options);
        }
    }

    /// <summary>As <see cref="ScanFile"/>, from a stream (read to its end, not disposed).</summary>
    public static TraceScanResult Scan(Stream stream, string fileName, ITraceSampleSink sink, TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= TraceReadOptions.Default;

        Span<byte> magic = stackalloc byte[2];
        int got;
        try
        {
            got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        }
        catch (IOException e)
        {
            return Fatal(fileName, $"cannot be read: {e.Message}");
        }

        if (got == 0)
        {
            return Fatal(fileName, "is empty; expected nvidia-smi --format=csv output: a header line such as 'timestamp, index, power.draw [W]' and one line per sample.");
        }

        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        Stream replay = new PrefixedStream(magic[..got].ToArray(), stream);
        if (sink is ITraceReadProgress progress)
        {
            replay = new ProgressStream(replay, progress);
        }

        GzipTailStream? compressed = gzip ? new GzipTailStream(replay) : null;
        CountingStream? decompressed = gzip ? new CountingStream(new GZipStream(compressed!, CompressionMode.Decompress)) : null;
        Stream source = decompressed ?? replay;
        try
        {
            var result = new Session(fileName, options, gzip, sink).Run(source);
            if (decompressed is { ReachedEnd: true } && compressed!.Isize != (uint)decompressed.BytesRead)
            {
                // GZipStream ends silently on a cut-short file; the trailer's length field says so.
                return Fatal(fileName, "is a truncated or corrupt gzip file (its decompressed length does not match the gzip trailer): " +
                    "it was cut short, e.g. copied while still being written; no data used. Re-copy the trace, or decompress what is left " +
                    "with 'zcat' into a plain .csv to read the surviving lines.");
            }

            return result;
        }
        catch (InvalidDataException e)
        {
            return Fatal(fileName, $"is not a valid gzip file ({e.Message.TrimEnd('.')}): it is corrupt or was cut short; no data used. Re-copy or re-compress the trace.");
        }
        catch (IOException e)
        {
            return Fatal(fileName, $"cannot be read: {e.Message}");
        }
        finally
        {
            decompressed?.Dispose();
        }
    }

    private static TraceScanResult Fatal(string file, string message)
        => new([new TraceFault(FaultKind.Fatal, file, 0, message)], 0);

    /// <summary>State of one read: the parser, per-device sample lists, the faults.</summary>
    private sealed class Session(string file, TraceReadOptions options, bool gzip, ITraceSampleSink sink)
    {
        private readonly List<TraceFault> _faults = [];
        private NvidiaSmiCsvParser? _parser;
        private TraceFault? _fatal;
        private int _dataLines;
        private int _unlistedFaults;
        private int _samples;
        private InterleavedGpuCheck? _single;

        public TraceScanResult Run(Stream source)
        {
            // Raw UTF-8 bytes, split on '\n' with a vectorised search; no decoding to UTF-16 except for the header.
            byte[] buffer = new byte[InitialBufferBytes];
            int start = 0;
            int end = 0;
            int lineNo = 0;
            bool skippingLongLine = false;

            // The first bytes decide about a byte-order mark before any line is looked at.
            end = source.ReadAtLeast(buffer, 3, throwOnEndOfStream: false);
            if (end > 0 && !OnFileStart(buffer.AsSpan(0, end), ref start))
            {
                return Result();
            }

            bool pending = end > 0;
            while (true)
            {
                if (pending)
                {
                    pending = false;
                }
                else
                {
                    if (end == buffer.Length)
                    {
                        if (start > 0)
                        {
                            buffer.AsSpan(start, end - start).CopyTo(buffer);
                            end -= start;
                            start = 0;
                        }
                        else if (buffer.Length < MaxLineBytes)
                        {
                            Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes));
                        }
                        else
                        {
                            // One line longer than MaxLineBytes: report it once, then drop bytes until its line end.
                            if (!skippingLongLine)
                            {
                                lineNo++;
                                skippingLongLine = true;
                                if (!OnLongLine(lineNo))
                                {
                                    return Result();
                                }
                            }

                            start = end = 0;
                        }
                    }

                    int read = source.Read(buffer, end, buffer.Length - end);
                    if (read == 0)
                    {
                        break;
                    }

                    end += read;
                }

                while (true)
                {
                    int nl = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (nl < 0)
                    {
                        break;
                    }

                    var line = buffer.AsSpan(start, nl);
                    start += nl + 1;
                    if (skippingLongLine)
                    {
                        skippingLongLine = false;
                        continue;
                    }

                    lineNo++;
                    if (!OnLine(line, lineNo, terminated: true))
                    {
                        return Result();
                    }
                }
            }

            if (end > start && !skippingLongLine)
            {
                lineNo++;
                if (!OnLine(buffer.AsSpan(start, end - start), lineNo, terminated: false))
                {
                    return Result();
                }
            }

            return Result();
        }

        /// <summary>Skips a UTF-8 byte-order mark; rejects UTF-16 text with a message that says how to convert it.</summary>
        private bool OnFileStart(ReadOnlySpan<byte> head, ref int start)
        {
            if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                start += 3;
                return true;
            }

            if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                _fatal = new TraceFault(FaultKind.Fatal, file, 0,
                    "is UTF-16 text; expected UTF-8 (nvidia-smi's own output). Convert it with: iconv -f UTF-16 -t UTF-8 FILE > FILE.csv");
                return false;
            }

            return true;
        }

        /// <returns>False when the file turned out fatal and reading should stop.</returns>
        private bool OnLine(ReadOnlySpan<byte> line, int lineNo, bool terminated)
        {
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (_parser is null)
            {
                if (Ascii.TrimSpaces(line).IsEmpty)
                {
                    return true;
                }

                if (NvidiaSmiCsvParser.LooksBinary(line))
                {
                    _fatal = new TraceFault(FaultKind.Fatal, file, lineNo,
                        "is not a text CSV file (binary data in its first line); expected nvidia-smi --format=csv output " +
                        "whose first line is a header such as 'timestamp, index, power.draw [W]'.");
                    return false;
                }

                if (!NvidiaSmiCsvParser.TryCreate(Encoding.UTF8.GetString(line), file, options, out _parser, out var headerFault, lineNo))
                {
                    _fatal = headerFault;
                    return false;
                }

                return true;
            }

            if (Ascii.TrimSpaces(line).IsEmpty)
            {
                return true;
            }

            _dataLines++;
            if (_parser.TryParseUtf8Line(line, lineNo, out var sample, out string device, out string? name, out var fault))
            {
                if (_parser.TakeDeviceNotice() is { } notice)
                {
                    AddFault(notice);
                }

                if (!_parser.HasDeviceColumn)
                {
                    _single ??= new InterleavedGpuCheck();
                    if (_single.NameChange(name, lineNo) is { } change)
                    {
                        _fatal = new TraceFault(FaultKind.Fatal, file, lineNo, change);
                        return false;
                    }

                    _single.Add(sample.Timestamp.Ticks, lineNo);
                }

                _samples++;
                sink.OnSample(device, name, sample);
                return true;
            }

            if (!terminated)
            {
                fault = fault with
                {
                    Kind = FaultKind.TruncatedLine,
                    Message = $"half-written last line (no line end: the logger was stopped mid-line): {fault.Message}",
                };
            }

            AddFault(fault);
            return true;
        }

        private bool OnLongLine(int lineNo)
        {
            if (_parser is null)
            {
                _fatal = new TraceFault(FaultKind.Fatal, file, lineNo,
                    $"has no line end in its first {MaxLineBytes / 1024} KiB: it is not line-based CSV text; expected nvidia-smi --format=csv output.");
                return false;
            }

            _dataLines++;
            AddFault(new TraceFault(FaultKind.Garbage, file, lineNo, $"line longer than {MaxLineBytes / 1024} KiB; line skipped."));
            return true;
        }

        private void AddFault(TraceFault fault)
        {
            if (_faults.Count < options.MaxListedFaults)
            {
                _faults.Add(fault);
            }
            else
            {
                _unlistedFaults++;
            }
        }

        private TraceScanResult Result()
        {
            if (_fatal is not null)
            {
                return new TraceScanResult([_fatal], 0);
            }

            string what = gzip ? "decompressed gzip data" : "file";
            if (_parser is null)
            {
                return Fatal(file, $"has no header line (the {what} holds only blank lines); expected nvidia-smi --format=csv output starting with a header such as 'timestamp, index, power.draw [W]'.");
            }

            if (_single?.Complete() is { } interleaved)
            {
                return Fatal(file, interleaved);
            }

            if (_samples == 0)
            {
                string message = _dataLines == 0
                    ? "has a header but no data lines; expected one line per sample after the header (was nvidia-smi stopped before its first sample?)."
                    : $"has no usable sample: all {_dataLines} data lines were rejected (first: {(_faults.Count > 0 ? _faults[0].ToString() : "?")}).";
                return Fatal(file, message);
            }

            var faults = new List<TraceFault>(_faults);
            if (_unlistedFaults > 0)
            {
                faults.Add(new TraceFault(FaultKind.Garbage, file, 0, $"{_unlistedFaults} more faulty lines not listed (only the first {options.MaxListedFaults} are)."));
            }

            return new TraceScanResult(faults, _samples);
        }
    }

    /// <summary>The sink behind <see cref="Read"/>: keeps every sample, per device.</summary>
    private sealed class Collector(string file) : ITraceSampleSink
    {
        private readonly Dictionary<string, DeviceAccumulator> _devices = new(StringComparer.Ordinal);
        private DeviceAccumulator? _last;

        public void OnSample(string device, string? gpuName, in GpuSample sample)
        {
            var acc = _last is not null && ReferenceEquals(_last.Key, device) ? _last : Get(device, gpuName);
            _last = acc;
            acc.Samples.Add(sample);
        }

        public TraceReadResult ToResult(TraceScanResult scan)
            => scan.IsFatal
                ? new TraceReadResult([], scan.Faults)
                : new TraceReadResult(
                    _devices.Values
                        .OrderBy(d => d.Key, DeviceKeyComparer.Instance)
                        .Select(d => new DeviceTrace(file, d.Key, d.Name, d.Samples))
                        .ToList(),
                    scan.Faults);

        private DeviceAccumulator Get(string key, string? name)
        {
            if (!_devices.TryGetValue(key, out var acc))
            {
                acc = new DeviceAccumulator(key, name);
                _devices.Add(key, acc);
            }

            acc.Name ??= name;
            return acc;
        }
    }

    private sealed class DeviceAccumulator(string key, string? name)
    {
        public string Key { get; } = key;

        public string? Name { get; set; } = name;

        public List<GpuSample> Samples { get; } = new(4096);
    }

    /// <summary>
    /// Orders device keys numerically when both start with an integer ("2" before "10"; a GPU kept apart under a shared
    /// index, "0/00000000:02:00.0", right after "0"), else ordinally.
    /// </summary>
    internal sealed class DeviceKeyComparer : IComparer<string>
    {
        public static readonly DeviceKeyComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (Number(x, out long a, out int restX) && Number(y, out long b, out int restY))
            {
                int byNumber = a.CompareTo(b);
                return byNumber != 0 ? byNumber : string.CompareOrdinal(x![restX..], y![restY..]);
            }

            return string.CompareOrdinal(x, y);
        }

        private static bool Number(string? key, out long value, out int rest)
        {
            rest = key is null ? 0 : key.IndexOf('/') is var slash and >= 0 ? slash : key.Length;
            value = 0;
            return key is not null && long.TryParse(key.AsSpan(0, rest), out value);
        }
    }
}
