using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Meters.Tests.Sampling;

/// <summary>A counter channel's sampled power integrated beside its counter (issue 16), and channel errors marked in the notes.</summary>
public sealed class CounterCheckSamplerTests
{
    private static readonly SamplerOptions TenHertz = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Should_Keep_The_Sampled_Energy_Of_A_Counter_Channel_Beside_The_Counter()
    {
        // Given: a counter that counts 100 W while the power reads 150 W (a sensor that disagrees), and a sampled channel
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var meter = new FakeMeter(time,
            new FakeChannel("gpu:0", Provenance.Counter, _ => 150, t => 100 * t),
            new FakeChannel("gpu:1", Provenance.Sampled, _ => 60));
        var sampler = new EnergySampler([meter], time, TenHertz);

        // When: 3 s at 10 Hz
        sampler.Start(runLoop: false);
        for (int k = 0; k < 30; k++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            sampler.SampleNow();
        }

        var result = await sampler.StopAsync();

        // Then (hand): counter 100 W × 3 s = 300 J; sampled 150 W × 3 s = 450 J, +50 %, over the 5 % threshold;
        // a sampled channel has no second figure
        Assert.Equal(300.0, result.Channels[0].Energy.Joules, 9);
        Assert.Equal(450.0, result.Channels[0].SampledEnergy!.Value.Joules, 9);
        Assert.Equal(0.5, CounterCheck.RelativeDifference(result.Channels[0].Energy, result.Channels[0].SampledEnergy!.Value)!.Value, 12);
        Assert.True(CounterCheck.Disagrees(result.Channels[0].Energy, result.Channels[0].SampledEnergy!.Value));
        Assert.Null(result.Channels[1].SampledEnergy);
        Assert.Equal(TimeSpan.Zero, result.Channels[0].ExcludedDuration);
    }

    [Fact]
    public async Task Should_Note_The_First_Failure_Of_A_Channel_Once()
    {
        // Given: gpu:0 gives no value on reads 5 to 9
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var meter = new FakeMeter(time, new FakeChannel("gpu:0", Provenance.Sampled, _ => 60) { MissingReads = new HashSet<int>([5, 6, 7, 8, 9]) });
        var sampler = new EnergySampler([meter], time, TenHertz);

        sampler.Start(runLoop: false);
        for (int k = 0; k < 20; k++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            sampler.SampleNow();
        }

        var result = await sampler.StopAsync();

        // Then: one note naming the channel and its error; the energy bridges the missing readings (60 W × 2 s)
        var note = Assert.Single(result.Notes);
        Assert.StartsWith("gpu:0: scripted gap (first at ", note, StringComparison.Ordinal);
        Assert.Equal(120.0, result.Channels[0].Energy.Joules, 9);
    }

    [Theory]
    [InlineData(100.0, 105.0, false)] // exactly 5 %: not over the threshold
    [InlineData(100.0, 105.1, true)]
    [InlineData(100.0, 94.0, true)]
    [InlineData(0.0, 10.0, false)] // no counter energy: no ratio
    public void Should_Flag_Only_A_Difference_Over_Five_Percent(double counter, double sampled, bool disagrees)
        => Assert.Equal(disagrees, CounterCheck.Disagrees(Energy.FromJoules(counter), Energy.FromJoules(sampled)));
}
