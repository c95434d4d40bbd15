using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;

namespace TrainWatt.Measurement;

/// <summary>The PUE and grid intensity a run's footprint uses, from a country, a cloud region or preset, and a PUE.</summary>
public static class FootprintAssumptions
{
    /// <summary>
    /// PUE: <paramref name="pue"/>, else the region's, else the on-prem average; grid: <paramref name="country"/>, else
    /// the region's country, else the world average (marked as a default). Throws <see cref="ReferenceLookupException"/>
    /// for an unknown country or region and <see cref="ArgumentOutOfRangeException"/> for an impossible PUE.
    /// </summary>
    public static (PueAssumption Pue, IntensityAssumption Intensity) Resolve(string? country, string? region, double? pue)
    {
        CloudRegion? cloud = region is null ? null : CloudRegionTable.Default.Find(region);
        var pueAssumption = pue is double ratio ? PueAssumption.Given(ratio)
            : cloud is not null ? PueAssumption.From(cloud)
            : PueAssumption.Default();
        string? grid = country ?? (string.IsNullOrEmpty(cloud?.Country) ? null : cloud!.Country);
        var table = CarbonIntensityTable.Default;
        var intensity = grid is not null
            ? IntensityAssumption.From(table.Find(grid))
            : IntensityAssumption.From(table.World) with { Description = IntensityAssumption.From(table.World).Description + " [default; pass --country or --region]" };
        return (pueAssumption, intensity);
    }
}
