using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt flops</c>'s options, typed. Exactly one of <see cref="File"/> and <see cref="Arch"/>.</summary>
internal sealed record FlopsSettings(
    string? File, string? Arch, double? Alpha, int? Classes, CatalogVariant? Variant, bool NoTop, IReadOnlyList<DenseLayer>? Head, bool Paper,
    IReadOnlyList<InputShape> Inputs, long? Batch, bool PerNode, bool Json, string? ExportOnnx, bool ExternalData, FlopsConvention? Convention, long? Samples)
    : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if ((File is null) == (Arch is null))
        {
            problems.Add("Give either an ONNX file or --arch NAME (not both). Example: trainwatt flops --arch resnet50 --input 3x224x224");
        }

        if (Arch is not null && ModelCatalog.Find(Arch) is null)
        {
            problems.Add($"--arch '{Arch}' is not in the catalog. Known: {string.Join(", ", ModelCatalog.Entries.Select(e => e.Name))}.");
        }

        if (Arch is not null && Shapes.Count > 0 && FlopsReports.CatalogInputProblem(Shapes[0]) is { } input)
        {
            problems.Add(input);
        }

        if (File is not null && ExportOnnx is not null)
        {
            problems.Add("--export-onnx works with --arch only: it writes a catalog network; an ONNX file is already one.");
        }

        if (Batch is <= 0)
        {
            problems.Add($"--batch must be a positive integer, got {Batch}.");
        }

        if (Samples is < 0)
        {
            problems.Add($"--samples must be 0 or more training samples per epoch, got {Samples}.");
        }

        return problems;
    }

    /// <summary>The input shapes; for --arch an image size HxW (as estimate and tags write it) is 3xHxW (RGB).</summary>
    private IReadOnlyList<InputShape> Shapes => Arch is null ? Inputs : Inputs.Select(i => i.Dimensions.Count == 2 ? i with { Dimensions = [3, .. i.Dimensions] } : i).ToList();

    public FlopsRequest ToRequest() => new()
    {
        OnnxFile = File, Architecture = Arch, Inputs = Shapes, Batch = Batch, Convention = Convention, Paper = Paper, Alpha = Alpha, Classes = Classes,
        Variant = Variant, NoTop = NoTop, Head = Head, ExportOnnx = ExportOnnx, ExternalData = ExternalData,
    };
}

/// <summary><c>trainwatt flops</c>: parameters, MACs, FLOPs and memory of an ONNX file or a catalog architecture (<see cref="FlopsReports"/>).</summary>
internal static class FlopsCommand
{
    private const string Convention =
        "Convention: MACs = multiply-accumulates of Conv/ConvTranspose/Gemm/MatMul; FLOPs = 2 x MACs + 1 per output element " +
        "for biases and elementwise ops (Add, Mul, Relu, Sigmoid, ...), 2 per element for BatchNormalization, 5 for Softmax/LayerNorm, " +
        "kernel area per output element for pooling; shape ops count 0 (--convention tf-profiler mimics TensorFlow's profiler as the paper used). " +
        "FLOPs are one forward pass at the given batch; training = 3 x forward (assumption: backward = 2 x forward). " +
        "params = all initializer elements de-duplicated by name (Keras 'Total params'); trainable_params excludes BatchNorm running statistics.";

    /// <summary>Warnings printed before "... and N more".</summary>
    private const int ShownWarnings = 20;

    public static string ConventionName(FlopsConvention convention) => convention == FlopsConvention.TfProfiler ? "tf-profiler" : "standard";

    public static Command Create(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "An .onnx file (omit when using --arch).", Arity = ArgumentArity.ZeroOrOne };
        var arch = new Option<string?>("--arch") { Description = $"A catalog architecture: {string.Join(", ", ModelCatalog.Entries.Select(e => e.Name))}." };
        var alpha = new Option<double?>("--alpha") { Description = "MobileNetV2 width multiplier (default 1.0; the paper used 0.5)." };
        var classes = new Option<int?>("--classes") { Description = "Number of output classes of the ImageNet-style top (default 1000)." };
        var variant = TypedOptions.OptionalChoice("--variant", "keras or torchvision, where the two definitions differ.",
            ("keras", CatalogVariant.Keras), ("torchvision", CatalogVariant.Torchvision), ("pytorch", CatalogVariant.Torchvision), ("torch", CatalogVariant.Torchvision));
        var noTop = new Option<bool>("--no-top") { Description = "Backbone only (include_top=False, no pooling)." };
        var head = TypedOptions.Parsed("--head", "Replace the top by GlobalAveragePooling2D and Dense layers UNITS[:ACTIVATION],... e.g. 1024:relu,512:relu,1:sigmoid.", FlopsReports.ParseHead);
        var paper = new Option<bool>("--paper") { Description = "The paper's configuration for --arch: 128x128x3, no top, GAP, its head, Dense(1, sigmoid); MobileNetV2 alpha 0.5; InceptionV3 its experiment-2 head (--classes 102 or 120, --input 3x75x75..3x224x224); convention tf-profiler unless --convention is given." };
        var input = TypedOptions.ParsedList("--input", "Input shape: 3x224x224 (batch prepended), 224x224 (HxW of an image input) or name:1x3x224x224; repeatable.", InputShape.Parse);
        var batch = new Option<long?>("--batch") { Description = "Batch size for symbolic batch dimensions (default 1)." };
        var perNode = new Option<bool>("--per-node") { Description = "List every node's shape, params, MACs and FLOPs." };
        var json = new Option<bool>("--json") { Description = "Write JSON to stdout instead of a table." };
        var export = new Option<string?>("--export-onnx") { Description = "With --arch: write the network as an ONNX file (zero weights of the right size)." };
        var externalData = new Option<bool>("--external-data") { Description = "With --export-onnx: store weights in FILE.data beside the model (ONNX external data)." };
        var convention = TypedOptions.OptionalChoice("--convention", "standard (default) or tf-profiler (default with --paper).",
            ("standard", FlopsConvention.Standard), ("tf-profiler", FlopsConvention.TfProfiler), ("tfprofiler", FlopsConvention.TfProfiler), ("tf", FlopsConvention.TfProfiler));
        var samples = new Option<long?>("--samples") { Description = "Training samples per epoch: adds training FLOPs per epoch (3 x forward per sample)." };
        var command = new Command("flops", "Count parameters, MACs, FLOPs and memory of an ONNX model or a catalog architecture.\n" + Convention);
        command.Arguments.Add(model);
        foreach (Option option in new Option[] { arch, alpha, classes, variant, noTop, head, paper, input, batch, perNode, json, export, externalData, convention, samples })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = new FlopsSettings(
                parse.GetValue(model), parse.GetValue(arch), parse.GetValue(alpha), parse.GetValue(classes), parse.GetValue(variant), parse.GetValue(noTop),
                parse.GetValue(head), parse.GetValue(paper), parse.GetValue(input)!, parse.GetValue(batch), parse.GetValue(perNode), parse.GetValue(json),
                parse.GetValue(export), parse.GetValue(externalData), parse.GetValue(convention), parse.GetValue(samples)).ThrowIfInvalid();
            var report = FlopsReports.Count(settings.ToRequest());
            if (report.ExportedTo is { } path)
            {
                context.Diagnostic($"wrote {path}");
            }

