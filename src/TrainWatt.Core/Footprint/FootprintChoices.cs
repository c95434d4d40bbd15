using System.Globalization;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Footprint;

/// <summary>A PUE as given: a ratio (≥ 1.0) or the name of a preset of <c>data/cloud-regions.csv</c> (none, desktop, on-prem-average...).</summary>
public sealed record PueChoice(double? Ratio, string? Preset)
{
    /// <summary>A number (invariant culture) is a ratio; anything else a preset name.</summary>
    public static PueChoice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double ratio)
            ? new PueChoice(ratio, null)
            : new PueChoice(null, text);
    }
}

/// <summary>
/// What a footprint is computed with, as the user chose it: a grid (country or intensity), a PUE (ratio, preset or cloud
/// region, which also implies its grid) and a price. Unset choices take TrainWatt's stated defaults (world grid,
/// on-prem-average PUE), each labelled as a default in the result.
/// </summary>
/// <param name="Country">Grid country: ISO 3166 code or name, WORLD, or a preset key such as ES-2021-PAPER.</param>
/// <param name="Intensity">Grid carbon intensity in gCO2e/kWh, instead of a country.</param>
/// <param name="Pue">A PUE ratio or preset, instead of a cloud region.</param>
/// <param name="Cloud">A cloud region as provider:region: sets the PUE and, unless given, the grid country.</param>
/// <param name="Price">Electricity price per kWh, or null for no cost.</param>
public sealed record FootprintChoices(string? Country = null, double? Intensity = null, PueChoice? Pue = null, string? Cloud = null, ElectricityPrice? Price = null)
{
    /// <summary>Every rule these choices break, each naming the option, the rule and the value; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Country is not null && Intensity is not null)
        {
            problems.Add("Give either --country or --intensity, not both.");
        }

        if (Pue is not null && Cloud is not null)
        {
            problems.Add("Give either --pue or --cloud, not both: a cloud region sets its own PUE.");
        }

        if (Intensity is { } g && (!double.IsFinite(g) || g < 0))
        {
            problems.Add($"--intensity must be a finite number >= 0 gCO2e/kWh; got {g.ToString(CultureInfo.InvariantCulture)}.");
        }
        else if (Intensity is { } high && high > FootprintCalculator.MaxIntensityGramsPerKilowattHour)
        {
            problems.Add($"--intensity must be at most 10,000 gCO2e/kWh (the most carbon-intensive grids are near 1,000); got {high.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Pue?.Ratio is { } ratio && !PowerUsageEffectiveness.TryFromRatio(ratio, out _, out string? error))
        {
            problems.Add("--pue: " + error);
        }

        return problems;
    }
}

/// <summary>Resolves <see cref="FootprintChoices"/> against the reference tables and computes the footprint: the body of <c>trainwatt carbon</c>.</summary>
public static class FootprintAssumptions
{
    /// <summary>
    /// The assumptions of a measured run (<c>measure --country/--region/--pue</c>). PUE: <paramref name="pue"/>, else the region's, else the on-prem average; grid: <paramref name="country"/>, else
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

    /// <summary>Facility energy, emissions and (with a price) cost of <paramref name="itEnergy"/>, with the source of every factor.</summary>
    /// <exception cref="ArgumentException">The choices break a rule of <see cref="FootprintChoices.Validate"/>, or the energy is negative.</exception>
    /// <exception cref="ReferenceLookupException">A country, cloud region or preset is unknown, or a preset was given as a region (or the reverse).</exception>
    public static FootprintResult Compute(Energy itEnergy, FootprintChoices choices, CloudRegionTable? regions = null, CarbonIntensityTable? grid = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var problems = choices.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(choices));
        }

        regions ??= CloudRegionTable.Default;
        grid ??= CarbonIntensityTable.Default;
        CloudRegion? region = choices.Cloud is null ? null : regions.Find(choices.Cloud);
        if (region is { Provider: "preset" })
        {
            throw new ReferenceLookupException(choices.Cloud!, $"\"{choices.Cloud}\" is a PUE preset, not a cloud region; pass it as --pue {region.Region}.", [region.Region]);
        }

        return FootprintCalculator.Compute(itEnergy, Pue(choices.Pue, region, regions), Intensity(choices, region, grid), choices.Price);
    }

    private static PueAssumption Pue(PueChoice? choice, CloudRegion? region, CloudRegionTable regions)
    {
        if (region is not null)
        {
            return PueAssumption.From(region);
        }

        if (choice is null)
        {
            return PueAssumption.Default(regions);
        }

        if (choice.Ratio is { } ratio)
        {
            return PueAssumption.Given(ratio);
        }

        var preset = regions.Find(choice.Preset!);
        return preset.Provider == "preset"
            ? PueAssumption.From(preset)
            : throw new ReferenceLookupException(choice.Preset!, $"\"{choice.Preset}\" is a cloud region; pass it as --cloud {preset.Key}.", [preset.Key]);
    }

    private static IntensityAssumption Intensity(FootprintChoices choices, CloudRegion? region, CarbonIntensityTable grid)
    {
        if (choices.Intensity is { } given)
        {
            return IntensityAssumption.Given(given);
        }

        if (choices.Country is not null)
        {
            return IntensityAssumption.From(grid.Find(choices.Country));
        }

        if (region is not null)
        {
            var entry = grid.Find(region.Country);
            return IntensityAssumption.From(entry) with { Description = $"{entry.Describe()} [grid of {region.Key}]" };
        }

        var world = grid.World;
        return IntensityAssumption.From(world) with { Description = $"{world.Describe()} [default; pass --country or --intensity to change it]" };
    }
}
