namespace TrainWatt.Core.Accounting;

/// <summary>How sampled power becomes energy between two consecutive samples.</summary>
public enum IntegrationMethod
{
    /// <summary>Trapezoidal rule on the real time stamps: Δt × (P₁ + P₂) / 2. The default (and numpy.trapz).</summary>
    Trapezoid,

    /// <summary>Left Riemann sum (rectangle): Δt × P₁, each reading held until the next. What a counterless meter that holds its last value implies.</summary>
    LeftRiemann,
}

/// <summary>What happens to an interval between two samples that is longer than <see cref="EnergyOptions.GapThreshold"/>.</summary>
public enum GapPolicy
{
    /// <summary>
    /// The default. The interval is not integrated; its length is reported as excluded time and a
    /// <see cref="Traces.FaultKind.Gap"/> fault names it. The energy is then a lower bound over the covered time.
    /// </summary>
    Exclude,

    /// <summary>The interval is integrated like any other (as numpy.trapz does) and still reported as a <see cref="Traces.FaultKind.Gap"/> fault.</summary>
    Bridge,
}

/// <summary>Options for <see cref="EnergyAccounting.Integrate(Traces.DeviceTrace, EnergyOptions?)"/>.</summary>
public sealed record EnergyOptions
{
    private readonly TimeSpan _gapThreshold = TimeSpan.FromSeconds(5);
    private readonly int _trimStart;
    private readonly int _trimEnd;

    /// <summary>Trapezoid, 5 s gap threshold, gaps excluded, no trimming.</summary>
    public static EnergyOptions Default { get; } = new();

    /// <summary>Integration rule. Default <see cref="IntegrationMethod.Trapezoid"/>.</summary>
    public IntegrationMethod Method { get; init; } = IntegrationMethod.Trapezoid;

    /// <summary>An interval longer than this is a gap (strictly longer). Must be positive. Default 5 s (1 Hz logging: 5 missed samples).</summary>
    public TimeSpan GapThreshold
    {
        get => _gapThreshold;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(GapThreshold));
            _gapThreshold = value;
        }
    }

    /// <summary>What to do with gaps. Default <see cref="GapPolicy.Exclude"/>.</summary>
    public GapPolicy GapPolicy { get; init; } = GapPolicy.Exclude;

    /// <summary>Samples dropped from the start of the trace (file order) before integrating. Default 0.</summary>
    public int TrimStart
    {
        get => _trimStart;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(TrimStart));
            _trimStart = value;
        }
    }

    /// <summary>Samples dropped from the end of the trace (file order) before integrating. Default 0.</summary>
    public int TrimEnd
    {
        get => _trimEnd;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(TrimEnd));
            _trimEnd = value;
        }
    }
}
