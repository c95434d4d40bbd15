using System.Globalization;
using System.Text;
using TrainWatt.Core.Text;

namespace TrainWatt.Core.Reference;

/// <summary>
/// The project's small reference tables (<c>data/*.csv</c>, embedded): read by <see cref="CsvReader"/> (its rules and
/// messages), with plausible-range checks on top; every failure is a <see cref="ReferenceDataException"/>.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string file, CsvHeader header, List<ReferenceRow> rows)
    {
        File = file;
        Header = header;
        Rows = rows;
    }

    public string File { get; }
    public CsvHeader Header { get; }
    public List<ReferenceRow> Rows { get; }

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
        try
        {
            using var csv = CsvReader.Create(reader, file, new CsvReaderOptions { RequiredColumns = requiredColumns }, leaveOpen: true);
            var rows = new List<ReferenceRow>();
            foreach (var row in csv.ReadRows())
            {
                rows.Add(new ReferenceRow(row));
            }

            return new CsvTable(file, csv.Header, rows);
        }
        catch (CsvFormatException e) when (e is not ReferenceDataException)
        {
            throw new ReferenceDataException(e);
        }
    }
}

/// <summary>One data row: <see cref="CsvRow"/>'s accessors plus plausible ranges, failing as <see cref="ReferenceDataException"/>.</summary>
internal readonly struct ReferenceRow
{
    private readonly CsvRow _row;

    public ReferenceRow(CsvRow row) => _row = row;

    public int Line => _row.Line;

    public ReferenceDataException Error(string? column, string problem) => new(_row.File, Line, column, problem);

    /// <summary>The trimmed value, or "" when empty.</summary>
    public string Optional(string column) => Translate(_row, column, static (r, c) => r.GetString(c));

    public string Required(string column) => Translate(_row, column, static (r, c) => r.GetRequiredString(c));

    public double Number(string column, double min, double max)
        => OptionalNumber(column, min, max) ?? throw Error(column, "is empty; every row needs a number here.");

    public double? OptionalNumber(string column, double min, double max)
    {
        double? value = Translate(_row, column, static (r, c) => r.GetDoubleOrNull(c));
        return value is { } v && (v < min || v > max) ? throw OutOfRange(column, min, max) : value;
    }

    public int Integer(string column, int min, int max)
        => OptionalInteger(column, min, max) ?? throw Error(column, "is empty; every row needs a whole number here.");

    public int? OptionalInteger(string column, int min, int max)
    {
        int? value = Translate(_row, column, static (r, c) => r.GetInt32OrNull(c));
        return value is { } v && (v < min || v > max) ? throw OutOfRange(column, min, max) : value;
    }

    private ReferenceDataException OutOfRange(string column, double min, double max)
        => Error(column, string.Create(CultureInfo.InvariantCulture, $"{Optional(column)} is outside the plausible range [{min}, {max}]."));

    private static T Translate<T>(CsvRow row, string column, Func<CsvRow, string, T> read)
    {
        try
        {
            return read(row, column);
        }
        catch (CsvFormatException e) when (e is not ReferenceDataException)
        {
            throw new ReferenceDataException(e);
        }
    }
}
