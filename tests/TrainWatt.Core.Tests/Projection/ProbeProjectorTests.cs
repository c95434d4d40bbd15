using TrainWatt.Core.Epochs;
using TrainWatt.Core.Projection;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>
/// <see cref="ProbeProjector"/> on hand-built timelines. Oracles: hand derivations in each test, and
/// scripts/golden/probe_projector.py (scipy's t quantile) for the spread case.
/// </summary>
public class ProbeProjectorTests
{
    /// <summary>A run at constant <paramref name="watts"/> whose energy is sampled every 0.1 s up to <paramref name="end"/>.</summary>
    private static ProbeTimeline Constant(double watts, double end)
    {
        var timeline = new ProbeTimeline { OutputLines = 100 };
        for (int i = 0; i <= (int)Math.Round(end * 10); i++)
        {
            timeline.AddEnergy(TimeSpan.FromSeconds(i / 10.0), watts * i / 10.0);
        }

        return timeline;
    }

    /// <summary>The acceptance job as a timeline: 2 s start-up, 1 s epochs, 250 W, epoch k ends at 2 + k s, seen up to 12 s.</summary>
    private static ProbeTimeline ScriptedJob()
    {
        var timeline = Constant(250, 12);
        for (int k = 1; k <= 10; k++)
        {
            timeline.AddEpochEnd(k, TimeSpan.FromSeconds(2 + k));
        }

        timeline.PlannedEpochs = 40;
        return timeline;
    }

    [Fact]
    public void Should_Project_The_Scripted_Job_To_Its_Analytic_Total_With_The_Seaa_Band()
    {
        // Given: epoch 1 (ends at 3 s) is the warm-up; the window [3 s, 12 s] holds epochs 2..10 at 1 s and 250 J each
        var (p, failure) = ProbeProjector.Project(ScriptedJob(), new ProbeSettings());

        // Then, by hand: energy 250 W x 12 s + 30 epochs x 250 J = 10,500 J, duration 12 s + 30 x 1 s = 42 s; no spread
        // (identical epochs); band: the 15 s row for a 9 s window, 0.9296 .. 1.4795, on the remaining 7,500 J and 30 s
        Assert.Null(failure);
        Assert.NotNull(p);
        Assert.Equal(ProbeUnit.Epoch, p.Unit);
        Assert.Equal(TimeSpan.FromSeconds(3), p.WarmupEnd);
        Assert.StartsWith("epoch 1", p.WarmupRule, StringComparison.Ordinal);
        Assert.Equal(40, p.PlannedMin);
        Assert.Equal("the log", p.PlannedSource);
        Assert.Equal(9, p.Batches);
        Assert.Equal(1.0, p.SecondsPerUnit, 9);
        Assert.Equal(250.0, p.JoulesPerUnit, 6);
        Assert.Equal(250.0, p.SteadyPower.Watts, 6);
        Assert.Equal(10_500, p.Energy.Joules, 6);
        Assert.Equal(42, p.Duration.TotalSeconds, 6);
        Assert.Equal(0, p.Parts.EnergySpread, 9);
        Assert.Equal(0, p.Parts.Validation);
        Assert.Equal(3000 + (7500 * 0.9296), p.EnergyLower.Joules, 6);
        Assert.Equal(3000 + (7500 * 1.4795), p.EnergyUpper.Joules, 6);
        Assert.Equal(12 + (30 * 0.9296), p.DurationLower.TotalSeconds, 6);
        Assert.Equal(12 + (30 * 1.4795), p.DurationUpper.TotalSeconds, 6);
    }

    [Fact]
    public void Should_Use_The_Steady_Band_When_The_Job_Keeps_One_Regime()
    {
        var (p, _) = ProbeProjector.Project(ScriptedJob(), new ProbeSettings(Band: ProbeBand.Steady));

        // Hand: the steady table's 15 s row, 0.9638 .. 1.1366
        Assert.Equal(3000 + (7500 * 0.9638), p!.EnergyLower.Joules, 6);
        Assert.Equal(3000 + (7500 * 1.1366), p.EnergyUpper.Joules, 6);
    }

    [Fact]
    public void Should_Span_A_Range_Of_Planned_Epochs_From_Its_Low_To_Its_High_End()
    {
        // Given: --epochs 30-50 (the log's 40 is overridden)
        var (p, _) = ProbeProjector.Project(ScriptedJob(), new ProbeSettings(EpochsMin: 30, EpochsMax: 50));

        // Hand: point at 40 epochs; lower 3,000 + 20 x 250 x 0.9296 = 7,648 J; upper 3,000 + 40 x 250 x 1.4795 = 17,795 J
        Assert.Equal("--epochs", p!.PlannedSource);
        Assert.Equal(10_500, p.Energy.Joules, 6);
        Assert.Equal(7_648, p.EnergyLower.Joules, 6);
        Assert.Equal(17_795, p.EnergyUpper.Joules, 6);
    }

