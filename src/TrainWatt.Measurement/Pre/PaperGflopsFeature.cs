using System.Globalization;
using TrainWatt.Architecture.Catalog;

namespace TrainWatt.Measurement.Pre;

/// <summary>
/// The GFLOPs values the paper itself fed its PRE models (TF profiler <c>float_operation</c>, forward pass, batch 1,
/// its Chesslive configurations at 128 x 128; published in the paper and listed in paper-notes section 1.2). The
/// paper's KRR was fitted on these exact feature values and is steep around them, so <c>--pre-model paper</c> with
/// <c>--arch</c> for one of these models at 128 x 128 uses the paper's value rather than TrainWatt's own count (which
/// differs by at most 0.2 %, docs/flops.md). Every other model, size or PRE model keeps TrainWatt's count.
/// </summary>
internal static class PaperGflopsFeature
{
    private const int PaperImageSize = 128;

    private static readonly Dictionary<string, double> Published = new(StringComparer.Ordinal)
    {
        ["mobilenetv2"] = 0.06403,
        ["nasnetmobile"] = 0.3716,
        ["resnet50"] = 2.5244,
        ["xception"] = 2.9584,
        ["vgg16"] = 10.0288,
    };

    /// <summary>The paper's GFLOPs for catalog architecture <paramref name="arch"/> at <paramref name="height"/> x <paramref name="width"/>, or null when the paper did not use it there.</summary>
    public static double? Lookup(string arch, int height, int width)
        => height == PaperImageSize && width == PaperImageSize && ModelCatalog.Find(arch) is { } entry && Published.TryGetValue(entry.Name, out double g) ? g : null;

    /// <summary>
    /// With <c>--pre-model paper</c> and <c>--arch</c> naming one of the paper's models at its input size: the paper's
    /// value and a source that gives both numbers; otherwise null (keep <paramref name="ownGflops"/>).
    /// </summary>
    public static (double Gflops, string Source)? ForPaperModel(PreModelChoice? preModel, string? arch, int height, int width, double ownGflops)
    {
        if (preModel?.Kind != PreModelKind.Paper || arch is null || Lookup(arch, height, width) is not { } paper)
        {
            return null;
        }

        string name = ModelCatalog.Find(arch)!.Name;
        return (paper, string.Create(CultureInfo.InvariantCulture, $"paper's TF-profiler value for {name} at {height}x{width}; TrainWatt's own count {ownGflops:0.####}"));
    }
}
