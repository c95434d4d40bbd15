using TrainWatt.Core.Units;

namespace TrainWatt.Core.Projection;

/// <summary>
/// What one finished training epoch cost: its wall-clock duration, its energy and the mean of the raw power samples
/// that fell into it. The input to stabilisation detection and projection.
/// </summary>
/// <param name="Index">0-based epoch index (position in the run's epoch list; the run's epoch number is Index + 1).</param>
/// <param name="End">Wall-clock end of the epoch, in the trace's clock (no zone).</param>
/// <param name="Duration">Epoch duration: <c>end_k − end_{k−1}</c>; for epoch 0, from the first sample.</param>
/// <param name="Energy">Energy of the epoch in joules (trapezoidal, see <see cref="EpochEnergies"/>).</param>
/// <param name="MeanSamplePower">Arithmetic mean of the power samples assigned to the epoch (not time-weighted),
/// as the paper's power variant uses; equal to <c>Energy / Duration</c> when no samples are known.</param>
/// <param name="SampleCount">Number of power samples assigned to the epoch (0 for epochs given directly).</param>
public sealed record EpochMeasurement(int Index, DateTime End, TimeSpan Duration, Energy Energy, Power MeanSamplePower, int SampleCount)
{
    /// <summary>Time-weighted mean power over the epoch, <c>Energy / Duration</c>, in watts.</summary>
    public Power MeanPower => Duration > TimeSpan.Zero ? Energy / Duration : MeanSamplePower;

    /// <summary>Builds a measurement from an energy and a duration alone (live use, tests); the sample power is E / t.</summary>
    public static EpochMeasurement FromEnergy(int index, TimeSpan duration, Energy energy, DateTime end = default)
        => new(index, end, duration, energy, duration > TimeSpan.Zero ? energy / duration : Power.Zero, 0);
}