    [Fact]
    public void Should_Widen_The_Interval_By_The_Spread_Of_Uneven_Epochs()
    {
        // Given: 100 W; epoch 1 ends at 3.0 s, epoch 2 at 4.2 s, epoch 3 at 5.0 s; 10 planned
        var timeline = Constant(100, 5);
        timeline.AddEpochEnd(1, TimeSpan.FromSeconds(3.0));
        timeline.AddEpochEnd(2, TimeSpan.FromSeconds(4.2));
        timeline.AddEpochEnd(3, TimeSpan.FromSeconds(5.0));

        var (p, failure) = ProbeProjector.Project(timeline, new ProbeSettings(EpochsMin: 10));

        // Then: scripts/golden/probe_projector.py (batches 1.2 s and 0.8 s per epoch, t(0.95, 1) = 6.3138)
        Assert.Null(failure);
        Assert.Equal(2, p!.Batches);
        Assert.Equal(1.43182425840177, p.Parts.DurationSpread, 9);
        Assert.Equal(1.43182425840177, p.Parts.EnergySpread, 9);
        Assert.Equal(1200, p.Energy.Joules, 6);
        Assert.Equal(666.900249598901, p.EnergyLower.Joules, 6);
        Assert.Equal(3588.73600232376, p.EnergyUpper.Joules, 6);
        Assert.Equal(12, p.Duration.TotalSeconds, 6);
        Assert.Equal(6.66900249598901, p.DurationLower.TotalSeconds, 6);
        Assert.Equal(35.8873600232376, p.DurationUpper.TotalSeconds, 6);
    }

