using System.Globalization;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Footprint;

/// <summary>A PUE together with where it came from, for reports ("PUE 1.1 (gcp:europe-west1; Google ...; 2023)").</summary>
public sealed record PueAssumption(PowerUsageEffectiveness Pue, string Description, Provenance Provenance)
{
    /// <summary>The PUE of a cloud region or preset from <c>data/cloud-regions.csv</c>.</summary>
    public static PueAssumption From(CloudRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return new(region.Pue, region.Describe(), Provenance.Model);
    }

    /// <summary>A PUE the user gave.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.0 or not finite.</exception>
    public static PueAssumption Given(double ratio)
    {
        var pue = PowerUsageEffectiveness.FromRatio(ratio);
        return new(pue, $"PUE {pue} ({ProvenanceText.Name(Provenance.UserGiven)})", Provenance.UserGiven);
    }

    /// <summary>The default when nothing is known: <see cref="CloudRegionTable.DefaultPreset"/>, marked as a default.</summary>
    public static PueAssumption Default(CloudRegionTable? table = null)
    {
        var preset = (table ?? CloudRegionTable.Default).DefaultPreset;
        return new(preset.Pue, $"{preset.Describe()} [default; pass a PUE or a cloud region to change it]", Provenance.Model);
    }
}

/// <summary>A grid carbon intensity together with where it came from ("ES 2021 232 gCO2e/kWh (...)").</summary>
public sealed record IntensityAssumption(CarbonIntensity Intensity, string Description, Provenance Provenance)
{
    /// <summary>A row of <c>data/carbon-intensity.csv</c>.</summary>
    public static IntensityAssumption From(CarbonIntensityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Intensity, entry.Describe(), Provenance.Model);
    }

    /// <summary>An intensity the user gave, in gCO2e/kWh.</summary>
    public static IntensityAssumption Given(double gramsPerKilowattHour)
    {
        var intensity = CarbonIntensity.FromGramsPerKilowattHour(gramsPerKilowattHour);
        return new(intensity, string.Create(CultureInfo.InvariantCulture, $"{intensity} ({ProvenanceText.Name(Provenance.UserGiven)})"), Provenance.UserGiven);
    }
}
