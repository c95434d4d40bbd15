namespace TrainWatt.Meters;

/// <summary>
/// A meter cannot be opened on this machine. <see cref="Exception.Message"/> is the reason (naming the device, file or
/// library), <see cref="Fix"/> the exact action that makes it work. Convert to a <see cref="MeterProbe"/> with <see cref="ToProbe"/>.
/// </summary>
public sealed class MeterUnavailableException : Exception
{
    public MeterUnavailableException(string meter, string reason, string? fix, Exception? inner = null)
        : base(reason, inner)
    {
        Meter = meter;
        Fix = fix;
    }

    /// <summary>Technology name ("nvml", "rapl"...).</summary>
    public string Meter { get; }

    /// <summary>What to do about it, or null when nothing can be done.</summary>
    public string? Fix { get; }

    /// <summary>The probe result <c>doctor</c> shows for this failure.</summary>
    public MeterProbe ToProbe(IReadOnlyList<string>? found = null) => new(Meter, false, found ?? [], Message, Fix);
}