    [Fact]
    public void Should_Read_Steps_Within_A_Long_First_Epoch_And_Allow_For_Its_Unseen_Validation()
    {
        // Given: one 100-step epoch longer than the probe; step lines every second from 1 s (step 5) on, 5 steps/s, 200 W
        var timeline = Constant(200, 10);
        for (int s = 1; s <= 10; s++)
        {
            timeline.AddStep(TimeSpan.FromSeconds(s), new StepProgress(5 * s, 100, ProgressScope.Epoch), epochInProgress: 1);
        }

        var (p, failure) = ProbeProjector.Project(timeline, new ProbeSettings(EpochsMin: 3));

        // Then, by hand: progress 0.05..0.50 epochs; warm-up: the first 10 % of the progress seen (0.05 + 0.045 ->
        // the point at 0.10 epochs, 2 s); s = 8 s / 0.4 = 20 s per epoch, e = 4,000 J per epoch; 2.5 epochs remain:
        // 10 s + 50 s = 60 s and 2,000 J + 10,000 J = 12,000 J. No whole epoch seen: upper bound x (1 + 10,203 / 3 / 23,807).
        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromSeconds(2), p!.WarmupEnd);
        Assert.Contains("first 10 %", p.WarmupRule, StringComparison.Ordinal);
        Assert.Equal(20, p.SecondsPerUnit, 9);
        Assert.Equal(12_000, p.Energy.Joules, 6);
        Assert.Equal(60, p.Duration.TotalSeconds, 6);
        Assert.Equal(10_203.0 / 3 / 23_807, p.Parts.Validation, 12);
        Assert.Equal(2_000 + (10_000 * 1.4795 * (1 + (10_203.0 / 3 / 23_807))), p.EnergyUpper.Joules, 3);
    }

    [Fact]
    public void Should_Count_Run_Steps_When_The_Log_Plans_Optimisation_Steps()
    {
        // Given: a Hugging Face bar over 1,000 planned steps, 10 steps/s from 1 s, 300 W
        var timeline = Constant(300, 8);
        timeline.PlannedSteps = 1000;
        for (int s = 1; s <= 8; s++)
        {
            timeline.AddStep(TimeSpan.FromSeconds(s), new StepProgress(10 * s, 1000, ProgressScope.Run), epochInProgress: 1);
        }

        var (p, _) = ProbeProjector.Project(timeline, new ProbeSettings());

        // Hand: 0.1 s and 30 J per step; 920 steps remain after 80: 8 s + 92 s = 100 s, 2,400 J + 27,600 J = 30,000 J
        Assert.Equal(ProbeUnit.Step, p!.Unit);
        Assert.Equal(1000, p.PlannedMin);
        Assert.Equal(100, p.Duration.TotalSeconds, 6);
        Assert.Equal(30_000, p.Energy.Joules, 6);
    }

    [Fact]
    public void Should_Extend_The_Warm_Up_Until_The_Power_Reaches_Its_Plateau()
    {
        // Given: 1 s epochs from 0 s, but 50 W while compiling until 5 s, then 250 W; seen up to 12 s, 40 planned
        var timeline = new ProbeTimeline { OutputLines = 10, PlannedEpochs = 40 };
        for (int i = 0; i <= 120; i++)
        {
            double t = i / 10.0;
            timeline.AddEnergy(TimeSpan.FromSeconds(t), t <= 5 ? 50 * t : 250 + (250 * (t - 5)));
        }

        for (int k = 1; k <= 12; k++)
        {
            timeline.AddEpochEnd(k, TimeSpan.FromSeconds(k));
        }

        var (p, _) = ProbeProjector.Project(timeline, new ProbeSettings());

        // Then: the 2 s mean reaches 90 % of 250 W first at 4.8 s ((0.2 x 50 + 1.8 x 250) / 2 = 230 W), so the window
        // starts at the first epoch end after it, 5 s; 250 J per epoch (epoch 1 alone would have given 50 J)
        Assert.Equal(TimeSpan.FromSeconds(5), p!.WarmupEnd);
        Assert.Contains("plateau", p.WarmupRule, StringComparison.Ordinal);
        Assert.Equal(250, p.JoulesPerUnit, 6);
    }

    [Fact]
    public void Should_Say_The_Warm_Up_Is_Not_Over_When_The_Probe_Saw_Only_Its_First_Epoch()
    {
        // Given: epoch 1 ends at 3 s, epoch 2 at 4 s, then the probe ended
        var timeline = Constant(100, 4.5);
        timeline.AddEpochEnd(1, TimeSpan.FromSeconds(3));
        timeline.AddEpochEnd(2, TimeSpan.FromSeconds(4));
        timeline.PlannedEpochs = 40;

        var (p, failure) = ProbeProjector.Project(timeline, new ProbeSettings());

        Assert.Null(p);
        Assert.Equal(ProbeFailureKind.WarmupNotOver, failure!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), failure.FirstProgress);
    }

    [Fact]
    public void Should_Tell_Silence_From_Output_Without_Progress()
    {
        var silent = Constant(100, 3);
        silent.OutputLines = 0;
        var chatty = Constant(100, 3);

        Assert.Equal(ProbeFailureKind.WarmupNotOver, ProbeProjector.Project(silent, new ProbeSettings()).Failure!.Kind);
        Assert.Equal(ProbeFailureKind.NoProgress, ProbeProjector.Project(chatty, new ProbeSettings()).Failure!.Kind);
    }

    [Fact]
    public void Should_Ask_For_The_Planned_Total_When_Neither_The_Log_Nor_The_Options_Give_It()
    {
        var timeline = ScriptedJob();
        timeline.PlannedEpochs = null;

        Assert.Equal(ProbeFailureKind.NoPlannedTotal, ProbeProjector.Project(timeline, new ProbeSettings()).Failure!.Kind);
        Assert.Equal(10_500, ProbeProjector.Project(timeline, new ProbeSettings(EpochsMin: 40)).Projection!.Energy.Joules, 6);
        Assert.Equal(ProbeFailureKind.PlannedBelowProgress, ProbeProjector.Project(timeline, new ProbeSettings(EpochsMin: 5)).Failure!.Kind);
    }

    [Fact]
    public void Should_Count_Batches_That_Follow_A_Slow_Load_As_Fewer_Independent_Ones()
    {
        // Hand: [1,1,1,1,2,2,2,2], mean 1.5: squares 8 x 0.25 = 2; lag-1 products 6 x 0.25 - 0.25 = 1.25; r = 0.625;
        // n_eff = 8 x 0.375 / 1.625 = 1.846. Alternating 1,2,...: r = -0.875, n_eff = 120, kept at n = 8. Three
        // batches: too few to estimate r, n itself.
        Assert.Equal(8 * 0.375 / 1.625, ProbeProjector.EffectiveCount([1, 1, 1, 1, 2, 2, 2, 2], 1.5), 12);
        Assert.Equal(8, ProbeProjector.EffectiveCount([1, 2, 1, 2, 1, 2, 1, 2], 1.5));
        Assert.Equal(3, ProbeProjector.EffectiveCount([1, 1, 2], 4.0 / 3));
    }

    [Theory]
    [InlineData(5, 0.9296, 1.4795)]
    [InlineData(45, 0.9259, 1.4748)]
    [InlineData(119.9, 0.9218, 1.4650)]
    [InlineData(3600, 0.9770, 1.2031)]
    public void Should_Pick_The_Band_Row_Of_The_Longest_Tabulated_Probe_Within_The_Window(double seconds, double low, double high)
    {
        // Oracle: scripts/probe_seaa_power.py's table, rows 15/30/60/600 s
        Assert.Equal((low, high), ProbePowerBand.For(ProbeBand.Phases, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Should_Keep_The_Steady_Band_Of_120_Seconds_For_Longer_Probes()
        => Assert.Equal((0.9706, 1.0267), ProbePowerBand.For(ProbeBand.Steady, TimeSpan.FromMinutes(30)));
}
