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

        SeedInputs(graph, scope, options, batch, state.Warnings);
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

        if (state.UnknownShapeNodes > 1)
        {
            state.Warnings.Add($"{state.UnknownShapeNodes} nodes in all had unknown input shapes and were counted as 0");
        }

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

        public int UnknownShapeNodes { get; set; }
    }

    private static void SeedInputs(ModelGraph graph, InferenceScope scope, CountOptions options, long batch, List<string> warnings)
    {
        var initNames = graph.Initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        bool firstTaken = false;
        foreach (var input in graph.Inputs)
        {
            if (initNames.Contains(input.Name))
            {
                continue;
            }

            long[]? given = null;
            if (options.InputShapes.TryGetValue(input.Name, out var byName))
            {
                given = byName;
            }
            else if (!firstTaken && options.InputShapes.TryGetValue("", out var first))
            {
                given = first;
            }

            firstTaken = true;
            int? rank = input.Shape?.Length;
            long[]? shape;
            if (given is not null)
            {
                shape = rank is { } r && given.Length == r - 1 ? [batch, .. given] : given;
                if (rank is { } rr && shape.Length != rr)
                {
                    throw new GraphStructureException(
                        $"input '{input.Name}' has rank {rr} ({string.Join("x", input.Shape!)}), but the given shape {string.Join("x", given)} has {given.Length} dimensions");
                }
            }
            else if (input.Shape is { } declared)
            {
                shape = new long[declared.Length];
                for (int i = 0; i < declared.Length; i++)
                {
                    var d = declared[i];
                    if (d.Value is { } v)
                    {
                        shape[i] = v;
                    }
                    else if (i == 0)
                    {
                        shape[i] = batch;
                    }
                    else
                    {
                        warnings.Add($"input '{input.Name}' dimension {i} is symbolic ('{d}'); give it with --input {input.Name}:{string.Join("x", declared.Select((x, j) => j == 0 ? batch.ToString(System.Globalization.CultureInfo.InvariantCulture) : x.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "N"))}");
                        shape = null;
                        break;
                    }
                }
            }
            else
            {
                warnings.Add($"input '{input.Name}' has no declared shape; give it with --input {input.Name}:1x3x224x224");
                shape = null;
            }

            if (shape is not null && shape.Any(d => d < 0))
            {
                throw new GraphStructureException($"input '{input.Name}' shape {string.Join("x", shape)} has a negative dimension");
            }

            scope.Set(input.Name, new TensorValue(input.ElementType == TensorDataType.Undefined ? TensorDataType.Float : input.ElementType, shape));
        }
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
        else if (eval.Note is { } note && note.EndsWith("counted as 0", StringComparison.Ordinal))
        {
            state.Partial = true;
            if (note.StartsWith("input shape unknown", StringComparison.Ordinal))
            {
                // One unknown shape propagates to every later node: report the first, count the rest.
                if (state.UnknownShapeNodes++ == 0)
                {
                    state.Warnings.Add($"{path}/{display} ({node.OpType}): {note}; later nodes depending on it are also counted as 0");
                }
            }
            else
            {
                state.Warnings.Add($"{path}/{display} ({node.OpType}): {note}");
            }
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
        state.Nodes.Add(new NodeCount(path, display, node.OpType, node.Outputs.Count > 0 ? scope.Get(node.Outputs[0])?.Shape : null,
            parameters, eval.Macs, eval.Flops, activation, eval.Known, eval.Note));
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
