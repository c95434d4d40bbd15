using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>Builds a <see cref="DeviceTrace"/> from (seconds, watts) pairs; null watts is an [N/A] reading.</summary>
internal static class TraceBuilder
{
    public static readonly DateTime Start = new(2024, 1, 1, 12, 0, 0);

    public static DeviceTrace Trace(params (double Seconds, double? Watts)[] points)
        => new("test.csv", "0", "Test GPU", points
            .Select((p, i) => new GpuSample(
                Start.AddTicks((long)Math.Round(p.Seconds * TimeSpan.TicksPerSecond)),
                p.Watts is { } w ? Power.FromWatts(w) : null,
                null, null, null, null, i + 2))
            .ToList());
}
