namespace TrainWatt.Core.Text;

/// <summary>
/// A CSV file broke one of <see cref="CsvReader"/>'s rules (quoting, header, field count, a value's type): the message
/// is <c>FILE:LINE: column 'NAME': problem</c> (without the column part when the problem is not one value, without the
/// line when it is the file as a whole) and says how to fix it.
/// </summary>
/// <remarks>
/// Derives from <see cref="FormatException"/>, so the CLI reports it as a data error (exit code 65) like every other
/// malformed input.
/// </remarks>
public class CsvFormatException : FormatException
{
    private readonly bool _columnInProblem;

    public CsvFormatException(string file, int line, string? column, string problem)
        : this(file, line, column, problem, inner: null)
    {
    }

    public CsvFormatException(string file, int line, string? column, string problem, Exception? inner)
        : this(file, line, column, problem, inner, columnInProblem: false)
    {
    }

    /// <summary>For a problem that already names its column (e.g. "column 'x' appears twice ..."): the message does not repeat it.</summary>
    internal CsvFormatException(string file, int line, string? column, string problem, Exception? inner, bool columnInProblem)
        : base(Compose(file, line, columnInProblem ? null : column, problem), inner)
    {
        _columnInProblem = columnInProblem;
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file as the caller named it (a path, or e.g. <c>data/gpus.csv</c> for an embedded table).</summary>
    public string File { get; }

    /// <summary>1-based line number in the file (where the record starts); 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    /// <summary>The column name, when the problem is one value.</summary>
    public string? Column { get; }

    /// <summary>What is wrong and how to fix it, without file, line or column.</summary>
    public string Problem { get; }

    /// <summary>Whether <see cref="Problem"/> already names <see cref="Column"/> (the message then does not repeat it).</summary>
    internal bool ColumnInProblem => _columnInProblem;

    /// <summary>The message without file and line (<c>column 'NAME': problem</c>): for reports that locate it themselves.</summary>
    public string Detail => Column is null || _columnInProblem ? Problem : $"column '{Column}': {Problem}";

    private static string Compose(string file, int line, string? column, string problem)
    {
        string where = line > 0 ? $"{file}:{line}" : file;
        return column is null ? $"{where}: {problem}" : $"{where}: column '{column}': {problem}";
    }
}
