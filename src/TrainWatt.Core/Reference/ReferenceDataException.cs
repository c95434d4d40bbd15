using TrainWatt.Core.Text;

namespace TrainWatt.Core.Reference;

/// <summary>
/// A reference table (carbon intensity, GPU specs, cloud regions) could not be read: the message names the file,
/// the 1-based line and the column, says what was wrong and how to fix it.
/// </summary>
/// <remarks>A <see cref="CsvFormatException"/>: the tables are read by <see cref="CsvReader"/>, whose rules and messages they share.</remarks>
public sealed class ReferenceDataException : CsvFormatException
{
    public ReferenceDataException(string file, int line, string? column, string problem)
        : base(file, line, column, problem)
    {
    }

    /// <summary>The reader's error as a reference-table error (same file, line, column and message).</summary>
    internal ReferenceDataException(CsvFormatException e)
        : base(e.File, e.Line, e.Column, e.Problem, e, e.ColumnInProblem)
    {
    }
}
