using TrainWatt.Core.Units;

namespace TrainWatt.Core.Reference;

/// <summary>
/// Grid carbon intensity per country (gCO2e/kWh, annual average), read from <c>data/carbon-intensity.csv</c> (embedded).
/// Lookups accept the key, the ISO 3166 alpha-2 or alpha-3 code, or the English name, case-insensitively.
/// </summary>
public sealed class CarbonIntensityTable
{
    internal static readonly string[] Columns = ["key", "iso2", "iso3", "name", "intensity_gco2e_per_kwh", "basis", "year", "source", "note"];

    private static readonly Lazy<CarbonIntensityTable> DefaultTable = new(
        () => FromCsv(CsvTable.ReadEmbedded("carbon-intensity.csv", Columns)));

    private readonly Dictionary<string, CarbonIntensityEntry> _byName;

    private CarbonIntensityTable(IReadOnlyList<CarbonIntensityEntry> entries, Dictionary<string, CarbonIntensityEntry> byName)
    {
        Entries = entries;
        _byName = byName;
    }

    /// <summary>The table shipped with TrainWatt.</summary>
    public static CarbonIntensityTable Default => DefaultTable.Value;

    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<CarbonIntensityEntry> Entries { get; }

    /// <summary>The world average row (key <c>WORLD</c>).</summary>
    public CarbonIntensityEntry World => Find("WORLD");

    /// <summary>Reads a table in the <c>data/carbon-intensity.csv</c> format.</summary>
    /// <param name="reader">CSV text.</param>
    /// <param name="fileName">Name used in error messages.</param>
    /// <exception cref="ReferenceDataException">A row is malformed; the message names file, line and column.</exception>
    public static CarbonIntensityTable Parse(TextReader reader, string fileName)
        => FromCsv(CsvTable.Read(reader, fileName, Columns));

    /// <summary>Finds a row by key, ISO alpha-2, ISO alpha-3 or name (case-insensitive).</summary>
    /// <exception cref="ReferenceLookupException">Nothing matches; the message lists the closest names.</exception>
    public CarbonIntensityEntry Find(string country)
    {
        ArgumentNullException.ThrowIfNull(country);
        if (TryFind(country, out var entry))
        {
            return entry;
        }

        var suggestions = NameMatching.Closest(
            country,
            Entries.Select(e => (Label: $"{e.Key} ({e.Name})", Keys: (IEnumerable<string>)[e.Key, e.Iso3, e.Name])),
            5);
        throw new ReferenceLookupException(
            country,
            $"Unknown country \"{NameMatching.Shown(country)}\" in the carbon-intensity table. Closest: {string.Join(", ", suggestions)}. " +
            "Use an ISO 3166 code (ES, ESP), a name, WORLD, or give the intensity directly.",
            suggestions);
    }

    /// <summary>Like <see cref="Find"/>, without throwing: false when nothing matches.</summary>
    public bool TryFind(string country, out CarbonIntensityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(country);
        return _byName.TryGetValue(country.Trim(), out entry!);
    }

    private static CarbonIntensityTable FromCsv(CsvTable csv)
    {
        var entries = new List<CarbonIntensityEntry>(csv.Rows.Count);
        var lines = new List<ReferenceRow>(csv.Rows.Count);
        var byName = new Dictionary<string, CarbonIntensityEntry>(StringComparer.OrdinalIgnoreCase);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in csv.Rows)
        {
            string key = row.Required("key");
            string iso2 = row.Optional("iso2");
            string iso3 = row.Optional("iso3");
            if (iso2.Length is not (0 or 2) || !iso2.All(char.IsAsciiLetterUpper))
            {
                throw row.Error("iso2", $"\"{iso2}\" is not an ISO 3166-1 alpha-2 code (two capital letters).");
            }

            if (iso3.Length is not (0 or 3) || !iso3.All(char.IsAsciiLetterUpper))
            {
                throw row.Error("iso3", $"\"{iso3}\" is not an ISO 3166-1 alpha-3 code (three capital letters).");
            }

            string basis = row.Required("basis");
            if (basis is not ("lifecycle" or "direct" or "unspecified"))
            {
                throw row.Error("basis", $"\"{basis}\" must be lifecycle, direct or unspecified.");
            }

            var entry = new CarbonIntensityEntry(
                key,
                iso2,
                iso3,
                row.Required("name"),
                CarbonIntensity.FromGramsPerKilowattHour(row.Number("intensity_gco2e_per_kwh", 0, 1200)),
                basis,
                row.Integer("year", 1990, 2100),
                row.Required("source"),
                row.Optional("note"));
            if (!keys.Add(key))
            {
                throw row.Error("key", $"\"{key}\" appears twice; keys must be unique.");
            }

            entries.Add(entry);
            lines.Add(row);
        }

        // Keys first, then codes and names of country rows (presets never shadow a country's code).
        foreach (var e in entries)
        {
            byName[e.Key] = e;
        }

        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (!e.IsCountry)
            {
                continue;
            }

            if (!byName.TryAdd(e.Iso3, e))
            {
                throw lines[i].Error("iso3", $"\"{e.Iso3}\" is already used by another row.");
            }

            if (!byName.TryAdd(e.Name, e))
            {
                throw lines[i].Error("name", $"\"{e.Name}\" is already used by another row.");
            }
        }

        return new CarbonIntensityTable(entries, byName);
    }
}
