using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;

namespace TrainWatt.Architecture.Tests.Catalog;

/// <summary>Catalog networks against published parameter and MAC counts (224 x 224, batch 1, ImageNet top).</summary>
public sealed class PublishedFiguresTests
{
    private static FlopsResult Count(string name, CatalogVariant variant, double alpha = 1.0)
        => FlopsCounter.Count(ModelCatalog.Build(name, new CatalogOptions { Variant = variant, Alpha = alpha }));

    private static void AssertWithin(double expected, double actual, double tolerance)
        => Assert.True(Math.Abs(actual - expected) <= tolerance * expected, $"expected {expected:E4} ± {tolerance:P0}, got {actual:E4} ({(actual - expected) / expected:P2})");

    [Fact]
    public void Torchvision_ResNet50_Matches_Published_Params_And_MACs()
    {
        // Oracle: torchvision model docs (ResNet50_Weights.IMAGENET1K_V1): 25,557,032 params, 4.09 GFLOPS (torchvision
        // counts multiply-accumulates of conv/linear); thop: 25,557,032 params (landscape.md 4.8).
        var r = Count("resnet50", CatalogVariant.Torchvision);
        Assert.Equal(25_557_032, r.TrainableParams);
        AssertWithin(4.09e9, r.Macs, 0.02);
        Assert.False(r.Partial);
    }

    [Fact]
    public void Vgg16_Matches_Published_Params_And_MACs()
    {
        // Oracle: torchvision docs VGG16_Weights.IMAGENET1K_V1: 138,357,544 params, 15.47 GFLOPS (MACs);
        // keras.applications VGG16 table: 138,357,544 params (no BatchNorm, so both counts agree).
        var r = Count("vgg16", CatalogVariant.Torchvision);
        Assert.Equal(138_357_544, r.Params);
        Assert.Equal(138_357_544, r.TrainableParams);
        AssertWithin(15.47e9, r.Macs, 0.02);
    }

    [Fact]
    public void Torchvision_MobileNetV2_Matches_Published_Params_And_MACs()
    {
        // Oracle: torchvision docs MobileNet_V2_Weights.IMAGENET1K_V1: 3,504,872 params, 0.30 GFLOPS (MACs).
        var r = Count("mobilenetv2", CatalogVariant.Torchvision);
        Assert.Equal(3_504_872, r.TrainableParams);
        AssertWithin(0.30e9, r.Macs, 0.02);
    }

    [Fact]
    public void Keras_MobileNetV2_Total_Params_Include_BatchNorm_Moving_Statistics()
    {
        // Oracle: keras.applications MobileNetV2 summary "Total params: 3,538,984" (trainable 3,504,872 as torchvision).
        var r = Count("mobilenetv2", CatalogVariant.Keras);
        Assert.Equal(3_538_984, r.Params);
        Assert.Equal(3_504_872, r.TrainableParams);
    }

    [Fact]
    public void Keras_Xception_Params_Match_Keras_Applications_Table()
    {
        // Oracle: keras.io/api/applications table and Xception summary "Total params: 22,910,480".
        Assert.Equal(22_910_480, Count("xception", CatalogVariant.Keras).Params);
    }

    [Fact]
    public void Keras_InceptionV3_Params_Match_Keras_Applications_Table()
    {
        // Oracle: keras InceptionV3 summary "Total params: 23,851,784" (BatchNorm scale=False: no gamma).
        Assert.Equal(23_851_784, Count("inceptionv3", CatalogVariant.Keras).Params);
    }

    [Fact]
    public void Keras_NasNetMobile_Params_Match_Keras_Applications_Table()
    {
        // Oracle: keras NASNetMobile summary "Total params: 5,326,716".
        Assert.Equal(5_326_716, Count("nasnetmobile", CatalogVariant.Keras).Params);
    }

    [Fact]
    public void Keras_ResNet50_Params_Match_Keras_Applications_Table()
    {
        // Oracle: keras ResNet50 summary "Total params: 25,636,712" (conv biases + BN moving statistics).
        Assert.Equal(25_636_712, Count("resnet50", CatalogVariant.Keras).Params);
    }

    [Fact]
    public void Torchvision_ResNet18_Matches_Published_Params_And_MACs()
    {
        // Oracle: torchvision docs ResNet18_Weights.IMAGENET1K_V1: 11,689,512 params, 1.81 GFLOPS (MACs).
        var r = Count("resnet18", CatalogVariant.Torchvision);
        Assert.Equal(11_689_512, r.TrainableParams);
        AssertWithin(1.81e9, r.Macs, 0.02);
    }

    [Fact]
    public void Torchvision_EfficientNetB0_Matches_Published_Params_And_MACs()
    {
        // Oracle: torchvision docs EfficientNet_B0_Weights.IMAGENET1K_V1: 5,288,548 params, 0.39 GFLOPS (MACs).
        var r = Count("efficientnet-b0", CatalogVariant.Torchvision);
        Assert.Equal(5_288_548, r.TrainableParams);
        AssertWithin(0.39e9, r.Macs, 0.02);
    }

    [Fact]
    public void Keras_EfficientNetB0_Params_Match_Keras_Applications_Table()
    {
        // Oracle: keras EfficientNetB0 summary "Total params: 5,330,571" (torchvision's 5,288,548 + 42,016 BatchNorm
        // moving statistics + 7 Normalization weights). Same convolutions as torchvision at 224 px, so same MACs.
        var keras = Count("efficientnet-b0", CatalogVariant.Keras);
        Assert.Equal(5_330_571, keras.Params);
        Assert.Equal(Count("efficientnet-b0", CatalogVariant.Torchvision).Macs, keras.Macs);
    }

    [Fact]
    public void Torchvision_VitB16_Matches_Published_Params_And_MACs()
    {
        // Oracle: torchvision docs ViT_B_16_Weights.IMAGENET1K_V1: 86,567,656 params, 17.56 GFLOPS (MACs incl. attention).
        var r = Count("vit-b16", CatalogVariant.Torchvision);
        Assert.Equal(86_567_656, r.TrainableParams);
        AssertWithin(17.56e9, r.Macs, 0.02);
        Assert.False(r.Partial);
    }
}
