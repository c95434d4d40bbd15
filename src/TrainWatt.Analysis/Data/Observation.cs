using TrainWatt.Core.Units;

namespace TrainWatt.Analysis.Data;

/// <summary>
/// One training run as the analyses see it: its configuration keys (e.g. architecture, environment), its energy,
/// duration and number of samples seen, and its quality scores (f1, accuracy...). A predicted point (from a model
/// rather than a measurement) is marked by <see cref="Predicted"/>.
/// </summary>
public sealed record Observation(
    string Id,
    IReadOnlyDictionary<string, string> Keys,
    Energy? Energy,
    TimeSpan? Duration,
    long? SamplesSeen,
    IReadOnlyDictionary<string, double> Scores,
    bool Predicted = false)
{
    /// <summary>Energy per sample seen in joules, when both energy and a positive sample count are known.</summary>
    public double? EnergyPerSampleJoules =>
        Energy is { } e && SamplesSeen is > 0 ? e.Joules / SamplesSeen.Value : null;
}
