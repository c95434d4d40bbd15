using System.Globalization;
using System.Text;

namespace TrainWatt.Core.Reference;

/// <summary>
/// A strict reader for the project's small reference CSV files: RFC 4180 quoting, a header row, columns found by
/// name, invariant-culture numbers, and errors that name file, line and column. Not for traces (those are streamed).
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string file, string[] header, List<CsvRow> rows)
    {
        File = file;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            _columns[header[i]] = i;
        }
    }

    public string File { get; }
    public string[] Header { get; }
    public List<CsvRow> Rows { get; }

    /// <summary>Reads an embedded table shipped in TrainWatt.Core (<c>data/NAME</c> in the repository).</summary>
    public static CsvTable ReadEmbedded(string fileName, IReadOnlyList<string> requiredColumns)
    {
        string resource = "TrainWatt.Core.Reference.Data." + fileName;
        using Stream stream = typeof(CsvTable).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"The reference table {fileName} is not embedded in {typeof(CsvTable).Assembly.GetName().Name} (resource '{resource}'). This is a build error: check the EmbeddedResource item in TrainWatt.Core.csproj.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Read(reader, "data/" + fileName, requiredColumns);
    }

    public static CsvTable Read(TextReader reader, string file, IReadOnlyList<string> requiredColumns)
    {
        var records = ParseRecords(reader, file);
        if (records.Count == 0)
        {
            throw new ReferenceDataException(file, 0, null, "the file is empty; expected a header row: " + string.Join(",", requiredColumns) + ".");
        }

        var (headerLine, header) = records[0];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in header)
        {
            if (!seen.Add(name))
            {
                throw new ReferenceDataException(file, headerLine, name, "the header names this column twice.");
            }
        }

        var missing = requiredColumns.Where(c => !seen.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ReferenceDataException(
                file, headerLine, null,
                $"the header lacks column(s) {string.Join(", ", missing)}; expected: {string.Join(",", requiredColumns)}.");
        }

        var rows = new List<CsvRow>(records.Count - 1);
        var table = new CsvTable(file, header, rows);
        for (int i = 1; i < records.Count; i++)
        {
            var (line, fields) = records[i];
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            if (fields.Length != header.Length)
            {
                throw new ReferenceDataException(
                    file, line, null,
                    $"{fields.Length} field(s) where the header has {header.Length}; quote values that contain commas.");
            }

            rows.Add(new CsvRow(table, line, fields));
        }

        return table;
    }

    internal int IndexOf(string column) => _columns.TryGetValue(column, out int i)
        ? i
        : throw new InvalidOperationException($"Column '{column}' was not declared as required for {File}.");

    private static List<(int Line, string[] Fields)> ParseRecords(TextReader reader, string file)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        bool inQuotes = false;
        bool fieldWasQuoted = false;
        bool any = false;
        if (reader.Peek() == '\uFEFF')
        {
            reader.Read(); // a UTF-8 byte-order mark left by an editor is not part of the first column's name
        }

        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            char ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    break;
                case '"':
                    throw new ReferenceDataException(file, line, null, "a quote inside an unquoted value; wrap the whole value in quotes and double inner quotes (\"\").");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    records.Add((recordLine, fields.ToArray()));
                    fields.Clear();
                    field.Clear();
                    fieldWasQuoted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new ReferenceDataException(file, line, null, "text after a closing quote; a quoted value must end at a comma or the end of the line.");
                    }

                    field.Append(ch);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new ReferenceDataException(file, recordLine, null, "a quoted value is never closed.");
        }

        if (any && (field.Length > 0 || fields.Count > 0 || fieldWasQuoted))
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields.ToArray()));
        }

        return records;
    }
}

/// <summary>One data row: typed accessors that fail with file, line and column.</summary>
internal readonly struct CsvRow
{
    private readonly CsvTable _table;
    private readonly string[] _fields;

    public CsvRow(CsvTable table, int line, string[] fields)
    {
        _table = table;
        Line = line;
        _fields = fields;
    }

    public int Line { get; }

    public ReferenceDataException Error(string? column, string problem) => new(_table.File, Line, column, problem);

    /// <summary>The trimmed value, or "" when empty.</summary>
    public string Optional(string column) => _fields[_table.IndexOf(column)].Trim();

    public string Required(string column)
    {
        string value = Optional(column);
        return value.Length > 0 ? value : throw Error(column, "is empty; every row needs a value here.");
    }

    public double Number(string column, double min, double max)
        => OptionalNumber(column, min, max) ?? throw Error(column, "is empty; every row needs a number here.");

    public double? OptionalNumber(string column, double min, double max)
    {
        string text = Optional(column);
        if (text.Length == 0)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value))
        {
            throw Error(column, $"\"{text}\" is not a number; write plain decimals with a '.' separator, e.g. 12.5.");
        }

        if (value < min || value > max)
        {
            throw Error(column, $"{text} is outside the plausible range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
        }

        return value;
    }

    public int Integer(string column, int min, int max)
        => OptionalInteger(column, min, max) ?? throw Error(column, "is empty; every row needs a whole number here.");

    public int? OptionalInteger(string column, int min, int max)
    {
        string text = Optional(column);
        if (text.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            throw Error(column, $"\"{text}\" is not a whole number.");
        }

        if (value < min || value > max)
        {
            throw Error(column, $"{text} is outside the plausible range [{min}, {max}].");
        }

        return value;
    }
}
