using System.Globalization;
using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Architecture.Counting;

/// <summary>An input shape for counting: <c>3x224x224</c> (batch prepended) or <c>name:1x3x224x224</c>; the empty name means the first graph input.</summary>
public sealed record InputShape(string Name, IReadOnlyList<long> Dimensions)
{
    /// <summary>Parses <c>[NAME:]D1xD2x...</c> (positive integers joined by x or ,); throws <see cref="FormatException"/> saying the expected form.</summary>
    public static InputShape Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int colon = spec.LastIndexOf(':');
        string name = colon >= 0 ? spec[..colon] : "";
        var parts = (colon >= 0 ? spec[(colon + 1)..] : spec).Split('x', 'X', ',');
        var values = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
            {
                throw new FormatException($"--input '{spec}' is not a shape: expected positive integers joined by 'x', e.g. 3x224x224 or input:1x3x224x224.");
            }
        }

        return new InputShape(name, values);
    }

    public override string ToString() => string.Join("x", Dimensions);
}

/// <summary>What to count: an ONNX file, or a catalog architecture with its build options (see <see cref="FlopsReports.Count"/>).</summary>
public sealed record FlopsRequest
{
    /// <summary>An ONNX file to read; exactly one of this and <see cref="Architecture"/>.</summary>
    public string? OnnxFile { get; init; }

    /// <summary>A catalog architecture (<see cref="ModelCatalog"/>).</summary>
    public string? Architecture { get; init; }

    /// <summary>Input shapes; for a catalog architecture at most one, CxHxW with H = W (its input size).</summary>
    public IReadOnlyList<InputShape> Inputs { get; init; } = [];

    /// <summary>Batch size for symbolic batch dimensions (default 1).</summary>
    public long? Batch { get; init; }

    /// <summary>Counting convention; null: standard, or the TF profiler's with <see cref="Paper"/>.</summary>
    public FlopsConvention? Convention { get; init; }

    /// <summary>The paper's configuration of the architecture (<see cref="ModelCatalog.PaperOptions"/>).</summary>
    public bool Paper { get; init; }

    public double? Alpha { get; init; }

    public int? Classes { get; init; }

    public CatalogVariant? Variant { get; init; }

    /// <summary>Backbone only: no top, no head.</summary>
    public bool NoTop { get; init; }

    /// <summary>A custom head replacing the top (GlobalAveragePooling2D, then these Dense layers).</summary>
    public IReadOnlyList<DenseLayer>? Head { get; init; }

    /// <summary>With a catalog architecture: write the network to this ONNX file (zero weights of the right size).</summary>
    public string? ExportOnnx { get; init; }

    /// <summary>With <see cref="ExportOnnx"/>: weights in FILE.data beside the model (ONNX external data).</summary>
    public bool ExternalData { get; init; }

    /// <summary>The convention used: <see cref="Convention"/>, else TF profiler with <see cref="Paper"/> (the paper's numbers), else standard.</summary>
    public FlopsConvention EffectiveConvention => Convention ?? (Paper ? FlopsConvention.TfProfiler : FlopsConvention.Standard);
}

/// <summary>A count with what was counted (the file or architecture name) and the exported file, if any.</summary>
public sealed record FlopsReport(string Source, FlopsResult Result, string? ExportedTo);

/// <summary>
/// <c>trainwatt flops</c> as a library call: reads the ONNX file or builds the catalog network, optionally exports it,
/// and counts it. Failures are typed and their messages name the fix: <see cref="FileNotFoundException"/> (no such
/// file), <see cref="InvalidDataException"/> (malformed ONNX or graph), <see cref="ArgumentException"/> (a catalog
/// option out of range), <see cref="IOException"/> (the export cannot be written).
/// </summary>
public static class FlopsReports
{
    /// <summary>The fix printed after a malformed-file message.</summary>
    public const string OnnxFix = "Is it an ONNX model (a protobuf ModelProto)? Export one with torch.onnx.export(model, example_input, \"model.onnx\") or python -m tf2onnx.convert; a file cut short by a copy or download reads as malformed too.";

