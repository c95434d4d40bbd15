using TrainWatt.Core.Reference;
using TrainWatt.Estimation;
using TrainWatt.Testing;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// PRE model files (<see cref="CompactPreModel.Parse"/>, which <see cref="CompactPreModel.Load"/> calls on the file's
/// text, then <see cref="CompactPreModel.Estimate"/> as <c>trainwatt estimate --model FILE</c> does): a malformed model
/// is a <see cref="PreModelException"/>; nothing else may escape, neither from loading nor from estimating with a
/// model that loaded.
/// </summary>
public sealed class PreModelFuzzTests
{
    public const int Cases = 1_500;
    private const int Seed = 13_006;

    private static readonly byte[] DefaultModel = File.ReadAllBytes(Path.Combine(SharedData.RepositoryRoot, "data", "pre-default-model.json"));

    private static readonly Lazy<RunDescription> Run = new(() =>
        new RunDescription(1.5, GpuSpecTable.Default.Find("RTX 3090"), 32, 128, 128, 10_000, 2_000, 16));

    private static readonly string[] ModelReplacements =
    [
        "\"trainwatt-pre-model\"", "[0, 0, 0, 0, 0, 0]", "[1e308, 1e308, 1e308, 1e308, 1e308, 1e308]", "[-1e308, 0, 0, 0, 0, 0]",
        "[\"ln_step_load\", \"ln_gflops\", \"ln_batch\", \"ln_pixels\", \"ln_fp32_tflops\", \"ln_tdp_w\"]", "{\"kfold\": 1e400}", "{\"kfold\": -1}",
        "[0, 0, 0]", "[-1e308, 0, 0]", "[1e308, 1e-300, 1]", "\"power-x-duration\"", "\"step-time\"", "\"none\"", "{\"grouped-kfold\": 2}", "{\"min\": 1e308, \"max\": -1}",
    ];

    internal static FuzzCase Generate(int index, Random rng)
    {
        byte[] data = rng.Next(3) != 0
            ? JsonMutator.Mutate(DefaultModel, rng, out string how, ModelReplacements)
            : Mutator.Mutate(DefaultModel, rng, out how);
        return new FuzzCase(index, how, data);
    }

    internal static void Check(FuzzCase fuzz)
    {
        var model = CompactPreModel.Parse(System.Text.Encoding.UTF8.GetString(fuzz.Input), $"fuzz-{fuzz.Index}.json");
        _ = model.Description;
        _ = model.Estimate(Run.Value);
    }

    private static string DefaultModelWith(string target, string key, string json)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(DefaultModel)!;
        root["models"]![target]![key] = System.Text.Json.Nodes.JsonNode.Parse(json);
        return root.ToJsonString();
    }

    [Fact]
    public void Bug_A_Model_With_An_Unknown_Target_Transform_Is_Refused_When_Loaded()
    {
        string json = DefaultModelWith("power", "target_transform", "\"nosuch\"");
        var e = Assert.Throws<PreModelException>(() => CompactPreModel.Parse(json, "model.json"));
        Assert.Contains("model.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("target_transform", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("power", "intercept", "1e308")]
    [InlineData("epoch-duration", "coefficients", "[1e308, 1e308, 1e308]")] // epoch energy is power x duration in the default model: its own intercept is unused
    [InlineData("epoch-duration", "intercept", "1e308")]
    [InlineData("epoch-duration", "sd", "[-1e308, 0, 0, 0, 0, 0]")]
    public void Bug_A_Model_Whose_Estimate_Is_Not_Finite_Fails_With_PreModelException(string target, string key, string json)
    {
        string model = DefaultModelWith(target, key, json);
        Assert.Throws<PreModelException>(() => CompactPreModel.Parse(model, "model.json").Estimate(Run.Value));
    }

    [Fact]
    public void Bug_A_Model_Whose_Held_Out_Protocol_Is_Null_Is_Refused_When_Loaded()
    {
        // fuzz seed 13006 case 320: "protocol": null loaded, and estimating threw ArgumentNullException (key)
        string model = DefaultModelWith("epoch-energy", "held_out", "{\"protocol\": null, \"r2\": 0.9, \"mape\": 0.1, \"rmse\": 1, \"mae\": 1, \"n\": 10, \"interval_log_q90\": 0.5}");
        var e = Assert.Throws<PreModelException>(() => CompactPreModel.Parse(model, "model.json"));
        Assert.Contains("held_out.protocol", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_Models_Load_And_Estimate_Or_Fail_With_PreModelException()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("PRE model JSON", Seed, Cases)
            {
                Documented = e => e is PreModelException,
            },
            Generate,
            Check,
            minAccepted: Cases / 20,
            minRejected: Cases / 4);
    }
}
