using CsCheck;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Estimation.Tests;

/// <summary>The shipped default model and the model file format (no ../shared needed).</summary>
public sealed class CompactModelTests
{
    private static RunDescription Vgg16On3090() => new(10.0288, GpuSpecTable.Default.Find("RTX 3090"), 32, 128, 128, 23807, 10203, 16);

    [Fact]
    public void Default_Model_Is_TrainWatts_Own_Compact_Fit_With_Provenance()
    {
        var m = CompactPreModel.Default;
        Assert.Equal("step-time", m.Models[PreTarget.EpochDuration].Family);
        Assert.Equal(857, m.Rows);
        Assert.Contains("CC BY 4.0", m.Credit);
        // A compact model: ridge-log-load's 6 power coefficients, the step-time model's 3 physical ones, energy = power x duration.
        Assert.Equal(6, m.Models[PreTarget.Power].Coefficients.Length);
        Assert.Equal(FeatureMaps.StepTime, m.Models[PreTarget.EpochDuration].FeatureMap);
        Assert.Equal(3, m.Models[PreTarget.EpochDuration].Coefficients.Length);
        Assert.Equal(TargetTransforms.PowerTimesDuration, m.Models[PreTarget.EpochEnergy].Transform);
        Assert.Empty(m.Models[PreTarget.EpochEnergy].Coefficients);
        // Issue 6: leave-architecture-out power MAPE <= 15 %; issue 15: duration <= 150 % (recorded by the fit that produced the file).
        Assert.Equal("leave-architecture-out", m.Models[PreTarget.Power].Scores.Protocol);
        Assert.InRange(m.Models[PreTarget.Power].Scores.Metrics.MapePercent, 0, 15);
        Assert.InRange(m.Models[PreTarget.EpochDuration].Scores.Metrics.MapePercent, 0, 150);
        // Provenance of the training data: source and year, and per GPU the spec's source and year.
        var t = m.Training!;
        Assert.Contains("10.5281/zenodo.11505891", t.Source);
        Assert.Contains("2022", t.Year);
        Assert.All(t.Gpus, g => Assert.True(g.Year >= 2014 && g.Source.Length > 0, g.Name));
        Assert.Equal(6, t.Architectures.Count);
    }

    [Fact]
    public void Default_Model_Interval_Holds_The_Papers_Mean_For_A_Configuration_It_Has_Seen()
    {
        // Oracle: journal README sanity table, RTX 3090 VGG16 Chesslive mean power 334.57 W, epoch energy 13.307 kJ.
        // Power within 15 % (its leave-architecture-out MAPE); the epoch energy inside the grouped-kfold interval that
        // the estimate picks for a known architecture on a known GPU.
        var e = CompactPreModel.Default.Estimate(Vgg16On3090() with { Architecture = "vgg16", Layers = 14 });
        Assert.InRange(e.AveragePower.Watts, 334.57 * 0.85, 334.57 * 1.15);
        Assert.Equal("grouped-kfold", e.IntervalProtocol);
        Assert.InRange(13307, e.EpochEnergy.Joules * e.IntervalLowFactor, e.EpochEnergy.Joules * e.IntervalHighFactor);
        Assert.True(e.IntervalLowFactor < 1 && e.IntervalHighFactor > 1);
        Assert.Equal(e.Total(80) * e.IntervalLowFactor, e.Lower(80));
        Assert.Contains(e.Alternatives, a => a.Protocol == "leave-architecture-out" && a.LowFactor < 1 && a.HighFactor > 1);
    }

