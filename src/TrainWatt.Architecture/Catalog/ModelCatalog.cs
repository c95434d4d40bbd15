using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Catalog;

/// <summary>A catalog entry: canonical name, default variant and the variants it has.</summary>
public sealed record CatalogEntry(string Name, string Description, CatalogVariant DefaultVariant, IReadOnlyList<CatalogVariant> Variants);

/// <summary>
/// Standard architectures built in code as ONNX graphs (not typed-in totals), at any input size and class count.
/// Use <see cref="Build"/> to get a graph and <see cref="Counting.FlopsCounter"/> to count it, or
/// <see cref="PaperOptions"/> for the configurations of the paper (128 x 128 input, GAP and the paper's heads).
/// </summary>
public static class ModelCatalog
{
    public static IReadOnlyList<CatalogEntry> Entries { get; } =
    [
        new("mobilenetv2", "MobileNetV2 (width multiplier --alpha)", CatalogVariant.Keras, [CatalogVariant.Keras, CatalogVariant.Torchvision]),
        new("nasnetmobile", "NASNet-A Mobile (Keras)", CatalogVariant.Keras, [CatalogVariant.Keras]),
        new("xception", "Xception (Keras)", CatalogVariant.Keras, [CatalogVariant.Keras]),
        new("resnet50", "ResNet-50 (Keras v1: stride in 1x1, conv biases; torchvision v1.5: stride in 3x3, no biases)", CatalogVariant.Keras, [CatalogVariant.Keras, CatalogVariant.Torchvision]),
        new("vgg16", "VGG-16", CatalogVariant.Keras, [CatalogVariant.Keras, CatalogVariant.Torchvision]),
        new("inceptionv3", "Inception-v3 (Keras)", CatalogVariant.Keras, [CatalogVariant.Keras]),
        new("resnet18", "ResNet-18 (torchvision)", CatalogVariant.Torchvision, [CatalogVariant.Torchvision]),
        new("efficientnet-b0", "EfficientNet-B0 (Keras adds Rescaling + Normalization inside the model)", CatalogVariant.Torchvision, [CatalogVariant.Torchvision, CatalogVariant.Keras]),
        new("vit-b16", "ViT-B/16 (torchvision)", CatalogVariant.Torchvision, [CatalogVariant.Torchvision]),
    ];

    /// <summary>Finds an entry by name, ignoring case, '-', '_' and '/' (e.g. "ResNet50", "vit_b_16", "EfficientNetB0").</summary>
    public static CatalogEntry? Find(string name)
    {
        string key = Normalize(name);
        return Entries.FirstOrDefault(e => Normalize(e.Name) == key || Aliases(e.Name).Contains(key));
    }

