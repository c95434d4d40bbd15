using System.Globalization;
using System.Text;

namespace TrainWatt.Core.Text;

/// <summary>
/// TrainWatt's one reader for CSV tables (reference tables, run tables, datasets, epoch logs; not the nvidia-smi trace,
/// which has its own byte-level parser). The rules, and every message, live here:
/// <list type="bullet">
/// <item>RFC 4180: comma separated; a field may be quoted, and a quoted field may hold commas, line breaks and doubled
/// quotes (<c>""</c>). White space around a quoted field is ignored; a quote inside an unquoted value, or text after a
/// closing quote, is an error.</item>
/// <item>UTF-8 with or without a byte-order mark; LF, CRLF or CR line ends; the last line may lack one.</item>
/// <item>Lines that are empty or only white space are skipped (before the header too).</item>
/// <item>The first record is the header. Names are trimmed and looked up case-insensitively, so one name may appear only
/// once; required columns missing from it are all named at once.</item>
/// <item>Every row has the header's number of fields (unless <see cref="CsvReaderOptions.AllowRaggedRows"/>).</item>
/// <item>Rows are streamed: one record is in memory at a time, and a record longer than
/// <see cref="CsvReaderOptions.MaxRecordLength"/> fails instead of exhausting memory.</item>
/// <item>Numbers are read by <see cref="CsvNumber"/>: invariant culture, finite only.</item>
/// </list>
/// Every failure is a <see cref="CsvFormatException"/> naming the file, the line and, for a value, the column.
/// </summary>
/// <example>
/// <code>
/// using var csv = CsvReader.Open(path, new CsvReaderOptions { RequiredColumns = ["gpu", "energy_j"] });
/// foreach (CsvRow row in csv.ReadRows())
/// {
///     double joules = row.GetDouble("energy_j");
/// }
/// </code>
/// </example>
public sealed class CsvReader : IDisposable
{
    private const int FieldStart = 0;
    private const int Unquoted = 1;
    private const int Quoted = 2;
    private const int QuoteInQuoted = 3;
    private const int AfterQuoted = 4;

    private readonly TextReader _reader;
    private readonly bool _leaveOpen;
    private readonly CsvReaderOptions _options;
    private readonly char[] _buffer = new char[8192];
    private int _bufferPosition;
    private int _bufferLength;
    private bool _atStart = true;
    private bool _skipLineFeed;
    private int _line = 1;

    private char[] _record = new char[256];
    private int _recordLength;
    private int[] _fieldEnds = new int[16];
    private int _fieldCount;
    private bool _recordQuoted;
    private int _recordLine;
    private bool _recordTerminated;
    private bool _rowsTaken;

    private CsvReader(TextReader reader, string file, CsvReaderOptions options, bool leaveOpen)
    {
        _reader = reader;
        File = file;
        _options = options;
        _leaveOpen = leaveOpen;
        if (options.MaxRecordLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRecordLength, "MaxRecordLength must be at least 1.");
        }

