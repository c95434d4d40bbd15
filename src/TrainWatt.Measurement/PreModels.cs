using System.Globalization;
using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Onnx;
using TrainWatt.Estimation;

namespace TrainWatt.Measurement;

/// <summary>What PRE commands share: where fitted models live, which model to use, and how a model's GFLOPs are found.</summary>
public static class PreModels
{
    public const string PaperModelsVariable = "TRAINWATT_PAPER_MODELS";
    public const string ModelsVariable = "TRAINWATT_MODELS";

    /// <summary>Thrown for a bad PRE input (an option value); the message is shown as is.</summary>
    public sealed class InputException(string message) : Exception(message);

    /// <summary>The per-user models folder: --models-dir, else TRAINWATT_MODELS, else $XDG_DATA_HOME/trainwatt/models, else ~/.local/share/trainwatt/models.</summary>
    public static string ModelsDirectory(string? option, HostContext context)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }

        if (context.Env(ModelsVariable) is { } env)
        {
            return env;
        }

        if (context.Env("XDG_DATA_HOME") is { } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "trainwatt", "models");
        }

        string home = context.Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "trainwatt", "models");
    }

    /// <summary>Fitted model files in a folder, newest version last.</summary>
    public static IReadOnlyList<(int Version, string Path)> ModelFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var list = new List<(int, string)>();
        foreach (string file in Directory.EnumerateFiles(directory, "pre-model-v*.json"))
        {
            string stem = Path.GetFileNameWithoutExtension(file)["pre-model-v".Length..];
            if (int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out int v))
            {
                list.Add((v, file));
            }
        }

        return list.OrderBy(t => t.Item1).ToList();
    }

    /// <summary>
    /// paper → the paper's KRR arrays from --pre-model-dir / TRAINWATT_PAPER_MODELS; default → the shipped compact
    /// model; latest → the newest fitted model; a path → that model file; nothing → latest when one exists, else default.
    /// </summary>
    public static IPreEstimator ResolveModel(string? choice, string? paperDir, string? modelsDirOption, HostContext context)
    {
        string models = ModelsDirectory(modelsDirOption, context);
        switch (choice?.Trim().ToLowerInvariant())
        {
            case "paper":
                string? dir = paperDir ?? context.Env(PaperModelsVariable);
                if (dir is null)
                {
                    throw new InputException(
                        "--pre-model paper needs the paper's model arrays, which TrainWatt does not ship: pass --pre-model-dir DIR " +
                        $"(the journal replication package's model-params folder, holding kernel-ridge-regression-*-estimator/) or set {PaperModelsVariable}.");
                }

                return PaperKrrEstimator.Load(dir);
            case "default":
                return CompactPreModel.Default;
            case "latest":
                var files = ModelFiles(models);
                if (files.Count == 0)
                {
                    throw new InputException($"No fitted model in {models}; run `trainwatt fit` first, or use --pre-model default.");
                }

                return CompactPreModel.Load(files[^1].Path) with { Origin = $"latest (v{files[^1].Version}, {files[^1].Path})" };
            case null or "":
                var existing = ModelFiles(models);
                return existing.Count == 0
                    ? CompactPreModel.Default
                    : CompactPreModel.Load(existing[^1].Path) with { Origin = $"latest (v{existing[^1].Version}, {existing[^1].Path})" };
            default:
                return CompactPreModel.Load(choice);
        }
    }

    /// <summary>"80" → (80, 80); "60-100" or "60..100" → (60, 100). Epochs must be &gt; 0 and min ≤ max.</summary>
    public static (double Min, double Max) ParseEpochs(string text)
    {
        var parts = text.Replace("..", "-", StringComparison.Ordinal).Split('-', StringSplitOptions.TrimEntries);
        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0 ? v : double.NaN).ToArray();
        if (values.Length is < 1 or > 2 || values.Any(double.IsNaN) || values[0] > values[^1])
        {
            throw new InputException($"--epochs '{text}' is not a number of epochs > 0 or a range MIN-MAX such as 60-100.");
        }

        return (values[0], values[^1]);
    }

    /// <summary>"128x128", "128" (square) or "3x128x128" (channels ignored) → (height, width).</summary>
    public static (int Height, int Width) ParseInput(string text)
    {
        var parts = text.ToLowerInvariant().Split('x', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : -1).ToArray();
        if (numbers.Length is < 1 or > 3 || numbers.Any(v => v < 0))
        {
            throw new InputException($"--input '{text}' is not an image size; use HEIGHTxWIDTH such as 128x128 (or one number for a square).");
        }

        return numbers.Length switch
        {
            1 => (numbers[0], numbers[0]),
            2 => (numbers[0], numbers[1]),
            _ => (numbers[1], numbers[2]),
        };
    }

    /// <summary>
    /// GFLOPs (forward pass, one sample, TF-profiler convention as in the paper's features) from exactly one of
    /// --gflops, --arch (the paper's configuration when the paper used that architecture, else the catalog network
    /// at the given input size) or --model (an ONNX file). Returns the value and how it was obtained.
    /// </summary>
    public static (double Gflops, string Source) ResolveGflops(double? gflops, string? arch, string? model, int height, int width)
    {
        var (g, source, _) = ResolveNetwork(gflops, arch, model, height, width);
        return (g, source);
    }

    /// <summary>
    /// Weight layers (Conv/Gemm/MatMul nodes, <see cref="FlopsResult.WeightLayers"/>) of a catalog architecture in the
    /// paper's configuration where the paper used it, else the catalog network; null for a name the catalog lacks.
    /// Names may use the paper's spelling (mobilenet_v2, nasnet_mobile, inception_v3).
    /// </summary>
    public static int? CatalogLayers(string? architecture)
    {
        if (architecture is null || ModelCatalog.Find(architecture) is not { } entry)
        {
            return null;
        }

        return _layers.GetOrAdd(entry.Name, name =>
        {
            CatalogOptions options;
            try
            {
                options = ModelCatalog.PaperOptions(name);
            }
            catch (ArgumentException)
            {
                options = new CatalogOptions();
            }

            return FlopsCounter.Count(ModelCatalog.Build(name, options), new CountOptions()).WeightLayers;
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _layers = new(StringComparer.Ordinal);

    /// <summary>
    /// A PRE dataset CSV (<see cref="PreDataset.Load"/>) with each row's layer count filled from the catalog when its
    /// <c>layers</c> column is absent and its architecture names a catalog network (the journal set's six do).
    /// </summary>
    public static IReadOnlyList<PreRow> LoadDataset(string path) => WithLayers(PreDataset.Load(path));

    /// <summary>The rows with <see cref="RunDescription.Layers"/> filled from the catalog where missing, and the architecture named on the run.</summary>
    public static IReadOnlyList<PreRow> WithLayers(IReadOnlyList<PreRow> rows) =>
        rows.Select(r => r with { Run = r.Run with { Layers = r.Run.Layers ?? CatalogLayers(r.Architecture), Architecture = r.Run.Architecture ?? r.Architecture } }).ToList();

    /// <summary><see cref="ResolveGflops"/> with the network's weight layers (null for --gflops, which says nothing of the depth).</summary>
    public static (double Gflops, string Source, int? Layers) ResolveNetwork(double? gflops, string? arch, string? model, int height, int width)
    {
        int given = (gflops is null ? 0 : 1) + (arch is null ? 0 : 1) + (model is null ? 0 : 1);
        if (given != 1)
        {
            throw new InputException("Give exactly one of --arch NAME, --model FILE.onnx or --gflops X to say what is trained.");
        }

        if (gflops is { } g)
        {
            if (!double.IsFinite(g) || g <= 0)
            {
                throw new InputException($"--gflops must be a finite number > 0; got {g.ToString(CultureInfo.InvariantCulture)}.");
            }

            return (g, "given (--gflops)", null);
        }

        var counting = new CountOptions { Convention = FlopsConvention.TfProfiler };
        if (arch is not null)
        {
            if (ModelCatalog.Find(arch) is null)
            {
                throw new InputException($"Unknown architecture '{arch}'; the catalog has {string.Join(", ", ModelCatalog.Entries.Select(e => e.Name))} (or pass --model FILE.onnx / --gflops X).");
            }

            if (height != width)
            {
                throw new InputException($"--arch builds square inputs; got {height}x{width}. Export the model to ONNX and pass --model, or give --gflops.");
            }

            CatalogOptions options;
            string how;
            try
            {
                options = ModelCatalog.PaperOptions(arch, height);
                how = $"catalog {arch}, the paper's configuration at {height}x{width} (TF-profiler convention)";
            }
            catch (ArgumentException)
            {
                options = new CatalogOptions { ImageSize = height };
                how = $"catalog {arch} at {height}x{width} (TF-profiler convention)";
            }

            try
            {
                var counted = FlopsCounter.Count(ModelCatalog.Build(arch, options), counting);
                return (counted.Gflops, how, counted.WeightLayers);
            }
            catch (Exception ex) when (ex is ArgumentException or GraphStructureException or InvalidOperationException)
            {
                throw new InputException($"Cannot build {arch} for a {height}x{width} input ({ex.Message}); give --gflops X or --model FILE.onnx instead.");
            }
        }

        if (!File.Exists(model))
        {
            throw new InputException($"ONNX model file not found: {model}.");
        }

        try
        {
            var result = FlopsCounter.Count(OnnxReader.ReadFile(model!), counting);
            // Assumed symbolic dims and a partial count travel with the number, never silently.
            string caveats = string.Concat(result.Assumptions.Select(a => "; " + a))
                + (result.Partial ? $"; PARTIAL count: {string.Join("; ", result.Warnings.Take(2).Concat(result.UnknownOps.Select(o => "unknown op " + o)))}" : "");
            return (result.ForwardFlopsPerSample / 1e9, $"counted from {model} (TF-profiler convention, per sample{caveats})", result.WeightLayers);
        }
        catch (Exception ex) when (ex is OnnxFormatException or GraphStructureException or InvalidDataException)
        {
            throw new InputException($"{model}: cannot count FLOPs ({ex.Message}); pass --gflops X instead.");
        }
    }
}
