namespace TrainWatt.Core.Units;

internal static class Guard
{
    /// <summary>Rejects NaN and infinities with a message that names the quantity, the unit and the value.</summary>
    public static double Finite(double value, string quantity, string unit)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(
                nameof(value),
                value,
                $"{quantity} must be a finite number of {unit}; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    public static double PositiveSeconds(TimeSpan duration, string operation)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(duration),
                duration,
                $"{operation} needs a positive duration; got {duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s.");
        }

        return duration.TotalSeconds;
    }
}
