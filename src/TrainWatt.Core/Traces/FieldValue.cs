using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace TrainWatt.Core.Traces;

internal enum FieldStatus
{
    Value,
    Missing,
    Invalid,
}

/// <summary>
/// Parses nvidia-smi field values such as "23.39 W", "23 %", "8192 MiB", "55", "[N/A]", from UTF-16 text
/// (<c>T = char</c>) or raw UTF-8 bytes (<c>T = byte</c>; the file reader's path, no decoding). Generic over the code
/// unit so both paths share one implementation; the JIT specialises each.
/// </summary>
internal static class FieldValue
{
    private const NumberStyles Decimal = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>"[N/A]", "N/A", "[Not Supported]", "Not Supported": the value was not reported (null, never zero).</summary>
    public static bool IsMissing<T>(ReadOnlySpan<T> text)
        where T : unmanaged
        => Ascii.EqualsLiteral(text, "[N/A]") || Ascii.EqualsLiteral(text, "N/A")
            || Ascii.EqualsLiteral(text, "[Not Supported]") || Ascii.EqualsLiteral(text, "Not Supported");

    /// <summary>A finite decimal number, optionally followed by <paramref name="unit"/> (with or without a space).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldStatus TryParse<T>(ReadOnlySpan<T> text, string unit, out double value)
        where T : unmanaged
    {
        value = 0;
        if (!TryNumberText(text, unit, out var number, out var status))
        {
            return status;
        }

        if (TryParseShortDecimal(number, out value, out _))
        {
            return FieldStatus.Value;
        }

        if (TryParseDouble(number, Decimal, out value) && double.IsFinite(value))
        {
            return FieldStatus.Value;
        }

        value = 0;
        return FieldStatus.Invalid;
    }

    /// <summary>
    /// As <see cref="TryParse{T}"/>, but keeps only the integer part of the written number, read from the text
    /// ("156.98 W" is 156): the SEAA 2023 parity rule. The whole text must still be a valid number.
    /// </summary>
    public static FieldStatus TryParseIntegerPart<T>(ReadOnlySpan<T> text, string unit, out double value)
        where T : unmanaged
    {
        value = 0;
        if (!TryNumberText(text, unit, out var number, out var status))
        {
            return status;
        }

        if (TryParseShortDecimal(number, out _, out value))
        {
            return FieldStatus.Value;
        }

        if (!TryParseDouble(number, Decimal, out double full) || !double.IsFinite(full))
        {
            return FieldStatus.Invalid;
        }

        int dot = Ascii.IndexOf(number, '.');
        var integerText = dot >= 0 ? number[..dot] : number;
        if (integerText.IsEmpty || Ascii.EqualsLiteral(integerText, "-") || Ascii.EqualsLiteral(integerText, "+"))
        {
            value = 0;
            return FieldStatus.Value;
        }

        if (TryParseDouble(integerText, NumberStyles.AllowLeadingSign, out value))
        {
            return FieldStatus.Value;
        }

        value = 0;
        return FieldStatus.Invalid;
    }

