using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;

namespace TrainWatt.Samples.MeasureFromCode;

/// <summary>
/// A meter of the sample's own: one GPU-like channel that always reads the same power. Its provenance is
/// <see cref="Provenance.Sampled"/>, so the sampler integrates its power samples with the trapezoid rule, exactly as it
/// does for a real GPU read through NVML power or nvidia-smi. A real meter would read hardware in <see cref="Read"/>.
/// </summary>
internal sealed class ConstantMeter(Power power) : IMeter
{
    public string Name => "constant";

    public IReadOnlyList<MeterChannel> Channels { get; } =
        [new MeterChannel("gpu:0", "gpu", "Constant 50 W GPU (sample)", Provenance.Sampled, Note: "MeasureFromCode's fake meter")];

    // The sampler times each reading itself (midpoint of the Read call), so Timestamp and Elapsed are not used.
    public MeterReading Read() => new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, [new ChannelReading("gpu:0", power, null)]);

    public void Dispose()
    {
    }
}
