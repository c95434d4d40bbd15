using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation.Tests;

/// <summary>Issue 15: the step-time duration model, its solver, group-calibrated intervals and far-from-data warnings (no ../shared needed).</summary>
public sealed class StepTimeTests
{
    private static readonly GpuSpec _rtx3090 = GpuSpecTable.Default.Find("RTX 3090");

    [Fact]
    public void Nnls_Clamps_A_Coefficient_That_Least_Squares_Makes_Negative()
    {
        // Hand: x = [1,0],[0,1],[1,1], y = 1,-1,0. Unconstrained least squares gives (1, -1). With θ2 >= 0 the minimum
        // of (θ1 - 1)² + 1 + θ1² is at θ1 = 0.5; the gradient in θ2 there is 2(0 + 1) + 2(0.5 + 0) = 3 > 0, so θ2 = 0 is optimal.
        var theta = NonNegativeLeastSquares.Fit([[1.0, 0], [0, 1.0], [1.0, 1.0]], [1.0, -1, 0]);
        Assert.Equal(0.5, theta[0], 12);
        Assert.Equal(0.0, theta[1], 12);
        // Weights scale rows: weighting the first row by 3 gives min 9(θ1 - 1)² + θ1² → θ1 = 0.9.
        Assert.Equal(0.9, NonNegativeLeastSquares.Fit([[1.0, 0], [0, 1.0], [1.0, 1.0]], [1.0, -1, 0], [3.0, 1, 1])[0], 12);
    }

    [Fact]
    public void Step_Time_Fit_Recovers_An_Exact_Law()
    {
        // Hand: durations made by the model's own form with o = 2e-4 s per layer-step, q = 3e-9 s per pixel-sample,
        // k = 1.5; the fit must recover the three and predict an unseen run to rounding.
        const double o = 2e-4, q = 3e-9, k = 1.5;
        var gpus = new[] { "RTX 3090", "RTX 3070", "A100 PCIe 40GB" }.Select(GpuSpecTable.Default.Find).ToArray();
        double Seconds(RunDescription r) => (o * r.Layers!.Value * FeatureMaps.StepsPerEpoch(r)) + (q * r.ImageHeight * r.ImageWidth * (r.TrainSamples + r.ValidationSamples))
            + (k * r.Gflops * 1e9 * (3.0 * r.TrainSamples + r.ValidationSamples) / (r.Gpu.Fp32Teraflops * 1e12));
        var rows = new List<PreRow>();
        foreach (var gpu in gpus)
        {
            foreach (var (arch, layers, gflops) in new[] { ("a", 20, 0.5), ("b", 80, 2.0), ("c", 300, 8.0) })
            {
                foreach (int batch in new[] { 16, 128 })
                {
                    var run = new RunDescription(gflops, gpu, batch, 96, 96, 5000, 1000, 16) { Layers = layers };
                    double s = Seconds(run);
                    rows.Add(new PreRow(run, arch, Power.FromWatts(200), Energy.FromJoules(200 * s), TimeSpan.FromSeconds(s), "synthetic"));
                }
            }
        }

        var model = PreModelFamilies.Find("step-time").Fit(rows, PreTarget.EpochDuration);
        Assert.Equal(o, model.Linear!.Weights[0], o * 1e-6);
        Assert.Equal(q, model.Linear.Weights[1], q * 1e-6);
        Assert.Equal(k, model.Linear.Weights[2], k * 1e-6);
        var probe = new RunDescription(3, _rtx3090, 64, 160, 160, 12345, 2345, 16) { Layers = 50 };
        Assert.Equal(Seconds(probe), model.Predict(probe), Seconds(probe) * 1e-6);
    }