        Header = ReadHeader();
    }

    /// <summary>The file as given: the path for <see cref="Open"/>, the caller's name for <see cref="Create"/>.</summary>
    public string File { get; }

    /// <summary>The header row, read (and checked) when the reader was created.</summary>
    public CsvHeader Header { get; }

    /// <summary>Opens a file (UTF-8, BOM or not) and reads its header.</summary>
    /// <exception cref="CsvFormatException">The file is empty, or its header is malformed or lacks a required column.</exception>
    /// <exception cref="IOException">The file cannot be read (e.g. <see cref="FileNotFoundException"/>).</exception>
    public static CsvReader Open(string path, CsvReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        return Create(reader, path, options, leaveOpen: false);
    }

    /// <summary>Reads the header from <paramref name="reader"/>; <paramref name="file"/> only names it in messages.</summary>
    /// <param name="reader">The text; read forward only, never rewound.</param>
    /// <param name="file">The name messages give the text (a path, or e.g. <c>data/gpus.csv</c>).</param>
    /// <param name="options">Required columns, ragged rows, record length; <see cref="CsvReaderOptions.Default"/> when null.</param>
    /// <param name="leaveOpen">When false (the default) disposing this reader disposes <paramref name="reader"/>, also when the header fails.</param>
    /// <exception cref="CsvFormatException">The text is empty, or its header is malformed or lacks a required column.</exception>
    public static CsvReader Create(TextReader reader, string file, CsvReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            return new CsvReader(reader, file, options ?? CsvReaderOptions.Default, leaveOpen);
        }
        catch
        {
            if (!leaveOpen)
            {
                reader.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// The data rows in file order, read as they are enumerated (one record in memory at a time). Blank lines are
    /// skipped. May be enumerated once.
    /// </summary>
    /// <exception cref="CsvFormatException">While enumerating: a record breaks a rule; the message names file and line.</exception>
    public IEnumerable<CsvRow> ReadRows()
    {
        if (_rowsTaken)
        {
            throw new InvalidOperationException($"The rows of {File} were already read; a CsvReader reads forward once.");
        }

        _rowsTaken = true;
        return Rows();
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _reader.Dispose();
        }
    }

    private IEnumerable<CsvRow> Rows()
    {
        while (ReadRecord())
        {
            if (IsBlankRecord())
            {
                continue;
            }

            if (_fieldCount != Header.Count && !_options.AllowRaggedRows)
            {
                throw new CsvFormatException(File, _recordLine, null, CsvRow.RaggedProblem(_fieldCount, Header.Count));
            }

            yield return new CsvRow(Header, _recordLine, CurrentFields(), _recordTerminated);
        }
    }

    private CsvHeader ReadHeader()
    {
        do
        {
            if (!ReadRecord())
            {
                var required = _options.RequiredColumns;
                string expected = required.Count > 0 ? ": " + string.Join(",", required) + "." : ".";
                throw new CsvFormatException(File, 0, null, "the file is empty; expected a header row" + expected);
            }
        }
        while (IsBlankRecord());

        var names = CurrentFields();
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = names[i].Trim();
        }

        var header = new CsvHeader(File, _recordLine, names);
        header.Require(_options.RequiredColumns);
        return header;
    }

    private bool IsBlankRecord()
        => _fieldCount == 1 && !_recordQuoted && _record.AsSpan(0, _recordLength).IsWhiteSpace();

    private string[] CurrentFields()
    {
        var fields = new string[_fieldCount];
        int start = 0;
        for (int i = 0; i < _fieldCount; i++)
        {
            int end = _fieldEnds[i];
            fields[i] = end == start ? string.Empty : new string(_record, start, end - start);
            start = end;
        }

        return fields;
    }

    /// <summary>Reads the next record into <see cref="_record"/> and <see cref="_fieldEnds"/>; false at the end of the text.</summary>
    private bool ReadRecord()
    {
        _recordLength = 0;
        _fieldCount = 0;
        _recordQuoted = false;
        _recordTerminated = false;
        _recordLine = _line;
        int state = FieldStart;
        int fieldStart = 0;
        int quoteLine = 0;
        bool any = false;
        bool lastWasCarriageReturn = false;
        while (true)
        {
            if (_bufferPosition == _bufferLength && !Fill())
            {
                break;
            }

            char c = _buffer[_bufferPosition++];
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (c == '\n')
                {
                    continue; // the LF of a CRLF that ended the previous record
                }
            }

            any = true;
            switch (state)
            {
                case Quoted:
                    if (c == '"')
                    {
                        state = QuoteInQuoted;
                        break;
                    }

                    if ((c == '\n' && !lastWasCarriageReturn) || c == '\r')
                    {
                        _line++;
                    }

                    lastWasCarriageReturn = c == '\r';
                    Append(c, quoteLine);
                    break;

                case QuoteInQuoted:
                    if (c == '"')
                    {
                        Append('"', quoteLine);
                        state = Quoted;
                        lastWasCarriageReturn = false;
                    }
                    else if (c is ' ' or '\t')
                    {
                        state = AfterQuoted;
                    }
                    else if (!Separator(c, ref state, ref fieldStart))
                    {
                        throw new CsvFormatException(File, _line, null, "text after a closing quote; a quoted value must end at a comma or the end of the line (write a quote inside it as \"\").");
                    }
                    else if (state != FieldStart)
                    {
                        return true;
                    }

                    break;

                case AfterQuoted:
                    if (c is ' ' or '\t')
                    {
                        break;
                    }

                    if (!Separator(c, ref state, ref fieldStart))
                    {
                        throw new CsvFormatException(File, _line, null, "text after a closing quote; a quoted value must end at a comma or the end of the line (write a quote inside it as \"\").");
                    }

                    if (state != FieldStart)
                    {
                        return true;
                    }

                    break;

                default: // FieldStart or Unquoted
                    if (c == '"')
                    {
                        if (!_record.AsSpan(fieldStart, _recordLength - fieldStart).IsWhiteSpace())
                        {
                            throw new CsvFormatException(File, _line, null, "a quote inside an unquoted value; wrap the whole value in quotes and double inner quotes (\"\").");
                        }

                        _recordLength = fieldStart; // white space before an opening quote is not part of the value
                        _recordQuoted = true;
                        quoteLine = _line;
                        lastWasCarriageReturn = false;
                        state = Quoted;
                    }
                    else if (Separator(c, ref state, ref fieldStart))
                    {
                        if (state != FieldStart)
                        {
                            return true;
                        }
                    }
                    else
                    {
                        Append(c, 0);
                        state = Unquoted;
                    }

                    break;
            }
        }

        if (!any)
        {
            return false;
        }

        if (state == Quoted)
        {
            throw new CsvFormatException(File, _recordLine, null, "a quoted value is never closed.");
        }

        EndField(ref fieldStart);
        return true;
    }

    /// <summary>
    /// Handles a comma or a line break outside quotes: ends the field (state becomes <see cref="FieldStart"/>) or the
    /// record (state becomes -1, <see cref="_recordTerminated"/> true). False for any other character.
    /// </summary>
    private bool Separator(char c, ref int state, ref int fieldStart)
    {
        switch (c)
        {
            case ',':
                EndField(ref fieldStart);
                state = FieldStart;
                return true;
            case '\n':
            case '\r':
                EndField(ref fieldStart);
                _line++;
                _skipLineFeed = c == '\r';
                _recordTerminated = true;
                state = -1;
                return true;
            default:
                return false;
        }
    }

    private void EndField(ref int fieldStart)
    {
        if (_fieldCount == _fieldEnds.Length)
        {
            Array.Resize(ref _fieldEnds, _fieldEnds.Length * 2);
        }

        _fieldEnds[_fieldCount++] = _recordLength;
        fieldStart = _recordLength;
        CheckLength(0);
    }

    private void Append(char c, int quoteLine)
    {
        CheckLength(quoteLine);
        if (_recordLength == _record.Length)
        {
            Array.Resize(ref _record, (int)Math.Min((long)_record.Length * 2, _options.MaxRecordLength));
        }

        _record[_recordLength++] = c;
    }

    /// <summary>Characters plus separators so far; fails before the record outgrows the limit.</summary>
    private void CheckLength(int quoteLine)
    {
        if (_recordLength + _fieldCount < _options.MaxRecordLength)
        {
            return;
        }

        string limit = _options.MaxRecordLength.ToString("N0", CultureInfo.InvariantCulture);
        throw quoteLine > 0
            ? new CsvFormatException(File, quoteLine, null, $"a quoted value runs past {limit} characters without a closing quote; close it with \" or remove the stray quote.")
            : new CsvFormatException(File, _recordLine, null, $"a record longer than {limit} characters; a CSV table has short lines: is this the right file (not a binary or a one-line dump)?");
    }

    private bool Fill()
    {
        while (true)
        {
            _bufferLength = _reader.Read(_buffer, 0, _buffer.Length);
            _bufferPosition = 0;
            if (_bufferLength == 0)
            {
                return false;
            }

            if (_atStart)
            {
                _atStart = false;
                if (_buffer[0] == '\uFEFF')
                {
                    _bufferPosition = 1; // a byte-order mark left by an editor is not part of the first column's name
                }
            }

            if (_bufferPosition < _bufferLength)
            {
                return true;
            }
        }
    }
}
