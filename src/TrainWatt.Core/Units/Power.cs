using System.Globalization;

namespace TrainWatt.Core.Units;

/// <summary>
/// A rate of energy use. Stored as watts in a <see cref="double"/>.
/// </summary>
/// <remarks>
/// Invariants: always finite. Negative values are allowed (net power below an idle baseline). No implicit
/// conversion to or from <see cref="double"/>. <c>Power × TimeSpan = Energy</c>.
/// </remarks>
public readonly struct Power : IEquatable<Power>, IComparable<Power>, IFormattable
{
    private readonly double _watts;

    private Power(double watts) => _watts = Guard.Finite(watts, "Power", "W");

    public static Power Zero => default;

    public static Power FromWatts(double watts) => new(watts);
    public static Power FromMilliwatts(double milliwatts) => new(milliwatts / 1000.0);
    public static Power FromKilowatts(double kilowatts) => new(kilowatts * 1000.0);

    public double Watts => _watts;
    public double Milliwatts => _watts * 1000.0;
    public double Kilowatts => _watts / 1000.0;

    public static Power operator +(Power a, Power b) => new(a._watts + b._watts);
    public static Power operator -(Power a, Power b) => new(a._watts - b._watts);
    public static Power operator -(Power a) => new(-a._watts);
    public static Power operator *(Power a, double factor) => new(a._watts * factor);
    public static Power operator *(double factor, Power a) => new(a._watts * factor);
    public static Power operator /(Power a, double divisor) => new(a._watts / divisor);

    /// <summary>Energy used at this constant power for <paramref name="duration"/>. Negative durations are rejected.</summary>
    public static Energy operator *(Power power, TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Power × duration needs a non-negative duration.");
        }

        return Energy.FromJoules(power._watts * duration.TotalSeconds);
    }

    public static Energy operator *(TimeSpan duration, Power power) => power * duration;

    /// <summary>The ratio of two powers (dimensionless). Throws when <paramref name="b"/> is zero.</summary>
    public static double operator /(Power a, Power b)
    {
        if (b._watts == 0)
        {
            throw new DivideByZeroException("Cannot take the ratio of a power to zero power.");
        }

        return a._watts / b._watts;
    }

    public static bool operator ==(Power a, Power b) => a._watts == b._watts;
    public static bool operator !=(Power a, Power b) => a._watts != b._watts;
    public static bool operator <(Power a, Power b) => a._watts < b._watts;
    public static bool operator >(Power a, Power b) => a._watts > b._watts;
    public static bool operator <=(Power a, Power b) => a._watts <= b._watts;
    public static bool operator >=(Power a, Power b) => a._watts >= b._watts;

    public static Power Max(Power a, Power b) => a >= b ? a : b;
    public static Power Min(Power a, Power b) => a <= b ? a : b;

    public bool IsCloseTo(Power other, double relativeTolerance = 1e-12)
        => Math.Abs(_watts - other._watts) <= relativeTolerance * Math.Max(Math.Abs(_watts), Math.Abs(other._watts));

    public bool Equals(Power other) => _watts.Equals(other._watts);
    public override bool Equals(object? obj) => obj is Power other && Equals(other);
    public override int GetHashCode() => _watts.GetHashCode();
    public int CompareTo(Power other) => _watts.CompareTo(other._watts);

    /// <summary>Invariant text with a readable unit (mW below 1 W, W, kW from 10 kW). Example: "156.9 W".</summary>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats with an explicit unit ("mW", "W", "kW"), optionally "W:F1"; null picks a readable unit.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        formatProvider ??= CultureInfo.InvariantCulture;
        var (unit, numberFormat) = UnitFormat.Split(format);
        double abs = Math.Abs(_watts);
        unit ??= abs switch
        {
            > 0 and < 1 => "mW",
            >= 10_000 => "kW",
            _ => "W",
        };
        double value = unit switch
        {
            "mW" => Milliwatts,
            "W" => Watts,
            "kW" => Kilowatts,
            _ => throw new FormatException($"Unknown power unit \"{unit}\". Use one of: mW, W, kW."),
        };
        return UnitFormat.Number(value, numberFormat, formatProvider) + " " + unit;
    }
}
