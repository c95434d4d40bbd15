using System.Globalization;

namespace TrainWatt.Analysis.Data;

/// <summary>What an analysis compares: energy per sample (J), energy (J), duration (s), or a named quality score.</summary>
public enum MetricKind
{
    EnergyPerSample,
    Energy,
    Duration,
    Score,
}

/// <summary>
/// A metric selected on the command line: <c>energy-per-sample</c>, <c>energy</c>, <c>duration</c>, or any score
/// name reported by the runs (<c>f1</c>, <c>accuracy</c>...). <see cref="Unit"/> is the unit of its values.
/// </summary>
public sealed record Metric(string Name, MetricKind Kind, string Unit)
{
    public static Metric EnergyPerSample { get; } = new("energy-per-sample", MetricKind.EnergyPerSample, "J/sample");

    public static Metric Energy { get; } = new("energy", MetricKind.Energy, "J");

    public static Metric Duration { get; } = new("duration", MetricKind.Duration, "s");

    /// <summary>True when smaller values are better (energies, durations); false for scores.</summary>
    public bool LowerIsBetter => Kind != MetricKind.Score;

    public static Metric Parse(string text)
    {
        string name = text.Trim().ToLowerInvariant();
        return name switch
        {
            "energy-per-sample" or "energy_per_sample" or "energy-per-image" => EnergyPerSample,
            "energy" => Energy,
            "duration" => Duration,
            "" => throw new FormatException("--metric is empty; use energy-per-sample, energy, duration or a score name such as f1."),
            _ => new Metric(name, MetricKind.Score, "1"),
        };
    }

    /// <summary>The value of this metric for a run, or null when the run does not have it.</summary>
    public double? ValueOf(Observation run) => Kind switch
    {
        MetricKind.EnergyPerSample => run.EnergyPerSampleJoules,
        MetricKind.Energy => run.Energy?.Joules,
        MetricKind.Duration => run.Duration?.TotalSeconds,
        _ => run.Scores.TryGetValue(Name, out double v) ? v : null,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} [{Unit}]");
}
