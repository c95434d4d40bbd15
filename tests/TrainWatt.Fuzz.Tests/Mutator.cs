using System.Text;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// Byte and text mutations shared by the kinds: bit and byte flips, truncation, chunk duplication and deletion,
/// splicing two seeds, and insertion or substitution of extreme tokens (1e400, NaN, -0, huge integers, 10 KB lines,
/// deep nesting, NUL bytes, invalid UTF-8). Every choice comes from the case's own <see cref="Random"/>.
/// </summary>
public static class Mutator
{
    /// <summary>Values that break number, time and text parsing, as UTF-8 bytes.</summary>
    public static readonly byte[][] ExtremeTokens =
    [
        .. new[]
        {
            "1e400", "-1e400", "1e-400", "1e308", "-1e308", "1.7976931348623157e308", "4.9e-324", "NaN", "nan", "-NaN", "Infinity", "-Infinity",
            "inf", "-inf", "\u221E", "-0", "-0.0", "+0", "0", "0.0", "00000000000000000001", "1e99999999999999999999", "-1e-99999999999999999999",
            "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "340282366920938463463374607431768211456", new string('9', 400), "0." + new string('0', 1000) + "1",
            "0x7fffffff", "1_000", "1,5", "1.5.5", "--1", "+-1", "1e", ".", "-", "", " ", "\t", "\"", "\"\"", "'", ",", ",,,,,,,,", ";",
            "\r", "\n", "\r\n", "\n\n\n", "\0", "\0\0\0\0", "\\", "\\u0000", "\\ud800", "\\x", "%s%n", "{", "}", "[", "]", ":", "- ", "? ",
            "&a", "*a", "!!binary", "!!int", "---", "...", "#", "null", "true", "~", "\uFEFF", "\u2028", "\u00e9\u00e8", "\U0001F600",
            "9999-12-31T23:59:59.9999999", "0001-01-01T00:00:00", "2024/13/45 25:61:61.000", "2024-02-30T00:00:00", "24:00:00",
            "1999-12-31T23:59:59+99:00", "W", " W", "[N/A]", "[Not Supported]", "[Unknown Error]", "%", " %", "MiB", "GPU-",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF],
        [0xC3, 0x28],
        [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80],
        [0xC0, 0x80],
        [0xE2, 0x82],
        [0xFF, 0xFE],
        [0xFE, 0xFF],
        [0x1F, 0x8B],
        [0xEF, 0xBB, 0xBF],
    ];

    /// <summary>Bytes that separate fields in the text formats: a field is what lies between two of them.</summary>
    private static readonly byte[] Separators = ",;:=\n\r\t \"'[]{}()"u8.ToArray();

    /// <summary>Applies 1 to 3 random mutations to <paramref name="seed"/> (one of them from <paramref name="extra"/> when given).</summary>
    public static byte[] Mutate(byte[] seed, Random rng, out string how, IReadOnlyList<byte[]>? otherSeeds = null, IReadOnlyList<byte[]>? extraTokens = null)
    {
        byte[] data = seed;
        int count = rng.Next(1, 4);
        var steps = new List<string>(count);
        for (int k = 0; k < count; k++)
        {
            data = MutateOnce(data, rng, out string step, otherSeeds, extraTokens);
            steps.Add(step);
        }

        how = string.Join(" + ", steps);
        return data;
    }

