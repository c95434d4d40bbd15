using System.Globalization;

namespace TrainWatt.Core.Units;

internal static class UnitFormat
{
    /// <summary>Splits "kWh:F3" into ("kWh", "F3"); "" or null into (null, null).</summary>
    public static (string? Unit, string? NumberFormat) Split(string? format)
    {
        if (string.IsNullOrEmpty(format) || format == "G")
        {
            return (null, null);
        }

        int colon = format.IndexOf(':');
        return colon < 0 ? (format, null) : (format[..colon], format[(colon + 1)..]);
    }

    /// <summary>Three significant digits at least, two decimals at most, for human-readable values.</summary>
    public static string Readable(double value)
    {
        double abs = Math.Abs(value);
        return abs switch
        {
            0 => "0",
            >= 100 => "0.0",
            >= 10 => "0.00",
            _ => "0.00",
        };
    }

    /// <summary>
    /// <paramref name="value"/> in <paramref name="numberFormat"/> (or <see cref="Readable"/>), without the sign of a
    /// negative value that rounds to zero: a float residue of -1E-12 J prints "0.00", not "-0.00".
    /// </summary>
    public static string Number(double value, string? numberFormat, IFormatProvider? provider)
    {
        string format = numberFormat ?? Readable(value);
        string text = value.ToString(format, provider);
        if (value < 0 || double.IsNegative(value))
        {
            string sign = NumberFormatInfo.GetInstance(provider).NegativeSign;
            if (text.StartsWith(sign, StringComparison.Ordinal) && !text.AsSpan(sign.Length).ContainsAnyInRange('1', '9'))
            {
                return 0.0.ToString(format, provider);
            }
        }

        return text;
    }
}
