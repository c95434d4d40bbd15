namespace TrainWatt.Architecture.Catalog;

/// <summary>Which framework's definition of an architecture to follow where Keras and torchvision differ.</summary>
public enum CatalogVariant
{
    Keras,
    Torchvision,
}

/// <summary>One Dense layer of a custom head, optionally followed by BatchNormalization (Keras order: Dense, activation, BN).</summary>
public sealed record DenseLayer(int Units, string Activation, bool BatchNormAfter = false);

/// <summary>How a custom head reduces the backbone's feature map: GlobalAveragePooling2D or Flatten.</summary>
public enum HeadPooling
{
    GlobalAverage,
    Flatten,
}

/// <summary>
/// How to build a catalog network. <see cref="Head"/> null and <see cref="IncludeTop"/> true gives the ImageNet
/// classifier; a head replaces the top by GlobalAveragePooling2D followed by its Dense layers (the paper's transfer
/// learning setup); <see cref="IncludeTop"/> false and no head gives the bare feature extractor.
/// </summary>
public sealed record CatalogOptions
{
    /// <summary>Input height and width in pixels (square images).</summary>
    public int ImageSize { get; init; } = 224;

    public int Channels { get; init; } = 3;

    public int Classes { get; init; } = 1000;

    /// <summary>Width multiplier (MobileNetV2 only).</summary>
    public double Alpha { get; init; } = 1.0;

    public CatalogVariant? Variant { get; init; }

    public bool IncludeTop { get; init; } = true;

    public IReadOnlyList<DenseLayer>? Head { get; init; }

    public HeadPooling HeadPooling { get; init; } = HeadPooling.GlobalAverage;
}