    private static string Normalize(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static string[] Aliases(string name) => name switch
    {
        "vit-b16" => ["vitb16", "vitbase16", "vitb"],
        "efficientnet-b0" => ["efficientnetb0", "effnetb0"],
        "nasnetmobile" => ["nasnet", "nasnetamobile"],
        "mobilenetv2" => ["mobilenet2"],
        _ => [],
    };

    /// <summary>Builds the named network. Throws <see cref="ArgumentException"/> for an unknown name or variant.</summary>
    public static OnnxModel Build(string name, CatalogOptions? options = null)
    {
        options ??= new CatalogOptions();
        var entry = Find(name) ?? throw new ArgumentException(
            $"Unknown architecture '{name}'. Known: {string.Join(", ", Entries.Select(e => e.Name))}.", nameof(name));
        var variant = options.Variant ?? entry.DefaultVariant;
        if (!entry.Variants.Contains(variant))
        {
            throw new ArgumentException(
                $"{entry.Name} has no {variant.ToString().ToLowerInvariant()} variant; available: {string.Join(", ", entry.Variants.Select(v => v.ToString().ToLowerInvariant()))}.", nameof(options));
        }

        if (options.ImageSize is < 32 or > 8192 || options.Classes is < 1 or > 10_000_000 || !(options.Alpha is > 0 and <= 10) || options.Channels is < 1 or > 1024)
        {
            throw new ArgumentException(
                $"image size must be 32 to 8192 px (got {options.ImageSize}), classes 1 to 10,000,000 (got {options.Classes}), alpha in (0, 10] (got {options.Alpha}), channels 1 to 1024 (got {options.Channels}).",
                nameof(options));
        }

        if (options.Head is { } head && head.Any(l => l.Units is < 1 or > 1_000_000))
        {
            throw new ArgumentException("head layers must have 1 to 1,000,000 units.", nameof(options));
        }

        var b = new GraphBuilder(entry.Name, options.Channels, options.ImageSize, options.ImageSize, entry.Name == "vit-b16" ? 20 : 17);
        var net = new Networks(b, options, variant);
        string features = entry.Name switch
        {
            "vgg16" => net.Vgg16(),
            "resnet50" => variant == CatalogVariant.Keras ? net.ResNet50Keras() : net.ResNetTorchvision([3, 4, 6, 3], bottleneck: true),
            "resnet18" => net.ResNetTorchvision([2, 2, 2, 2], bottleneck: false),
            "mobilenetv2" => net.MobileNetV2(),
            "xception" => net.Xception(),
            "inceptionv3" => net.InceptionV3(),
            "nasnetmobile" => net.NasNetMobile(),
            "efficientnet-b0" => net.EfficientNetB0(),
            "vit-b16" => net.VitB16(),
            _ => throw new InvalidOperationException(entry.Name),
        };
        return b.Build(net.Finish(entry.Name, features));
    }

    /// <summary>
    /// GFLOPs of the paper's configuration as the paper measured them (TF profiler convention, forward pass, batch 1):
    /// PRE's <c>gflops</c> feature. Names may use the paper's spelling (mobilenet_v2, nasnet_mobile, resnet_50, ...).
    /// </summary>
    public static double PaperGflops(string architecture, int imageSize = 128, int classes = 102)
        => Counting.FlopsCounter.Count(Build(architecture, PaperOptions(architecture, imageSize, classes)),
            new Counting.CountOptions { Convention = Counting.FlopsConvention.TfProfiler }).Gflops;

    /// <summary>
    /// The paper's configuration for one of its models: 128 x 128 x 3 input, ImageNet backbone without top,
    /// GlobalAveragePooling2D, its head, and Dense(1, sigmoid) (paper-notes section 1.2). MobileNetV2 uses alpha 0.5.
    /// InceptionV3 (experiment 2) uses its Caltech101 head (102 classes) or Stanford Dogs head (120 classes); 64 px
    /// becomes 75 px, InceptionV3's minimum.
    /// </summary>
    public static CatalogOptions PaperOptions(string name, int imageSize = 128, int classes = 102)
    {
        var entry = Find(name) ?? throw new ArgumentException($"Unknown architecture '{name}'.", nameof(name));
        DenseLayer Out() => new(1, "sigmoid");
        return entry.Name switch
        {
            "mobilenetv2" => new CatalogOptions { ImageSize = imageSize, Alpha = 0.5, IncludeTop = false, Head = [new(512, "relu"), Out()] },
            "nasnetmobile" => new CatalogOptions { ImageSize = imageSize, IncludeTop = false, Head = [new(512, "relu"), Out()] },
            "xception" => new CatalogOptions { ImageSize = imageSize, IncludeTop = false, Head = [new(1024, "relu"), Out()] },
            "resnet50" => new CatalogOptions { ImageSize = imageSize, IncludeTop = false, Head = [new(1024, "relu"), new(512, "relu"), Out()] },
            "vgg16" => new CatalogOptions { ImageSize = imageSize, IncludeTop = false, Head = [Out()] },
            // Experiment 2 (src/models/dl/inception_v3.py): Flatten, Dense 2048 relu, BN, Dense 1024 (Caltech101, 102
            // classes) or 2048 (Stanford Dogs, 120 classes) relu, BN, Dense softmax; dropout layers cost nothing.
            "inceptionv3" => new CatalogOptions
            {
                ImageSize = Math.Max(imageSize, 75), Classes = classes, IncludeTop = false, HeadPooling = HeadPooling.Flatten,
                Head = [new(2048, "relu", true), new(classes == 120 ? 2048 : 1024, "relu", true), new(classes, "softmax")],
            },
            _ => throw new ArgumentException($"The paper's Chesslive experiment did not use {entry.Name}; its models are mobilenetv2, nasnetmobile, xception, resnet50 and vgg16.", nameof(name)),
        };
    }
}
