using CsCheck;
using TrainWatt.Estimation.Numerics;
using TrainWatt.Testing;

namespace TrainWatt.Estimation.Tests;

/// <summary>Dataset parsing errors, the default model's reproducibility, and split laws.</summary>
public sealed class DatasetAndReproducibilityTests
{
    private const string _header = "batch_size,ram_gb,training_size,validation_size,gflops,image_height,image_width,gpu,avg_gpu_power_w,avg_epoch_energy_kj";

    [Fact]
    public void Unknown_Gpu_In_A_Dataset_Names_File_Line_And_Close_Matches()
    {
        var ex = Assert.Throws<PreDatasetException>(() => PreDataset.Parse(new StringReader(_header + "\n32,16,100,50,1.5,128,128,RTX 3091,200,1.0\n"), "runs.csv"));
        Assert.Contains("runs.csv:2", ex.Message);
        Assert.Contains("RTX 3090", ex.Message);
    }

    [Fact]
    public void Missing_Column_Is_Named()
    {
        var ex = Assert.Throws<PreDatasetException>(() => PreDataset.Parse(new StringReader("batch_size,gpu\n32,RTX 3090\n"), "runs.csv"));
        Assert.Contains("runs.csv:1", ex.Message);
        Assert.Contains("gflops", ex.Message);
    }

    [Fact]
    public void Derived_Duration_Is_Epoch_Energy_Over_Power()
    {
        // Hand: 2.5 kJ / 250 W = 10 s; table values are overridden by the row's gpu_* columns when present.
        var rows = PreDataset.Parse(new StringReader(_header + ",gpu_cuda_cores,gpu_memory_gb,gpu_tdp_w\n32,16,100,50,1.5,128,128,RTX 3070,250,2.5,5888,8,220\n"), "r.csv");
        Assert.Equal(10.0, rows[0].EpochDuration.TotalSeconds, 12);
        Assert.Equal(220.0, rows[0].Run.Gpu.ThermalDesignPower.Watts);
        Assert.Equal(2500.0, rows[0].EpochEnergy.Joules, 9);
    }

    [Fact]
    public void KFold_Always_Partitions_The_Rows()
    {
        // Law: for any n >= k >= 2 the test parts are disjoint, cover 0..n-1, and differ in size by at most one.
        Gen.Int[2, 10].SelectMany(k => Gen.Int[k, 200].Select(n => (k, n))).Select(Gen.Int, (t, seed) => (t.k, t.n, seed)).Sample(t =>
        {
            var folds = Folds.KFold(t.n, t.k, t.seed);
            var all = folds.SelectMany(f => f.Test).Order().ToArray();
            return all.SequenceEqual(Enumerable.Range(0, t.n))
                && folds.Max(f => f.Test.Length) - folds.Min(f => f.Test.Length) <= 1
                && folds.All(f => f.Train.Length + f.Test.Length == t.n && !f.Train.Intersect(f.Test).Any());
        });
    }

    [Fact]
    public void Group_KFold_Never_Splits_A_Group()
    {
        // Law: for any labels and k <= the number of groups, the test parts cover every row once and no group has rows on both sides.
        Gen.Int[2, 6].SelectMany(k => Gen.Int[0, 9].Array[k, 60].Select(a => (k, a))).Select(Gen.Int, (t, seed) => (t.k, t.a, seed)).Sample(t =>
        {
            var labels = t.a.Select(v => "g" + v).ToArray();
            int groups = labels.Distinct().Count();
            if (groups < t.k)
            {
                return true;
            }

            var folds = Folds.GroupKFold(labels, t.k, t.seed);
            return folds.Count == t.k
                && folds.SelectMany(f => f.Test).Order().SequenceEqual(Enumerable.Range(0, labels.Length))
                && folds.All(f => !f.Train.Select(i => labels[i]).Intersect(f.Test.Select(i => labels[i])).Any() && f.Train.Length + f.Test.Length == labels.Length);
        });
    }

    [Fact]
    public void Kernel_Ridge_Is_Invariant_To_Row_Order()
    {
        // Law: permuting the training rows leaves the predictions unchanged (up to rounding).
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var x = Enumerable.Range(0, 12).Select(_ => new[] { rnd.NextDouble(), rnd.NextDouble() }).ToArray();
            var y = x.Select(r => Math.Sin(3 * r[0]) + r[1]).ToArray();
            var perm = Folds.Permutation(12, seed);
            var a = KernelRidge.Fit(x, y, 0.1, 2);
            var b = KernelRidge.Fit(perm.Select(i => x[i]).ToArray(), perm.Select(i => y[i]).ToArray(), 0.1, 2);
            double[] probe = [0.3, 0.7];
            return Math.Abs(a.Predict(probe) - b.Predict(probe)) < 1e-9;
        });
    }
}
