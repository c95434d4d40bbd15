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
}