    [Fact]
    public void Default_Model_Duration_Is_The_Step_Time_Formula_And_Energy_Is_Power_Times_Duration()
    {
        // Law (hand): duration = o x layers x (ceil(train/b) + ceil(val/b)) + q x h x w x (train + val)
        //   + k x GFLOPs 1e9 x (3 train + val) / (TFLOPS 1e12), with the file's (o, q, k); energy = power x duration.
        var gpu = GpuSpecTable.Default.Find("RTX 3090");
        var d = CompactPreModel.Default.Models[PreTarget.EpochDuration];
        double o = d.Coefficients[0], q = d.Coefficients[1], k = d.Coefficients[2];
        Gen.Select(Gen.Int[1, 200_000], Gen.Int[1, 50_000], Gen.Double[0.01, 20], Gen.Int[1, 512], Gen.Int[8, 600], Gen.Int[1, 400]).Sample((train, val, gflops, batch, px, layers) =>
        {
            var e = CompactPreModel.Default.Estimate(new RunDescription(gflops, gpu, batch, px, px, train, val, 16) { Layers = layers });
            double steps = Math.Ceiling(train / (double)batch) + Math.Ceiling(val / (double)batch);
            double seconds = o * layers * steps + q * px * px * (train + (double)val) + k * gflops * 1e9 * (3.0 * train + val) / (gpu.Fp32Teraflops * 1e12);
            return Math.Abs(e.EpochDuration.TotalSeconds - seconds) <= 1e-7 + 1e-9 * seconds // TimeSpan holds 100 ns ticks
                && Math.Abs(e.EpochEnergy.Joules - e.AveragePower.Watts * seconds) <= 1e-9 * e.EpochEnergy.Joules;
        });
    }

    [Fact]
    public void Model_File_Round_Trips()
    {
        var m = CompactPreModel.Default;
        var back = CompactPreModel.Parse(m.ToJson(), "round-trip");
        var run = Vgg16On3090();
        Assert.Equal(m.Estimate(run).EpochEnergy, back.Estimate(run).EpochEnergy);
        Assert.Equal(m.Estimate(run).AveragePower, back.Estimate(run).AveragePower);
        Assert.Equal(m.Version, back.Version);
        Assert.Equal(m.CreatedUtc, back.CreatedUtc);
    }

    [Fact]
    public void Malformed_Model_File_Names_The_Source()
    {
        var ex = Assert.Throws<PreModelException>(() => CompactPreModel.Parse("{\"format\":\"something-else\"}", "my-model.json"));
        Assert.Contains("my-model.json", ex.Message);
        var ex2 = Assert.Throws<PreModelException>(() => CompactPreModel.Parse("not json", "bad.json"));
        Assert.Contains("bad.json", ex2.Message);
    }

    [Fact]
    public void Fit_Recovers_An_Exact_Power_Law()
    {
        // Hand: power = 50 W x (step load)^0.2 exactly; ridge-log-load must predict it to ~1e-3 on unseen settings.
        var gpus = new[] { "RTX 3090", "RTX 3070", "A100 PCIe 40GB", "RTX 4090" }.Select(GpuSpecTable.Default.Find).ToArray();
        var rows = new List<PreRow>();
        int k = 0;
        foreach (var gpu in gpus)
        {
            foreach (double g in new[] { 0.5, 2, 8 })
            {
                foreach (int b in new[] { 16, 64 })
                {
                    var run = new RunDescription(g, gpu, b, 128, 128, 10000, 2000, 16);
                    double load = g * b / gpu.Fp32Teraflops;
                    double p = 50 * Math.Pow(load, 0.2);
                    double seconds = 12000 * g / gpu.Fp32Teraflops;
                    rows.Add(new PreRow(run, "a" + (k++ % 3), Power.FromWatts(p), Energy.FromJoules(p * seconds), TimeSpan.FromSeconds(seconds), "synthetic"));
                }
            }
        }

        var model = PreModelFamilies.Default.Fit(rows, PreTarget.Power, new SearchSettings(Folds: 3));
        var probe = new RunDescription(4, gpus[0], 32, 128, 128, 10000, 2000, 16);
        double expected = 50 * Math.Pow(4 * 32 / gpus[0].Fp32Teraflops, 0.2);
        Assert.Equal(expected, model.Predict(probe), expected * 2e-2);
    }
}
