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
    public void Probe()
    {
        var learned = DriftPrior.Learn(Enumerable.Range(1001, 30).Select(s => DriftingRuns.Generate(s).Epochs));
        foreach (var prior in new[] { new DriftPrior(0, "none"), DriftPrior.Default, learned! })
        {
            var s = Score(prior);
            TestContext.Current.TestOutputHelper?.WriteLine($"{prior}: first {s.FirstCoverage:P1} all {s.AllCoverage:P1} half-width {s.MedianHalfWidth:P2} |err| {s.MedianAbsError:P2} projected {s.Projected} epoch {s.MedianEpoch}");
        }
    }
}
