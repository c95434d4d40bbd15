namespace TrainWatt.Core.Traces;

/// <summary>
/// Parses nvidia-smi time stamps without allocation or regex: <c>2023/03/02 09:00:30.840</c> (nvidia-smi's own),
/// <c>2022-12-05 09:55:42.535</c> (the SEAA 2023 renamed files) and the ISO form with 'T'. Zero to seven fraction
/// digits (more are cut at 100 ns). The result has <see cref="DateTimeKind.Unspecified"/>: the files carry no zone.
/// </summary>
internal static class NvidiaSmiTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        if (s.Length < 19)
        {
            return false;
        }

        char dateSep = s[4];
        if ((dateSep != '/' && dateSep != '-') || s[7] != dateSep || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fractionTicks = 0;
        if (s.Length > 19)
        {
            if (s[19] != '.' || s.Length == 20)
            {
                return false;
            }

            long scale = TimeSpan.TicksPerSecond;
            for (int i = 20; i < s.Length; i++)
            {
                int d = s[i] - '0';
                if ((uint)d > 9)
                {
                    return false;
                }

                scale /= 10;
                fractionTicks += d * scale;
            }
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
