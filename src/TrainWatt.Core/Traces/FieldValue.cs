using System.Globalization;

namespace TrainWatt.Core.Traces;

internal enum FieldStatus
{
    Value,
    Missing,
    Invalid,
}

/// <summary>Parses nvidia-smi field values such as "23.39 W", "23 %", "8192 MiB", "55", "[N/A]".</summary>
internal static class FieldValue
{
    private const NumberStyles Decimal = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>"[N/A]", "N/A", "[Not Supported]", "Not Supported": the value was not reported (null, never zero).</summary>
    public static bool IsMissing(ReadOnlySpan<char> text)
        => text.SequenceEqual("[N/A]") || text.SequenceEqual("N/A")
            || text.SequenceEqual("[Not Supported]") || text.SequenceEqual("Not Supported");

    /// <summary>A finite decimal number, optionally followed by <paramref name="unit"/> (with or without a space).</summary>
    public static FieldStatus TryParse(ReadOnlySpan<char> text, string unit, out double value)
    {
        value = 0;
        if (!TryNumberText(text, unit, out var number, out var status))
        {
            return status;
        }

        if (double.TryParse(number, Decimal, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return FieldStatus.Value;
        }

        value = 0;
        return FieldStatus.Invalid;
    }

    /// <summary>
    /// As <see cref="TryParse"/>, but keeps only the integer part of the written number, read from the text
    /// ("156.98 W" is 156): the SEAA 2023 parity rule. The whole text must still be a valid number.
    /// </summary>
    public static FieldStatus TryParseIntegerPart(ReadOnlySpan<char> text, string unit, out double value)
    {
        value = 0;
        if (!TryNumberText(text, unit, out var number, out var status))
        {
            return status;
        }

        if (!double.TryParse(number, Decimal, CultureInfo.InvariantCulture, out double full) || !double.IsFinite(full))
        {
            return FieldStatus.Invalid;
        }

        int dot = number.IndexOf('.');
        var integerText = dot >= 0 ? number[..dot] : number;
        if (integerText.IsEmpty || integerText is "-" or "+")
        {
            value = 0;
            return FieldStatus.Value;
        }

        if (double.TryParse(integerText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return FieldStatus.Value;
        }

        value = 0;
        return FieldStatus.Invalid;
    }

    private static bool TryNumberText(ReadOnlySpan<char> text, string unit, out ReadOnlySpan<char> number, out FieldStatus status)
    {
        number = default;
        if (text.IsEmpty)
        {
            status = FieldStatus.Invalid;
            return false;
        }

        if (IsMissing(text))
        {
            status = FieldStatus.Missing;
            return false;
        }

        number = text.EndsWith(unit, StringComparison.Ordinal) ? text[..^unit.Length].TrimEnd(' ') : text;
        if (number.IsEmpty)
        {
            status = FieldStatus.Invalid;
            return false;
        }

        status = FieldStatus.Value;
        return true;
    }
}