    [Fact]
    public void Predicted_Power_Never_Exceeds_The_Gpus_Tdp()
    {
        // Physics: a board's average power stays within its power limit (spec TDP). ridge-log-load's power law grows
        // without bound in the step's load; the default caps it, so an extreme load on a GTX 750 Ti (60 W) gives 60 W.
        var gtx = GpuSpecTable.Default.Find("GTX 750 Ti");
        var huge = new RunDescription(500, gtx, 4096, 512, 512, 10000, 2000, 16) { Layers = 100 };
        Assert.True(PreModelFamilies.Find("ridge-log-load").Fit(Rows(), PreTarget.Power).Predict(huge) > 60, "the uncapped power law exceeds the TDP here");
        Assert.Equal(60, CompactPreModel.Default.Estimate(huge).AveragePower.Watts, 9);
        Assert.Equal(TargetTransforms.LogCappedAtTdp, CompactPreModel.Default.Models[PreTarget.Power].Transform);
    }

    /// <summary>Synthetic rows whose power grows with the load as 30 W x load^0.3 (no cap), on two GPUs.</summary>
    private static List<PreRow> Rows()
    {
        var rows = new List<PreRow>();
        foreach (var gpu in new[] { "RTX 3090", "GTX 750 Ti" }.Select(GpuSpecTable.Default.Find))
        {
            foreach (double g in new[] { 0.5, 2, 8 })
            {
                foreach (int b in new[] { 16, 64, 256 })
                {
                    double p = 30 * Math.Pow(g * b / gpu.Fp32Teraflops, 0.3);
                    rows.Add(new PreRow(new RunDescription(g, gpu, b, 128, 128, 1000, 200, 16) { Layers = 50 }, "n" + g, Power.FromWatts(p), Energy.FromJoules(p * 10), TimeSpan.FromSeconds(10), "synthetic"));
                }
            }
        }

        return rows;
    }

    [Fact]
    public void A_Run_Without_A_Layer_Count_Gets_The_Median_Of_The_Fitting_Architectures()
    {
        // Hand: architectures a, b, c with 10, 20 and 40 layers (b twice) → median over architectures 20; no counts at all → (1, unused).
        PreRow Row(string arch, int? layers) => new(new RunDescription(1, _rtx3090, 32, 64, 64, 100, 10, 16) { Layers = layers }, arch, Power.FromWatts(100), Energy.FromJoules(100), TimeSpan.FromSeconds(1), "t");
        Assert.Equal((20.0, true), StepTimeFamily.AssumedLayers([Row("a", 10), Row("b", 20), Row("b", 20), Row("c", 40), Row("d", null)]));
        Assert.Equal((15.0, true), StepTimeFamily.AssumedLayers([Row("a", 10), Row("b", 20)]));
        Assert.Equal((1.0, false), StepTimeFamily.AssumedLayers([Row("a", null), Row("b", null)]));
    }

    [Fact]
    public void Group_Calibrated_Quantile_Is_Not_Set_By_The_Largest_Group()
    {
        // Hand: group g0 has 81 runs with score 0.01; groups g1..g19 one run each with score 0.05 j. Per row, the
        // ⌈101 × 0.9⌉ = 91st smallest score is the 10th single, 0.50. Per group (20 groups, weight 0.05 each, level
        // 0.9 × 21/20 = 0.945): g0 + 18 singles reach 0.95, so q = 0.90.
        var (actual, predicted, groups) = Example();
        Assert.Equal(0.50, PreTrainer.ConformalLogQuantile(actual, predicted, 0.9), 9);
        var c = GroupConformal.Calibrate(actual, predicted, groups, 0.9);
        Assert.Equal(0.90, c.LogQuantile, 9);
        // Leaving a group out: 19 groups, level 0.9 × 20/19, so 18 of them must be covered. g0 and g1..g17 see q = 0.90
        // and are inside; g18 and g19 see q = 0.85 (the 17th remaining single) and are outside: 18 of 20 groups, 98 of 100 runs.
        Assert.Equal(20, c.Groups);
        Assert.Equal(0.90, c.GroupCoverage, 12);
        Assert.Equal(0.98, c.RowCoverage, 12);
    }

    private static (double[] Actual, double[] Predicted, string[] Groups) Example()
    {
        var scores = Enumerable.Repeat(0.01, 81).Concat(Enumerable.Range(1, 19).Select(j => 0.05 * j)).ToArray();
        var groups = Enumerable.Repeat("g0", 81).Concat(Enumerable.Range(1, 19).Select(j => "g" + j)).ToArray();
        return (scores.Select(Math.Exp).ToArray(), Enumerable.Repeat(1.0, scores.Length).ToArray(), groups);
    }

