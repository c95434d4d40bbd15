using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>How a total is projected from the epochs seen so far.</summary>
public enum ProjectionMethod
{
    /// <summary>Stable Training Epoch Projection, epoch-energy variant: measured energy + mean stable epoch energy × remaining epochs.</summary>
    Step,

    /// <summary>STEP, power variant: measured energy + mean stable sample power × projected remaining duration.</summary>
    StepPower,

    /// <summary>Carbontracker's rule: mean energy of the first k epochs × N.</summary>
    Carbontracker,
}

/// <summary>
/// A projected total energy with its interval, or the reason there is none. Never a bare number: when
/// <see cref="Estimate"/> is set, <see cref="Lower"/> and <see cref="Upper"/> are too.
/// </summary>
/// <param name="Method">The projection method.</param>
/// <param name="Parity">"seaa2023" when the paper's formulas were reproduced exactly; null for TrainWatt's own.</param>
/// <param name="Stability">The detector's answer (stable window or reason).</param>
/// <param name="EpochsUsed">Epochs whose data the projection used (0..EpochsUsed−1).</param>
/// <param name="Estimate">Projected total energy of the run (J), null when not stable or N unknown.</param>
/// <param name="Lower">Lower bound of the interval at <see cref="Confidence"/>.</param>
/// <param name="Upper">Upper bound of the interval at <see cref="Confidence"/>.</param>
/// <param name="Confidence">Two-sided confidence of the interval (e.g. 0.9).</param>
/// <param name="Measured">Energy of the epochs used, measured (J).</param>
/// <param name="Horizon">The total epoch count assumed (exact or a range), null when unknown.</param>
/// <param name="Reason">Why <see cref="Estimate"/> is null, or a caveat on the interval.</param>
public sealed record ProjectionResult(
    ProjectionMethod Method,
    string? Parity,
    StabilityResult Stability,
    int EpochsUsed,
    Energy? Estimate,
    Energy? Lower,
    Energy? Upper,
    double Confidence,
    Energy Measured,
    EpochHorizon? Horizon,
    string? Reason)
{
    public bool HasEstimate => Estimate is not null;

    /// <summary>Measured start-up energy (before the first epoch) included in <see cref="Estimate"/>; zero when none.</summary>
    public Energy StartupEnergy { get; init; }

    /// <summary>The tail prior's mean energy (after the last epoch) included in <see cref="Estimate"/>; zero when none.</summary>
    public Energy TailEnergy { get; init; }

    /// <summary>The slow-drift prior the interval used; null when none.</summary>
    public DriftPrior? Drift { get; init; }

    /// <summary>The tail prior the projection used; null when it ends at the last epoch.</summary>
    public TailPrior? Tail { get; init; }

    /// <summary>
    /// One invariant line after each epoch, numbered with the projector's 0-based indices (epoch = the last index used,
    /// stable from = <see cref="StabilityResult.StableFromIndex"/>), e.g.
    /// <c>epoch 17: projected 1.84 MJ (90 % interval 1.80 MJ to 1.88 MJ), stable from epoch 10, N 80</c>, or
    /// <c>epoch 12: no projection: not yet stable: ...</c>. The unit is the estimate's <see cref="Units.Energy.ReadableUnit"/>,
    /// applied to all three numbers. Not what <c>trainwatt measure</c> prints: its live line (Measurement's
    /// <c>LiveProjection.Line</c>) uses the run's 1-based epoch numbers.
    /// </summary>
    public string ToLiveLine()
    {
        int lastIndex = EpochsUsed - 1;
        if (Estimate is not { } estimate)
        {
            return $"epoch {lastIndex}: no projection: {Reason}";
        }

        string unit = estimate.ReadableUnit;
        string F(Units.Energy e) => e.ToString(unit + ":F2", System.Globalization.CultureInfo.InvariantCulture);
        string n = Horizon is null ? "?" : Horizon.IsExact
            ? Horizon.Min.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"{Horizon.Min.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{Horizon.Max.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        string confidence = (Confidence * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return $"epoch {lastIndex}: projected {F(estimate)} ({confidence} % interval {F(Lower!.Value)} to {F(Upper!.Value)}), stable from epoch {Stability.StableFromIndex}, N {n}";
    }

    /// <summary>The method's name as the CLI spells it: step, step-power, carbontracker.</summary>
    public string MethodName => Method switch
    {
        ProjectionMethod.Step => "step",
        ProjectionMethod.StepPower => "step-power",
        _ => "carbontracker",
    };
}
