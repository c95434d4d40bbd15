using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>Projection formulas and intervals, hand-computed (paper-notes 2.2 for the parity cases).</summary>
public class EnergyProjectorTests
{
    /// <summary>A detector that answers a fixed window, so the projector's arithmetic is tested alone.</summary>
    private sealed class WindowDetector(int from) : IStabilityDetector
    {
        public string Name => "window";

        public StabilityResult Detect(IReadOnlyList<EpochMeasurement> epochs) => StabilityResult.Stable(from, epochs.Count, epochs.Count);
    }

    private static readonly EpochMeasurement[] WarmupThenFour = Shapes.Epochs([3000, 1000, 1100, 900, 1000]);

    [Fact]
    public void Step_Should_Add_The_Mean_Stable_Epoch_For_Each_Remaining_Epoch_With_A_T_Interval()
    {
        // Measured 7000 J over 5 epochs; window epochs 1-4: mean 1000 J, sd = sqrt((0 + 100² + 100² + 0) / 3) = 81.6497 J.
        // N = 10: R = 5 remaining; estimate 7000 + 5 × 1000 = 12000 J.
        // Scale sd × sqrt(R + R²/m) = 81.6497 × sqrt(5 + 25/4) = 273.861 J; t(0.95, 3 df) = 2.35336343480183 (scipy).
        var p = EnergyProjector.Project(WarmupThenFour, new WindowDetector(1), new ProjectionRequest(ProjectionMethod.Step, EpochHorizon.Exactly(10, "test")));
        double half = 2.35336343480183 * Math.Sqrt(20000.0 / 3) * Math.Sqrt(5 + 25.0 / 4);
        Assert.Equal(12000, p.Estimate!.Value.Joules, 1e-9);
        Assert.Equal(12000 - half, p.Lower!.Value.Joules, 1e-4); // bisection to 1e-9 relative
        Assert.Equal(12000 + half, p.Upper!.Value.Joules, 1e-4);
        Assert.Equal(7000, p.Measured.Joules);
        Assert.Equal(5, p.EpochsUsed);
        Assert.Null(p.Reason);
    }

    [Fact]
    public void Step_With_N_A_Range_Should_Average_Over_It_And_Span_It()
    {
        // No spread (4 × 1000 J): each N gives the point 7000 + 1000 (N − 5): 10000..14000 J for N = 8..12, equally
        // likely. Mean 12000 J; the 5 % and 95 % quantiles of the 5-point uniform are its ends.
        var flat = Shapes.Epochs([3000, 1000, 1000, 1000, 1000]);
        var p = EnergyProjector.Project(flat, new WindowDetector(1), new ProjectionRequest(ProjectionMethod.Step, new EpochHorizon(8, 12, "test")));
        Assert.Equal(12000, p.Estimate!.Value.Joules, 1e-9);
        Assert.Equal(10000, p.Lower!.Value.Joules, 1e-3);
        Assert.Equal(14000, p.Upper!.Value.Joules, 1e-3);
        Assert.Equal(10, p.Horizon!.Assumed);
    }

    [Fact]
    public void Step_Interval_Should_Cover_About_The_Stated_Confidence_On_Gaussian_Epochs()
    {
        // 2000 series: 8 observed epochs of N(1000, 50²) J, 40 more to come. Truth = observed + the 40 future epochs.
        // A calibrated 90 % prediction interval holds the truth 90 % of the time (binomial sd 0.7 %): accept 87.5-92.5 %.
        var r = new Random(42);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
        int covered = 0;
        for (int i = 0; i < 2000; i++)
        {
            var all = Enumerable.Range(0, 48).Select(_ => 1000 + 50 * Gauss()).ToArray();
            var p = EnergyProjector.Project(Shapes.Epochs(all.Take(8)), new WindowDetector(0), new ProjectionRequest(ProjectionMethod.Step, EpochHorizon.Exactly(48, "test")));
            double truth = all.Sum();
            covered += p.Lower!.Value.Joules <= truth && truth <= p.Upper!.Value.Joules ? 1 : 0;
        }

        Assert.InRange(covered / 2000.0, 0.875, 0.925);
    }

