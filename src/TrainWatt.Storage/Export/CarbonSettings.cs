using TrainWatt.Core.Units;

namespace TrainWatt.Storage.Export;

/// <summary>Where the carbon figure of an <c>emissions.csv</c> row comes from.</summary>
/// <param name="Intensity">Grid carbon intensity.</param>
/// <param name="Source">How it was chosen, e.g. "user-given" (<see cref="TrainWatt.Core.ProvenanceText"/>) or "DE 2023 381 gCO2e/kWh (lifecycle; Ember ...)".</param>
/// <param name="Pue">Power usage effectiveness (≥ 1): facility energy = IT energy × PUE. CodeCarbon's default is 1.0.</param>
/// <param name="CountryName">Country name for <c>country_name</c>, when known.</param>
/// <param name="CountryIsoCode">ISO 3166-1 alpha-3 code for <c>country_iso_code</c> (CodeCarbon writes alpha-3, e.g. "USA").</param>
public sealed record CarbonSettings(CarbonIntensity Intensity, string Source, double Pue = 1.0, string? CountryName = null, string? CountryIsoCode = null);