    [Theory]
    [InlineData("vgg16", "RTX 3090", "grouped-kfold")]
    [InlineData("resnet18", "RTX 3090", "leave-architecture-out")]
    [InlineData("vgg16", "A100 PCIe 40GB", "leave-gpu-out")]
    [InlineData(null, "RTX 3090", "leave-architecture-out")]
    public void The_Interval_Is_The_One_Calibrated_For_What_The_Data_Has_Not_Seen(string? arch, string gpu, string protocol)
    {
        // Rule (docs/pre.md): seen architecture and GPU → grouped-kfold; a new architecture (or GFLOPs only) →
        // leave-architecture-out; a new GPU → leave-gpu-out. The factors are the file's quantile for that protocol.
        var m = CompactPreModel.Default;
        var e = m.Estimate(new RunDescription(2, GpuSpecTable.Default.Find(gpu), 32, 128, 128, 10000, 5000, 16) { Architecture = arch, Layers = 40 });
        Assert.Equal(protocol, e.IntervalProtocol);
        double q = m.Models[PreTarget.EpochEnergy].Intervals[protocol];
        Assert.Equal(Math.Exp(q), e.IntervalHighFactor, 12);
        Assert.Equal(m.Models[PreTarget.EpochEnergy].IntervalCoverage[protocol], e.IntervalCoverage);
        Assert.Contains(protocol, e.IntervalNote, StringComparison.Ordinal);
    }

    [Fact]
    public void A_New_Architecture_On_A_New_Gpu_Gets_The_Wider_Of_The_Two_Intervals()
    {
        var m = CompactPreModel.Default.Models[PreTarget.EpochEnergy];
        var e = CompactPreModel.Default.Estimate(new RunDescription(2, GpuSpecTable.Default.Find("A100 PCIe 40GB"), 32, 128, 128, 10000, 5000, 16) { Architecture = "resnet18", Layers = 21 });
        Assert.Equal(Math.Exp(Math.Max(m.Intervals["leave-architecture-out"], m.Intervals["leave-gpu-out"])), e.IntervalHighFactor, 12);
    }

    [Fact]
    public void Inputs_Far_From_The_Training_Data_Are_Named_With_The_Range()
    {
        // Oracle: the journal set's ranges (journal README: images 75/128/224 px, training sizes 3,059-23,807,
        // validation 6,084-10,203). A 32x32 run of 384 + 128 samples is outside all three; batch 32 is inside.
        var e = CompactPreModel.Default.Estimate(new RunDescription(0.0751, _rtx3090, 32, 32, 32, 384, 128, 16) { Architecture = "resnet18", Layers = 21 });
        Assert.Contains(e.Warnings, w => w.StartsWith("input 32x32 is outside the training data's 75-224 px", StringComparison.Ordinal));
        Assert.Contains(e.Warnings, w => w.StartsWith("384 training samples is outside the training data's 3,059-23,807", StringComparison.Ordinal));
        Assert.Contains(e.Warnings, w => w.StartsWith("128 validation samples is outside the training data's 6,084-10,203", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Warnings, w => w.Contains("batch", StringComparison.Ordinal));

        // The paper's own VGG16 run is inside every range; GFLOPs alone leave the depth unknown, which is said.
        Assert.Empty(CompactPreModel.Default.Estimate(new RunDescription(10.0288, _rtx3090, 32, 128, 128, 23807, 10203, 16) { Layers = 14 }).Warnings);
        var noDepth = CompactPreModel.Default.Estimate(new RunDescription(10.0288, _rtx3090, 32, 128, 128, 23807, 10203, 16));
        Assert.Equal("the layer count is unknown (GFLOPs given): the per-step overhead assumes 66 weight layers, the median of the training architectures; give --arch or --model to count them", Assert.Single(noDepth.Warnings));
    }
}