    [Fact]
    public void Parity_Should_Reproduce_The_Papers_Epoch_Formula()
    {
        // Epochs 0-9: 100, 200, ... 1000 J (sum 5500); window 10-14: 1000, 1100, 1200, 1300, 1400 (mean 1200).
        // N = 20: Ê = 5500 + 1200 × (20 − 10) = 17500 J. Extra epochs after the window do not matter.
        var energies = Enumerable.Range(1, 10).Select(i => 100.0 * i).Concat([1000, 1100, 1200, 1300, 1400, 9999]).ToArray();
        var epochs = Shapes.Epochs(energies);
        Assert.Equal(17500, EnergyProjector.PaperEpochVariant(epochs, 20).Joules, 1e-9);
        var p = EnergyProjector.Project(epochs, new WindowDetector(0), new ProjectionRequest(ProjectionMethod.Step, EpochHorizon.Exactly(20, "test"), Seaa2023Parity: true));
        Assert.Equal(17500, p.Estimate!.Value.Joules, 1e-9);
        Assert.Equal("seaa2023", p.Parity);
        Assert.Equal(10, p.Stability.StableFromIndex);
        Assert.True(p.Lower < p.Estimate && p.Estimate < p.Upper);
    }

    [Fact]
    public void Paper_Step_Rule_Should_Come_From_The_Parity_Type_Only()
    {
        // Oracle: paper-notes 2.2: s = 10, w = 5 (the window is epochs 10-14, 0-based); 15 epochs before projecting.
        Assert.Equal((10, 5, 15), (Seaa2023Parity.StableFromIndex, Seaa2023Parity.Window, Seaa2023Parity.EpochsNeeded));
        var fixedRule = new FixedStabilityDetector();
        Assert.Equal((Seaa2023Parity.StableFromIndex, Seaa2023Parity.Window), (fixedRule.StableFromIndex, fixedRule.Window));
        Assert.Equal("fixed-s10-w5", fixedRule.Name);
        Assert.Equal(Seaa2023Parity.EpochsNeeded, new StepEvaluationOptions().MinEpochsBeforeProjection);
    }

