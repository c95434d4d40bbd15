using System.Globalization;

namespace TrainWatt.Core.Units;

/// <summary>
/// An amount of energy. Stored as joules in a <see cref="double"/>.
/// </summary>
/// <remarks>
/// Invariants: the value is always finite (NaN and infinities are rejected by every factory and operator
/// result). Negative values are allowed: a net energy (gross minus an idle baseline) can be below zero and
/// must be shown as such rather than clamped. There is no implicit conversion to or from <see cref="double"/>:
/// read a value through the accessor named for its unit (<see cref="Joules"/>, <see cref="KilowattHours"/>...).
/// Equality is exact on the stored joules; use <see cref="IsCloseTo"/> for tolerant comparisons.
/// </remarks>
public readonly struct Energy : IEquatable<Energy>, IComparable<Energy>, IFormattable
{
    private const double JoulesPerWattHour = 3600.0;
    private const double JoulesPerKilowattHour = 3_600_000.0;
    private const string Units = "mJ, J, kJ, MJ, Wh, kWh";

    private readonly double _joules;

    private Energy(double joules) => _joules = Guard.Finite(joules, "Energy", "J");

    public static Energy Zero => default;

    public static Energy FromJoules(double joules) => new(joules);
    public static Energy FromMillijoules(double millijoules) => new(millijoules / 1000.0);
    public static Energy FromMicrojoules(double microjoules) => new(microjoules / 1_000_000.0);
    public static Energy FromKilojoules(double kilojoules) => new(kilojoules * 1000.0);
    public static Energy FromMegajoules(double megajoules) => new(megajoules * 1_000_000.0);
    public static Energy FromWattHours(double wattHours) => new(wattHours * JoulesPerWattHour);
    public static Energy FromKilowattHours(double kilowattHours) => new(kilowattHours * JoulesPerKilowattHour);

    public double Joules => _joules;
    public double Millijoules => _joules * 1000.0;
    public double Kilojoules => _joules / 1000.0;
    public double Megajoules => _joules / 1_000_000.0;
    public double WattHours => _joules / JoulesPerWattHour;
    public double KilowattHours => _joules / JoulesPerKilowattHour;

    public static Energy operator +(Energy a, Energy b) => new(a._joules + b._joules);
    public static Energy operator -(Energy a, Energy b) => new(a._joules - b._joules);
    public static Energy operator -(Energy a) => new(-a._joules);
    public static Energy operator *(Energy a, double factor) => new(a._joules * factor);
    public static Energy operator *(double factor, Energy a) => new(a._joules * factor);
    public static Energy operator /(Energy a, double divisor) => new(a._joules / divisor);

    /// <summary>The ratio of two energies (dimensionless). Throws when <paramref name="b"/> is zero.</summary>
    public static double operator /(Energy a, Energy b)
    {
        if (b._joules == 0)
        {
            throw new DivideByZeroException("Cannot take the ratio of an energy to zero energy.");
        }

        return a._joules / b._joules;
    }

    /// <summary>Average power over <paramref name="duration"/>: E / t. The duration must be positive.</summary>
    public static Power operator /(Energy energy, TimeSpan duration)
        => Power.FromWatts(energy._joules / Guard.PositiveSeconds(duration, "Dividing an energy by a duration"));

    /// <summary>Time needed to use this energy at constant <paramref name="power"/>. Power must be non-zero.</summary>
    public static TimeSpan operator /(Energy energy, Power power)
    {
        if (power.Watts == 0)
        {
            throw new DivideByZeroException("Cannot divide an energy by zero power.");
        }

        return TimeSpan.FromSeconds(energy._joules / power.Watts);
    }

    public static bool operator ==(Energy a, Energy b) => a._joules == b._joules;
    public static bool operator !=(Energy a, Energy b) => a._joules != b._joules;
    public static bool operator <(Energy a, Energy b) => a._joules < b._joules;
    public static bool operator >(Energy a, Energy b) => a._joules > b._joules;
    public static bool operator <=(Energy a, Energy b) => a._joules <= b._joules;
    public static bool operator >=(Energy a, Energy b) => a._joules >= b._joules;

    public static Energy Max(Energy a, Energy b) => a >= b ? a : b;
    public static Energy Min(Energy a, Energy b) => a <= b ? a : b;
    public Energy Abs() => new(Math.Abs(_joules));

    /// <summary>True when the two energies differ by at most <paramref name="relativeTolerance"/> of the larger magnitude.</summary>
    public bool IsCloseTo(Energy other, double relativeTolerance = 1e-12)
        => Math.Abs(_joules - other._joules) <= relativeTolerance * Math.Max(Math.Abs(_joules), Math.Abs(other._joules));

    public bool Equals(Energy other) => _joules.Equals(other._joules);
    public override bool Equals(object? obj) => obj is Energy other && Equals(other);
    public override int GetHashCode() => _joules.GetHashCode();
    public int CompareTo(Energy other) => _joules.CompareTo(other._joules);

    /// <summary>
    /// The readable unit of this energy, the one rule every output that picks a unit for an energy uses
    /// (<see cref="ToString()"/>, the live projection lines, the plots): by magnitude, the sign ignored, J below 1 kJ,
    /// kJ below 1 MJ, MJ below 1 GJ, kWh from 1 GJ on. The thresholds apply to the exact value, so a value just below
    /// one (999.99 kJ) keeps the smaller unit even when a format rounds it up to 1000.
    /// </summary>
    public string ReadableUnit => Math.Abs(_joules) switch
    {
        < 1e3 => "J",
        < 1e6 => "kJ",
        < 1e9 => "MJ",
        _ => "kWh",
    };

    /// <summary>The value in <paramref name="unit"/>: one of mJ, J, kJ, MJ, Wh, kWh (e.g. a <see cref="ReadableUnit"/>).</summary>
    /// <exception cref="ArgumentException">Any other unit.</exception>
    public double In(string unit)
        => ValueIn(unit) ?? throw new ArgumentException($"Unknown energy unit \"{unit}\". Use one of: {Units}.", nameof(unit));

    /// <summary>Invariant text in the <see cref="ReadableUnit"/>, e.g. "417.2 kJ", "999.9 J", "-2.50 kJ", "277.8 kWh" (1 GJ).</summary>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>
    /// Formats with an explicit unit ("J", "kJ", "MJ", "Wh", "kWh") given as the format, optionally followed by a
    /// numeric format after a colon ("kWh:F3"); a null or empty format picks the <see cref="ReadableUnit"/>.
    /// </summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        formatProvider ??= CultureInfo.InvariantCulture;
        var (unit, numberFormat) = UnitFormat.Split(format);
        unit ??= ReadableUnit;
        double value = ValueIn(unit) ?? throw new FormatException($"Unknown energy unit \"{unit}\". Use one of: {Units}.");
        return UnitFormat.Number(value, numberFormat, formatProvider) + " " + unit;
    }

    private double? ValueIn(string unit) => unit switch
    {
        "mJ" => Millijoules,
        "J" => Joules,
        "kJ" => Kilojoules,
        "MJ" => Megajoules,
        "Wh" => WattHours,
        "kWh" => KilowattHours,
        _ => null,
    };
}
