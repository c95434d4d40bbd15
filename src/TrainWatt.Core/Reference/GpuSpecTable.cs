using System.Globalization;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Reference;

/// <summary>
/// NVIDIA GPU specifications read from <c>data/gpus.csv</c> (embedded). <see cref="Find"/> is tolerant of spelling:
/// "RTX 3090", "rtx3090", "NVIDIA GeForce RTX 3090" and "3090" all find the RTX 3090; a name that matches several
/// rows ("A100") or none gets a <see cref="ReferenceLookupException"/> that lists the candidates.
/// </summary>
public sealed class GpuSpecTable
{
    internal static readonly string[] Columns =
    [
        "name", "aliases", "segment", "architecture", "cuda_cores", "memory_gb", "memory_type", "bandwidth_gbs",
        "base_clock_mhz", "boost_clock_mhz", "tdp_w", "fp32_tflops", "fp16_tflops", "fp16_kind", "year", "source",
    ];

    /// <summary>Words that brand a GPU rather than identify it; ignored when matching.</summary>
    private static readonly HashSet<string> BrandTokens = new(StringComparer.Ordinal)
    {
        "nvidia", "geforce", "tesla", "quadro", "rtx", "gtx",
    };

    private static readonly Lazy<GpuSpecTable> DefaultTable = new(
        () => FromCsv(CsvTable.ReadEmbedded("gpus.csv", Columns)));

    private readonly Dictionary<string, GpuSpec> _byCompactKey;
    private readonly List<(GpuSpec Spec, List<string> Tokens)> _tokenKeys;

    private GpuSpecTable(IReadOnlyList<GpuSpec> gpus, Dictionary<string, GpuSpec> byCompactKey, List<(GpuSpec, List<string>)> tokenKeys)
    {
        Gpus = gpus;
        _byCompactKey = byCompactKey;
        _tokenKeys = tokenKeys;
    }

    /// <summary>The table shipped with TrainWatt.</summary>
    public static GpuSpecTable Default => DefaultTable.Value;

    /// <summary>
    /// The most letters and digits of a name <see cref="Find"/> looks up: names and aliases in the table have at most
    /// about 30, nvidia-smi's names fewer than 100; a longer one (a mangled CSV field) is refused at once, without a search.
    /// </summary>
    public const int MaxNameLength = 200;

    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<GpuSpec> Gpus { get; }

    /// <summary>Reads a table in the <c>data/gpus.csv</c> format.</summary>
    /// <exception cref="ReferenceDataException">A row is malformed; the message names file, line and column.</exception>
    public static GpuSpecTable Parse(TextReader reader, string fileName)
        => FromCsv(CsvTable.Read(reader, fileName, Columns));