    /// <summary>Why <paramref name="shape"/> cannot size a catalog network, or null when it can (CxHxW or 1xCxHxW, H = W, at most 8192).</summary>
    public static string? CatalogInputProblem(InputShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var chw = shape.Dimensions.Count == 4 ? shape.Dimensions.Skip(1).ToArray() : shape.Dimensions.ToArray();
        return chw.Length != 3 || chw[1] != chw[2] || chw.Any(d => d > 8192)
            ? $"--input for --arch must be CxHxW with H = W, at most 8192 (e.g. 3x224x224), got {shape}."
            : null;
    }

    public static FlopsReport Count(FlopsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.OnnxFile is null) == (request.Architecture is null))
        {
            throw new ArgumentException("Give either an ONNX file or --arch NAME (not both). Example: trainwatt flops --arch resnet50 --input 3x224x224");
        }

        var options = new CountOptions { Batch = request.Batch, Convention = request.EffectiveConvention };
        string? exported = null;
        OnnxModel model;
        string source;
        if (request.Architecture is { } arch)
        {
            model = Build(arch, request);
            source = arch;
            if (request.ExportOnnx is { } path)
            {
                Export(model, path, request.ExternalData);
                exported = path;
            }
        }
        else
        {
            source = request.OnnxFile!;
            model = Read(source);
            var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var shape in request.Inputs)
            {
                shapes[shape.Name] = shape.Dimensions.ToArray(); // the last one given for a name wins
            }

            options = options with { InputShapes = shapes };
        }

        try
        {
            return new FlopsReport(source, FlopsCounter.Count(model, options), exported);
        }
        catch (GraphStructureException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The catalog network as the request describes it; the input shape sizes the graph itself.</summary>
    private static OnnxModel Build(string arch, FlopsRequest request)
    {
        try
        {
            var options = new CatalogOptions();
            var shape = request.Inputs.Count > 0 ? request.Inputs[0] : null;
            if (request.Paper)
            {
                options = ModelCatalog.PaperOptions(arch, shape is null ? 128 : (int)shape.Dimensions[^1], request.Classes ?? 102);
            }

            if (shape is not null)
            {
                if (CatalogInputProblem(shape) is { } problem)
                {
                    throw new ArgumentException(problem);
                }

                options = options with { Channels = (int)shape.Dimensions[^3], ImageSize = (int)shape.Dimensions[^1] };
            }

            options = options with
            {
                Alpha = request.Alpha ?? options.Alpha,
                Classes = request.Classes ?? options.Classes,
                Variant = request.Variant ?? options.Variant,
            };
            if (request.NoTop)
            {
                options = options with { IncludeTop = false, Head = null };
            }

            if (request.Head is { } head)
            {
                options = options with { IncludeTop = false, Head = head };
            }

            return ModelCatalog.Build(arch, options);
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            // The catalog's own messages, without the " (Parameter 'name')" that .NET appends.
            throw new ArgumentException(e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    private static OnnxModel Read(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file}: file not found. Give the path of an .onnx file, or --arch NAME for a catalog architecture.", file);
        }

        try
        {
            return OnnxReader.ReadFile(file);
        }
        catch (OnnxFormatException e)
        {
            throw new InvalidDataException($"{e.Message}. {OnnxFix}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException($"{file}: cannot read: {e.Message}", file, e);
        }
    }

    private static void Export(OnnxModel model, string path, bool externalData)
    {
        try
        {
            if (externalData)
            {
                OnnxWriter.WriteFile(model, path, path + ".data");
            }
            else
            {
                OnnxWriter.WriteFile(model, path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write the ONNX file: {e.Message}", e);
        }
    }

    /// <summary>Parses a head <c>UNITS[:ACTIVATION],...</c> such as <c>1024:relu,1:sigmoid</c>; throws <see cref="FormatException"/> saying the form.</summary>
    public static IReadOnlyList<DenseLayer> ParseHead(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var layers = new List<DenseLayer>();
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(':');
            if (!int.TryParse(bits[0], NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units <= 0 || bits.Length > 2)
            {
                throw new FormatException($"--head '{spec}': each layer is UNITS[:ACTIVATION], e.g. 1024:relu,1:sigmoid.");
            }

            layers.Add(new DenseLayer(units, bits.Length == 2 ? bits[1] : "linear"));
        }

        return layers;
    }
}
