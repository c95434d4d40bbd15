using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TrainWatt.Architecture.Catalog;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;
using TrainWatt.Architecture.Onnx;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt flops</c>: parameters, MACs, FLOPs and memory of an ONNX file or a catalog architecture.</summary>
internal static class FlopsCommand
{
    private const string Convention =
        "Convention: MACs = multiply-accumulates of Conv/ConvTranspose/Gemm/MatMul; FLOPs = 2 x MACs + 1 per output element " +
        "for biases and elementwise ops (Add, Mul, Relu, Sigmoid, ...), 2 per element for BatchNormalization, 5 for Softmax/LayerNorm, " +
        "kernel area per output element for pooling; shape ops count 0 (--convention tf-profiler mimics TensorFlow's profiler as the paper used). " +
        "FLOPs are one forward pass at the given batch; training = 3 x forward (assumption: backward = 2 x forward). " +
        "params = all initializer elements de-duplicated by name (Keras 'Total params'); trainable_params excludes BatchNorm running statistics.";

    /// <summary>The fix printed after a malformed-file message.</summary>
    internal const string OnnxFix = "Is it an ONNX model (a protobuf ModelProto)? Export one with torch.onnx.export(model, example_input, \"model.onnx\") or python -m tf2onnx.convert; a file cut short by a copy or download reads as malformed too.";

    public static Command Create(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "An .onnx file (omit when using --arch).", Arity = ArgumentArity.ZeroOrOne };
        var arch = new Option<string?>("--arch") { Description = $"A catalog architecture: {string.Join(", ", ModelCatalog.Entries.Select(e => e.Name))}." };
        var alpha = new Option<double?>("--alpha") { Description = "MobileNetV2 width multiplier (default 1.0; the paper used 0.5)." };
        var classes = new Option<int?>("--classes") { Description = "Number of output classes of the ImageNet-style top (default 1000)." };
        var variant = new Option<string?>("--variant") { Description = "keras or torchvision, where the two definitions differ." };
        var noTop = new Option<bool>("--no-top") { Description = "Backbone only (include_top=False, no pooling)." };
        var head = new Option<string?>("--head") { Description = "Replace the top by GlobalAveragePooling2D and Dense layers UNITS[:ACTIVATION],... e.g. 1024:relu,512:relu,1:sigmoid." };
        var paper = new Option<bool>("--paper") { Description = "The paper's configuration for --arch: 128x128x3, no top, GAP, its head, Dense(1, sigmoid); MobileNetV2 alpha 0.5; InceptionV3 its experiment-2 head (--classes 102 or 120, --input 3x75x75..3x224x224); convention tf-profiler unless --convention is given." };
        var input = new Option<string[]>("--input") { Description = "Input shape, e.g. 3x224x224 (batch prepended) or name:1x3x224x224; repeatable.", AllowMultipleArgumentsPerToken = false };
        var batch = new Option<long?>("--batch") { Description = "Batch size for symbolic batch dimensions (default 1)." };
        var perNode = new Option<bool>("--per-node") { Description = "List every node's shape, params, MACs and FLOPs." };
        var json = new Option<bool>("--json") { Description = "Write JSON to stdout instead of a table." };
        var export = new Option<string?>("--export-onnx") { Description = "With --arch: write the network as an ONNX file (zero weights of the right size)." };
        var externalData = new Option<bool>("--external-data") { Description = "With --export-onnx: store weights in FILE.data beside the model (ONNX external data)." };
        var convention = new Option<string?>("--convention") { Description = "standard (default) or tf-profiler (default with --paper)." };
        var samples = new Option<long?>("--samples") { Description = "Training samples per epoch: adds training FLOPs per epoch (3 x forward per sample)." };
        var command = new Command("flops", "Count parameters, MACs, FLOPs and memory of an ONNX model or a catalog architecture.\n" + Convention);
        command.Arguments.Add(model);
        foreach (Option option in new Option[] { arch, alpha, classes, variant, noTop, head, paper, input, batch, perNode, json, export, externalData, convention, samples })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            string? file = parse.GetValue(model);
            string? archName = parse.GetValue(arch);
            if ((file is null) == (archName is null))
            {
                context.Diagnostic("Give either an ONNX file or --arch NAME (not both). Example: trainwatt flops --arch resnet50 --input 3x224x224");
                return (int)ExitCode.Usage;
            }

            // --paper reproduces the paper's numbers, so it defaults to the TF profiler's convention.
            string? conventionText = parse.GetValue(convention) ?? (parse.GetValue(paper) ? "tf-profiler" : null);
            if (!TryParseConvention(conventionText, out var conv))
            {
                context.Diagnostic($"Unknown --convention '{conventionText}'. Use standard or tf-profiler.");
                return (int)ExitCode.Usage;
            }

            if (!TryParseInputs(parse.GetValue(input) ?? [], out var shapes, out string? inputError))
            {
                context.Diagnostic(inputError!);
                return (int)ExitCode.Usage;
            }

