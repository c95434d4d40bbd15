using System.Numerics;

namespace TrainWatt.Core.Traces;

/// <summary>
/// Parses nvidia-smi time stamps without allocation or regex: <c>2023/03/02 09:00:30.840</c> (nvidia-smi's own),
/// <c>2022-12-05 09:55:42.535</c> (the SEAA 2023 renamed files) and the ISO form with 'T'. Zero to seven fraction
/// digits (more are cut at 100 ns). The result has <see cref="DateTimeKind.Unspecified"/>: the files carry no zone.
/// Works on UTF-16 chars or UTF-8 bytes.
/// </summary>
internal static class NvidiaSmiTimestamp
{
    public static bool TryParse<T>(ReadOnlySpan<T> s, out DateTime value)
        where T : unmanaged
    {
        var cache = default(DateCache);
        return TryParse(s, ref cache, out value);
    }

    /// <summary>As <see cref="TryParse{T}(ReadOnlySpan{T}, out DateTime)"/>, reusing the validated date of the previous line (1 Hz traces change date once a day).</summary>
    public static bool TryParse<T>(ReadOnlySpan<T> s, ref DateCache cache, out DateTime value)
        where T : unmanaged
    {
        value = default;
        if (s.Length < 19)
        {
            return false;
        }

        uint dateSep = Ascii.Code(s[4]);
        if ((dateSep != '/' && dateSep != '-') || Ascii.Code(s[7]) != dateSep
            || (Ascii.Code(s[10]) is not (' ' or 'T')) || Ascii.Code(s[13]) != ':' || Ascii.Code(s[16]) != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int dateKey = (year * 10_000) + (month * 100) + day;
        if (dateKey != cache.Key)
        {
            if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            cache = new DateCache(dateKey, new DateTime(year, month, day).Ticks);
        }

        long fractionTicks = 0;
        if (s.Length > 19)
        {
            if (Ascii.Code(s[19]) != '.' || s.Length == 20)
            {
                return false;
            }

            long scale = TimeSpan.TicksPerSecond;
            for (int i = 20; i < s.Length; i++)
            {
                uint d = Ascii.Code(s[i]) - '0';
                if (d > 9)
                {
                    return false;
                }

                scale /= 10;
                fractionTicks += d * scale;
            }
        }

        long ticks = cache.Ticks + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fractionTicks;
        value = new DateTime(ticks, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>The last date seen (yyyymmdd) and its midnight in ticks; Key 0 means empty.</summary>
    internal readonly record struct DateCache(int Key, long Ticks);

    private static bool Digits<T>(ReadOnlySpan<T> s, int start, int count, out int value)
        where T : unmanaged
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            uint d = Ascii.Code(s[i]) - '0';
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}
