using System.Globalization;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Reference;

/// <summary>
/// One row of <c>data/carbon-intensity.csv</c>: the average grid carbon intensity of a country (or the world) in one
/// year, with its source.
/// </summary>
/// <param name="Key">Unique lookup key: the ISO 3166 alpha-2 code for countries, <c>WORLD</c>, or a preset name such as <c>ES-2021-PAPER</c>.</param>
/// <param name="Iso2">ISO 3166-1 alpha-2 code; empty for <c>WORLD</c>.</param>
/// <param name="Iso3">ISO 3166-1 alpha-3 code; empty for <c>WORLD</c>.</param>
/// <param name="Name">English name.</param>
/// <param name="Intensity">Grams CO2e per kWh of electricity generated.</param>
/// <param name="Basis"><c>lifecycle</c> (Ember: includes upstream and supply-chain emissions) or <c>unspecified</c> for a preset whose source does not say.</param>
/// <param name="Year">The year the figure describes.</param>
/// <param name="Source">Short citation.</param>
/// <param name="Note">Caveats; may be empty.</param>
public sealed record CarbonIntensityEntry(
    string Key,
    string Iso2,
    string Iso3,
    string Name,
    CarbonIntensity Intensity,
    string Basis,
    int Year,
    string Source,
    string Note)
{
    /// <summary>True for country rows (keyed by their ISO alpha-2 code), false for <c>WORLD</c> and presets.</summary>
    public bool IsCountry => Iso2.Length == 2 && string.Equals(Key, Iso2, StringComparison.Ordinal);

    /// <summary>Provenance text for reports, e.g. <c>ES 2021 232 gCO2e/kWh (SEAA 2023 paper, ...)</c>.</summary>
    public string Describe()
        => string.Create(CultureInfo.InvariantCulture, $"{Key} {Year} {Intensity} ({Basis}; {Source})");
}
