using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Onnx;
using TrainWatt.Testing;

namespace TrainWatt.Architecture.Tests.Corpus;

/// <summary>
/// Models exported by PyTorch's own exporter (torch 1.13, torchvision 0.14, random weights) and committed without
/// their weight bytes (generate_corpus.py in this folder: weights become external data that is not committed, so
/// every initializer has a shape and no payload). Oracles: torchvision's published GFLOPS (its weights' meta
/// "_ops", multiply-accumulates of conv/linear/matmul at 224 x 224) and hand derivations per layer for the encoder
/// and the GPT below.
/// </summary>
public sealed class ExportedModelsTests
{
    private static string PathOf(string name) => Path.Combine(SharedData.RepositoryRoot, "tests", "TrainWatt.Architecture.Tests", "Corpus", name + ".onnx");

    private static FlopsResult Count(string name, CountOptions? options = null) => FlopsCounter.Count(OnnxReader.ReadFile(PathOf(name)), options);

    // Oracle: torchvision models' weight meta (torchvision/models/*.py, "_ops" = GFLOPS column of the docs' table,
    // multiply-accumulates at 224 x 224, batch 1): ViT_B_16 17.564, Swin_T 4.491, ResNet18 1.814, MobileNet_V2
    // 0.301, VGG16 15.47, EfficientNet_B0 0.386, ConvNeXt_Tiny 4.456, DenseNet121 2.834, RegNet_Y_400MF 0.402,
    // ShuffleNet_V2_X1_0 0.145.
    [Theory]
    [InlineData("vit_b_16", 17.564)]
    [InlineData("swin_t", 4.491)]
    [InlineData("resnet18", 1.814)]
    [InlineData("mobilenet_v2", 0.301)]
    [InlineData("vgg16", 15.47)]
    [InlineData("efficientnet_b0", 0.386)]
    [InlineData("convnext_tiny", 4.456)]
    [InlineData("densenet121", 2.834)]
    [InlineData("regnet_y_400mf", 0.402)]
    [InlineData("shufflenet_v2_x1_0", 0.145)]
    public void Torchvision_Exports_Match_Published_MACs_Within_3_Percent(string name, double publishedGmacs)
    {
        var r = Count(name);
        Assert.False(r.Partial, string.Join("; ", r.Warnings.Concat(r.UnknownOps)));
        Assert.Empty(r.Assumptions);
        double error = (r.Macs / 1e9 - publishedGmacs) / publishedGmacs;
        Assert.True(Math.Abs(error) <= 0.03, $"{name}: {r.Macs / 1e9:0.000} G MACs vs published {publishedGmacs} G ({error:P2})");
    }

    /// <summary>
    /// Hand derivation, torch.nn.TransformerEncoder (generate_corpus.py: d = 256, 8 heads, feed-forward f = 1024,
    /// L = 4 layers, post-norm, ReLU) over a sequence of S tokens, batch 1, per layer: in-projection S·d·3d,
    /// Q·Kᵀ over all heads S·S·d, attention·V S·S·d, out-projection S·d·d, feed-forward 2·S·d·f:
    /// MACs = L·(4·S·d² + 2·S²·d + 2·S·d·f). The embedding is a Gather (no MACs).
    /// </summary>
    private static long EncoderMacs(long s, long d = 256, long f = 1024, long layers = 4) => layers * ((4 * s * d * d) + (2 * s * s * d) + (2 * s * d * f));

    /// <summary>
    /// Hand derivation, the GPT of generate_corpus.py (d = 128, 4 heads, L = 2 blocks, MLP 4d, vocabulary V = 1000)
    /// over T tokens, batch 1, per block: QKV T·d·3d, Q·Kᵀ T²·d, attention·V T²·d (the causal mask is applied after
    /// a full product, as exported), projection T·d², MLP 2·T·d·4d; plus the LM head T·d·V:
    /// MACs = L·(12·T·d² + 2·T²·d) + T·d·V.
    /// </summary>
    private static long GptMacs(long t, long d = 128, long layers = 2, long vocab = 1000) => (layers * ((12 * t * d * d) + (2 * t * t * d))) + (t * d * vocab);

