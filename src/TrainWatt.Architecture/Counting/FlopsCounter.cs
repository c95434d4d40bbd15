using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Counting;

/// <summary>
/// Counts parameters, MACs, FLOPs, activation and weight memory of an ONNX-style graph by shape inference over its
/// nodes in topological order. Unknown operators are listed, counted as 0 and make the result partial. Subgraphs of
/// If/Loop/Scan are counted once each (one iteration of a loop body, both branches of an If) and reported.
/// </summary>
public static class FlopsCounter
{
    /// <summary>Counts <paramref name="model"/>; conventions are described on <see cref="FlopsConvention"/>.</summary>
    public static FlopsResult Count(OnnxModel model, CountOptions? options = null)
        => Count(model.Graph, model.DefaultOpset == 0 ? 17 : model.DefaultOpset, options ?? new CountOptions());

    public static FlopsResult Count(ModelGraph graph, long opset, CountOptions options)
    {
        var state = new CountState(options);
        var scope = new InferenceScope(null, opset, options.Convention);
        long batch = options.Batch ?? 1;
        if (batch <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"batch size must be positive, got {batch}");
        }

        SeedInputs(graph, scope, options, batch, state);
        CountGraph(graph, scope, state, "main");
        foreach (string key in options.InputShapes.Keys.Where(k => k.Length > 0))
        {
            if (!graph.Inputs.Any(i => i.Name == key))
            {
                throw new GraphStructureException(
                    $"--input names '{key}', but the graph's inputs are: {string.Join(", ", graph.Inputs.Where(i => !scope.IsInitializer(i.Name)).Select(i => i.Name))}");
            }
        }

