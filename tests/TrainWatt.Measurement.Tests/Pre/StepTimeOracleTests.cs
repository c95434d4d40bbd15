using System.Text.Json;
using TrainWatt.Estimation;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Pre;

/// <summary>
/// Issue 15: TrainWatt's step-time fit on the journal set against scipy. Oracle: Pre/Golden/step-time-scipy.json, written
/// by the committed scripts/golden/pre_step_time.py (scipy.optimize.nnls, cross-checked by least_squares) from the same
/// CSV, the GPU table's FP32 peaks and the layer counts checked below.
/// </summary>
public sealed class StepTimeOracleTests
{
    private static readonly JsonElement _oracle =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pre", "Golden", "step-time-scipy.json"))).RootElement;

    private static IReadOnlyList<PreRow> Journal() => PreModels.LoadDataset(Path.Combine(SharedData.RequireJournalPre(), "training-set.csv"));

    [Fact]
    public void Catalog_Layer_Counts_Are_The_Oracles_Inputs()
    {
        // Hand for two of them: Keras VGG16 without its top has 13 convolutions, plus the paper's Dense(1) head = 14;
        // Keras ResNet50 has 49 + 4 projection convolutions = 53, plus the paper's 3 dense layers = 56.
        Assert.Equal(14, PreModels.CatalogLayers("vgg16"));
        Assert.Equal(56, PreModels.CatalogLayers("resnet50"));
        foreach (var arch in _oracle.GetProperty("layers").EnumerateObject())
        {
            Assert.Equal(arch.Value.GetInt32(), PreModels.CatalogLayers(arch.Name));
        }

        Assert.Null(PreModels.CatalogLayers("not-a-network"));
    }

    [Fact]
    public void Duration_Fit_Matches_Scipy_Nnls_Coefficients_And_Errors()
    {
        // Tolerance: the durations TrainWatt fits on are TimeSpans (100 ns ticks), so they differ from scipy's floats by
        // up to ~1e-8 relative; the coefficients agree to 1e-6 relative and the MAPEs to 1e-4 points.
        var rows = Journal();
        Assert.Equal(_oracle.GetProperty("rows").GetInt32(), rows.Count);
        var family = PreModelFamilies.Find("step-time");
        var fit = family.Fit(rows, PreTarget.EpochDuration).Linear!.Weights;
        var c = _oracle.GetProperty("coefficients");
        double[] expected = [c.GetProperty("o_s_per_layer_step").GetDouble(), c.GetProperty("q_s_per_pixel_sample").GetDouble(), c.GetProperty("k_inverse_efficiency").GetDouble()];
        for (int j = 0; j < 3; j++)
        {
            Assert.True(Math.Abs(fit[j] - expected[j]) <= 1e-6 * expected[j], $"coefficient {j}: TrainWatt {fit[j]:R}, scipy {expected[j]:R}");
        }

        var model = family.Fit(rows, PreTarget.EpochDuration);
        var inSample = RegressionMetrics.Compute(rows.Select(r => r.EpochDuration.TotalSeconds).ToArray(), rows.Select(r => model.Predict(r.Run)).ToArray());
        Assert.Equal(_oracle.GetProperty("in_sample_mape").GetDouble(), inSample.MapePercent, 1e-4);

        var run = PreEvaluation.Evaluate(rows, PreTarget.EpochDuration, EvaluationProtocol.LeaveArchitectureOut, [family]);
        var result = Assert.Single(run.Results);
        Assert.Equal(_oracle.GetProperty("leave_architecture_out_mape").GetDouble(), result.Metrics.MapePercent, 1e-4);
        foreach (var arch in _oracle.GetProperty("leave_architecture_out_mape_by_architecture").EnumerateObject())
        {
            Assert.Equal(arch.Value.GetDouble(), result.Groups.Single(g => g.Group == arch.Name).Metrics.MapePercent, 1e-4);
        }
    }

    [Fact]
    public void Refitting_The_Journal_Set_Reproduces_The_Shipped_Default_Model()
    {
        // Oracle: data/pre-default-model.json, produced by `trainwatt fit --no-store --dataset training-set.csv --export ...`
        // (docs/pre.md), which loads the CSV as PreModels.LoadDataset does. The search is seeded, so the same command
        // gives the same numbers.
        var refit = PreTrainer.Fit(Journal(), PreModelFamilies.Default, 1, DateTimeOffset.UnixEpoch, "x", "");
        var shipped = CompactPreModel.Default;
        foreach (var target in PreTargets.All)
        {
            var a = shipped.Models[target];
            var b = refit.Models[target];
            Assert.Equal(a.Intercept, b.Intercept, 1e-12);
            Assert.Equal(a.Coefficients.Length, b.Coefficients.Length);
            for (int j = 0; j < a.Coefficients.Length; j++)
            {
                Assert.Equal(a.Coefficients[j], b.Coefficients[j], Math.Abs(a.Coefficients[j]) * 1e-12);
            }

            Assert.Equal(a.Scores.Metrics.MapePercent, b.Scores.Metrics.MapePercent, 1e-9);
            foreach (var (protocol, q) in a.Intervals)
            {
                Assert.Equal(q, b.Intervals[protocol], 1e-12);
                Assert.Equal(a.IntervalCoverage[protocol], b.IntervalCoverage[protocol], 1e-12);
            }
        }

        Assert.Equal(shipped.Training!.Ranges.Keys, refit.Training!.Ranges.Keys);
        Assert.Equal(shipped.Training.Architectures, refit.Training.Architectures);
    }
}
