using TrainWatt.Core.Projection;
using TrainWatt.Core.Simulation;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>
/// Calibration of TrainWatt's STEP on the synthetic generator (issue 4 acceptance): 200 runs with fixed seeds 1-200,
/// varied shapes (warm-up epoch, head-training phase ending at epoch 2-10 in 3 runs of 4, validation every epoch /
/// every 5th / never, 1 and 10 Hz, 1-8 W sensor noise), projected after epoch 15 or at the first stable epoch within 5 more. Oracle: the generator's truth (the
/// measured energy of the whole run from its own trace, <see cref="SyntheticRun.MeasuredEnergy"/>).
/// </summary>
public class CalibrationTests
{
    private const int Runs = 200;
    private const int AfterEpoch = 15;

    /// <summary>
    /// Issue 14: the detector projects only on evidence that the level is flat (<see cref="ChangePointOptions.MaxLevelDifference"/>),
    /// so a run whose window after its head-training switch is still short and scattered waits a few epochs. Each run is
    /// projected at the first epoch from <see cref="AfterEpoch"/> on, at most <see cref="Slack"/> epochs later, at
    /// which the detector calls it stable.
    /// </summary>
    private const int Slack = 5;

    private static (List<double> Errors, int Covered, int NotStable) Evaluate(bool nKnown)
    {
        var detector = new ChangePointStabilityDetector();
        var errors = new List<double>();
        var points = new List<int>();
        int covered = 0, notStable = 0;
        for (int seed = 1; seed <= Runs; seed++)
        {
            var run = TrainingRunSimulator.Generate(SyntheticRunSpec.Random(seed));
            var all = EpochEnergies.Split(run.Samples, run.EpochEnds).Epochs;
            ProjectionResult? p = null;
            for (int after = AfterEpoch; after <= AfterEpoch + Slack && p is not { HasEstimate: true }; after++)
            {
                var seen = all.Take(after + 1).ToArray();
                var horizon = nKnown
                    ? EpochHorizon.Exactly(run.TotalEpochs, "truth")
                    : EpochHorizon.Infer(seen.Length, runFinished: false, totalEpochs: null, maxEpochs: run.Spec.MaxEpochs, minEpochs: run.Spec.MinEpochs, patience: null).Horizon;
                p = EnergyProjector.Project(seen, detector, new ProjectionRequest(ProjectionMethod.Step, horizon, 0.9));
                if (p.HasEstimate)
                {
                    points.Add(after);
                }
            }

            if (!p!.HasEstimate)
            {
                // "Not yet stable" must carry a reason and no number at all.
                Assert.Null(p.Lower);
                Assert.Null(p.Upper);
                Assert.StartsWith("not yet stable", p.Reason, StringComparison.Ordinal);
                notStable++;
                continue;
            }

            double truth = run.MeasuredEnergy.Joules;
            errors.Add(Math.Abs(p.Estimate!.Value.Joules - truth) / truth);
            covered += p.Lower!.Value.Joules <= truth && truth <= p.Upper!.Value.Joules ? 1 : 0;
        }

        errors.Sort();
        points.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"N {(nKnown ? "known" : "bounded")}: projected {errors.Count}/{Runs} by epoch {AfterEpoch + Slack} ({points.Count(a => a == AfterEpoch)} at {AfterEpoch}, median {points[points.Count / 2]}), not stable {notStable}, median |error| {errors[errors.Count / 2]:P2}, p90 {errors[(int)(errors.Count * 0.9)]:P2}, coverage {(double)covered / errors.Count:P1}");
        return (errors, covered, notStable);
    }

    [Fact]
    public void Should_Be_Accurate_And_Calibrated_After_Epoch_15_With_N_Bounded_By_Early_Stopping()
    {
        // The projector knows max epochs M and that early stopping ends the run in its last 8 % (uniformly), never N.
        // The N uncertainty dominates: a median error near 2.4 % is mostly |N − mean N| / N.
        var (errors, covered, _) = Evaluate(nKnown: false);
        Assert.True(errors.Count >= 0.95 * Runs, $"only {errors.Count} of {Runs} runs were stable by epoch {AfterEpoch + Slack}");
        Assert.True(errors[errors.Count / 2] <= 0.03, $"median absolute error {errors[errors.Count / 2]:P2} > 3 %");
        Assert.InRange((double)covered / errors.Count, 0.85, 0.95);
    }

    [Fact]
    public void Should_Be_Accurate_And_Calibrated_After_Epoch_15_With_N_Known()
    {
        // The method's own error once N is given: well under 1 % median, and still 85-95 % coverage.
        var (errors, covered, _) = Evaluate(nKnown: true);
        Assert.True(errors[errors.Count / 2] <= 0.01, $"median absolute error {errors[errors.Count / 2]:P2} > 1 %");
        Assert.InRange((double)covered / errors.Count, 0.85, 0.95);
    }

    [Fact]
    public void Should_Say_Not_Yet_Stable_Before_Five_Epochs_Follow_The_Change()
    {
        // Every generated run with a head-training phase, projected 2 epochs after its change (N known): no number.
        // Runs validating only every 5th epoch are left out: until their pattern has repeated 3 times (epoch 14) the
        // validation spikes can mask the change (a known limitation); the next test checks them once it has.
        var detector = new ChangePointStabilityDetector();
        int checkedRuns = 0;
        for (int seed = 1; seed <= Runs; seed++)
        {
            var spec = SyntheticRunSpec.Random(seed);
            if (spec.ChangeIndex < 3 || spec.Validation is { Every: > 1 })
            {
                continue;
            }

            var run = TrainingRunSimulator.Generate(spec);
            var seen = EpochEnergies.Split(run.Samples, run.EpochEnds).Epochs.Take(spec.ChangeIndex + 2).ToArray();
            var p = EnergyProjector.Project(seen, detector, new ProjectionRequest(ProjectionMethod.Step, EpochHorizon.Exactly(run.TotalEpochs, "truth")));
            Assert.False(p.HasEstimate, $"seed {seed}: change at {spec.ChangeIndex}, projected {p.Estimate} after 2 epochs of the new phase");
            checkedRuns++;
        }

        Assert.True(checkedRuns > 80, $"{checkedRuns} runs checked");
    }

    [Fact]
    public void Periodic_Validation_Runs_Should_Start_Their_Window_At_The_Change_Once_The_Pattern_Repeated()
    {
        // Runs validating every 5th epoch with a head-training phase ending at epoch 2-10, seen up to epoch 19: the
        // pattern (epochs 4, 9, 14, 19) is removed and the window starts at the change (one epoch of slack) in at
        // least 90 % of them. Measured: 32 of 35 (two runs whose change falls on the first validation epoch, 4, start
        // at epoch 15, one 3 epochs late: late is safe, the window only shrinks; never early).
        var detector = new ChangePointStabilityDetector();
        int checkedRuns = 0, atChange = 0;
        for (int seed = 1; seed <= Runs; seed++)
        {
            var spec = SyntheticRunSpec.Random(seed);
            if (spec.ChangeIndex < 2 || spec.Validation is not { Every: 5 })
            {
                continue;
            }

            var run = TrainingRunSimulator.Generate(spec);
            var all = EpochEnergies.Split(run.Samples, run.EpochEnds).Epochs;
            // From epoch 19 on, the first epoch the detector has evidence of a flat level (issue 14), within 5 more.
            var result = Enumerable.Range(20, 6).Select(seen => detector.Detect(all.Take(seen).ToArray())).FirstOrDefault(r => r.IsStable) ?? detector.Detect(all.Take(25).ToArray());
            Assert.True(result.IsStable, $"seed {seed}: {result.Reason}");
            Assert.True(result.StableFromIndex >= spec.ChangeIndex, $"seed {seed}: window from {result.StableFromIndex} includes head training (change at {spec.ChangeIndex})");
            atChange += result.StableFromIndex <= spec.ChangeIndex + 1 ? 1 : 0;
            checkedRuns++;
        }

        Assert.True(checkedRuns >= 20, $"{checkedRuns} runs checked");
        Assert.True(atChange >= 0.9 * checkedRuns, $"{atChange} of {checkedRuns} windows start at the change");
    }

    [Fact]
    public void Generator_Should_Be_Deterministic_And_Its_Trace_Should_Match_Its_Exact_Energy()
    {
        // Same seed, same trace; trapezoid over noisy samples within 0.5 % of the noise-free integral.
        var a = TrainingRunSimulator.Generate(SyntheticRunSpec.Random(11));
        var b = TrainingRunSimulator.Generate(SyntheticRunSpec.Random(11));
        Assert.Equal(a.MeasuredEnergy, b.MeasuredEnergy);
        Assert.Equal(a.Samples.Count, b.Samples.Count);
        Assert.InRange(a.MeasuredEnergy / a.ExactEnergy, 0.995, 1.005);
        Assert.InRange(a.TotalEpochs, a.Spec.MinEpochs, a.Spec.MaxEpochs);
        var tenHz = TrainingRunSimulator.Generate(SyntheticRunSpec.Random(11) with { SampleHz = 10 });
        Assert.InRange(tenHz.Samples.Count / (double)a.Samples.Count, 9.5, 10.5);
        Assert.InRange(tenHz.MeasuredEnergy / tenHz.ExactEnergy, 0.999, 1.001);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void Generator_Files_Should_Read_Back_Through_The_Trace_Reader_With_The_Same_Energy(double hz)
    {
        // The written nvidia-smi CSV (own header, units, ", " separators) and epoch log, read back by TrainWatt's
        // readers, give the generator's own measured energy (powers are already rounded to 0.01 W, times to 1 ms).
        var run = TrainingRunSimulator.Generate(SyntheticRunSpec.Random(21) with { SampleHz = hz });
        var csv = new StringWriter();
        TrainingRunSimulator.WriteNvidiaSmiCsv(csv, run);
        var log = new StringWriter();
        TrainingRunSimulator.WriteEpochLog(log, run);
        var read = TrainWatt.Core.Traces.NvidiaSmiCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString())), "sim.csv");
        Assert.Empty(read.Faults);
        var device = Assert.Single(read.Devices);
        Assert.Equal(run.Samples.Count, device.Samples.Count);
        var ends = EpochLog.Read(new StringReader(log.ToString()), "epochs.csv").Epochs.Select(e => e.End).ToArray();
        Assert.Equal(run.TotalEpochs, ends.Length);
        var split = EpochEnergies.Split(device.Samples, ends);
        Assert.True(split.Total.IsCloseTo(run.MeasuredEnergy, 1e-9), $"{split.Total} vs {run.MeasuredEnergy}");
    }
}
