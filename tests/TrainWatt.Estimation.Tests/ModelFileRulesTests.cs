using System.Text.Json.Nodes;
using TrainWatt.Core.Reference;

namespace TrainWatt.Estimation.Tests;

/// <summary>
/// Issue 13: a PRE model file that would give wrong numbers (an inverted interval, a model predicting 0 W, a format
/// this reader does not know) is refused when read, naming the key and the rule.
/// </summary>
public sealed class ModelFileRulesTests
{
    private static RunDescription Vgg16On3090() => new(10.0288, GpuSpecTable.Default.Find("RTX 3090"), 32, 128, 128, 23807, 10203, 16);

    private static string Edited(Action<JsonNode> edit)
    {
        var root = JsonNode.Parse(CompactPreModel.Default.ToJson())!;
        edit(root);
        return root.ToJsonString();
    }

    private static string Refused(Action<JsonNode> edit)
        => Assert.Throws<PreModelException>(() => CompactPreModel.Parse(Edited(edit), "m.json")).Message;

    [Fact]
    public void The_shipped_model_passes_every_rule()
    {
        var back = CompactPreModel.Parse(CompactPreModel.Default.ToJson(), "m.json");
        Assert.True(back.Estimate(Vgg16On3090()).AveragePower.Watts > 0);
    }

    [Fact]
    public void A_negative_interval_quantile_is_refused()
    {
        Assert.Equal(
            "m.json: models.power.held_out.interval_log_q90 is -0.3; it is a quantile of |ln(actual/predicted)| and must be a finite number >= 0 (a negative one inverts the interval).",
            Refused(m => m["models"]!["power"]!["held_out"]!["interval_log_q90"] = -0.3));
        Assert.Equal(
            "m.json: models.epoch-energy.intervals_log_q90.grouped-kfold is -1; it is a quantile of |ln(actual/predicted)| and must be a finite number >= 0 (a negative one inverts the interval).",
            Refused(m => m["models"]!["epoch-energy"]!["intervals_log_q90"]!["grouped-kfold"] = -1));
    }

    [Fact]
    public void An_intercept_that_predicts_0_W_is_refused()
    {
        Assert.Equal(
            "m.json: models.power.intercept -1000 predicts 0 W at the fitting rows' average (log-capped-at-tdp transform: e^-1000); a model must predict a positive, finite power: re-fit it.",
            Refused(m => m["models"]!["power"]!["intercept"] = -1000));
        Assert.Equal(
            "m.json: models.epoch-duration.intercept -5 predicts a duration <= 0 at the fitting rows' average (identity transform: -5 s); a model must predict a positive, finite duration: re-fit it.",
            Refused(m => m["models"]!["epoch-duration"]!["intercept"] = -5));
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        Assert.Equal(
            "m.json: format_version 999 is not one this TrainWatt reads (1); upgrade TrainWatt, or export the model again with `trainwatt fit --export`.",
            Refused(m => m["format_version"] = 999));
        Assert.Contains("format_version is missing", Refused(m => m.AsObject().Remove("format_version")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target_transform", "sqrt", "models.power.target_transform \"sqrt\" is unknown; a model file uses identity, log, tdp-fraction, log-per-sample, power-x-duration or log-capped-at-tdp.")]
    [InlineData("feature_map", "cubic", "models.power.feature_map \"cubic\" is unknown; a model file uses paper10, log9, load, step-time or none.")]
    public void Unknown_names_are_refused_with_the_choices(string key, string value, string expected)
        => Assert.Equal($"m.json: {expected}", Refused(m => m["models"]!["power"]![key] = value));

    [Fact]
    public void A_coverage_outside_0_to_1_and_a_non_positive_layer_count_are_refused()
    {
        Assert.Equal(
            "m.json: models.epoch-energy.interval_coverage.grouped-kfold is 1.5; it is a share of held-out runs and must be from 0 to 1.",
            Refused(m => m["models"]!["epoch-energy"]!["interval_coverage"]!["grouped-kfold"] = 1.5));
        Assert.Equal(
            "m.json: models.epoch-duration.assumed_layers is 0; it is a layer count and must be a finite number > 0.",
            Refused(m => m["models"]!["epoch-duration"]!["assumed_layers"] = 0));
    }

    [Fact]
    public void Power_x_duration_is_refused_outside_epoch_energy()
        => Assert.Equal( // power = power x duration would recurse without end
            "m.json: models.power.target_transform \"power-x-duration\" is for epoch-energy only (energy = power x duration); power needs a model of its own.",
            Refused(m => m["models"]!["power"]!["target_transform"] = "power-x-duration"));

    [Fact]
    public void A_zero_standard_deviation_is_refused()
        => Assert.Equal(
            "m.json: models.power.sd[2] is 0; a standard deviation must be a finite number > 0 (features are divided by it).",
            Refused(m => m["models"]!["power"]!["sd"]![2] = 0));

    [Fact]
    public void A_prediction_of_0_W_for_one_run_is_an_error_not_an_estimate()
    {
        // A power coefficient so large that this run's power underflows to 0 W (the average run's is fine).
        var model = CompactPreModel.Parse(Edited(m => m["models"]!["power"]!["coefficients"]![1] = -1000), "m.json");
        var e = Assert.Throws<PreModelException>(() => model.Estimate(Vgg16On3090()));
        Assert.StartsWith("m.json: models.power predicts 0 W for this run;", e.Message, StringComparison.Ordinal);
    }
}
