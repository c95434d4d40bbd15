using System.Globalization;

namespace TrainWatt.Core.Units;

/// <summary>Parses short durations given on the command line: "5s", "1500ms", "2m", "1h", "0.5s"; a bare number is seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        (string suffix, double seconds)[] units = [("ms", 1e-3), ("min", 60), ("s", 1), ("m", 60), ("h", 3600)];
        double scale = 1;
        foreach (var (suffix, seconds) in units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[..^suffix.Length].TrimEnd();
                scale = seconds;
                break;
            }
        }

        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
        {
            return false;
        }

        double total = number * scale;
        if (total > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }
}