    /// <summary>Finds one GPU by name, alias, nvidia-smi name or an unambiguous part of one ("3090").</summary>
    /// <exception cref="ReferenceLookupException">
    /// No row matches (the message lists the closest names) or several do (the message lists them).
    /// </exception>
    public GpuSpec Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TooLong(name))
        {
            throw new ReferenceLookupException(
                name,
                string.Create(CultureInfo.InvariantCulture, $"Unknown GPU \"{NameMatching.Shown(name)}\": a GPU name has at most {MaxNameLength} letters and digits. ")
                    + "Give the name nvidia-smi shows (e.g. NVIDIA GeForce RTX 3090) or a part of it (3090); list the table with 'trainwatt gpus'.",
                []);
        }

        var matches = Match(name);
        if (matches.Count == 1)
        {
            return matches[0];
        }

        if (matches.Count > 1)
        {
            var names = matches.Select(g => g.Name).ToList();
            throw new ReferenceLookupException(
                name,
                $"GPU name \"{name}\" is ambiguous: it matches {string.Join(", ", names)}. Give one of these names.",
                names);
        }

        var closest = ClosestNames(name, 5);
        throw new ReferenceLookupException(
            name,
            $"Unknown GPU \"{NameMatching.Shown(name)}\". Closest matches: {string.Join(", ", closest)}. " +
            "List the table with 'trainwatt gpus', or give cores, memory and TDP directly.",
            closest);
    }

    /// <summary>
    /// Null when <paramref name="query"/> spells <paramref name="spec"/>'s name or an alias (ignoring case, spaces and
    /// punctuation); else one line saying which GPU it was taken as (<c>GTX2080</c> is matched by its words to
    /// <c>RTX 2080</c>): a looser match must not pass silently.
    /// </summary>
    public static string? MatchNote(string query, GpuSpec spec)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(spec);
        string compact = NameMatching.Compact(query);
        return Keys(spec).Any(k => NameMatching.Compact(k) == compact)
            ? null
            : $"GPU \"{NameMatching.Shown(query)}\" matched {spec.Name} ({spec.ThermalDesignPower.Watts.ToString("0", CultureInfo.InvariantCulture)} W TDP, {spec.MemoryGigabytes.ToString("0.#", CultureInfo.InvariantCulture)} GB); if that is not your GPU, list the table with 'trainwatt gpus'.";
    }

    /// <summary>Like <see cref="Find"/>, without throwing: false when no row or several rows match.</summary>
    public bool TryFind(string name, out GpuSpec spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        var matches = TooLong(name) ? [] : Match(name);
        spec = matches.Count == 1 ? matches[0] : null!;
        return matches.Count == 1;
    }

    /// <summary>
    /// Every row whose name or alias contains <paramref name="query"/> (ignoring case, spaces and punctuation) or all
    /// of its words, in table order; empty when nothing matches. For listing, not for picking one GPU.
    /// </summary>
    public IReadOnlyList<GpuSpec> Search(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string compact = NameMatching.Compact(query);
        var words = NameMatching.Tokens(query);
        return Gpus
            .Where(g => Keys(g).Any(k => NameMatching.Compact(k).Contains(compact, StringComparison.Ordinal)
                                         || ContainsAll(NameMatching.Tokens(k), words)))
            .ToList();
    }

    /// <summary>The <paramref name="count"/> canonical names closest to <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<string> ClosestNames(string query, int count)
        => NameMatching.Closest(query, Gpus.Select(g => (g.Name, Keys(g))), count);

    /// <summary>More than <see cref="MaxNameLength"/> letters and digits: spaces and punctuation, which matching ignores, are not counted.</summary>
    private static bool TooLong(string name) => name.Length > MaxNameLength && NameMatching.Compact(name).Length > MaxNameLength;

    private List<GpuSpec> Match(string name)
    {
        // 1. Exact name or alias, ignoring case, spaces and punctuation.
        if (_byCompactKey.TryGetValue(NameMatching.Compact(name), out var exact))
        {
            return [exact];
        }

        var query = Significant(NameMatching.Tokens(name));
        if (query.Count == 0)
        {
            return [];
        }

        // 2. The same significant words as a name or alias ("geforce rtx 3090" = "3090" = "RTX 3090").
        var sameWords = _tokenKeys.Where(k => k.Tokens.SequenceEqual(query)).Select(k => k.Spec).Distinct().ToList();
        if (sameWords.Count > 0)
        {
            return sameWords;
        }

        // 3. Every word of the query appears in a name or alias ("A100" → all four A100 rows: ambiguous).
        return _tokenKeys.Where(k => ContainsAll(k.Tokens, query)).Select(k => k.Spec).Distinct().ToList();
    }

    private static List<string> Significant(List<string> tokens) => tokens.Where(t => !BrandTokens.Contains(t)).ToList();

    private static bool ContainsAll(List<string> tokens, List<string> words) => words.Count > 0 && words.All(tokens.Contains);

    private static IEnumerable<string> Keys(GpuSpec g) => g.Aliases.Prepend(g.Name);

    private static GpuSpecTable FromCsv(CsvTable csv)
    {
        var gpus = new List<GpuSpec>(csv.Rows.Count);
        var byCompact = new Dictionary<string, GpuSpec>(StringComparer.Ordinal);
        var tokenKeys = new List<(GpuSpec, List<string>)>();
        foreach (var row in csv.Rows)
        {
            string fp16Kind = row.Optional("fp16_kind");
            if (fp16Kind is not ("" or "tensor" or "vector"))
            {
                throw row.Error("fp16_kind", $"\"{fp16Kind}\" must be tensor, vector or empty.");
            }

            string segment = row.Required("segment");
            if (segment is not ("datacenter" or "geforce" or "workstation"))
            {
                throw row.Error("segment", $"\"{segment}\" must be datacenter, geforce or workstation.");
            }

            double? fp16 = row.OptionalNumber("fp16_tflops", 0, 10_000);
            if (fp16 is not null && fp16Kind.Length == 0)
            {
                throw row.Error("fp16_kind", "is empty but fp16_tflops has a value; say whether it is a tensor or vector rate.");
            }

            var spec = new GpuSpec(
                row.Required("name"),
                row.Optional("aliases").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                segment,
                row.Required("architecture"),
                row.Integer("cuda_cores", 1, 100_000),
                row.Number("memory_gb", 0.5, 1024),
                row.Required("memory_type"),
                row.Number("bandwidth_gbs", 10, 20_000),
                row.OptionalInteger("base_clock_mhz", 100, 5000),
                row.Integer("boost_clock_mhz", 100, 5000),
                Power.FromWatts(row.Number("tdp_w", 30, 1500)),
                row.Number("fp32_tflops", 0.1, 1000),
                fp16,
                fp16Kind,
                row.Integer("year", 2010, 2100),
                row.Required("source"));

            foreach (string key in Keys(spec))
            {
                string compact = NameMatching.Compact(key);
                if (byCompact.TryGetValue(compact, out var other) && !ReferenceEquals(other, spec))
                {
                    throw row.Error(key == spec.Name ? "name" : "aliases", $"\"{key}\" is already the name or an alias of {other.Name}; names and aliases must be unique.");
                }

                byCompact[compact] = spec;
                tokenKeys.Add((spec, Significant(NameMatching.Tokens(key))));
            }

            gpus.Add(spec);
        }

        return new GpuSpecTable(gpus, byCompact, tokenKeys);
    }
}
