using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Traces;

/// <summary>
/// Parses the lines of <c>nvidia-smi --query-gpu=... --format=csv</c> output, one at a time. Created from the header
/// line, it finds its columns by name (any order; nvidia-smi's own names such as <c>power.draw [W]</c> and the renamed
/// SEAA 2023 names such as <c>gpu_power_draw</c>), then turns each data line into a <see cref="GpuSample"/> and a device
/// key. Usable on a file (see <see cref="NvidiaSmiCsv"/>) or on live <c>nvidia-smi -lms</c> output.
/// </summary>
/// <remarks>
/// <para>Units: power in watts (<c>W</c>), utilisation in percent (<c>%</c>), memory in MiB, temperature in °C. A value
/// may carry its unit (<c>23.39 W</c>, as <c>--format=csv</c> writes it) or not (<c>--format=csv,nounits</c>); a
/// different unit is an error. <c>[N/A]</c> and <c>[Not Supported]</c> become null, never zero.</para>
/// <para>A line that does not fit (wrong field count, unparsable value) is rejected with a <see cref="TraceFault"/>
/// naming the source and line; it is never partly used. Parsing allocates nothing per line: device keys and GPU names
/// are interned.</para>
/// <para>Not thread-safe: use one parser per stream.</para>
/// </remarks>
public sealed class NvidiaSmiCsvParser
{
    private const int MaxFields = 256;

    private readonly string _source;
    private readonly PowerParsing _powerParsing;
    private readonly int _fieldCount;
    private readonly int _timestamp;
    private readonly int _power;
    private readonly int _utilization = -1;
    private readonly int _memoryUsed = -1;
    private readonly int _powerLimit = -1;
    private readonly int _temperature = -1;
    private readonly int _index = -1;
    private readonly int _busId = -1;
    private readonly int _name = -1;
    private readonly int _uuid = -1;
    private readonly Range[] _ranges;
    private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _internLookup;
    private readonly List<(byte[] Key, string Value)> _internedUtf8 = [];
    private NvidiaSmiTimestamp.DateCache _dateCache;

