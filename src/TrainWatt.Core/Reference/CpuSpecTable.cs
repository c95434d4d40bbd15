using TrainWatt.Core.Units;

namespace TrainWatt.Core.Reference;

/// <summary>One row of <c>data/cpus.csv</c>: a CPU part's published core and thread count and TDP (per socket).</summary>
/// <param name="Name">Canonical name without the vendor: <c>Xeon Platinum 8380</c>, <c>EPYC 7742</c>, <c>Core i9-13900K</c>.</param>
/// <param name="Vendor"><c>Intel</c> or <c>AMD</c>.</param>
/// <param name="Segment"><c>server</c> or <c>desktop</c>.</param>
/// <param name="Cores">Physical cores per socket.</param>
/// <param name="Threads">Hardware threads per socket (logical CPUs with SMT on).</param>
/// <param name="ThermalDesignPower">The vendor's TDP (Intel's Processor Base Power for Core parts since 12th gen; AMD's default TDP) per socket.</param>
/// <param name="Year">Launch year.</param>
/// <param name="Source">The vendor page the values come from.</param>
public sealed record CpuSpec(string Name, string Vendor, string Segment, int Cores, int Threads, Power ThermalDesignPower, int Year, string Source)
{
    /// <summary>TDP per physical core: the socket's TDP / its cores.</summary>
    public Power PerCore => ThermalDesignPower / Cores;

    /// <summary>TDP per hardware thread (logical CPU): the socket's TDP / its threads.</summary>
    public Power PerThread => ThermalDesignPower / Threads;
}

/// <summary>
/// CPU TDPs read from <c>data/cpus.csv</c> (embedded). <see cref="Match"/> finds the row of a <c>/proc/cpuinfo</c>
/// "model name" ("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "AMD EPYC 7742 64-Core Processor").
/// </summary>
public sealed class CpuSpecTable
{
    internal static readonly string[] Columns = ["name", "vendor", "segment", "cores", "threads", "tdp_w", "year", "source"];

    private static readonly Lazy<CpuSpecTable> DefaultTable = new(() => FromCsv(CsvTable.ReadEmbedded("cpus.csv", Columns)));

    private CpuSpecTable(IReadOnlyList<CpuSpec> cpus) => Cpus = cpus;

    /// <summary>The table shipped with TrainWatt.</summary>
    public static CpuSpecTable Default => DefaultTable.Value;

    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<CpuSpec> Cpus { get; }

    /// <summary>Reads a table in the <c>data/cpus.csv</c> format.</summary>
    /// <exception cref="ReferenceDataException">A row is malformed; the message names file, line and column.</exception>
    public static CpuSpecTable Parse(TextReader reader, string fileName) => FromCsv(CsvTable.Read(reader, fileName, Columns));

    /// <summary>
    /// The row whose name's words all appear among the words of <paramref name="modelName"/> ("(R)", "(TM)" and case
    /// ignored), the one with most words when several do; null when none does or two equally long ones do. A name
    /// without a model number ("AMD EPYC", as some hypervisors report) matches no row.
    /// </summary>
    public CpuSpec? Match(string? modelName)
    {
        if (string.IsNullOrWhiteSpace(modelName))
        {
            return null;
        }

        var words = Words(modelName).ToHashSet(StringComparer.Ordinal);
        var matches = Cpus.Select(c => (Spec: c, Words: Words(c.Name).ToArray()))
            .Where(c => c.Words.All(words.Contains))
            .OrderByDescending(c => c.Words.Length)
            .ToList();
        if (matches.Count == 0 || (matches.Count > 1 && matches[1].Words.Length == matches[0].Words.Length))
        {
            return null;
        }

        return matches[0].Spec;
    }

    private static IEnumerable<string> Words(string name)
        => name.Replace("(R)", " ", StringComparison.OrdinalIgnoreCase).Replace("(TM)", " ", StringComparison.OrdinalIgnoreCase)
            .ToLowerInvariant().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static CpuSpecTable FromCsv(CsvTable table)
    {
        var cpus = new List<CpuSpec>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in table.Rows)
        {
            string name = row.Required("name");
            if (!names.Add(name))
            {
                throw row.Error("name", $"\"{name}\" appears twice; names must be unique.");
            }

            int cores = row.Integer("cores", 1, 512);
            int threads = row.Integer("threads", cores, 1024);
            cpus.Add(new CpuSpec(
                name,
                row.Required("vendor"),
                row.Required("segment"),
                cores,
                threads,
                Power.FromWatts(row.Number("tdp_w", 5, 1000)),
                row.Integer("year", 2000, 2100),
                row.Required("source")));
        }

        return new CpuSpecTable(cpus);
    }
}