    [Fact]
    public void Parity_Power_Variant_Should_Be_Window_Sample_Mean_Times_T()
    {
        // Window epochs 10-14 with sample means 100, 110, 120, 130, 140 W over 10, 10, 10, 10, 20 samples:
        // pooled mean (1000 + 1100 + 1200 + 1300 + 2800) / 60 = 123.333 W; T = 1000 s -> 123333.3 J.
        var epochs = Enumerable.Range(0, 15).Select(i => new EpochMeasurement(
            i, default, TimeSpan.FromSeconds(60), Energy.FromJoules(6000), Power.FromWatts(i < 10 ? 50 : 100 + 10 * (i - 10)), i == 14 ? 20 : 10)).ToArray();
        Assert.Equal(7400.0 / 60 * 1000, EnergyProjector.PaperPowerVariant(epochs, TimeSpan.FromSeconds(1000)).Joules, 1e-6);
        var p = EnergyProjector.Project(epochs, new WindowDetector(0), new ProjectionRequest(ProjectionMethod.StepPower, null, Seaa2023Parity: true, TotalDuration: TimeSpan.FromSeconds(1000)));
        Assert.Equal(7400.0 / 60 * 1000, p.Estimate!.Value.Joules, 1e-6);
        var unfinished = EnergyProjector.Project(epochs, new WindowDetector(0), new ProjectionRequest(ProjectionMethod.StepPower, null, Seaa2023Parity: true));
        Assert.Null(unfinished.Estimate);
        Assert.Contains("true total duration", unfinished.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Carbontracker_Should_Multiply_The_First_Epoch_By_N()
    {
        // First epoch 3000 J × N = 10 -> 30000 J; with one epoch there is no spread: the interval is the N range only.
        var known = EnergyProjector.Project(WarmupThenFour, new WindowDetector(0), new ProjectionRequest(ProjectionMethod.Carbontracker, EpochHorizon.Exactly(10, "test")));
        Assert.Equal(30000, known.Estimate!.Value.Joules);
        Assert.Equal(30000, known.Lower!.Value.Joules, 1e-3);
        Assert.Contains("range of N only", known.Reason, StringComparison.Ordinal);
        var range = EnergyProjector.Project(WarmupThenFour, new WindowDetector(0), new ProjectionRequest(ProjectionMethod.Carbontracker, new EpochHorizon(8, 12, "test")));
        Assert.Equal(30000, range.Estimate!.Value.Joules, 1e-9);
        Assert.Equal(24000, range.Lower!.Value.Joules, 1e-3);
        Assert.Equal(36000, range.Upper!.Value.Joules, 1e-3);
    }

    [Fact]
    public void StepPower_Should_Match_Step_When_Epoch_Power_Is_Energy_Over_Duration()
    {
        // FromEnergy sets sample power = E / d; with equal durations mean(P) × mean(d) = mean(E): same estimate.
        var request = new ProjectionRequest(ProjectionMethod.StepPower, EpochHorizon.Exactly(10, "test"));
        var p = EnergyProjector.Project(WarmupThenFour, new WindowDetector(1), request);
        Assert.Equal(12000, p.Estimate!.Value.Joules, 1e-6);
    }

    [Fact]
    public void Should_Answer_Not_Yet_Stable_With_No_Number()
    {
        var p = EnergyProjector.Project(Shapes.StepChangeAtEpoch(12, 15), new ChangePointStabilityDetector(), new ProjectionRequest(ProjectionMethod.Step, EpochHorizon.Exactly(100, "test")));
        Assert.Null(p.Estimate);
        Assert.Null(p.Lower);
        Assert.Null(p.Upper);
        Assert.StartsWith("not yet stable:", p.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Answer_No_Number_When_N_Is_Unknown_Or_Already_Exceeded()
    {
        var unknown = EnergyProjector.Project(WarmupThenFour, new WindowDetector(1), new ProjectionRequest(ProjectionMethod.Step, null));
        Assert.Null(unknown.Estimate);
        Assert.Contains("--total-epochs", unknown.Reason, StringComparison.Ordinal);
        var tooSmall = EnergyProjector.Project(WarmupThenFour, new WindowDetector(1), new ProjectionRequest(ProjectionMethod.Step, EpochHorizon.Exactly(4, "test")));
        Assert.Null(tooSmall.Estimate);
    }

    [Fact]
    public void PersistenceFactor_Should_Widen_Only_For_Clearly_Drifting_Windows()
    {
        // Independent noise: ρ is not clearly positive -> 1. Short windows (< 8) -> 1.
        Assert.Equal(1, EnergyProjector.PersistenceFactor(Shapes.Noisy(1000, 30, 0.01, 9).ToArray()));
        Assert.Equal(1, EnergyProjector.PersistenceFactor([1, 2, 3, 4, 5, 6, 7]));
        // A ramp 0..19: lag-1 autocorrelation Σ(d_i d_{i-1}) / Σ d_i² = 0.85 (numpy), above the 0.8 cap:
        // ρ = 0.8 gives (1 + 0.8) / (1 − 0.8) = 9.
        Assert.Equal(9, EnergyProjector.PersistenceFactor(Enumerable.Range(0, 20).Select(i => (double)i).ToArray()), 1e-12);
        // Alternating ±1: ρ negative -> 1 (not widened; validation patterns are not drift).
        Assert.Equal(1, EnergyProjector.PersistenceFactor(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray()));
    }

    [Fact]
    public void Should_Reject_A_Confidence_Outside_0_1()
        => Assert.Throws<ArgumentOutOfRangeException>(() => EnergyProjector.Project(WarmupThenFour, new WindowDetector(1), new ProjectionRequest(Confidence: 1.0)));
}