            long? batchSize = parse.GetValue(batch);
            if (batchSize is <= 0)
            {
                context.Diagnostic($"--batch must be a positive integer, got {batchSize}.");
                return (int)ExitCode.Usage;
            }

            OnnxModel onnx;
            string source;
            if (archName is not null)
            {
                if (!TryBuildCatalogOptions(parse, archName, shapes, alpha, classes, variant, noTop, head, paper, out var options, out string? error))
                {
                    context.Diagnostic(error!);
                    return (int)ExitCode.Usage;
                }

                try
                {
                    onnx = ModelCatalog.Build(archName, options);
                }
                catch (ArgumentException e)
                {
                    context.Diagnostic(e.Message.Split(" (Parameter", 2)[0]);
                    return (int)ExitCode.Usage;
                }

                source = archName;
                shapes = new Dictionary<string, long[]>(); // the catalog graph's input already has the requested size
                if (parse.GetValue(export) is { } exportPath)
                {
                    try
                    {
                        if (parse.GetValue(externalData))
                        {
                            OnnxWriter.WriteFile(onnx, exportPath, exportPath + ".data");
                        }
                        else
                        {
                            OnnxWriter.WriteFile(onnx, exportPath);
                        }

                        context.Diagnostic($"wrote {exportPath}");
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        context.Diagnostic($"{exportPath}: cannot write the ONNX file: {e.Message}");
                        return (int)ExitCode.CannotCreate;
                    }
                }
            }
            else
            {
                source = file!;
                if (parse.GetValue(export) is not null)
                {
                    context.Diagnostic("--export-onnx works with --arch only.");
                    return (int)ExitCode.Usage;
                }

                if (!File.Exists(file))
                {
                    context.Diagnostic($"error: {file}: file not found. Give the path of an .onnx file, or --arch NAME for a catalog architecture.");
                    return (int)ExitCode.NoInput;
                }

                try
                {
                    onnx = OnnxReader.ReadFile(file!);
                }
                catch (OnnxFormatException e)
                {
                    context.Diagnostic($"error: {e.Message}. {OnnxFix}");
                    return (int)ExitCode.DataError;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    context.Diagnostic($"{file}: cannot read: {e.Message}");
                    return (int)ExitCode.NoInput;
                }
            }

            FlopsResult result;
            try
            {
                result = FlopsCounter.Count(onnx, new CountOptions { InputShapes = shapes, Batch = batchSize, Convention = conv });
            }
            catch (GraphStructureException e)
            {
                context.Diagnostic($"{source}: {e.Message}");
                return (int)ExitCode.DataError;
            }

            foreach (string warning in result.Warnings.Take(20))
            {
                context.Diagnostic($"warning: {warning}");
            }

            if (result.Warnings.Count > 20)
            {
                context.Diagnostic($"warning: ... and {result.Warnings.Count - 20} more");
            }

            long? sampleCount = parse.GetValue(samples);
            if (parse.GetValue(json))
            {
                context.WriteData(ToJson(result, source, parse.GetValue(perNode), sampleCount) + "\n");
            }
            else
            {
                Render(context, result, source, parse.GetValue(perNode), sampleCount);
            }

