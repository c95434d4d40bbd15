using System.Globalization;

namespace TrainWatt.Core.Text;

/// <summary>
/// The header row of a CSV file: column names, trimmed, found case-insensitively. A name may appear only once
/// (case-insensitively; empty names excepted: they cannot be looked up), so a lookup never silently picks one of two columns.
/// </summary>
public sealed class CsvHeader
{
    private readonly Dictionary<string, int> _index;

    internal CsvHeader(string file, int line, string[] names)
    {
        File = file;
        Line = line;
        Names = Array.AsReadOnly(names);
        _index = new Dictionary<string, int>(names.Length, StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                continue;
            }

            if (!_index.TryAdd(names[i], i))
            {
                int first = _index[names[i]];
                string spelling = string.Equals(names[first], names[i], StringComparison.Ordinal) ? "" : $", as '{names[first]}' and '{names[i]}'";
                throw new CsvFormatException(
                    file, line, names[first],
                    string.Create(CultureInfo.InvariantCulture, $"column '{names[first]}' appears twice (columns {first + 1} and {i + 1}{spelling}); rename one."),
                    inner: null, columnInProblem: true);
            }
        }
    }

    /// <summary>The file the header was read from (as the reader was given it).</summary>
    public string File { get; }

    /// <summary>1-based line of the header (1 unless blank lines precede it).</summary>
    public int Line { get; }

    /// <summary>The column names in file order, trimmed.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The number of columns (every row has this many fields).</summary>
    public int Count => Names.Count;

    /// <summary>The 0-based index of <paramref name="name"/> (case-insensitive, trimmed), or -1 when there is no such column.</summary>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _index.TryGetValue(name.Trim(), out int i) ? i : -1;
    }

    /// <summary>Whether the header has a column <paramref name="name"/> (case-insensitive).</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Fails, naming every missing one, unless the header has all of <paramref name="columns"/>.</summary>
    /// <exception cref="CsvFormatException">"FILE:LINE: the header lacks column(s) a, b; expected: a,b,c."</exception>
    public void Require(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var missing = columns.Where(c => !Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw Missing(missing, columns);
        }
    }

    /// <summary>The 0-based index of a column the caller needs; fails like <see cref="Require"/> when it is missing.</summary>
    public int RequiredIndex(string name)
    {
        int i = IndexOf(name);
        return i >= 0 ? i : throw Missing([name], [name]);
    }

    private CsvFormatException Missing(IReadOnlyList<string> missing, IReadOnlyList<string> expected)
        => new(File, Line, null, $"the header lacks column(s) {string.Join(", ", missing)}; expected: {string.Join(",", expected)}.");
}
