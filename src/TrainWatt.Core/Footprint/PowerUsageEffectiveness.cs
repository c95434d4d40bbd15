using System.Globalization;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Footprint;

/// <summary>
/// Power usage effectiveness: facility energy / IT energy, a dimensionless ratio ≥ 1.0 (1.0 = no cooling or power
/// distribution overhead). <c>default</c> is 1.0.
/// </summary>
public readonly struct PowerUsageEffectiveness : IEquatable<PowerUsageEffectiveness>, IFormattable
{
    /// <summary>The smallest physically meaningful PUE.</summary>
    public const double Minimum = 1.0;

    /// <summary>
    /// The largest PUE accepted: data centres report 1.1 to 3, so anything above 100 is a typo (and a factor that
    /// large times an energy can leave the range of numbers).
    /// </summary>
    public const double Maximum = 100;

    // Stored as the overhead above 1.0 so that default(PowerUsageEffectiveness) is the valid "no overhead" value.
    private readonly double _overhead;

    private PowerUsageEffectiveness(double ratio) => _overhead = ratio - 1.0;

    /// <summary>PUE 1.0: IT energy only.</summary>
    public static PowerUsageEffectiveness None => default;

    /// <summary>The ratio facility energy / IT energy.</summary>
    public double Ratio => 1.0 + _overhead;

    /// <summary>Creates a PUE from its ratio.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is not finite or is below 1.0; the message states the rule and the value.</exception>
    public static PowerUsageEffectiveness FromRatio(double ratio)
    {
        if (!double.IsFinite(ratio) || ratio < Minimum || ratio > Maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, RuleText(ratio));
        }

        return new PowerUsageEffectiveness(ratio);
    }

    /// <summary>Validates without throwing; <paramref name="error"/> states the rule and the value when it fails.</summary>
    public static bool TryFromRatio(double ratio, out PowerUsageEffectiveness pue, out string? error)
    {
        if (!double.IsFinite(ratio) || ratio < Minimum || ratio > Maximum)
        {
            pue = default;
            error = RuleText(ratio);
            return false;
        }

        pue = new PowerUsageEffectiveness(ratio);
        error = null;
        return true;
    }

    /// <summary>Facility energy = IT energy × PUE.</summary>
    public static Energy operator *(Energy itEnergy, PowerUsageEffectiveness pue) => itEnergy * pue.Ratio;

    /// <summary>Facility energy = IT energy × PUE.</summary>
    public static Energy operator *(PowerUsageEffectiveness pue, Energy itEnergy) => itEnergy * pue.Ratio;

    internal static string RuleText(double value)
        => value > Maximum
        ? "PUE must be at most 100 (facility energy / IT energy; data centres report 1.1 to 3); got " + value.ToString(CultureInfo.InvariantCulture) + "."
        : "PUE must be a finite number >= 1.0 (facility energy / IT energy; 1.0 means no overhead); got "
           + value.ToString(CultureInfo.InvariantCulture) + ".";

    public bool Equals(PowerUsageEffectiveness other) => _overhead.Equals(other._overhead);
    public override bool Equals(object? obj) => obj is PowerUsageEffectiveness other && Equals(other);
    public override int GetHashCode() => _overhead.GetHashCode();
    public static bool operator ==(PowerUsageEffectiveness a, PowerUsageEffectiveness b) => a.Equals(b);
    public static bool operator !=(PowerUsageEffectiveness a, PowerUsageEffectiveness b) => !a.Equals(b);

    /// <summary>The ratio with up to 3 decimals, invariant: "1.1", "1.56".</summary>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider)
        => Ratio.ToString(string.IsNullOrEmpty(format) ? "0.###" : format, formatProvider ?? CultureInfo.InvariantCulture);
}