    [Fact]
    public void Vit_B_16_Export_Has_The_Published_Parameter_Count()
    {
        // Oracle: torchvision ViT_B_16_Weights meta "num_params": 86,567,656 (no BatchNorm to fold, so the export keeps
        // every parameter as an initializer).
        Assert.Equal(86_567_656, Count("vit_b_16").TrainableParams);
    }

    [Fact]
    public void Swin_T_Export_Parameters_Are_The_Published_Count_With_Bias_Tables_Folded()
    {
        // Oracle: torchvision Swin_T_Weights meta "num_params": 28,288,354. The exporter constant-folds each block's
        // relative-position bias table[index] ([169, heads] -> [heads, 49, 49]); blocks per stage 2, 2, 6, 2 with 3, 6,
        // 12, 24 heads: 138 head-blocks, so the tables' 169·138 = 23,322 values become 49·49·138 = 331,338.
        Assert.Equal(28_288_354 - 23_322 + 331_338, Count("swin_t").TrainableParams);
    }

    [Fact]
    public void TransformerEncoder_With_A_Symbolic_Sequence_States_The_Assumed_Length_And_Matches_The_Hand_Count()
    {
        var assumed = Count("transformer_encoder");
        Assert.False(assumed.Partial, string.Join("; ", assumed.Warnings.Concat(assumed.UnknownOps)));
        Assert.Equal(EncoderMacs(128), assumed.Macs); // 436,207,616
        Assert.Contains(assumed.Assumptions, a => a.Contains("sequence length 128", StringComparison.Ordinal));

        // Parameters by hand: embedding V·d = 256,000; per layer in-projection 3d² + 3d = 197,376, out-projection
        // d² + d = 65,792, feed-forward 2·d·f + f + d = 525,568, two LayerNorms 4d = 1,024 -> 789,760; 4 layers.
        Assert.Equal(256_000 + (4 * 789_760), assumed.TrainableParams);

        var given = Count("transformer_encoder", new CountOptions { InputShapes = new Dictionary<string, long[]> { ["input"] = [1, 512] } });
        Assert.Equal(EncoderMacs(512), given.Macs);
        Assert.Empty(given.Assumptions);
    }

    [Fact]
    public void Gpt_Decoder_With_Causal_Attention_Matches_The_Hand_Count()
    {
        var assumed = Count("gpt_small");
        Assert.False(assumed.Partial, string.Join("; ", assumed.Warnings.Concat(assumed.UnknownOps)));
        Assert.Equal(GptMacs(128), assumed.Macs); // 75,104,256
        Assert.Contains(assumed.Assumptions, a => a.Contains("sequence length 128", StringComparison.Ordinal));

        // Parameters by hand: token V·d = 128,000, positions 256·d = 32,768; per block two LayerNorms 4d = 512, QKV
        // 3d² + 3d = 49,536, projection d² + d = 16,512, MLP 8d² + 5d = 131,712 -> 198,272; final LayerNorm 2d = 256;
        // head d·V = 128,000. The causal mask is a bool buffer, not trainable.
        Assert.Equal(128_000 + 32_768 + (2 * 198_272) + 256 + 128_000, assumed.TrainableParams);

        // Batch 2 and 200 tokens (within the 256-token mask buffer): twice the one-sequence count.
        var given = Count("gpt_small", new CountOptions { Batch = 2, InputShapes = new Dictionary<string, long[]> { ["input"] = [200] } });
        Assert.Equal(2 * GptMacs(200), given.Macs);
    }

    [Theory]
    [InlineData("vit_b_16")]
    [InlineData("swin_t")]
    [InlineData("transformer_encoder")]
    [InlineData("gpt_small")]
    [InlineData("vgg16")]
    public void Committed_Files_Are_Small_And_Hold_No_Weights(string name)
    {
        var info = new FileInfo(PathOf(name));
        Assert.True(info.Length <= 3 << 19, $"{name}.onnx is {info.Length} bytes");
        var model = OnnxReader.ReadFile(PathOf(name));
        Assert.Contains(model.Graph.Initializers, t => t.IsExternal && t.StoredPayloadBytes == 0);
    }
}
