using TrainWatt.Core.Reference;
using TrainWatt.Estimation;
using TrainWatt.Measurement.Pre;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Pre;

/// <summary><see cref="PreEstimation"/>: the estimate, its baselines and footprint, and a stored run against what it measured.</summary>
public sealed class PreEstimationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private HostContext Host() => new(TimeProvider.System, new Dictionary<string, string?> { ["HOME"] = _temp.Path, [PreModels.ModelsVariable] = _temp.File("models") });

    /// <summary>The paper's VGG16 run on the RTX 3090 (Chesslive, 128 x 128).</summary>
    private static PreEstimateRequest Vgg16(EpochRange epochs) =>
        new(10.0288, null, null, GpuSpecTable.Default.Find("RTX 3090"), 32, new ImageSize(128, 128), 23807, 10203, epochs);

    [Fact]
    public void Estimate_Gives_The_Baselines_Of_The_Same_Run_On_Its_Predicted_Duration()
    {
        var report = PreEstimation.Estimate(Vgg16(EpochRange.Exactly(80)) with { Model = PreModelChoice.Default }, Host());
        Assert.Equal("default", report.Model.Name);
        Assert.Equal("given (--gflops)", report.GflopsSource);
        double seconds = report.Estimate.EpochDuration.TotalSeconds * 80;
        var gpu = report.Run.Gpu;
        var b = report.Baselines.ToDictionary(x => x.Name, x => x.Energy.Joules);
        // Hand: ML CO2 Impact = TDP x t; Green Algorithms = (TDP + 0.3725 W/GB x 16 GB) x t; FLOPs/TDP = TDP x
        // (3 x GFLOPs x train + GFLOPs x val) x epochs / FP32 peak.
        Assert.Equal(350 * seconds, b["ml_co2_impact"], 1e-6);
        Assert.Equal((350 + 0.3725 * 16) * seconds, b["green_algorithms"], 1e-6);
        Assert.Equal(350 * 10.0288e9 * (3.0 * 23807 + 10203) * 80 / (gpu.Fp32Teraflops * 1e12), b["flops_tdp"], 1e-6);
        Assert.Equal(report.Estimate.Total(80), report.Footprint.ItEnergy);
        Assert.NotNull(report.Footprint.Emissions); // world average intensity by default
    }

    [Fact]
    public void An_Epoch_Range_Estimates_At_Its_Middle_And_Spans_Both_Ends()
    {
        var report = PreEstimation.Estimate(Vgg16(EpochRange.Parse("60-100")) with { Model = PreModelChoice.Default, Pue = 1.2 }, Host());
        Assert.Equal(80, report.Epochs.Midpoint);
        Assert.Equal(report.Estimate.Total(80).Joules * 1.2, report.Footprint.FacilityEnergy.Joules, 1e-6);
        Assert.Throws<PreModels.InputException>(() => EpochRange.Parse("100-60"));
    }

    [Fact]
    public void A_Run_The_Model_Cannot_Describe_Is_An_Input_Error_Naming_The_Value()
    {
        var ex = Assert.Throws<PreModels.InputException>(() => PreEstimation.Estimate(Vgg16(EpochRange.Exactly(5)) with { BatchSize = 0, Model = PreModelChoice.Default }, Host()));
        Assert.Contains("batch size", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TRAINWATT_PAPER_MODELS", Assert.Throws<PreModels.InputException>(() => PreEstimation.Estimate(Vgg16(EpochRange.Exactly(5)) with { Model = PreModelChoice.Paper }, Host())).Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of --arch", Assert.Throws<PreModels.InputException>(() => PreEstimation.Estimate(Vgg16(EpochRange.Exactly(5)) with { Architecture = "vgg16" }, Host())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Papers_Gflops_Replace_TrainWatts_Count_Only_For_The_Paper_Model()
    {
        // Oracle: paper-notes 1.2, VGG16 at 128 x 128: 10.0288 GFLOPs (TF profiler).
        Assert.Equal(10.0288, PaperGflopsFeature.ForPaperModel(PreModelChoice.Paper, "VGG16", 128, 128, 10.0287)!.Value.Gflops);
        Assert.Null(PaperGflopsFeature.ForPaperModel(PreModelChoice.Default, "vgg16", 128, 128, 10.0287));
        Assert.Null(PaperGflopsFeature.ForPaperModel(null, "vgg16", 128, 128, 10.0287));
        Assert.Null(PaperGflopsFeature.ForPaperModel(PreModelChoice.Paper, "vgg16", 224, 224, 30.9));
    }

    [Theory]
    [InlineData("paper", PreModelKind.Paper, "paper")]
    [InlineData("LATEST", PreModelKind.Latest, "latest")]
    [InlineData(" default ", PreModelKind.Default, "default")]
    [InlineData("models/pre-model-v3.json", PreModelKind.File, "models/pre-model-v3.json")]
    public void Model_Choices_Parse_And_Print_As_Written_On_The_Command_Line(string text, PreModelKind kind, string printed)
    {
        var choice = PreModelChoice.Parse(text);
        Assert.Equal(kind, choice.Kind);
        Assert.Equal(printed, choice.ToString());
    }

    [Theory]
    [InlineData("128x96", 128, 96)]
    [InlineData("64", 64, 64)]
    [InlineData("3x224x224", 224, 224)]
    public void Image_Sizes_Parse(string text, int height, int width) => Assert.Equal(new ImageSize(height, width), ImageSize.Parse(text));

    [Fact]
    public void A_Stored_Run_Is_Found_And_Described_Or_The_Error_Says_Which()
    {
        using var store = SqliteRunStore.Open(_temp.File("runs.db"));
        long id = store.CreateRun(new NewRun("measure", DateTimeOffset.UnixEpoch));
        store.FinishRun(id, RunStatus.Completed, DateTimeOffset.UnixEpoch.AddSeconds(10), 0);
        Assert.Equal(42, Assert.Throws<TrainWatt.Storage.RunNotFoundException>(() => PreEstimation.EstimateStoredRun(store, 42, null, null, null, Host())).RunId);
        var undescribed = Assert.Throws<InvalidDataException>(() => PreEstimation.EstimateStoredRun(store, id, null, null, null, Host()));
        Assert.Contains($"run {id} cannot be estimated: no PRE feature", undescribed.Message, StringComparison.Ordinal);
    }
}
