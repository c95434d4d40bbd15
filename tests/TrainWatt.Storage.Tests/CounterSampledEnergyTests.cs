using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage.Tests;

/// <summary>A counter device's stored power samples integrated beside its counter energy (issue 16): what <c>runs show</c> shows.</summary>
public class CounterSampledEnergyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static SampleRecord Sample(double t, double watts, double? counterJoules, Provenance provenance)
        => new(1, T0.AddSeconds(t), Power.FromWatts(watts), counterJoules is double j ? Energy.FromJoules(j) : null, null, null, null, provenance);

    [Fact]
    public void Should_Integrate_A_Counter_Devices_Power_Beside_Its_Counter()
    {
        // Given: 100 W read at 0, 1, 2 s while the counter counts 90 J a second
        var device = new StoredDevice(1, 1, "gpu:0", "gpu", "GPU", Provenance.Counter, null, null);
        SampleRecord[] samples = [Sample(0, 100, 0, Provenance.Counter), Sample(1, 100, 90, Provenance.Counter), Sample(2, 100, 180, Provenance.Counter)];

        var energy = DeviceEnergyCalculator.Compute(device, samples, SampleGapRule.Default);

        // Then (hand): counter 180 − 0 = 180 J; trapezoids 100 W × 2 s = 200 J, +11.1 %, flagged
        Assert.Equal(180.0, energy.Energy!.Value.Joules, 9);
        Assert.Equal(Provenance.Counter, energy.Provenance);
        Assert.Equal(200.0, energy.SampledEnergy!.Value.Joules, 9);
        Assert.True(CounterCheck.Disagrees(energy.Energy.Value, energy.SampledEnergy.Value));
    }

    [Fact]
    public void Should_Give_No_Second_Figure_For_A_Sampled_Device_Or_A_Single_Power_Sample()
    {
        var sampled = new StoredDevice(1, 1, "gpu:1", "gpu", "GPU", Provenance.Sampled, null, null);
        Assert.Null(DeviceEnergyCalculator.Compute(sampled, [Sample(0, 100, null, Provenance.Sampled), Sample(1, 100, null, Provenance.Sampled)], SampleGapRule.Default).SampledEnergy);

        var counter = new StoredDevice(2, 1, "gpu:0", "gpu", "GPU", Provenance.Counter, null, null);
        Assert.Null(DeviceEnergyCalculator.Compute(counter, [Sample(0, 100, 0, Provenance.Counter)], SampleGapRule.Default).SampledEnergy);
    }
}
