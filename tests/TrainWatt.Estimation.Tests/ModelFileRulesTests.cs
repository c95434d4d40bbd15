using System.Text.Json.Nodes;
using TrainWatt.Core.Reference;

namespace TrainWatt.Estimation.Tests;

/// <summary>
/// Issue 13: a PRE model file that would crash or give wrong numbers is refused when read, naming the key and the rule.
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

    [Theory]
    [InlineData("target_transform", "sqrt", "models.power.target_transform \"sqrt\" is unknown; a model file uses identity, log, tdp-fraction or log-per-sample.")]
    [InlineData("feature_map", "cubic", "models.power.feature_map \"cubic\" is unknown; a model file uses paper10, log9 or load.")]
    public void Unknown_names_are_refused_with_the_choices(string key, string value, string expected)
        => Assert.Equal($"m.json: {expected}", Refused(m => m["models"]!["power"]![key] = value));
}