            foreach (string assumption in report.Result.Assumptions)
            {
                context.Diagnostic($"assumed: {assumption}");
            }

            foreach (string warning in report.Result.Warnings.Take(ShownWarnings))
            {
                context.Diagnostic($"warning: {warning}");
            }

            if (report.Result.Warnings.Count > ShownWarnings)
            {
                context.Diagnostic($"warning: ... and {report.Result.Warnings.Count - ShownWarnings} more");
            }

            if (settings.Json)
            {
                context.WriteData(TypedJsonContext.Write(FlopsJson.From(report, settings.PerNode, settings.Samples), TypedJsonContext.Default.FlopsJson, indented: true));
            }
            else
            {
                Render(context, report, settings.PerNode, settings.Samples);
            }

            return (int)ExitCode.Success;
        });
        return command;
    }

    /// <summary>Formats a count with SI prefixes (k, M, G, T), invariant culture: 25.56 M.</summary>
    internal static string Si(double value, string unit = "")
    {
        string[] prefixes = ["", "k", "M", "G", "T", "P"];
        int i = 0;
        while (Math.Abs(value) >= 1000 && i < prefixes.Length - 1)
        {
            value /= 1000;
            i++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {prefixes[i]}{unit}").TrimEnd();
    }

    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.Length - 1)
        {
            v /= 1024;
            i++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{v:0.##} {units[i]}");
    }

    private static void Render(CliContext context, FlopsReport report, bool perNode, long? samples)
    {
        var r = report.Result;
        var table = new Table().Title(Markup.Escape(report.Source)).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned()).AddColumn("exact");
        string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        table.AddRow("parameters", Si(r.Params), N(r.Params));
        table.AddRow("trainable parameters", Si(r.TrainableParams), N(r.TrainableParams));
        table.AddRow($"MACs (forward, batch {r.BatchSize})", Si(r.Macs), N(r.Macs));
        table.AddRow($"FLOPs (forward, batch {r.BatchSize})", Si(r.Flops), N(r.Flops));
        table.AddRow("training FLOPs per sample (3 x forward)", Si(r.TrainingFlopsPerSample), N((long)r.TrainingFlopsPerSample));
        if (samples is { } n)
        {
            table.AddRow($"training FLOPs per epoch ({N(n)} samples)", Si(r.TrainingFlopsPerEpoch(n)), r.TrainingFlopsPerEpoch(n).ToString("E4", CultureInfo.InvariantCulture));
        }

        table.AddRow("activation memory", Bytes(r.ActivationBytes), N(r.ActivationBytes));
        table.AddRow("weight memory", Bytes(r.WeightBytes), string.Join(", ", r.WeightBytesByType.Select(kv => $"{kv.Key} {Bytes(kv.Value)}")));
        table.AddRow("convention", ConventionName(r.Convention), "");
        foreach (string assumption in r.Assumptions)
        {
            table.AddRow("assumed", "", Markup.Escape(assumption));
        }

        table.AddRow("complete", r.Partial ? "[yellow]partial[/]" : "yes", Markup.Escape(r.UnknownOps.Count > 0 ? "unknown ops: " + string.Join(", ", r.UnknownOps) : ""));
        context.Out.Write(table);
        foreach (var s in r.Subgraphs)
        {
            context.Out.WriteLine(Markup.Escape($"subgraph {s.Path} ({s.OwnerOpType}, {s.Nodes} nodes): {Si(s.Flops)} FLOPs; {s.Note}"));
        }

        if (perNode)
        {
            var nodes = new Table().AddColumns("graph", "node", "op", "output", "params", "MACs", "FLOPs", "activation");
            foreach (var node in r.Nodes)
            {
                nodes.AddRow(
                    Markup.Escape(node.Graph), Markup.Escape(node.Name), Markup.Escape(node.OpType),
                    node.OutputShape is null ? "?" : string.Join("x", node.OutputShape),
                    N(node.Params), N(node.Macs), N(node.Flops), Bytes(node.ActivationBytes));
            }

            context.Out.Write(nodes);
        }
    }
}
