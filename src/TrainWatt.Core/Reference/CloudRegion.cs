using System.Globalization;
using TrainWatt.Core.Footprint;

namespace TrainWatt.Core.Reference;

/// <summary>
/// One row of <c>data/cloud-regions.csv</c>: a cloud region (or a named preset such as <c>on-prem-average</c>) with the
/// PUE to apply and the country whose grid supplies it.
/// </summary>
/// <param name="Provider"><c>gcp</c>, <c>aws</c>, <c>azure</c> or <c>preset</c>.</param>
/// <param name="Region">Provider region id (e.g. <c>europe-west1</c>) or preset name.</param>
/// <param name="Location">Human-readable location; empty for presets.</param>
/// <param name="Country">ISO 3166 alpha-2 code of the region's grid; empty for presets.</param>
/// <param name="Pue">Power usage effectiveness (facility energy / IT energy).</param>
/// <param name="Year">Year the PUE figure describes.</param>
/// <param name="Source">Short citation.</param>
/// <param name="Note">Caveats; may be empty.</param>
public sealed record CloudRegion(
    string Provider,
    string Region,
    string Location,
    string Country,
    PowerUsageEffectiveness Pue,
    int Year,
    string Source,
    string Note)
{
    /// <summary><c>provider:region</c>, e.g. <c>gcp:europe-west1</c> or <c>preset:none</c>.</summary>
    public string Key => Provider + ":" + Region;

    /// <summary>Provenance text for reports, e.g. <c>PUE 1.1 (gcp:europe-west1; Google ..., 2023)</c>.</summary>
    public string Describe()
        => string.Create(CultureInfo.InvariantCulture, $"PUE {Pue} ({Key}; {Source}; {Year})");
}
