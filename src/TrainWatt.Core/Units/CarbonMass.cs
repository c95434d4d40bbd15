using System.Globalization;

namespace TrainWatt.Core.Units;

/// <summary>A mass of CO2-equivalent emissions, stored in grams. Always finite; may be negative only through subtraction.</summary>
public readonly struct CarbonMass : IEquatable<CarbonMass>, IComparable<CarbonMass>, IFormattable
{
    private readonly double _grams;

    private CarbonMass(double grams) => _grams = Guard.Finite(grams, "Carbon mass", "gCO2e");

    public static CarbonMass Zero => default;
    public static CarbonMass FromGrams(double grams) => new(grams);
    public static CarbonMass FromKilograms(double kilograms) => new(kilograms * 1000.0);
    public static CarbonMass FromTonnes(double tonnes) => new(tonnes * 1_000_000.0);

    public double Grams => _grams;
    public double Kilograms => _grams / 1000.0;
    public double Tonnes => _grams / 1_000_000.0;

    public static CarbonMass operator +(CarbonMass a, CarbonMass b) => new(a._grams + b._grams);
    public static CarbonMass operator -(CarbonMass a, CarbonMass b) => new(a._grams - b._grams);
    public static CarbonMass operator *(CarbonMass a, double factor) => new(a._grams * factor);
    public static bool operator ==(CarbonMass a, CarbonMass b) => a._grams == b._grams;
    public static bool operator !=(CarbonMass a, CarbonMass b) => a._grams != b._grams;
    public static bool operator <(CarbonMass a, CarbonMass b) => a._grams < b._grams;
    public static bool operator >(CarbonMass a, CarbonMass b) => a._grams > b._grams;
    public static bool operator <=(CarbonMass a, CarbonMass b) => a._grams <= b._grams;
    public static bool operator >=(CarbonMass a, CarbonMass b) => a._grams >= b._grams;

    public bool Equals(CarbonMass other) => _grams.Equals(other._grams);
    public override bool Equals(object? obj) => obj is CarbonMass other && Equals(other);
    public override int GetHashCode() => _grams.GetHashCode();
    public int CompareTo(CarbonMass other) => _grams.CompareTo(other._grams);

    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats as "g", "kg" or "t" CO2e ("kg:F3"); null picks a readable unit.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        formatProvider ??= CultureInfo.InvariantCulture;
        var (unit, numberFormat) = UnitFormat.Split(format);
        double abs = Math.Abs(_grams);
        unit ??= abs switch { < 1e3 => "g", < 1e6 => "kg", _ => "t" };
        double value = unit switch
        {
            "g" => Grams,
            "kg" => Kilograms,
            "t" => Tonnes,
            _ => throw new FormatException($"Unknown carbon mass unit \"{unit}\". Use one of: g, kg, t."),
        };
        return UnitFormat.Number(value, numberFormat, formatProvider) + " " + unit + "CO2e";
    }
}