    /// <summary>
    /// Fast path for the numbers nvidia-smi writes: <c>[-]digits[.digits]</c> with at most 15 digits. Exact: the digits
    /// form an integer m &lt; 2^53 and the scale 10^k (k ≤ 15) is an exact double, so m / 10^k is the correctly rounded
    /// value, bit-identical to <see cref="double.Parse(string)"/> (Clinger's fast path). Anything else returns false and
    /// the caller falls back to the BCL parser.
    /// </summary>
    /// <param name="s">The number text.</param>
    /// <param name="value">The value.</param>
    /// <param name="integerPart">The integer part as written (digits before the point, with the sign).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseShortDecimal<T>(ReadOnlySpan<T> s, out double value, out double integerPart)
        where T : unmanaged
    {
        value = 0;
        integerPart = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && Ascii.Code(s[0]) == '-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        ulong integer = 0;
        int digits = 0;
        int fractionDigits = -1;
        for (; i < s.Length; i++)
        {
            uint c = Ascii.Code(s[i]);
            uint d = c - '0';
            if (d <= 9)
            {
                if (++digits > 15)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + d;
                if (fractionDigits >= 0)
                {
                    fractionDigits++;
                }
                else
                {
                    integer = mantissa;
                }
            }
            else if (c == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        double v = fractionDigits > 0 ? mantissa / PowersOfTen[fractionDigits] : mantissa;
        value = negative ? -v : v;
        integerPart = negative ? -(double)integer : integer;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryNumberText<T>(ReadOnlySpan<T> text, string unit, out ReadOnlySpan<T> number, out FieldStatus status)
        where T : unmanaged
    {
        number = default;
        if (text.IsEmpty)
        {
            status = FieldStatus.Invalid;
            return false;
        }

        if (Ascii.Code(text[0]) is '[' or 'N' && IsMissing(text))
        {
            status = FieldStatus.Missing;
            return false;
        }

        number = Ascii.EndsWithLiteral(text, unit) ? Ascii.TrimSpaces(text[..^unit.Length]) : text;
        if (number.IsEmpty)
        {
            status = FieldStatus.Invalid;
            return false;
        }

        status = FieldStatus.Value;
        return true;
    }

    private static bool TryParseDouble<T>(ReadOnlySpan<T> text, NumberStyles style, out double value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(char))
        {
            return double.TryParse(MemoryMarshal.Cast<T, char>(text), style, CultureInfo.InvariantCulture, out value);
        }

        return double.TryParse(MemoryMarshal.Cast<T, byte>(text), style, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>Helpers over ASCII literals for text held as UTF-16 chars or UTF-8 bytes.</summary>
internal static class Ascii
{
    /// <summary>
    /// The code unit as a number. Written with <see cref="Unsafe.As{TFrom, TTo}(ref TFrom)"/> rather than
    /// <c>uint.CreateTruncating</c>: a generic-math call into CoreLib cannot be precompiled (ReadyToRun) into this
    /// assembly, which would leave the whole parser to the JIT at every start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Code<T>(T unit)
        where T : unmanaged
        => typeof(T) == typeof(byte) ? Unsafe.As<T, byte>(ref unit) : Unsafe.As<T, char>(ref unit);

    /// <summary>Index of an ASCII character, through the non-generic span searches (precompiled in CoreLib).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf<T>(ReadOnlySpan<T> text, char ascii)
        where T : unmanaged
        => typeof(T) == typeof(byte)
            ? MemoryMarshal.Cast<T, byte>(text).IndexOf((byte)ascii)
            : MemoryMarshal.Cast<T, char>(text).IndexOf(ascii);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsLiteral<T>(ReadOnlySpan<T> text, string literal)
        where T : unmanaged
    {
        if (text.Length != literal.Length)
        {
            return false;
        }

        for (int i = 0; i < literal.Length; i++)
        {
            if (Ascii.Code(text[i]) != literal[i])
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EndsWithLiteral<T>(ReadOnlySpan<T> text, string literal)
        where T : unmanaged
        => text.Length >= literal.Length && EqualsLiteral(text[^literal.Length..], literal);

    /// <summary>The text without leading and trailing ' ' (inlined: the BCL's generic Trim is a call per field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> TrimSpaces<T>(ReadOnlySpan<T> text)
        where T : unmanaged
    {
        int start = 0;
        int end = text.Length;
        while (start < end && Ascii.Code(text[start]) == ' ')
        {
            start++;
        }

        while (end > start && Ascii.Code(text[end - 1]) == ' ')
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>The text as a string (UTF-8 bytes are decoded, invalid sequences become U+FFFD).</summary>
    public static string ToText<T>(ReadOnlySpan<T> text)
        where T : unmanaged
        => typeof(T) == typeof(char)
            ? new string(MemoryMarshal.Cast<T, char>(text))
            : Encoding.UTF8.GetString(MemoryMarshal.Cast<T, byte>(text));
}
