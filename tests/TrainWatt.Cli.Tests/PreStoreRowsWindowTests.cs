using TrainWatt.Cli.Commands;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;

namespace TrainWatt.Cli.Tests;

/// <summary>The epoch window of GPU samples used for PRE's GPU-only epoch energy.</summary>
public sealed class PreStoreRowsWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static SampleRecord Sample(double seconds, double watts, double? counterJ)
        => new(1, T0.AddSeconds(seconds), Power.FromWatts(watts), counterJ is { } c ? Core.Units.Energy.FromJoules(c) : null, null, null, null, counterJ is null ? Provenance.Sampled : Provenance.Counter);

    [Fact]
    public void Window_Interpolates_Power_And_Counter_At_Both_Edges()
    {
        // Given: samples at 0, 1, 2, 3 s; power ramps 100 → 400 W; counter 0, 250, 550, 900 J (hand: trapezoids)
        var samples = new[] { Sample(0, 100, 0), Sample(1, 200, 150), Sample(2, 300, 400), Sample(3, 400, 750) };

        // When: the window [0.5 s, 2.25 s]
        var w = PreStoreRows.Window(samples, T0.AddSeconds(0.5), T0.AddSeconds(2.25));

        // Then (hand): edges at 0.5 s (150 W, 75 J) and 2.25 s (325 W, 487.5 J), the two samples between kept
        Assert.Equal([0.5, 1, 2, 2.25], w.Select(s => (s.Timestamp - T0).TotalSeconds));
        Assert.Equal([150, 200, 300, 325], w.Select(s => s.Power!.Value.Watts));
        Assert.Equal(75, w[0].CumulativeEnergy!.Value.Joules, 1e-9);
        Assert.Equal(487.5, w[^1].CumulativeEnergy!.Value.Joules, 1e-9);
    }

    [Fact]
    public void Window_Between_Two_Samples_Has_Just_The_Two_Edges()
    {
        var samples = new[] { Sample(0, 100, null), Sample(1, 200, null) };
        var w = PreStoreRows.Window(samples, T0.AddSeconds(0.25), T0.AddSeconds(0.75));
        // Hand: linear power 100 + 100 t → 125 W and 175 W.
        Assert.Equal([125, 175], w.Select(s => s.Power!.Value.Watts));
        Assert.All(w, s => Assert.Null(s.CumulativeEnergy));
    }

    [Fact]
    public void Window_Starting_Before_The_First_Sample_Starts_At_It()
    {
        var samples = new[] { Sample(1, 100, null), Sample(2, 200, null), Sample(3, 300, null) };
        var w = PreStoreRows.Window(samples, T0, T0.AddSeconds(2));
        Assert.Equal([1, 2], w.Select(s => (s.Timestamp - T0).TotalSeconds));
    }
}