    // Per index: the GPU first seen under it (bus id, UUID, name; interned, null when the trace lacks the column or
    // the value), and the device key of every other GPU met under the same index.
    private readonly Dictionary<string, (string? BusId, string? Uuid, string? Name, int Line)> _firstUnderIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Index, string? BusId, string? Uuid, string? Name), string> _splitKeys = [];
    private TraceFault? _deviceNotice;

    private NvidiaSmiCsvParser(string source, PowerParsing powerParsing, string[] columns, int[] roles)
    {
        _source = source;
        _powerParsing = powerParsing;
        _fieldCount = columns.Length;
        Columns = columns;
        _timestamp = roles[(int)Role.Timestamp];
        _power = roles[(int)Role.Power];
        _utilization = roles[(int)Role.Utilization];
        _memoryUsed = roles[(int)Role.MemoryUsed];
        _powerLimit = roles[(int)Role.PowerLimit];
        _temperature = roles[(int)Role.Temperature];
        _index = roles[(int)Role.Index];
        _busId = roles[(int)Role.BusId];
        _name = roles[(int)Role.Name];
        _uuid = roles[(int)Role.Uuid];
        _ranges = new Range[_fieldCount + 1];
        _internLookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private enum Role
    {
        Timestamp,
        Power,
        Utilization,
        MemoryUsed,
        PowerLimit,
        Temperature,
        Index,
        BusId,
        Name,
        Uuid,
        Count,
    }

    /// <summary>The header's column names as written (units included), in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The file or stream name used in faults.</summary>
    public string Source => _source;

    /// <summary>True when the header has an <c>index</c> or <c>pci.bus_id</c> column, so lines may belong to several GPUs.</summary>
    public bool HasDeviceColumn => _index >= 0 || _busId >= 0;

    /// <summary>
    /// Builds a parser from a header line. Fails (with a <see cref="FaultKind.Fatal"/> fault naming the source and
    /// what was expected) when the line is not a CSV header or lacks a timestamp or power column.
    /// </summary>
    /// <param name="headerLine">The first line of the output, without its line end.</param>
    /// <param name="source">File or stream name used in faults.</param>
    /// <param name="options">Read options; null means <see cref="TraceReadOptions.Default"/>.</param>
    /// <param name="parser">The parser, when the header is usable.</param>
    /// <param name="fault">Why the header is unusable, otherwise null.</param>
    /// <param name="headerLineNumber">The header's line number, used in the fault (1 for a file).</param>
    public static bool TryCreate(
        ReadOnlySpan<char> headerLine,
        string source,
        TraceReadOptions? options,
        [NotNullWhen(true)] out NvidiaSmiCsvParser? parser,
        [NotNullWhen(false)] out TraceFault? fault,
        int headerLineNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= TraceReadOptions.Default;
        parser = null;
        headerLine = headerLine.TrimStart('\uFEFF').TrimEnd('\r');

        if (LooksBinary(headerLine))
        {
            fault = new TraceFault(FaultKind.Fatal, source, headerLineNumber,
                "is not a text CSV file (binary data in its first line); expected nvidia-smi --format=csv output " +
                "whose first line is a header such as 'timestamp, index, power.draw [W]'.");
            return false;
        }

        Span<Range> ranges = stackalloc Range[MaxFields + 1];
        int count = headerLine.Split(ranges, ',');
        if (count > MaxFields)
        {
            fault = new TraceFault(FaultKind.Fatal, source, headerLineNumber,
                $"has more than {MaxFields} columns in its header; expected an nvidia-smi --format=csv header.");
            return false;
        }

        var columns = new string[count];
        var roles = new int[(int)Role.Count];
        roles.AsSpan().Fill(-1);
        for (int i = 0; i < count; i++)
        {
            var raw = headerLine[ranges[i]].Trim();
            columns[i] = raw.ToString();
            var role = RoleOf(StripUnit(raw));
            if (role is { } r && roles[(int)r] < 0)
            {
                roles[(int)r] = i;
            }
        }

        var missing = new List<string>(2);
        if (roles[(int)Role.Timestamp] < 0)
        {
            missing.Add("timestamp");
        }

        if (roles[(int)Role.Power] < 0)
        {
            missing.Add("power.draw [W]");
        }

        if (missing.Count > 0)
        {
            string found = string.Join(", ", columns.Select(c => $"'{Shorten(c)}'"));
            string hint = count > 0 && DateLike(headerLine[ranges[0]].Trim())
                ? " The first line looks like data: output written with --format=csv,noheader cannot be read; record with --format=csv."
                : string.Empty;
            fault = new TraceFault(FaultKind.Fatal, source, headerLineNumber,
                $"has no {string.Join(" and no ", missing)} column in its header (found {found}); expected nvidia-smi " +
                "output of --query-gpu=timestamp,index,power.draw,... --format=csv (the renamed SEAA 2023 columns " +
                $"'timestamp' and 'gpu_power_draw' are accepted too).{hint}");
            return false;
        }

        parser = new NvidiaSmiCsvParser(source, options.PowerParsing, columns, roles);
        fault = null;
        return true;
    }

    /// <summary>Builds a parser from a header line, or throws <see cref="FormatException"/> with the fault's text.</summary>
    public static NvidiaSmiCsvParser Create(string headerLine, string source, TraceReadOptions? options = null)
        => TryCreate(headerLine, source, options, out var parser, out var fault)
            ? parser
            : throw new FormatException(fault.ToString());

    /// <summary>
    /// Parses one data line. Returns false with a fault (and no sample) when the line has the wrong number of fields or
    /// a value that does not parse; the caller skips it. Blank lines are faults too: callers skip them first.
    /// </summary>
    /// <param name="line">The line without its line end (a trailing '\r' is ignored).</param>
    /// <param name="lineNo">1-based line number, stored in the sample and in a fault.</param>
    /// <param name="sample">The parsed sample.</param>
    /// <param name="deviceKey">The <c>index</c> value, else <c>pci.bus_id</c>, else "0". Interned: no allocation per line.</param>
    /// <param name="fault">Why the line was rejected, otherwise null.</param>
    public bool TryParseLine(
        ReadOnlySpan<char> line,
        int lineNo,
        out GpuSample sample,
        out string deviceKey,
        [NotNullWhen(false)] out TraceFault? fault)
        => TryParseLine(line, lineNo, out sample, out deviceKey, out _, out fault);

    /// <summary>As the other overload, also giving the GPU name (<c>name</c>/<c>gpu_name</c>; interned) when the trace has one.</summary>
    public bool TryParseLine(
        ReadOnlySpan<char> line,
        int lineNo,
        out GpuSample sample,
        out string deviceKey,
        out string? gpuName,
        [NotNullWhen(false)] out TraceFault? fault)
        => TryParseCore(line, lineNo, out sample, out deviceKey, out gpuName, out fault);

    /// <summary>
    /// As <see cref="TryParseLine(ReadOnlySpan{char}, int, out GpuSample, out string, out string?, out TraceFault?)"/>,
    /// on raw UTF-8 bytes (what a file or a child process's stdout gives), with no decoding to UTF-16.
    /// </summary>
    public bool TryParseUtf8Line(
        ReadOnlySpan<byte> utf8Line,
        int lineNo,
        out GpuSample sample,
        out string deviceKey,
        out string? gpuName,
        [NotNullWhen(false)] out TraceFault? fault)
        => TryParseCore(utf8Line, lineNo, out sample, out deviceKey, out gpuName, out fault);

    private bool TryParseCore<T>(
        ReadOnlySpan<T> line,
        int lineNo,
        out GpuSample sample,
        out string deviceKey,
        out string? gpuName,
        [NotNullWhen(false)] out TraceFault? fault)
        where T : unmanaged
    {
        sample = default;
        deviceKey = "0";
        gpuName = null;
        if (!line.IsEmpty && Ascii.Code(line[^1]) == '\r')
        {
            line = line[..^1];
        }

        // Split on ',' into at most _fieldCount + 1 ranges (one more than expected is enough to say "too many").
        var ranges = _ranges.AsSpan();
        int count = typeof(T) == typeof(byte)
            ? SplitUtf8(MemoryMarshal.Cast<T, byte>(line), ranges)
            : Split(line, ranges);

        if (count != _fieldCount)
        {
            fault = LineFault(FaultKind.Garbage, lineNo, LooksBinary(line)
                ? "binary data instead of a CSV line; line skipped."
                : $"has {(count > _fieldCount ? "more than " + _fieldCount.ToString(CultureInfo.InvariantCulture) : count.ToString(CultureInfo.InvariantCulture))} fields, the header has {_fieldCount}; line skipped ('{Shorten(line)}').");
            return false;
        }

        var tsText = Ascii.TrimSpaces(line[ranges[_timestamp]]);
        if (!NvidiaSmiTimestamp.TryParse(tsText, ref _dateCache, out var timestamp))
        {
            fault = LineFault(FaultKind.UnparsableValue, lineNo,
                $"timestamp '{Shorten(tsText)}' is not a time stamp like '2023/03/02 09:00:30.840' or '2022-12-05 09:55:42.535'; line skipped.");
            return false;
        }

        Power? power;
        var powerText = Ascii.TrimSpaces(line[ranges[_power]]);
        var status = _powerParsing == PowerParsing.IntegerPart
            ? FieldValue.TryParseIntegerPart(powerText, "W", out double watts)
            : FieldValue.TryParse(powerText, "W", out watts);
        switch (status)
        {
            case FieldStatus.Value:
                power = Power.FromWatts(watts);
                break;
            case FieldStatus.Missing:
                power = null;
                break;
            default:
                fault = ValueFault(lineNo, _power, Ascii.ToText(powerText), "W");
                return false;
        }

        if (!TryOptional(line, ranges, _utilization, "%", lineNo, out double? utilization, out fault)
            || !TryOptional(line, ranges, _memoryUsed, "MiB", lineNo, out double? memoryUsed, out fault)
            || !TryOptional(line, ranges, _powerLimit, "W", lineNo, out double? limitWatts, out fault)
            || !TryOptional(line, ranges, _temperature, "C", lineNo, out double? temperature, out fault))
        {
            return false;
        }

        if (_index >= 0)
        {
            deviceKey = Intern(Ascii.TrimSpaces(line[ranges[_index]]));
        }
        else if (_busId >= 0)
        {
            deviceKey = Intern(Ascii.TrimSpaces(line[ranges[_busId]]));
        }

        if (deviceKey.Length == 0)
        {
            fault = LineFault(FaultKind.UnparsableValue, lineNo, $"empty '{Columns[_index >= 0 ? _index : _busId]}' field: the line cannot be given to a device; line skipped.");
            return false;
        }

        if (_name >= 0)
        {
            var nameText = Ascii.TrimSpaces(line[ranges[_name]]);
            gpuName = nameText.Length == 0 || FieldValue.IsMissing(nameText) ? null : Intern(nameText);
        }

        if (_index >= 0 && (_busId >= 0 || _uuid >= 0 || _name >= 0))
        {
            deviceKey = KeyOfGpu(deviceKey, Identity(line, ranges, _busId), Identity(line, ranges, _uuid), gpuName, lineNo);
        }

        sample = new GpuSample(
            timestamp,
            power,
            utilization,
            memoryUsed,
            limitWatts is { } lw ? Power.FromWatts(lw) : null,
            temperature,
            lineNo);
        fault = null;
        return true;
    }

    /// <summary>
    /// The last sentence of the <see cref="FaultKind.SharedDeviceIndex"/> fault: what probably happened. For a recorded
    /// trace (the default) two machines' traces joined; the live nvidia-smi meter says what fits a running nvidia-smi.
    /// </summary>
    public string SharedIndexHint { get; set; } = "Were traces of two machines joined?";

    /// <summary>
    /// The fault noting that a line's GPU shares its index with another GPU (reported once per such GPU, at its first
    /// line), or null; taking it clears it. A reader calls this after each parsed line to report the split.
    /// </summary>
    public TraceFault? TakeDeviceNotice()
    {
        var notice = _deviceNotice;
        _deviceNotice = null;
        return notice;
    }

    /// <summary>An identity column's value (interned), or null when the trace has no such column or the value is missing.</summary>
    private string? Identity<T>(ReadOnlySpan<T> line, Span<Range> ranges, int column)
        where T : unmanaged
    {
        if (column < 0)
        {
            return null;
        }

        var text = Ascii.TrimSpaces(line[ranges[column]]);
        return text.Length == 0 || FieldValue.IsMissing(text) ? null : Intern(text);
    }

    /// <summary>
    /// The device key of the GPU on this line: its index, unless another GPU (a different bus id, UUID or name) was
    /// seen first under that index (traces of two machines joined, a renumbering). Then the GPU is kept apart as
    /// "INDEX/VALUE" (VALUE: the first identity field that differs), so two GPUs' samples are never merged into one series.
    /// </summary>
    private string KeyOfGpu(string index, string? busId, string? uuid, string? name, int lineNo)
    {
        if (!_firstUnderIndex.TryGetValue(index, out var first))
        {
            _firstUnderIndex.Add(index, (busId, uuid, name, lineNo));
            return index;
        }

        static bool Differs(string? a, string? b) => a is not null && b is not null && !ReferenceEquals(a, b);
        (string Column, string? Was, string? Now) differing =
            Differs(first.BusId, busId) ? (Columns[_busId], first.BusId, busId)
            : Differs(first.Uuid, uuid) ? (Columns[_uuid], first.Uuid, uuid)
            : Differs(first.Name, name) ? (Columns[_name], first.Name, name)
            : default;
        if (differing.Now is null)
        {
            return index;
        }

        var identity = (index, busId, uuid, name);
        if (!_splitKeys.TryGetValue(identity, out string? key))
        {
            key = $"{index}/{differing.Now}";
            _splitKeys.Add(identity, key);
            _deviceNotice = LineFault(FaultKind.SharedDeviceIndex, lineNo,
                $"index {index} is used by two GPUs: {StripUnit(differing.Column.AsSpan()).ToString()} {differing.Was} (line {first.Line}) and {differing.Now} (this line); " +
                $"the second is kept apart as device '{key}'. {SharedIndexHint}");
        }

        return key;
    }

    /// <summary>Field ranges of a CSV line; returns ranges.Length + 1 when there are more fields than ranges.</summary>
    private static int Split<T>(ReadOnlySpan<T> line, Span<Range> ranges)
        where T : unmanaged
    {
        int count = 0;
        int start = 0;
        while (true)
        {
            if (count == ranges.Length)
            {
                return count + 1;
            }

            int at = Ascii.IndexOf(line[start..], ',');
            if (at < 0)
            {
                ranges[count++] = new Range(start, line.Length);
                return count;
            }

            ranges[count++] = new Range(start, start + at);
            start += at + 1;
        }
    }

    /// <summary>As <see cref="Split{T}"/> on UTF-8, finding all commas 32 bytes at a time (one compare, one bit mask).</summary>
    private static int SplitUtf8(ReadOnlySpan<byte> line, Span<Range> ranges)
    {
        int count = 0;
        int start = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte first = ref MemoryMarshal.GetReference(line);
            var commas = Vector256.Create((byte)',');
            for (; i + Vector256<byte>.Count <= line.Length; i += Vector256<byte>.Count)
            {
                uint mask = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), commas).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    if (count == ranges.Length)
                    {
                        return count + 1;
                    }

                    int at = i + BitOperations.TrailingZeroCount(mask);
                    ranges[count++] = new Range(start, at);
                    start = at + 1;
                    mask &= mask - 1;
                }
            }
        }

        for (; i < line.Length; i++)
        {
            if (line[i] == (byte)',')
            {
                if (count == ranges.Length)
                {
                    return count + 1;
                }

                ranges[count++] = new Range(start, i);
                start = i + 1;
            }
        }

        if (count == ranges.Length)
        {
            return count + 1;
        }

        ranges[count++] = new Range(start, line.Length);
        return count;
    }

    private bool TryOptional<T>(
        ReadOnlySpan<T> line, Span<Range> ranges, int column, string unit, int lineNo, out double? value, [NotNullWhen(false)] out TraceFault? fault)
        where T : unmanaged
    {
        value = null;
        fault = null;
        if (column < 0)
        {
            return true;
        }

        var text = Ascii.TrimSpaces(line[ranges[column]]);
        switch (FieldValue.TryParse(text, unit, out double v))
        {
            case FieldStatus.Value:
                value = v;
                return true;
            case FieldStatus.Missing:
                return true;
            default:
                fault = ValueFault(lineNo, column, Ascii.ToText(text), unit);
                return false;
        }
    }

    private TraceFault ValueFault(int lineNo, int column, string text, string unit)
        => LineFault(FaultKind.UnparsableValue, lineNo,
            $"'{Columns[column]}' value '{Shorten(text)}' is not a number{(unit == "C" ? string.Empty : " of " + unit)} or [N/A]; line skipped.");

    private TraceFault LineFault(FaultKind kind, int lineNo, string message) => new(kind, _source, lineNo, message);

    private string Intern<T>(ReadOnlySpan<T> text)
        where T : unmanaged
    {
        if (typeof(T) == typeof(char))
        {
            var chars = MemoryMarshal.Cast<T, char>(text);
            if (_internLookup.TryGetValue(chars, out var found))
            {
                return found;
            }

            string made = chars.ToString();
            _interned[made] = made;
            return made;
        }

        // UTF-8: a handful of distinct values per file (device ids, GPU names); a linear scan beats hashing.
        var bytes = MemoryMarshal.Cast<T, byte>(text);
        foreach (var (key, value) in _internedUtf8)
        {
            if (bytes.SequenceEqual(key))
            {
                return value;
            }
        }

        string decoded = Encoding.UTF8.GetString(bytes);
        _internedUtf8.Add((bytes.ToArray(), decoded));
        return decoded;
    }

    private static Role? RoleOf(ReadOnlySpan<char> name)
    {
        // nvidia-smi's --query-gpu names, and the SEAA 2023 renamed headers (gpu_*). Case-insensitive.
        static bool Is(ReadOnlySpan<char> n, string candidate) => n.Equals(candidate, StringComparison.OrdinalIgnoreCase);

        if (Is(name, "timestamp"))
        {
            return Role.Timestamp;
        }

        if (Is(name, "power.draw") || Is(name, "gpu_power_draw") || Is(name, "power.draw.instant") || Is(name, "power.draw.average"))
        {
            return Role.Power;
        }

        if (Is(name, "utilization.gpu") || Is(name, "gpu_usage"))
        {
            return Role.Utilization;
        }

        if (Is(name, "memory.used") || Is(name, "gpu_memory_used"))
        {
            return Role.MemoryUsed;
        }

        if (Is(name, "power.max_limit") || Is(name, "gpu_max_power") || Is(name, "enforced.power.limit") || Is(name, "power.limit"))
        {
            return Role.PowerLimit;
        }

        if (Is(name, "temperature.gpu") || Is(name, "gpu_temperature"))
        {
            return Role.Temperature;
        }

        if (Is(name, "index") || Is(name, "gpu_index"))
        {
            return Role.Index;
        }

        if (Is(name, "pci.bus_id") || Is(name, "gpu_bus_id"))
        {
            return Role.BusId;
        }

        if (Is(name, "name") || Is(name, "gpu_name"))
        {
            return Role.Name;
        }

        if (Is(name, "uuid") || Is(name, "gpu_uuid"))
        {
            return Role.Uuid;
        }

        return null;
    }

    /// <summary>"power.draw [W]" → "power.draw".</summary>
    private static ReadOnlySpan<char> StripUnit(ReadOnlySpan<char> column)
    {
        int bracket = column.IndexOf('[');
        return bracket > 0 ? column[..bracket].TrimEnd() : column;
    }

    private static bool DateLike(ReadOnlySpan<char> field) => NvidiaSmiTimestamp.TryParse(field, out _);

    internal static bool LooksBinary<T>(ReadOnlySpan<T> text)
        where T : unmanaged
    {
        foreach (T unit in text)
        {
            uint c = Ascii.Code(unit);
            if ((c < ' ' && c != '\t') || c == 0x7F || c == 0xFFFD)
            {
                return true;
            }
        }

        return typeof(T) == typeof(byte) && !System.Text.Unicode.Utf8.IsValid(MemoryMarshal.Cast<T, byte>(text));
    }

    internal static string Shorten<T>(ReadOnlySpan<T> text)
        where T : unmanaged
        => Shorten(Ascii.ToText(text));

    internal static string Shorten(string text)
    {
        const int Max = 60;
        var shown = text.Length > Max ? text.AsSpan(0, Max) : text.AsSpan();
        var chars = new char[shown.Length];
        for (int i = 0; i < shown.Length; i++)
        {
            char c = shown[i];
            chars[i] = c < ' ' || c == '\u007F' || c == '\uFFFD' ? '?' : c;
        }

        return text.Length > Max ? new string(chars) + "..." : new string(chars);
    }
}
