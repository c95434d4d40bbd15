using System.Globalization;

namespace TrainWatt.Core.Units;

/// <summary>
/// Emissions per unit of electricity, stored as grams CO2e per kWh. Always finite and non-negative.
/// <c>Energy × CarbonIntensity = CarbonMass</c>.
/// </summary>
public readonly struct CarbonIntensity : IEquatable<CarbonIntensity>, IFormattable
{
    private readonly double _gramsPerKilowattHour;

    private CarbonIntensity(double gramsPerKilowattHour)
    {
        Guard.Finite(gramsPerKilowattHour, "Carbon intensity", "gCO2e/kWh");
        if (gramsPerKilowattHour < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(gramsPerKilowattHour),
                gramsPerKilowattHour,
                $"Carbon intensity must be >= 0 gCO2e/kWh; got {gramsPerKilowattHour.ToString(CultureInfo.InvariantCulture)}.");
        }

        _gramsPerKilowattHour = gramsPerKilowattHour;
    }

    public static CarbonIntensity FromGramsPerKilowattHour(double value) => new(value);
    public static CarbonIntensity FromKilogramsPerKilowattHour(double value) => new(value * 1000.0);

    public double GramsPerKilowattHour => _gramsPerKilowattHour;

    public static CarbonMass operator *(Energy energy, CarbonIntensity intensity)
        => CarbonMass.FromGrams(energy.KilowattHours * intensity._gramsPerKilowattHour);

    public static CarbonMass operator *(CarbonIntensity intensity, Energy energy) => energy * intensity;

    public bool Equals(CarbonIntensity other) => _gramsPerKilowattHour.Equals(other._gramsPerKilowattHour);
    public override bool Equals(object? obj) => obj is CarbonIntensity other && Equals(other);
    public override int GetHashCode() => _gramsPerKilowattHour.GetHashCode();
    public static bool operator ==(CarbonIntensity a, CarbonIntensity b) => a.Equals(b);
    public static bool operator !=(CarbonIntensity a, CarbonIntensity b) => !a.Equals(b);

    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider)
        => _gramsPerKilowattHour.ToString(string.IsNullOrEmpty(format) ? "0.#" : format, formatProvider ?? CultureInfo.InvariantCulture) + " gCO2e/kWh";
}