    public static byte[] MutateOnce(byte[] data, Random rng, out string how, IReadOnlyList<byte[]>? otherSeeds = null, IReadOnlyList<byte[]>? extraTokens = null)
    {
        if (data.Length == 0)
        {
            var token = Token(rng, extraTokens);
            how = "insert into empty";
            return token;
        }

        switch (rng.Next(13))
        {
            case 0:
                {
                    how = "flip bits";
                    var copy = (byte[])data.Clone();
                    for (int n = rng.Next(1, 9); n > 0; n--)
                    {
                        copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
                    }

                    return copy;
                }

            case 1:
                {
                    how = "random bytes";
                    var copy = (byte[])data.Clone();
                    for (int n = rng.Next(1, 9); n > 0; n--)
                    {
                        copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
                    }

                    return copy;
                }

            case 2:
                how = "truncate";
                return data[..rng.Next(data.Length)];
            case 3:
                {
                    int p = rng.Next(data.Length), n = rng.Next(1, Math.Min(512, data.Length - p) + 1);
                    int times = rng.Next(4) == 0 ? rng.Next(2, 200) : 1;
                    how = $"duplicate {n} bytes x{times}";
                    var chunk = data[p..(p + n)];
                    var result = new List<byte>(data.Length + (n * times));
                    result.AddRange(data.AsSpan(0, p + n));
                    for (int t = 0; t < times; t++)
                    {
                        result.AddRange(chunk);
                    }

                    result.AddRange(data.AsSpan(p + n));
                    return [.. result];
                }

            case 4:
                {
                    int p = rng.Next(data.Length), n = rng.Next(1, Math.Min(256, data.Length - p) + 1);
                    how = $"delete {n} bytes";
                    return [.. data[..p], .. data[(p + n)..]];
                }

            case 5:
            case 6:
                {
                    var token = Token(rng, extraTokens);
                    int p = rng.Next(data.Length + 1);
                    how = $"insert {Describe(token)}";
                    return [.. data[..p], .. token, .. data[p..]];
                }

            case 7:
            case 8:
            case 9:
                {
                    var token = Token(rng, extraTokens);
                    var (start, end) = Field(data, rng);
                    how = $"field {Describe(data[start..end])} -> {Describe(token)}";
                    return [.. data[..start], .. token, .. data[end..]];
                }

            case 10:
                {
                    int n = rng.Next(3) switch { 0 => 10 * 1024, 1 => rng.Next(1, 4096), _ => 100 * 1024 };
                    byte fill = "A9,\" \0"u8[rng.Next(6)];
                    int p = rng.Next(data.Length + 1);
                    how = $"insert a {n}-byte run of 0x{fill:x2}";
                    return [.. data[..p], .. Enumerable.Repeat(fill, n), .. data[p..]];
                }

            case 11:
                {
                    int depth = rng.Next(2) == 0 ? rng.Next(10, 200) : rng.Next(1_000, 20_000);
                    string open = rng.Next(4) switch { 0 => "[", 1 => "{\"a\":", 2 => "- ", _ => "{a: " };
                    int p = rng.Next(data.Length + 1);
                    how = $"insert {depth} x {open.Trim()}";
                    return [.. data[..p], .. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth))), .. data[p..]];
                }

            default:
                {
                    if (otherSeeds is not { Count: > 0 })
                    {
                        how = "swap two bytes";
                        var copy = (byte[])data.Clone();
                        int a = rng.Next(copy.Length), b = rng.Next(copy.Length);
                        (copy[a], copy[b]) = (copy[b], copy[a]);
                        return copy;
                    }

                    var other = otherSeeds[rng.Next(otherSeeds.Count)];
                    int cut = rng.Next(data.Length + 1), from = rng.Next(other.Length + 1);
                    how = "splice with another seed";
                    return [.. data[..cut], .. other[from..]];
                }
        }
    }

    /// <summary>Replaces the lines of <paramref name="data"/> in one of several ways (line-based formats).</summary>
    public static byte[] MutateLines(byte[] data, Random rng, out string how)
    {
        var lines = Encoding.UTF8.GetString(data).Split('\n').ToList();
        if (lines.Count < 2)
        {
            how = "lines: too few";
            return data;
        }

        int i = rng.Next(1, lines.Count), j = rng.Next(1, lines.Count);
        switch (rng.Next(5))
        {
            case 0:
                how = $"lines: swap {i + 1} and {j + 1}";
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
            case 1:
                how = $"lines: delete {i + 1}";
                lines.RemoveAt(i);
                break;
            case 2:
                {
                    int times = rng.Next(2, 2_000);
                    how = $"lines: repeat {i + 1} x{times}";
                    lines.InsertRange(i, Enumerable.Repeat(lines[i], times));
                    break;
                }

            case 3:
                how = $"lines: header repeated at {i + 1}";
                lines.Insert(i, lines[0]);
                break;
            default:
                how = "lines: reversed data";
                lines.Reverse(1, lines.Count - 1);
                break;
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    public static byte[] Token(Random rng, IReadOnlyList<byte[]>? extraTokens = null)
        => extraTokens is { Count: > 0 } && rng.Next(3) == 0 ? extraTokens[rng.Next(extraTokens.Count)] : ExtremeTokens[rng.Next(ExtremeTokens.Length)];

    /// <summary>The bounds of a random field: a run of bytes between two separators.</summary>
    private static (int Start, int End) Field(byte[] data, Random rng)
    {
        int p = rng.Next(data.Length);
        int start = p, end = p;
        while (start > 0 && Array.IndexOf(Separators, data[start - 1]) < 0)
        {
            start--;
        }

        while (end < data.Length && Array.IndexOf(Separators, data[end]) < 0)
        {
            end++;
        }

        return (start, end);
    }

    private static string Describe(byte[] token)
    {
        string text = Encoding.UTF8.GetString(token.Length > 24 ? token[..24] : token);
        var b = new StringBuilder("'");
        foreach (char c in text)
        {
            b.Append(c < ' ' || c == '\uFFFD' || char.IsSurrogate(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return b.Append(token.Length > 24 ? $"...' ({token.Length} bytes)" : "'").ToString();
    }
}
