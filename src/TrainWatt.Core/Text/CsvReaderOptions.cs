namespace TrainWatt.Core.Text;

/// <summary>What a <see cref="CsvReader"/> checks beyond the format itself.</summary>
public sealed record CsvReaderOptions
{
    /// <summary>The longest record read by default: 1 MiB characters (a CSV line of TrainWatt's inputs is under 4 KiB).</summary>
    public const int DefaultMaxRecordLength = 1 << 20;

    /// <summary>No required columns, ragged rows rejected, records up to <see cref="DefaultMaxRecordLength"/>.</summary>
    public static CsvReaderOptions Default { get; } = new();

    /// <summary>Columns the header must have (case-insensitive); a missing one fails at the header with all of them named.</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = [];

    /// <summary>
    /// When true, a row whose field count differs from the header's is returned (see <see cref="CsvRow.FieldCount"/>)
    /// instead of failing; reading one of its missing columns fails then. For readers that skip bad rows with a warning.
    /// </summary>
    public bool AllowRaggedRows { get; init; }

    /// <summary>
    /// The most characters one record may hold (fields plus separators, line breaks inside quotes included). A longer
    /// one fails with a clear message instead of growing memory without bound (a binary file, a missing closing quote).
    /// </summary>
    public int MaxRecordLength { get; init; } = DefaultMaxRecordLength;
}