        try
        {
            return Totals(state, options, batch);
        }
        catch (OverflowException)
        {
            throw new GraphStructureException("the counts exceed 2^63: the model declares absurd tensor sizes");
        }
    }

    private static FlopsResult Totals(CountState state, CountOptions options, long batch)
    {
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long weightBytes = 0, parameters = 0, trainable = 0;
        foreach (var (t, nonTrainable) in state.Weights.Values)
        {
            long bytes = TensorDataTypes.Bytes(t.DataType, t.ElementCount);
            weightBytes += bytes;
            parameters += t.ElementCount;
            if (!nonTrainable && !TensorDataTypes.IsInteger(t.DataType))
            {
                trainable += t.ElementCount;
            }

            string key = TensorDataTypes.Name(t.DataType);
            byType[key] = byType.GetValueOrDefault(key) + bytes;
        }

        ReportUnknownShapes(state);

        return new FlopsResult
        {
            Params = parameters,
            TrainableParams = trainable,
            Macs = state.Nodes.Sum(n => n.Macs),
            Flops = state.Nodes.Sum(n => n.Flops),
            ActivationBytes = state.Nodes.Sum(n => n.ActivationBytes),
            WeightBytes = weightBytes,
            WeightBytesByType = byType,
            Partial = state.Partial,
            UnknownOps = state.UnknownOps.Order(StringComparer.Ordinal).ToList(),
            Warnings = state.Warnings,
            Assumptions = state.Assumptions,
            Nodes = state.Nodes,
            Subgraphs = state.Subgraphs,
            BatchSize = batch,
            Convention = options.Convention,
        };
    }

    private sealed class CountState(CountOptions options)
    {
        public CountOptions Options { get; } = options;

        public List<NodeCount> Nodes { get; } = [];

        public List<SubgraphCount> Subgraphs { get; } = [];

        public List<string> Warnings { get; } = [];

        public HashSet<string> UnknownOps { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (TensorInfo Tensor, bool NonTrainable)> Weights { get; } = new(StringComparer.Ordinal);

        public bool Partial { get; set; }

        /// <summary>For each value without a shape, the key of the root in <see cref="Roots"/> it descends from.</summary>
        public Dictionary<string, string> Origins { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, UnknownRoot> Roots { get; } = new(StringComparer.Ordinal);

        public List<string> Assumptions { get; } = [];
    }

    /// <summary>Default for a symbolic dimension of a rank-4 input at position 2 or 3 (an image side).</summary>
    public const long AssumedImageSide = 224;

    /// <summary>Default for any other symbolic non-batch dimension (a sequence length).</summary>
    public const long AssumedSequenceLength = 128;

    private static void SeedInputs(ModelGraph graph, InferenceScope scope, CountOptions options, long batch, CountState state)
    {
        var initNames = graph.Initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Inputs.Where(i => !initNames.Contains(i.Name)).ToList();
        var given = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (int k = 0; k < inputs.Count; k++)
        {
            var input = inputs[k];
            if (options.InputShapes.TryGetValue(input.Name, out var byName) || (k == 0 && options.InputShapes.TryGetValue("", out byName)))
            {
                given[input.Name] = Complete(input, byName, batch);
            }
        }

        // A symbol (batch, sequence) takes one value in every input: from a given shape first, else a stated default.
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, shape) in given)
        {
            var declared = inputs.First(i => i.Name == name).Shape;
            for (int i = 0; declared is not null && i < declared.Length; i++)
            {
                if (declared[i].Symbol is { } sym)
                {
                    symbols.TryAdd(sym, shape[i]);
                }
            }
        }

        foreach (var input in inputs)
        {
            long[]? shape = given.GetValueOrDefault(input.Name);
            if (shape is null && input.Shape is { } declared)
            {
                shape = new long[declared.Length];
                for (int i = 0; i < declared.Length; i++)
                {
                    var d = declared[i];
                    if (d.Value is { } v)
                    {
                        shape[i] = v;
                    }
                    else if (d.Symbol is { } sym && symbols.TryGetValue(sym, out long bound))
                    {
                        shape[i] = bound;
                    }
                    else if (i == 0)
                    {
                        shape[i] = batch;
                    }
                    else
                    {
                        bool image = declared.Length == 4 && i >= 2;
                        shape[i] = image ? AssumedImageSide : AssumedSequenceLength;
                        string what = image ? "image side" : "sequence length";
                        string example = string.Join("x", declared.Select((x, j) => x.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                            ?? (j == 0 ? batch.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N")));
                        state.Assumptions.Add($"input '{input.Name}' dimension {i} ('{d}') is symbolic: assumed {what} {shape[i]}; give --input {input.Name}:{example} to set it");
                    }

                    if (d.Symbol is { } s)
                    {
                        symbols.TryAdd(s, shape[i]);
                    }
                }
            }
            else if (shape is null)
            {
                state.Warnings.Add($"input '{input.Name}' has no declared shape; give it with --input {input.Name}:1x3x224x224");
            }

            if (shape is not null && shape.Any(d => d < 0))
            {
                throw new GraphStructureException($"input '{input.Name}' shape {string.Join("x", shape)} has a negative dimension");
            }

            scope.Set(input.Name, new TensorValue(input.ElementType == TensorDataType.Undefined ? TensorDataType.Float : input.ElementType, shape));
        }
    }

    /// <summary>
    /// A given shape completed to the input's rank: the full shape, or without the batch (prepended), or for a
    /// [N, C, H, W] input with a fixed C just H x W.
    /// </summary>
    private static long[] Complete(ValueInfo input, long[] given, long batch)
    {
        if (input.Shape is not { } declared || given.Length == declared.Length)
        {
            return given;
        }

        if (given.Length == declared.Length - 1)
        {
            return [batch, .. given];
        }

        if (given.Length == 2 && declared.Length == 4 && declared[1].Value is { } channels)
        {
            return [batch, channels, .. given];
        }

        throw new GraphStructureException(
            $"input '{input.Name}' has rank {declared.Length} ({string.Join("x", declared)}), but the given shape {string.Join("x", given)} has {given.Length} dimensions");
    }

    private static void CountGraph(ModelGraph graph, InferenceScope scope, CountState state, string path)
    {
        RefuseDuplicateInitializers(graph, path);
        foreach (var t in graph.Initializers)
        {
            scope.InitializerNames.Add(t.Name);
            scope.Set(t.Name, new TensorValue(t.DataType, t.Dims, t.IntValues, t.FloatValues));
            state.Weights.TryAdd(path + "/" + t.Name, (t, false));
        }

        foreach (var sparse in graph.SparseInitializers)
        {
            // The stored non-zeros are the parameters; the graph sees the dense shape.
            scope.InitializerNames.Add(sparse.Values.Name);
            scope.Set(sparse.Values.Name, new TensorValue(sparse.Values.DataType, sparse.DenseDims));
            state.Weights.TryAdd(path + "/" + sparse.Values.Name, (sparse.Values, false));
        }

        // Weights stored as Constant nodes (Paddle2ONNX and older exporters do this) are parameters too; scalar
        // constants (clip bounds, attention scales, epsilons) are not.
        foreach (var node in graph.Nodes.Where(n => n.OpType == "Constant" && n.Outputs.Count == 1))
        {
            if (node.Attribute("value")?.Tensor is { } t && !TensorDataTypes.IsInteger(t.DataType) && t.DataType != TensorDataType.String
                && t.Dims.Length > 0 && t.ElementCount > 1)
            {
                var weight = new TensorInfo(node.Outputs[0], t.DataType, t.Dims);
                scope.InitializerNames.Add(node.Outputs[0]);
                state.Weights.TryAdd(path + "/" + node.Outputs[0], (weight, false));
            }
        }

        foreach (var vi in graph.ValueInfos.Concat(graph.Outputs))
        {
            if (vi.Shape is { } s && s.All(d => d.Value is not null))
            {
                scope.Declared[vi.Name] = new TensorValue(vi.ElementType, s.Select(d => d.Value!.Value).ToArray());
            }
        }

        // Running statistics are buffers, not trainable parameters (torchvision's count excludes them).
        foreach (var node in graph.Nodes.Where(n => n.OpType == "BatchNormalization"))
        {
            foreach (string name in node.Inputs.Skip(3).Take(2))
            {
                if (state.Weights.TryGetValue(path + "/" + name, out var w))
                {
                    state.Weights[path + "/" + name] = (w.Tensor, true);
                }
            }
        }

        foreach (var node in TopologicalOrder(graph, path))
        {
            try
            {
                EvaluateNode(node, scope, state, path);
            }
            catch (OverflowException)
            {
                throw new GraphStructureException(
                    $"node '{(node.Name.Length > 0 ? node.Name : node.OpType)}' in graph {path} has tensors of more than 2^63 elements or bytes: the model declares absurd sizes");
            }
        }
    }

    private static void EvaluateNode(GraphNode node, InferenceScope scope, CountState state, string path)
    {
        string display = node.Name.Length > 0 ? node.Name : $"{node.OpType}:{node.Outputs.FirstOrDefault()}";
        NodeEvaluation eval;
        if (node.OpType is "If" or "Loop" or "Scan" && node.Domain is "" or "ai.onnx")
        {
            eval = EvaluateControlFlow(node, scope, state, path + "/" + display);
        }
        else
        {
            try
            {
                eval = OperatorRules.Evaluate(node, scope);
            }
            catch (InvalidNodeException e)
            {
                // Counting such a node would give a number that looks complete and is wrong: refuse the graph.
                throw new GraphStructureException($"node '{display}' ({node.OpType}) in graph {path}: {e.Message}");
            }
            catch (Exception e) when (e is OverflowException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or DivideByZeroException)
            {
                eval = new NodeEvaluation(new TensorValue?[node.Outputs.Count], 0, 0, true, $"attributes or shapes are inconsistent ({e.GetType().Name}): counted as 0");
            }
        }

        if (!eval.Known)
        {
            state.UnknownOps.Add(node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}");
            state.Partial = true;
        }
        else if (eval.Note is { } note && note.EndsWith("counted as 0", StringComparison.Ordinal)
            && !note.StartsWith("input shape unknown", StringComparison.Ordinal))
        {
            state.Partial = true;
            state.Warnings.Add($"{path}/{display} ({node.OpType}): {note}");
        }

        long activation = 0;
        for (int i = 0; i < node.Outputs.Count; i++)
        {
            var v = i < eval.Outputs.Length ? eval.Outputs[i] : null;
            if (v is null && scope.Declared.TryGetValue(node.Outputs[i], out var declared))
            {
                v = declared;
            }

            if (v is not null && node.Outputs[i].Length > 0)
            {
                scope.Set(node.Outputs[i], v);
                if (node.OpType != "Constant" && v.Shape is not null)
                {
                    activation += TensorDataTypes.Bytes(v.Type, v.Elements);
                }
            }
        }

        long parameters = node.Inputs.Where(scope.IsInitializer).Distinct(StringComparer.Ordinal)
            .Sum(n => scope.Get(n)?.Elements ?? 0);
        TrackUnknownShapes(node, scope, state, eval, $"{path}/{display} ({node.OpType})", parameters);
        state.Nodes.Add(new NodeCount(path, display, node.OpType, node.Outputs.Count > 0 ? scope.Get(node.Outputs[0])?.Shape : null,
            parameters, eval.Macs, eval.Flops, activation, eval.Known, eval.Note));
    }

    /// <summary>
    /// Follows values whose shape could not be inferred back to the node (or input) where inference stopped, so the
    /// report names that node, why, and how much of the model depends on it (nodes and parameters counted as 0).
    /// </summary>
    private static void TrackUnknownShapes(GraphNode node, InferenceScope scope, CountState state, NodeEvaluation eval, string where, long parameters)
    {
        string? origin = null;
        foreach (string input in node.Inputs.Where(i => i.Length > 0))
        {
            if (state.Origins.TryGetValue(input, out var o))
            {
                origin = o;
                break;
            }

            if (scope.Get(input) is { Shape: null } && scope.IsDefined(input) && !state.Roots.ContainsKey("input " + input))
            {
                origin = "input " + input;
                state.Roots[origin] = new UnknownRoot($"graph input '{input}': no declared shape (give --input {input}:DIMS)");
                break;
            }
        }

        bool blocked = eval.Note?.StartsWith("input shape unknown", StringComparison.Ordinal) == true;
        if (origin is not null)
        {
            var root = state.Roots[origin];
            root.Nodes++;
            root.Params += parameters;
        }
        else if (blocked)
        {
            origin = where;
            state.Roots[origin] = new UnknownRoot($"{where}: an input's shape is unknown") { Nodes = 1, Params = parameters };
        }

        for (int i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i].Length == 0 || scope.Get(node.Outputs[i])?.Shape is not null)
            {
                continue;
            }

            if (origin is null)
            {
                origin = where;
                state.Roots[origin] = new UnknownRoot($"{where}: {eval.Note ?? (eval.Known ? "output shape not inferred" : "unknown operator")}");
            }

            state.Origins[node.Outputs[i]] = origin;
        }
    }

    private static void ReportUnknownShapes(CountState state)
    {
        int total = state.Nodes.Count;
        long totalParams = state.Weights.Values.Sum(w => w.Tensor.ElementCount);
        foreach (var root in state.Roots.Values.Where(r => r.Nodes > 0))
        {
            state.Partial = true;
            string share = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{root.Nodes} of {total} nodes ({100.0 * root.Nodes / Math.Max(1, total):0.#} %), reading {root.Params:N0} of {totalParams:N0} parameters");
            state.Warnings.Add($"{root.Reason}; shape inference stops here: {share} depend on it and are counted as 0 MACs/FLOPs");
        }
    }

    /// <summary>Where shape inference stopped, and how much of the model could not be counted because of it.</summary>
    private sealed class UnknownRoot(string reason)
    {
        public string Reason { get; } = reason;

        public int Nodes { get; set; }

        public long Params { get; set; }
    }

    /// <summary>Two initializers under one name: which one a node reads is undefined, and the counts would take either.</summary>
    private static void RefuseDuplicateInitializers(ModelGraph graph, string path)
    {
        var seen = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        foreach (var t in graph.Initializers.Concat(graph.SparseInitializers.Select(s => s.Values)))
        {
            if (seen.TryGetValue(t.Name, out var first))
            {
                var reader = graph.Nodes.FirstOrDefault(n => n.Inputs.Contains(t.Name, StringComparer.Ordinal));
                string who = reader is null ? "the graph reads" : $"node '{(reader.Name.Length > 0 ? reader.Name : reader.OpType)}' reads";
                throw new GraphStructureException(
                    $"graph {path} has two initializers named '{t.Name}' ([{string.Join("x", first.Dims)}] and [{string.Join("x", t.Dims)}]): " +
                    $"which one {who} is undefined; the file is malformed, export it again.");
            }

            seen.Add(t.Name, t);
        }
    }

    private static NodeEvaluation EvaluateControlFlow(GraphNode node, InferenceScope scope, CountState state, string path)
    {
        var outs = new TensorValue?[node.Outputs.Count];
        foreach (var attr in node.Attributes.Where(a => a.Graphs.Count > 0))
        {
            for (int gi = 0; gi < attr.Graphs.Count; gi++)
            {
                var sub = attr.Graphs[gi];
                var child = new InferenceScope(scope, scope.Opset, scope.Convention);
                string subPath = $"{path}/{attr.Name}{(attr.Graphs.Count > 1 ? gi.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}";
                for (int i = 0; i < sub.Inputs.Count; i++)
                {
                    var input = sub.Inputs[i];
                    TensorValue? v = null;
                    if (node.OpType == "Loop" && i >= 2 && i < node.Inputs.Count)
                    {
                        v = scope.Get(node.Inputs[i]);
                    }

                    v ??= input.Shape is { } s && s.All(d => d.Value is not null)
                        ? new TensorValue(input.ElementType, s.Select(d => d.Value!.Value).ToArray())
                        : new TensorValue(input.ElementType, node.OpType == "Loop" && i < 2 ? [] : null);
                    child.Set(input.Name, v);
                }

                int before = state.Nodes.Count;
                CountGraph(sub, child, state, subPath);
                var added = state.Nodes.Skip(before).ToList();
                string note = node.OpType switch
                {
                    "Loop" => "loop body counted for one iteration (trip count is data-dependent)",
                    "Scan" => "scan body counted for one iteration",
                    _ => "branch counted as if taken",
                };
                state.Subgraphs.Add(new SubgraphCount(subPath, node.OpType, added.Count, added.Sum(n => n.Macs), added.Sum(n => n.Flops), note));
                if (node.OpType == "If" && attr.Name == "then_branch")
                {
                    for (int i = 0; i < outs.Length && i < sub.Outputs.Count; i++)
                    {
                        outs[i] = child.Get(sub.Outputs[i].Name);
                    }
                }
            }
        }

        if (node.OpType == "Loop")
        {
            for (int i = 0; i < outs.Length && i + 2 < node.Inputs.Count; i++)
            {
                outs[i] = scope.Get(node.Inputs[i + 2]);
            }
        }

        return new NodeEvaluation(outs, 0, 0, true, null);
    }

    /// <summary>Kahn's algorithm, keeping file order among ready nodes; throws on a cycle.</summary>
    private static List<GraphNode> TopologicalOrder(ModelGraph graph, string path)
    {
        var nodes = graph.Nodes;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (string o in nodes[i].Outputs)
            {
                if (o.Length > 0)
                {
                    producer[o] = i;
                }
            }
        }

        var indegree = new int[nodes.Count];
        var consumers = new List<int>[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (string input in nodes[i].Inputs.Distinct(StringComparer.Ordinal))
            {
                if (input.Length > 0 && producer.TryGetValue(input, out int p))
                {
                    indegree[i]++;
                    (consumers[p] ??= []).Add(i);
                }
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (indegree[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<GraphNode>(nodes.Count);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(nodes[i]);
            foreach (int c in consumers[i] ?? [])
            {
                if (--indegree[c] == 0)
                {
                    ready.Enqueue(c, c);
                }
            }
        }

        if (order.Count != nodes.Count)
        {
            var stuck = Enumerable.Range(0, nodes.Count).Where(i => indegree[i] > 0).Take(3)
                .Select(i => $"'{(nodes[i].Name.Length > 0 ? nodes[i].Name : nodes[i].OpType)}'");
            throw new GraphStructureException(
                $"graph {path} has a cycle: {nodes.Count - order.Count} node(s) depend on their own outputs, e.g. {string.Join(", ", stuck)}");
        }

        return order;
    }
}
