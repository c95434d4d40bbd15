namespace TrainWatt.Core.Traces;

/// <summary>How the text of a <c>power.draw</c> field becomes a <see cref="Units.Power"/>.</summary>
public enum PowerParsing
{
    /// <summary>The full decimal value as written ("156.98 W" is 156.98 W). The default.</summary>
    AsWritten,

    /// <summary>
    /// Only the integer part of the written value ("156.98 W" is 156 W), taken from the text, not by rounding a
    /// double. Reproduces the SEAA 2023 authors' parsing bug for paper parity; never use it for new measurements.
    /// </summary>
    IntegerPart,
}

/// <summary>Options for reading a GPU power trace. <see cref="Default"/> suits real measurements.</summary>
public sealed record TraceReadOptions
{
    /// <summary>The defaults: power as written, at most 100 faults listed one by one per file.</summary>
    public static TraceReadOptions Default { get; } = new();

    /// <summary>How power text becomes watts. Default <see cref="Traces.PowerParsing.AsWritten"/>.</summary>
    public PowerParsing PowerParsing { get; init; } = PowerParsing.AsWritten;

    /// <summary>
    /// The most faults listed one by one for a file; beyond it one summary fault counts the rest (a file of pure
    /// garbage must not produce a million-entry list). Must be at least 1. Default 100.
    /// </summary>
    public int MaxListedFaults
    {
        get => _maxListedFaults;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxListedFaults));
            _maxListedFaults = value;
        }
    }

    private readonly int _maxListedFaults = 100;
}
