using System.Globalization;

namespace TrainWatt.Core.Text;

/// <summary>
/// One data row of a <see cref="CsvReader"/>: fields by index or column name, and typed accessors whose failures name
/// the file, the line and the column. Text accessors trim white space; the indexers give the field as written.
/// </summary>
public sealed class CsvRow
{
    private readonly string[] _fields;

    internal CsvRow(CsvHeader header, int line, string[] fields, bool isTerminated)
    {
        Header = header;
        Line = line;
        _fields = fields;
        IsTerminated = isTerminated;
    }

    /// <summary>The header the row was read under.</summary>
    public CsvHeader Header { get; }

    /// <summary>The file the row was read from (as the reader was given it).</summary>
    public string File => Header.File;

    /// <summary>1-based line where the record starts (a quoted field may continue it over more lines).</summary>
    public int Line { get; }

    /// <summary>The number of fields; equals <see cref="CsvHeader.Count"/> unless the reader allows ragged rows.</summary>
    public int FieldCount => _fields.Length;

    /// <summary>False for a last record with no line break after it (e.g. a writer stopped mid-line).</summary>
    public bool IsTerminated { get; }

    /// <summary>The field at <paramref name="index"/> as written (unquoted, not trimmed).</summary>
    /// <exception cref="CsvFormatException">A ragged row has no field there.</exception>
    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            if (index < _fields.Length)
            {
                return _fields[index];
            }

            if (index < Header.Count)
            {
                throw Error(null, RaggedProblem(_fields.Length, Header.Count));
            }

            throw new ArgumentOutOfRangeException(nameof(index), index, $"The header of {File} has {Header.Count} columns.");
        }
    }

    /// <summary>The field of <paramref name="column"/> as written (unquoted, not trimmed).</summary>
    /// <exception cref="CsvFormatException">The header has no such column, or a ragged row has no field there.</exception>
    public string this[string column] => this[Header.RequiredIndex(column)];

    /// <summary>The trimmed value of <paramref name="column"/>; "" when empty.</summary>
    /// <exception cref="CsvFormatException">The header has no such column, or a ragged row has no field there.</exception>
    public string GetString(string column) => this[column].Trim();

    /// <summary>The trimmed value of <paramref name="column"/>, which must not be empty.</summary>
    /// <exception cref="CsvFormatException">"column 'x': is empty; every row needs a value here."</exception>
    public string GetRequiredString(string column)
    {
        string value = GetString(column);
        return value.Length > 0 ? value : throw Error(column, "is empty; every row needs a value here.");
    }

    /// <summary>A finite number (see <see cref="CsvNumber"/>); empty is an error.</summary>
    /// <exception cref="CsvFormatException">Empty, not a number, or not finite ("1e400", "NaN", "Infinity").</exception>
    public double GetDouble(string column)
        => GetDoubleOrNull(column) ?? throw Error(column, "is empty; every row needs a number here.");

    /// <summary>A finite number, or null when the field is empty.</summary>
    /// <exception cref="CsvFormatException">Not a number, or not finite.</exception>
    public double? GetDoubleOrNull(string column)
    {
        string text = GetString(column);
        if (text.Length == 0)
        {
            return null;
        }

        return CsvNumber.TryParseDouble(text, out double value, out string? problem) ? value : throw Error(column, problem!);
    }

    /// <summary>A whole number that fits an <see cref="int"/>; empty is an error.</summary>
    /// <exception cref="CsvFormatException">Empty, not a whole number, or out of range.</exception>
    public int GetInt32(string column)
        => GetInt32OrNull(column) ?? throw Error(column, "is empty; every row needs a whole number here.");

    /// <summary>A whole number that fits an <see cref="int"/>, or null when the field is empty.</summary>
    /// <exception cref="CsvFormatException">Not a whole number, or out of range.</exception>
    public int? GetInt32OrNull(string column)
    {
        string text = GetString(column);
        if (text.Length == 0)
        {
            return null;
        }

        return CsvNumber.TryParseInt32(text, out int value, out string? problem) ? value : throw Error(column, problem!);
    }

    /// <summary>A whole number that fits a <see cref="long"/>; empty is an error.</summary>
    /// <exception cref="CsvFormatException">Empty, not a whole number, or out of range.</exception>
    public long GetInt64(string column)
    {
        string text = GetString(column);
        if (text.Length == 0)
        {
            throw Error(column, "is empty; every row needs a whole number here.");
        }

        return CsvNumber.TryParseInt64(text, out long value, out string? problem) ? value : throw Error(column, problem!);
    }

    /// <summary>An error at this row (and <paramref name="column"/>, when the problem is one value) for the caller to throw.</summary>
    public CsvFormatException Error(string? column, string problem) => new(File, Line, column, problem);

    /// <summary>The fields as written, in file order (a copy).</summary>
    public string[] ToArray() => (string[])_fields.Clone();

    internal static string RaggedProblem(int fields, int columns)
        => string.Create(CultureInfo.InvariantCulture, $"{fields} field(s) where the header has {columns}; quote values that contain commas.");
}