            return (int)ExitCode.Success;
        });
        return command;
    }

    private static bool TryParseConvention(string? text, out FlopsConvention convention)
    {
        convention = FlopsConvention.Standard;
        switch (text?.ToLowerInvariant())
        {
            case null or "standard":
                return true;
            case "tf-profiler" or "tfprofiler" or "tf":
                convention = FlopsConvention.TfProfiler;
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseInputs(string[] specs, out Dictionary<string, long[]> shapes, out string? error)
    {
        shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        error = null;
        foreach (string spec in specs)
        {
            int colon = spec.LastIndexOf(':');
            string name = colon >= 0 ? spec[..colon] : "";
            string dims = colon >= 0 ? spec[(colon + 1)..] : spec;
            var parts = dims.Split('x', 'X', ',');
            var values = new long[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
                {
                    error = $"--input '{spec}' is not a shape: expected positive integers joined by 'x', e.g. 3x224x224 or input:1x3x224x224.";
                    return false;
                }
            }

            shapes[name] = values;
        }

        return true;
    }

    private static bool TryBuildCatalogOptions(
        ParseResult parse, string archName, Dictionary<string, long[]> shapes, Option<double?> alpha, Option<int?> classes,
        Option<string?> variant, Option<bool> noTop, Option<string?> head, Option<bool> paper, out CatalogOptions options, out string? error)
    {
        error = null;
        options = new CatalogOptions();
        if (parse.GetValue(paper))
        {
            try
            {
                int size = shapes.Count > 0 ? (int)shapes.Values.First()[^1] : 128;
                options = ModelCatalog.PaperOptions(archName, size, parse.GetValue(classes) ?? 102);
            }
            catch (ArgumentException e)
            {
                error = e.Message.Split(" (Parameter", 2)[0];
                return false;
            }
        }

        if (shapes.Count > 0)
        {
            var s = shapes.Values.First();
            var chw = s.Length == 4 ? s[1..] : s;
            if (chw.Length != 3 || chw[1] != chw[2] || chw.Any(d => d > 8192))
            {
                error = $"--input for --arch must be CxHxW with H = W, at most 8192 (e.g. 3x224x224), got {string.Join("x", s)}.";
                return false;
            }

            options = options with { Channels = (int)chw[0], ImageSize = (int)chw[1] };
        }

        if (parse.GetValue(alpha) is { } a)
        {
            options = options with { Alpha = a };
        }

        if (parse.GetValue(classes) is { } k)
        {
            options = options with { Classes = k };
        }

        switch (parse.GetValue(variant)?.ToLowerInvariant())
        {
            case null:
                break;
            case "keras":
                options = options with { Variant = CatalogVariant.Keras };
                break;
            case "torchvision" or "pytorch" or "torch":
                options = options with { Variant = CatalogVariant.Torchvision };
                break;
            default:
                error = $"Unknown --variant '{parse.GetValue(variant)}'. Use keras or torchvision.";
                return false;
        }

        if (parse.GetValue(noTop))
        {
            options = options with { IncludeTop = false, Head = null };
        }

        if (parse.GetValue(head) is { } spec)
        {
            var layers = new List<DenseLayer>();
            foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var bits = part.Split(':');
                if (!int.TryParse(bits[0], NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units <= 0 || bits.Length > 2)
                {
                    error = $"--head '{spec}': each layer is UNITS[:ACTIVATION], e.g. 1024:relu,1:sigmoid.";
                    return false;
                }

                layers.Add(new DenseLayer(units, bits.Length == 2 ? bits[1] : "linear"));
            }

            options = options with { IncludeTop = false, Head = layers };
        }

        return true;
    }

    internal static string ToJson(FlopsResult r, string source, bool perNode, long? samples)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", source);
            w.WriteNumber("params", r.Params);
            w.WriteNumber("trainable_params", r.TrainableParams);
            w.WriteNumber("macs", r.Macs);
            w.WriteNumber("flops", r.Flops);
            w.WriteNumber("activation_bytes", r.ActivationBytes);
            w.WriteNumber("weight_bytes", r.WeightBytes);
            w.WriteStartObject("weight_bytes_by_dtype");
            foreach (var (type, bytes) in r.WeightBytesByType)
            {
                w.WriteNumber(type, bytes);
            }

            w.WriteEndObject();
            w.WriteNumber("batch", r.BatchSize);
            w.WriteString("convention", r.Convention == FlopsConvention.TfProfiler ? "tf-profiler" : "standard");
            w.WriteNumber("training_flops_per_sample", r.TrainingFlopsPerSample);
            if (samples is { } n)
            {
                w.WriteNumber("samples", n);
                w.WriteNumber("training_flops_per_epoch", r.TrainingFlopsPerEpoch(n));
            }

            w.WriteBoolean("partial", r.Partial);
            w.WriteStartArray("unknown_ops");
            foreach (string op in r.UnknownOps)
            {
                w.WriteStringValue(op);
            }

            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (string warning in r.Warnings)
            {
                w.WriteStringValue(warning);
            }

            w.WriteEndArray();
            w.WriteStartArray("subgraphs");
            foreach (var s in r.Subgraphs)
            {
                w.WriteStartObject();
                w.WriteString("path", s.Path);
                w.WriteString("op_type", s.OwnerOpType);
                w.WriteNumber("nodes", s.Nodes);
                w.WriteNumber("macs", s.Macs);
                w.WriteNumber("flops", s.Flops);
                w.WriteString("note", s.Note);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (perNode)
            {
                w.WriteStartArray("nodes");
                foreach (var node in r.Nodes)
                {
                    w.WriteStartObject();
                    w.WriteString("graph", node.Graph);
                    w.WriteString("name", node.Name);
                    w.WriteString("op_type", node.OpType);
                    if (node.OutputShape is { } shape)
                    {
                        w.WriteStartArray("output_shape");
                        foreach (long d in shape)
                        {
                            w.WriteNumberValue(d);
                        }

                        w.WriteEndArray();
                    }
                    else
                    {
                        w.WriteNull("output_shape");
                    }

                    w.WriteNumber("params", node.Params);
                    w.WriteNumber("macs", node.Macs);
                    w.WriteNumber("flops", node.Flops);
                    w.WriteNumber("activation_bytes", node.ActivationBytes);
                    w.WriteBoolean("counted", node.Counted);
                    if (node.Note is { } note)
                    {
                        w.WriteString("note", note);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
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

    private static void Render(CliContext context, FlopsResult r, string source, bool perNode, long? samples)
    {
        var table = new Table().Title(Markup.Escape(source)).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned()).AddColumn("exact");
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
        table.AddRow("convention", r.Convention == FlopsConvention.TfProfiler ? "tf-profiler" : "standard", "");
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
