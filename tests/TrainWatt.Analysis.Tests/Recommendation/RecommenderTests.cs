using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Core.Units;
using TrainWatt.Testing;

namespace TrainWatt.Analysis.Tests.Recommendation;

public sealed class RecommenderTests
{
    private static Observation Run(string arch, double joulesPerSample, double f1) =>
        new($"{arch}-{joulesPerSample}-{f1}", new Dictionary<string, string> { ["architecture"] = arch },
            Energy.FromJoules(joulesPerSample * 1000), null, 1000, new Dictionary<string, double> { ["f1"] = f1 });

    [Fact]
    public void Seaa_f1_within_two_points_picks_mobilenet_on_the_rtx_3070_with_the_golden_saving_against_vgg16()
    {
        // Oracle: Golden/seaa2023.json "recommend", computed by pandas medians over ../shared runs.csv in the script;
        // README of the data: "about 81 % less energy for about 1.1-1.4 % lower F1".
        var expected = Golden.Load("seaa2023.json").GetProperty("recommend");
        var runs = Seaa2023Runs.Load(SharedData.RequireSeaa2023());
        var result = Recommender.Recommend(runs, ["architecture", "environment"], Metric.Parse("f1"), 0.02);

        Assert.Equal("mobilenet_v2", result.Chosen.Key["architecture"]);
        Assert.Equal("Local ML Engineer/Gamer", result.Chosen.Key["environment"]);
        Assert.Equal(["Cloud", "vgg16"], new[] { result.MostAccurate.Key["environment"], result.MostAccurate.Key["architecture"] });
        Golden.Close(expected.D("f1_best") - expected.D("f1_mobilenet_v2_local"), result.ScoreLoss, 1e-12, "F1 loss");
        var vsVgg = result.Savings.Single(s => s.Against.Key["architecture"] == "vgg16" && s.Against.Key["environment"] == "Local ML Engineer/Gamer");
        Golden.Close(expected.D("saving_vs_vgg16_local"), vsVgg.Fraction, 1e-12, "saving vs VGG16 on the RTX 3070");
        Assert.InRange(vsVgg.Fraction, 0.80, 0.82);
        Assert.True(vsVgg.Lower <= vsVgg.Fraction && vsVgg.Fraction <= vsVgg.Upper, $"CI [{vsVgg.Lower}, {vsVgg.Upper}] must hold the point saving");
        Assert.True(result.Chosen.OnParetoFront);
        Assert.Equal(11, result.Savings.Count); // 12 configurations in runs.csv (5 Cloud, 5 RTX 3070, 2 GTX 750 Ti)
    }

    [Fact]
    public void Hand_made_points_give_the_derived_choice_front_and_saving()
    {
        // Hand derivation (3 runs each, medians): A cost 1.0 f1 0.95; B cost 2.0 f1 0.99; C cost 3.0 f1 0.97 (dominated
        // by B); D cost 0.5 f1 0.90. Best f1 = B 0.99; within 0.05 -> {A, B, C}; cheapest A; saving vs B = 1 - 1/2 = 0.5.
        var runs = new[]
        {
            Run("A", 0.9, 0.95), Run("A", 1.0, 0.95), Run("A", 1.1, 0.95),
            Run("B", 1.9, 0.99), Run("B", 2.0, 0.99), Run("B", 2.1, 0.99),
            Run("C", 2.9, 0.97), Run("C", 3.0, 0.97), Run("C", 3.1, 0.97),
            Run("D", 0.4, 0.90), Run("D", 0.5, 0.90), Run("D", 0.6, 0.90),
        };
        var result = Recommender.Recommend(runs, ["architecture"], Metric.Parse("f1"), 0.05);
        Assert.Equal("A", result.Chosen.Label);
        Assert.Equal("B", result.MostAccurate.Label);
        Assert.Equal(0.04, result.ScoreLoss, 12);
        Assert.Equal(["A", "B", "D"], result.Points.Where(p => p.OnParetoFront).Select(p => p.Label).Order());
        Assert.Equal(0.5, result.Savings.Single(s => s.Against.Label == "B").Fraction, 12);

        // With max loss 0.10, D (0.90 = 0.99 - 0.09) qualifies and is cheaper.
        Assert.Equal("D", Recommender.Recommend(runs, ["architecture"], Metric.Parse("f1"), 0.10).Chosen.Label);
    }

    [Fact]
    public void Predicted_points_are_mixed_in_marked_and_carry_no_ci()
    {
        var runs = new[] { Run("A", 1.0, 0.95), Run("A", 1.2, 0.95), Run("B", 2.0, 0.99), Run("B", 2.2, 0.99) };
        var predicted = new[] { new PredictedPoint(new Dictionary<string, string> { ["architecture"] = "P" }, 0.25, 0.985) };
        var result = Recommender.Recommend(runs, ["architecture"], Metric.Parse("f1"), 0.02, predicted: predicted);

        // Hand derivation: best f1 0.99 (B); within 0.02: B and P; P is cheapest (0.25) -> chosen, marked predicted.
        Assert.True(result.Chosen.Predicted);
        Assert.Equal("P (predicted)", result.Chosen.Label);
        Assert.Null(result.Chosen.CostCi);
        var vsB = result.Savings.Single(s => s.Against.Label == "B");
        Assert.Equal(1 - (0.25 / 2.1), vsB.Fraction, 12);
        Assert.Null(vsB.Lower);
        Assert.Contains(result.Notes, n => n.Contains("predicted", StringComparison.Ordinal));
    }
}
