using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Meters.Tests.Sampling;

public class MeasurementSummaryTests
{
    [Fact]
    public void Should_Subtract_The_Idle_Baseline_Only_Over_The_Time_A_Channel_s_Energy_Covers()
    {
        // Given: a 32 s run; gpu:0 sampled 720 J with a 20 s gap left out (so its energy covers 12 s), gpu:1 a counter
        // of 3200 J covering all 32 s; both with a 50 W idle baseline
        var gpu0 = new MeterChannel("gpu:0", "gpu", "A", Provenance.Sampled);
        var gpu1 = new MeterChannel("gpu:1", "gpu", "B", Provenance.Counter);
        var summary = new MeasurementSummary(
            0,
            TimeSpan.FromSeconds(32),
            [
                new ChannelTotal(gpu0, Energy.FromJoules(720), true, Power.FromWatts(50)) { ExcludedDuration = TimeSpan.FromSeconds(20) },
                new ChannelTotal(gpu1, Energy.FromJoules(3200), true, Power.FromWatts(50)),
            ],
            [],
            new Dictionary<string, double>(),
            null,
            []);

        // Then: hand: gross 720 + 3200 = 3920 J; net = (720 − 50 × (32 − 20)) + (3200 − 50 × 32) = 120 + 1600 = 1720 J
        Assert.Equal(3920.0, summary.Energy.Joules, 9);
        Assert.Equal(1720.0, summary.NetEnergy!.Value.Joules, 9);
    }
}
