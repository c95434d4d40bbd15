namespace TrainWatt.Core.Reference;

/// <summary>
/// A reference table (carbon intensity, GPU specs, cloud regions) could not be read: the message names the file,
/// the 1-based line and the column, says what was wrong and how to fix it.
/// </summary>
public sealed class ReferenceDataException : FormatException
{
    public ReferenceDataException(string file, int line, string? column, string problem)
        : base(Compose(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The table's file name (for embedded tables, e.g. <c>data/gpus.csv</c>).</summary>
    public string File { get; }

    /// <summary>1-based line number in the file; 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    /// <summary>The column name, when the problem is one value.</summary>
    public string? Column { get; }

    private static string Compose(string file, int line, string? column, string problem)
    {
        string where = line > 0 ? $"{file}:{line}" : file;
        return column is null ? $"{where}: {problem}" : $"{where}: column '{column}': {problem}";
    }
}
