using TrainWatt.Core.Projection;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>
/// Issue 14, "intervals that hold": the live projector's 90 % intervals on independent synthetic runs whose stable
/// level drifts linearly by −3 % to +5 % over the run (<see cref="DriftingRuns"/>, seeds 1-200, N given as
/// <c>--total-epochs</c> would). The drift prior is learned from other runs of the same generator (seeds 1001-1030),
/// as <c>measure</c> learns it from a store's finished runs. Oracle: each run's own epoch total.
/// </summary>
public class DriftCoverageTests
{
    private const int Runs = 200;

    internal static (double FirstCoverage, double AllCoverage, double MedianHalfWidth, double MedianAbsError, int Projected, double MedianEpoch) Score(DriftPrior prior)
    {
        int covered = 0, projected = 0, allCovered = 0, all = 0;
        var halfWidths = new List<double>();
        var errors = new List<double>();
        var epochs = new List<double>();
        for (int seed = 1; seed <= Runs; seed++)
        {
            var run = DriftingRuns.Generate(seed);
            double truth = run.Truth.Joules;
            var live = new LiveProjector(new LiveProjectorOptions(TotalEpochs: run.TotalEpochs) { Drift = prior });
            bool first = true;
            foreach (var e in run.Epochs.Take(run.TotalEpochs - 1))
            {
                var r = live.OnEpochEnd(new EpochObservation(EpochNumbering.ToNumber(e.Index), e.End, e.Duration, e.Energy));
                if (r.Estimate is not { } estimate)
                {
                    continue;
                }

                bool holds = r.Lower!.Value.Joules <= truth && truth <= r.Upper!.Value.Joules;
                all++;
                allCovered += holds ? 1 : 0;
                if (first)
                {
                    first = false;
                    projected++;
                    covered += holds ? 1 : 0;
                    halfWidths.Add((r.Upper!.Value.Joules - r.Lower!.Value.Joules) / 2 / estimate.Joules);
                    errors.Add(Math.Abs(estimate.Joules - truth) / truth);
                    epochs.Add(r.EpochsUsed);
                }
            }
        }

        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        return ((double)covered / projected, (double)allCovered / all, Median(halfWidths), Median(errors), projected, Median(epochs));
    }

    [Fact]
    public void Ninety_Percent_Intervals_Hold_In_At_Least_80_Percent_Of_Drifting_Runs_With_The_Learned_Prior()
    {
        // Measured (docs/step.md): learned tau 2.56 % (the population's root-mean-square drift is 2.52 %: uniform
        // −3..+5 % has mean 1 % and sd 8 / √12 %); first projections (median epoch 10) hold in 82.0 % of the runs, all
        // projections in 85.4 %, median half-width 2.1 % of the estimate. Without a drift term: 43 % and 47 %; with
        // the default tau of 1 % (set for the SEAA runs, which drift less): 54.5 % and 63 %.
        var learned = DriftPrior.Learn(Enumerable.Range(1001, 30).Select(s => DriftingRuns.Generate(s).Epochs))!;
        var score = Score(learned);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{learned}: first projections {score.Projected}/{Runs} at a median epoch {score.MedianEpoch}, held {score.FirstCoverage:P1}; all projections held {score.AllCoverage:P1}; median half-width {score.MedianHalfWidth:P2}, median |error| {score.MedianAbsError:P2}");

        Assert.Equal("learned from 30 finished runs", learned.Source);
        Assert.InRange(learned.RelativeSd, 0.01, 0.05);
        Assert.Equal(Runs, score.Projected);
        Assert.True(score.FirstCoverage >= 0.8, $"first projections held the truth in {score.FirstCoverage:P1}");
        Assert.True(score.AllCoverage >= 0.8, $"all projections held the truth in {score.AllCoverage:P1}");
        Assert.InRange(score.MedianHalfWidth, 0.005, 0.05);
    }

    [Fact]
    public void The_Generator_Is_Deterministic_And_Drifts_As_Specified()
    {
        // Same seed, same run; drift within −3 %..+5 %; the last stable epoch's level is (1 + d) × the first's, up to
        // the AR(1) noise (at most 3 % marginal sd: 6 sd = 18 % bounds the ratio of two noisy epochs).
        var a = DriftingRuns.Generate(7);
        Assert.Equal(a.Epochs.Select(e => e.Energy), DriftingRuns.Generate(7).Epochs.Select(e => e.Energy));
        for (int seed = 1; seed <= 50; seed++)
        {
            var run = DriftingRuns.Generate(seed);
            Assert.InRange(run.Drift, DriftingRuns.MinDrift, DriftingRuns.MaxDrift);
            Assert.InRange(run.TotalEpochs, 40, 120);
            double ratio = run.Epochs[^1].Energy.Joules / run.Epochs[run.StableFromIndex].Energy.Joules;
            Assert.InRange(ratio / (1 + run.Drift), 0.82, 1.18);
        }
    }
}
