using TrainWatt.Core.Units;

namespace TrainWatt.Core.Footprint;

/// <summary>The facility energy, emissions and cost of some IT energy, with the assumptions behind each number.</summary>
/// <param name="ItEnergy">Energy drawn by the measured devices.</param>
/// <param name="FacilityEnergy">ItEnergy × PUE.</param>
/// <param name="Pue">The PUE used and its source.</param>
/// <param name="Intensity">The grid intensity used and its source; null when no emissions were asked for.</param>
/// <param name="Emissions">FacilityEnergy × intensity, in CO2e; null without an intensity.</param>
/// <param name="Price">The electricity price used; null when no cost was asked for.</param>
/// <param name="Cost">FacilityEnergy (kWh) × price; null without a price.</param>
public sealed record FootprintResult(
    Energy ItEnergy,
    Energy FacilityEnergy,
    PueAssumption Pue,
    IntensityAssumption? Intensity,
    CarbonMass? Emissions,
    ElectricityPrice? Price,
    Money? Cost)
{
    /// <summary>One line per assumption, in the order applied, for reports.</summary>
    public IReadOnlyList<string> Assumptions
    {
        get
        {
            var lines = new List<string> { Pue.Description };
            if (Intensity is not null)
            {
                lines.Add(Intensity.Description);
            }

            if (Price is not null)
            {
                lines.Add($"{Price} ({ProvenanceText.Name(Provenance.UserGiven)})");
            }

            return lines;
        }
    }
}

/// <summary>Pure footprint arithmetic: facility energy = IT energy × PUE; carbon = facility energy × intensity; cost = kWh × price.</summary>
public static class FootprintCalculator
{
    /// <summary>
    /// The largest IT energy a footprint is computed for, in kWh: 1e12 kWh (1,000 TWh, several times any country's
    /// yearly data-centre use). With a PUE of at most <see cref="PowerUsageEffectiveness.Maximum"/>, an intensity of at
    /// most <see cref="MaxIntensityGramsPerKilowattHour"/> and a price of at most
    /// <see cref="ElectricityPrice.MaxPerKilowattHour"/>, every figure stays finite.
    /// </summary>
    public const double MaxEnergyKilowattHours = 1e12;

    /// <summary>The largest grid intensity accepted, in gCO2e/kWh (coal-only grids are near 1,000).</summary>
    public const double MaxIntensityGramsPerKilowattHour = 10_000;

    /// <summary>Computes facility energy, and emissions and cost when an intensity and a price are given.</summary>
    /// <param name="itEnergy">IT (device) energy; must not be negative.</param>
    /// <param name="pue">PUE and its provenance.</param>
    /// <param name="intensity">Grid intensity and its provenance, or null.</param>
    /// <param name="price">Electricity price, or null.</param>
    public static FootprintResult Compute(Energy itEnergy, PueAssumption pue, IntensityAssumption? intensity = null, ElectricityPrice? price = null)
    {
        ArgumentNullException.ThrowIfNull(pue);
        if (itEnergy < Energy.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(itEnergy), itEnergy, $"IT energy must be >= 0; got {itEnergy}.");
        }

        if (itEnergy.KilowattHours > MaxEnergyKilowattHours)
        {
            throw new ArgumentOutOfRangeException(nameof(itEnergy), itEnergy, $"IT energy must be at most 1e12 kWh (1,000 TWh); got {itEnergy}.");
        }

        if (intensity is not null && intensity.Intensity.GramsPerKilowattHour > MaxIntensityGramsPerKilowattHour)
        {
            throw new ArgumentOutOfRangeException(nameof(intensity), intensity.Intensity, $"A grid intensity must be at most 10,000 gCO2e/kWh; got {intensity.Intensity}.");
        }

        Energy facility = itEnergy * pue.Pue;
        CarbonMass? emissions = intensity is null ? null : facility * intensity.Intensity;
        Money? cost = price?.CostOf(facility.KilowattHours);
        return new FootprintResult(itEnergy, facility, pue, intensity, emissions, price, cost);
    }
}
