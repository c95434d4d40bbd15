using TrainWatt.Core.Units;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// A GPU's energy counter checked against its sampled power: the same rule in the measure summary, <c>runs show</c> and
/// the stored run. Counter and polled power are expected to differ a little (the power value is a 1 s average on Ampere
/// except GA100 and newer, and on A100/H100 the sensor sees only part of each period: Yang et al., SC24); a difference
/// over <see cref="Threshold"/> is flagged.
/// </summary>
public static class CounterCheck
{
    /// <summary>Relative difference above which the two disagree: 5 %.</summary>
    public const double Threshold = 0.05;

    /// <summary>(sampled − counter) / counter; null when the counter energy is not positive.</summary>
    public static double? RelativeDifference(Energy counter, Energy sampled)
        => counter.Joules > 0 ? (sampled.Joules - counter.Joules) / counter.Joules : null;

    /// <summary>True when |sampled − counter| / counter exceeds <see cref="Threshold"/>.</summary>
    public static bool Disagrees(Energy counter, Energy sampled)
        => RelativeDifference(counter, sampled) is double d && Math.Abs(d) > Threshold;
}
