using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage;

/// <summary>One epoch of a run.</summary>
/// <param name="Number">1-based epoch number.</param>
/// <param name="Start">Start of the epoch.</param>
/// <param name="End">End of the epoch.</param>
/// <param name="Energy">Energy of the epoch over all devices, when known.</param>
/// <param name="Provenance">How <paramref name="Energy"/> was obtained.</param>
/// <param name="SamplesSeen">Training samples (images, sequences) processed in the epoch, when known.</param>
public sealed record EpochRecord(int Number, DateTimeOffset Start, DateTimeOffset End, Energy? Energy, Provenance Provenance, long? SamplesSeen = null);
