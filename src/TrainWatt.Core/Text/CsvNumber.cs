using System.Globalization;

namespace TrainWatt.Core.Text;

/// <summary>
/// How TrainWatt reads numbers from text files: invariant culture ('.' decimal separator whatever the user's culture),
/// an optional sign, decimals and an exponent; no thousands separators, no hex, no NaN, no ±Infinity, nothing that
/// overflows to infinity (1e309). -0 reads as 0.
/// </summary>
public static class CsvNumber
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>The fix appended to every "not a number" message.</summary>
    public const string DecimalHint = "write plain decimals with a '.' separator, e.g. 12.5.";

    /// <summary>Parses a finite double (see the class summary); leading and trailing white space is ignored.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value)
        => TryParseDouble(text, out value, out _);

    /// <summary>
    /// Parses a finite double; on failure <paramref name="problem"/> says why (for a message after
    /// <c>column 'x': </c>), e.g. <c>"1e400" is not a finite number; write plain decimals ...</c>.
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value, out string? problem)
    {
        text = text.Trim();
        if (!double.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value))
        {
            problem = $"{Quote(text)} is not a number; {DecimalHint}";
            value = 0;
            return false;
        }

        if (!double.IsFinite(value))
        {
            problem = $"{Quote(text)} is not a finite number; {DecimalHint}";
            value = 0;
            return false;
        }

        value += 0.0; // -0 → +0, so a value never prints as "-0"
        problem = null;
        return true;
    }

    /// <summary>Parses a whole number (optional sign, digits only); on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParseInt64(ReadOnlySpan<char> text, out long value, out string? problem)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            problem = null;
            return true;
        }

        problem = IsDigits(text)
            ? $"{Quote(text)} is outside the range of whole numbers [-9223372036854775808, 9223372036854775807]."
            : $"{Quote(text)} is not a whole number.";
        return false;
    }

    /// <summary>Parses a whole number that fits an <see cref="int"/>; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParseInt32(ReadOnlySpan<char> text, out int value, out string? problem)
    {
        value = 0;
        if (!TryParseInt64(text, out long wide, out problem))
        {
            if (IsDigits(text.Trim()))
            {
                problem = $"{Quote(text.Trim())} is outside the range of whole numbers [-2147483648, 2147483647].";
            }

            return false;
        }

        if (wide is < int.MinValue or > int.MaxValue)
        {
            problem = $"{Quote(text.Trim())} is outside the range of whole numbers [-2147483648, 2147483647].";
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>A value quoted for a message, cut to 60 characters so a huge field cannot flood a terminal.</summary>
    public static string Quote(ReadOnlySpan<char> text)
    {
        if (text.Length <= 60)
        {
            return $"\"{text}\"";
        }

        int cut = char.IsHighSurrogate(text[56]) ? 56 : 57;
        return string.Create(CultureInfo.InvariantCulture, $"\"{text[..cut]}...\" ({text.Length} characters)");
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            text = text[1..];
        }

        return text.Length > 0 && !text.ContainsAnyExcept("0123456789");
    }
}
