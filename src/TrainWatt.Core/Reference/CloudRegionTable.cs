using TrainWatt.Core.Footprint;

namespace TrainWatt.Core.Reference;

/// <summary>
/// Cloud-region and preset PUEs read from <c>data/cloud-regions.csv</c> (embedded). Look up <c>gcp:europe-west1</c>,
/// <c>aws:us-east-1</c>, <c>azure:westeurope</c>, or a preset by name (<c>none</c>, <c>on-prem-average</c>, ...).
/// </summary>
public sealed class CloudRegionTable
{
    /// <summary>The preset used when the facility is unknown: the Uptime Institute 2024 industry average (PUE 1.56).</summary>
    public const string DefaultPresetName = "on-prem-average";

    internal static readonly string[] Columns = ["provider", "region", "location", "country", "pue", "year", "source", "note"];

    private static readonly Lazy<CloudRegionTable> DefaultTable = new(
        () => FromCsv(CsvTable.ReadEmbedded("cloud-regions.csv", Columns)));

    private readonly Dictionary<string, CloudRegion> _byKey;

    private CloudRegionTable(IReadOnlyList<CloudRegion> regions, Dictionary<string, CloudRegion> byKey)
    {
        Regions = regions;
        _byKey = byKey;
    }

    /// <summary>The table shipped with TrainWatt.</summary>
    public static CloudRegionTable Default => DefaultTable.Value;

    /// <summary>All rows in file order, presets included.</summary>
    public IReadOnlyList<CloudRegion> Regions { get; }

    /// <summary>The rows with provider <c>preset</c>.</summary>
    public IEnumerable<CloudRegion> Presets => Regions.Where(r => r.Provider == "preset");

    /// <summary>The PUE to assume when nothing is known about the facility (<see cref="DefaultPresetName"/>).</summary>
    public CloudRegion DefaultPreset => Find("preset:" + DefaultPresetName);

    /// <summary>Reads a table in the <c>data/cloud-regions.csv</c> format.</summary>
    /// <exception cref="ReferenceDataException">A row is malformed; the message names file, line and column.</exception>
    public static CloudRegionTable Parse(TextReader reader, string fileName)
        => FromCsv(CsvTable.Read(reader, fileName, Columns));

    /// <summary>Finds <c>provider:region</c> (case-insensitive; <c>/</c> also separates) or a bare preset name.</summary>
    /// <exception cref="ReferenceLookupException">Nothing matches; the message lists the closest keys.</exception>
    public CloudRegion Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (TryFind(key, out var region))
        {
            return region;
        }

        var closest = NameMatching.Closest(key, Regions.Select(r => (r.Key, (IEnumerable<string>)[r.Key, r.Region])), 5);
        throw new ReferenceLookupException(
            key,
            $"Unknown cloud region or PUE preset \"{NameMatching.Shown(key)}\". Closest: {string.Join(", ", closest)}. " +
            "Write provider:region (gcp, aws, azure) or a preset name, or give the PUE as a number.",
            closest);
    }

    /// <summary>Like <see cref="Find"/>, without throwing: false when nothing matches.</summary>
    public bool TryFind(string key, out CloudRegion region)
    {
        ArgumentNullException.ThrowIfNull(key);
        string k = key.Trim().Replace('/', ':');
        if (_byKey.TryGetValue(k, out region!))
        {
            return true;
        }

        return !k.Contains(':', StringComparison.Ordinal) && _byKey.TryGetValue("preset:" + k, out region!);
    }

    private static CloudRegionTable FromCsv(CsvTable csv)
    {
        var regions = new List<CloudRegion>(csv.Rows.Count);
        var byKey = new Dictionary<string, CloudRegion>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in csv.Rows)
        {
            string provider = row.Required("provider");
            string country = row.Optional("country");
            if (provider != "preset" && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
            {
                throw row.Error("country", $"\"{country}\" is not an ISO 3166-1 alpha-2 code; every cloud region needs its grid's country.");
            }

            double pue = row.Number("pue", 0, 10);
            if (pue < PowerUsageEffectiveness.Minimum)
            {
                throw row.Error("pue", PowerUsageEffectiveness.RuleText(pue));
            }

            var region = new CloudRegion(
                provider,
                row.Required("region"),
                row.Optional("location"),
                country,
                PowerUsageEffectiveness.FromRatio(pue),
                row.Integer("year", 2000, 2100),
                row.Required("source"),
                row.Optional("note"));
            if (!byKey.TryAdd(region.Key, region))
            {
                throw row.Error("region", $"\"{region.Key}\" appears twice; provider:region must be unique.");
            }

            regions.Add(region);
        }

        return new CloudRegionTable(regions, byKey);
    }
}
