using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>The live API <c>trainwatt measure</c> calls after each epoch, and the projection history it keeps.</summary>
public class LiveProjectorTests
{
    private sealed class StepClock(DateTimeOffset start) : TimeProvider
    {
        public int Calls { get; private set; }

        public override DateTimeOffset GetUtcNow() => start.AddMinutes(Calls++);
    }

    private static EpochObservation Observe(EpochMeasurement e, int? total = null)
        => new(EpochNumbering.ToNumber(e.Index), e.End, e.Duration, e.Energy, TotalEpochs: total);

    [Fact]
    public void Should_Say_Not_Yet_Stable_Until_Five_Epochs_Follow_The_Change_Then_Record_Each_Projection()
    {
        // Head training 0-9 (700 J), fine-tuning from 10 (1000 J); N = 40 given. Epochs 10-13 finished: not stable
        // (fewer than 5 after the change); from epoch 14 on, one projection per epoch, each stored in the history.
        var clock = new StepClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var live = new LiveProjector(new LiveProjectorOptions(TotalEpochs: 40), clock);
        var epochs = Shapes.StepChangeAtEpoch(10, 20);
        for (int i = 0; i < 14; i++)
        {
            var r = live.OnEpochEnd(Observe(epochs[i]));
            if (i >= 10)
            {
                Assert.False(r.HasEstimate, $"epoch {i}: {r.Estimate}");
                Assert.StartsWith("not yet stable", r.Reason, StringComparison.Ordinal);
            }
        }

        for (int i = 14; i < 20; i++)
        {
            var r = live.OnEpochEnd(Observe(epochs[i]));
            Assert.True(r.HasEstimate, r.Reason);
            Assert.Equal(10, r.Stability.StableFromIndex);
            Assert.Equal(11, r.Stability.StableFromNumber);
        }

        // History: index 9 (head training looked stable: 10 epochs seen, no change yet), then indices 14-19; indices 10-13
        // gave no number. Records carry the run's 1-based epoch numbers (index + 1) and the injected clock's time, one
        // minute per call.
        Assert.Equal([10, 15, 16, 17, 18, 19, 20], live.History.Select(h => h.Epoch));
        Assert.Equal(11, live.History[^1].StableFromEpoch);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), live.History[0].Time);
        var fromFineTuning = live.History.Skip(1).ToArray();
        Assert.All(fromFineTuning, h => Assert.True(h.Lower <= h.Projected && h.Projected <= h.Upper));
        Assert.All(fromFineTuning, h => Assert.Equal("step", h.Method));
        // Truth ≈ 10 × 700 + 30 × 1000 = 37000 J; the last projection is within 1 %.
        Assert.InRange(fromFineTuning[^1].Projected.Joules, 36630, 37370);
        Assert.Equal(40, fromFineTuning[^1].TotalEpochsAssumed);
    }

    [Fact]
    public void Should_Take_The_Runs_1_Based_Numbers_And_Keep_0_Based_Indices_Inside()
    {
        // Issue 12: what crosses layers is the run's number (1, 2, ...); the epoch list is indexed from 0.
        var live = new LiveProjector();
        var epochs = Shapes.SteadyState(3);
        Assert.Equal(1, live.ExpectedNumber);
        var error = Assert.Throws<ArgumentException>(() => live.OnEpochEnd(new EpochObservation(0, epochs[0].End, epochs[0].Duration, epochs[0].Energy)));
        Assert.StartsWith("Epoch 0 was reported where epoch 1 was expected", error.Message, StringComparison.Ordinal);

        live.OnEpochEnd(new EpochObservation(1, epochs[0].End, epochs[0].Duration, epochs[0].Energy));
        live.OnEpochEnd(new EpochObservation(2, epochs[1].End, epochs[1].Duration, epochs[1].Energy));

        Assert.Equal(3, live.ExpectedNumber);
        Assert.Equal([0, 1], live.Epochs.Select(e => e.Index));
        Assert.Equal((1, 0), (EpochNumbering.ToNumber(0), EpochNumbering.ToIndex(1)));
    }

    [Fact]
    public void Should_Use_The_Announced_Total_And_Reject_Epochs_Out_Of_Order()
    {
        var live = new LiveProjector();
        var epochs = Shapes.SteadyState(10);
        ProjectionResult last = null!;
        foreach (var e in epochs)
        {
            last = live.OnEpochEnd(Observe(e, total: 30)); // Keras "Epoch k/30" without early stopping
        }

        Assert.Equal(30, last.Horizon!.Min);
        Assert.True(last.HasEstimate);
        Assert.Throws<ArgumentException>(() => live.OnEpochEnd(Observe(epochs[2])));
    }

    [Fact]
    public void Should_Give_The_Reason_When_N_Is_Unknown()
    {
        var live = new LiveProjector();
        ProjectionResult last = null!;
        foreach (var e in Shapes.SteadyState(10))
        {
            last = live.OnEpochEnd(Observe(e));
        }

        Assert.True(last.Stability.IsStable);
        Assert.Null(last.Estimate);
        Assert.Contains("--total-epochs", last.Reason, StringComparison.Ordinal);
        Assert.Empty(live.History);
    }

    [Fact]
    public void Live_Line_Should_Show_The_Interval_Or_The_Reason_In_Invariant_Culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var live = new LiveProjector(new LiveProjectorOptions(TotalEpochs: 40));
            var epochs = Shapes.StepChangeAtEpoch(10, 15);
            ProjectionResult r = null!;
            for (int i = 0; i < 12; i++)
            {
                r = live.OnEpochEnd(Observe(epochs[i]));
            }

            Assert.StartsWith("epoch 11: no projection: not yet stable: the epoch energy changed at epoch 10", r.ToLiveLine(), StringComparison.Ordinal);
            for (int i = 12; i < 15; i++)
            {
                r = live.OnEpochEnd(Observe(epochs[i]));
            }

            // 37000 J expected (10 × 700 + 30 × 1000): shown in kJ with a decimal point, never a comma.
            Assert.Matches(@"^epoch 14: projected 3\d\.\d\d kJ \(90 % interval 3\d\.\d\d kJ to 3\d\.\d\d kJ\), stable from epoch 10, N 40$", r.ToLiveLine());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
