using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Counting;

/// <summary>The outcome of evaluating one node: output values and its cost.</summary>
public sealed record NodeEvaluation(TensorValue?[] Outputs, long Macs, long Flops, bool Known, string? Note);

/// <summary>
/// Shape inference and cost rules per ONNX operator (semantics from onnx/docs/Operators.md). Each rule returns the
/// output shapes and MACs/FLOPs under the <see cref="FlopsConvention"/> of the scope. An operator without a rule
/// returns <see cref="NodeEvaluation.Known"/> = false and costs 0.
/// </summary>
public static class OperatorRules
{
    private static readonly HashSet<string> Activations = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Clip", "Elu", "Selu", "Celu", "Softplus",
        "Softsign", "Erf", "Gelu", "Mish", "ThresholdedRelu", "Exp", "Sqrt", "Abs", "Floor", "Ceil", "Round", "Sign",
        "Sin", "Cos", "Not", "IsNaN", "IsInf",
    };

    // Unary operators TensorFlow's flops registry counts at 1 FLOP per element.
    private static readonly HashSet<string> TfCountedUnary = new(StringComparer.Ordinal) { "Reciprocal", "Neg", "Log" };

    private static readonly HashSet<string> PassThrough = new(StringComparer.Ordinal) { "Identity", "Dropout", "Cast", "CastLike" };

    private static readonly HashSet<string> Binary = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Equal", "Greater", "Less", "GreaterOrEqual",
        "LessOrEqual", "And", "Or", "Xor", "Where", "PRelu", "Mod", "BitShift",
    };

    private static readonly HashSet<string> SupportedSet = new(Supported, StringComparer.Ordinal);

    /// <summary>Operator types with a rule (for --help and docs).</summary>
    public static IEnumerable<string> Supported => Activations.Concat(TfCountedUnary).Concat(PassThrough).Concat(Binary).Concat(
    [
        "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "InstanceNormalization", "LayerNormalization",
        "GroupNormalization", "LRN", "Softmax", "LogSoftmax", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ArgMax", "ArgMin", "Concat",
        "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Resize", "Upsample", "Pad", "Slice", "Gather", "Split",
        "Shape", "Size", "Constant", "ConstantOfShape", "Expand", "Tile", "Range", "DepthToSpace", "SpaceToDepth",
        "LSTM", "GRU", "RNN", "ScatterND", "ScatterElements", "Scatter", "GatherElements", "GatherND", "Trilu", "CumSum", "Einsum",
        "If", "Loop", "Scan",
    ]).Order(StringComparer.Ordinal);

    /// <summary>
    /// Output shapes and cost of <paramref name="node"/>; where every input's contents are known (shape arithmetic),
    /// the outputs' contents too (<see cref="ConstantFolding"/>).
    /// </summary>
    public static NodeEvaluation Evaluate(GraphNode node, InferenceScope scope)
    {
        var ins = node.Inputs.Select(scope.Get).ToArray();
        var eval = node.Domain is "" or "ai.onnx" ? EvaluateShapes(node, ins, scope)
            : node.Domain == "com.microsoft" ? MicrosoftOps.Evaluate(node, ins, scope.Convention == FlopsConvention.TfProfiler) ?? Unknown(node)
            : Unknown(node);
        return eval with { Outputs = ConstantFolding.Attach(node, ins, eval.Outputs) };
    }

    private static NodeEvaluation EvaluateShapes(GraphNode node, TensorValue?[] ins, InferenceScope scope)
    {
        var tf = scope.Convention == FlopsConvention.TfProfiler;
        string op = node.OpType;

        TensorValue? X(int i) => i < ins.Length ? ins[i] : null;
        long[]? S(int i) => X(i)?.Shape;
        TensorDataType T0 = X(0)?.Type ?? TensorDataType.Float;

        if (op is "Constant")
        {
            return Constant(node);
        }

        // Every remaining rule needs its first input's shape (If/Loop/Scan are handled by the counter).
        if (op is not ("ConstantOfShape" or "Range") && S(0) is null)
        {
            return Known(node) ? MissingShape(node) : Unknown(node);
        }

        long[] s0 = S(0) ?? [];
        long n0 = Numel(s0);
        switch (op)
        {
            case "Conv":
                return Conv(node, ins, tf);
            case "ConvTranspose":
                return ConvTranspose(node, ins);
            case "Gemm":
                {
                    if (S(1) is not { } sb)
                    {
                        return MissingShape(node);
                    }

                    bool ta = node.GetInt("transA", 0) != 0, tb = node.GetInt("transB", 0) != 0;
                    long m = ta ? s0[1] : s0[0], k = ta ? s0[0] : s0[1], n = tb ? sb[0] : sb[1];
                    long kb = tb ? sb[1] : sb[0];
                    if (k != kb)
                    {
                        throw new InvalidNodeException(
                            $"A is {Fmt(s0)} and B is {Fmt(sb)} (transA {(ta ? 1 : 0)}, transB {(tb ? 1 : 0)}): the inner dimensions {k} and {kb} differ.");
                    }

                    long macs = m * n * k;
                    long bias = X(2) is not null ? m * n : 0;
                    return Out(new TensorValue(T0, [m, n]), macs, 2 * macs + bias);
                }

            case "MatMul":
                {
                    if (S(1) is not { } sb)
                    {
                        return MissingShape(node);
                    }

                    var a = s0.Length == 1 ? new[] { 1, s0[0] } : s0;
                    var b = sb.Length == 1 ? new[] { sb[0], 1 } : sb;
                    var batch = Broadcast(a[..^2], b[..^2]);
                    if (batch is null)
                    {
                        return Bad(node, $"MatMul batch dims {Fmt(s0)} and {Fmt(sb)} do not broadcast");
                    }

                    long k = a[^1];
                    var outShape = batch.Concat(s0.Length == 1 ? [] : new[] { a[^2] }).Concat(sb.Length == 1 ? [] : new[] { b[^1] }).ToArray();
                    long macs = Numel(outShape) * k;
                    return Out(new TensorValue(T0, outShape), macs, 2 * macs);
                }

            case "BatchNormalization":
                // TF: 4-D Keras BatchNorm is FusedBatchNormV3 (no flops registered); on 2-D inputs Keras emits
                // Rsqrt/Mul/Sub/AddV2 ops: 2 per element plus ~5 per channel.
                return Out(new TensorValue(T0, s0), 0, !tf ? 2 * n0 : s0.Length == 2 ? 2 * n0 + 5 * s0[1] : 0);
            case "InstanceNormalization" or "LayerNormalization" or "GroupNormalization" or "LRN":
                return Out(new TensorValue(T0, s0), 0, 5 * n0);
            case "Softmax" or "LogSoftmax":
                return Out(new TensorValue(T0, s0), 0, 5 * n0);
            case "MaxPool" or "AveragePool":
                return Pool(node, s0, T0);
            case "GlobalAveragePool" or "GlobalMaxPool":
                {
                    var o = s0.Select((d, i) => i < 2 ? d : 1).ToArray();
                    return Out(new TensorValue(T0, o), 0, tf && op == "GlobalMaxPool" ? 0 : n0);
                }

            case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL2" or "ArgMax" or "ArgMin":
                {
                    long[]? axes = node.GetInts("axes") ?? X(1)?.Ints;
                    if (op is "ArgMax" or "ArgMin")
                    {
                        axes = [node.GetInt("axis", 0)];
                    }

                    bool keep = node.GetInt("keepdims", 1) != 0;
                    var set = (axes is null || axes.Length == 0) ? Enumerable.Range(0, s0.Length).ToHashSet()
                        : axes.Select(a => (int)Norm(a, s0.Length)).ToHashSet();
                    if (axes is { Length: 0 } && node.GetInt("noop_with_empty_axes", 0) != 0)
                    {
                        return Out(X(0)!, 0, 0);
                    }

                    var o = new List<long>();
                    for (int i = 0; i < s0.Length; i++)
                    {
                        if (!set.Contains(i))
                        {
                            o.Add(s0[i]);
                        }
                        else if (keep)
                        {
                            o.Add(1);
                        }
                    }

                    long outN = Numel(o.ToArray());
                    long f = !tf ? n0 : op switch { "ReduceMean" => n0, "ReduceSum" or "ArgMax" or "ArgMin" => n0 - outN, _ => 0 };
                    var type = op is "ArgMax" or "ArgMin" ? TensorDataType.Int64 : T0;
                    return Out(new TensorValue(type, o.ToArray()), 0, f);
                }

            case "Concat":
                {
                    var shapes = ins.Where(v => v is not null).Select(v => v!.Shape).ToArray();
                    if (shapes.Any(s => s is null) || ins.Length == 0)
                    {
                        return MissingShape(node);
                    }

                    int axis = (int)Norm(node.GetInt("axis", 0), s0.Length);
                    var o = (long[])s0.Clone();
                    o[axis] = shapes.Sum(s => s![axis]);
                    long[]? ints = ins.All(v => v?.Ints is not null) ? ins.SelectMany(v => v!.Ints!).ToArray() : null;
                    return Out(new TensorValue(T0, o, ints), 0, 0);
                }

            case "Reshape":
                {
                    long[]? target = X(1)?.Ints ?? node.GetInts("shape");
                    if (target is null)
                    {
                        return FromDeclared(node, scope, "Reshape target shape is not a constant");
                    }

                    bool allowZero = node.GetInt("allowzero", 0) != 0;
                    var o = new long[target.Length];
                    int inferAt = -1;
                    for (int i = 0; i < target.Length; i++)
                    {
                        if (target[i] == 0 && !allowZero)
                        {
                            o[i] = i < s0.Length ? s0[i] : 0;
                        }
                        else if (target[i] == -1)
                        {
                            inferAt = i;
                            o[i] = 1;
                        }
                        else
                        {
                            o[i] = target[i];
                        }
                    }

                    if (inferAt >= 0)
                    {
                        long rest = Numel(o);
                        o[inferAt] = rest == 0 ? 0 : n0 / rest;
                    }

                    if (Numel(o) != n0)
                    {
                        return Bad(node, $"Reshape from {Fmt(s0)} to {Fmt(target)} changes the element count");
                    }

                    return Out(new TensorValue(T0, o, X(0)!.Ints), 0, 0);
                }

            case "Flatten":
                {
                    int axis = (int)Norm(node.GetInt("axis", 1), s0.Length);
                    return Out(new TensorValue(T0, [Numel(s0[..axis]), Numel(s0[axis..])]), 0, 0);
                }

            case "Transpose":
                {
                    var perm = node.GetInts("perm") ?? Enumerable.Range(0, s0.Length).Reverse().Select(i => (long)i).ToArray();
                    if (perm.Length != s0.Length)
                    {
                        return Bad(node, $"Transpose perm has {perm.Length} entries for a rank-{s0.Length} input");
                    }

                    return Out(new TensorValue(T0, perm.Select(p => s0[(int)Norm(p, s0.Length)]).ToArray()), 0, 0);
                }

            case "Squeeze":
                {
                    long[]? axes = node.GetInts("axes") ?? X(1)?.Ints;
                    if (axes is null && X(1) is not null)
                    {
                        return FromDeclared(node, scope, "Squeeze axes are not a constant");
                    }

                    var set = axes?.Select(a => Norm(a, s0.Length)).ToHashSet();
                    var o = s0.Where((d, i) => set is null ? d != 1 : !set.Contains(i)).ToArray();
                    return Out(new TensorValue(T0, o, X(0)!.Ints), 0, 0);
                }

            case "Unsqueeze":
                {
                    long[]? axes = node.GetInts("axes") ?? X(1)?.Ints;
                    if (axes is null)
                    {
                        return FromDeclared(node, scope, "Unsqueeze axes are not a constant");
                    }

                    int rank = s0.Length + axes.Length;
                    var set = axes.Select(a => Norm(a, rank)).ToHashSet();
                    var o = new long[rank];
                    int j = 0;
                    for (int i = 0; i < rank; i++)
                    {
                        o[i] = set.Contains(i) ? 1 : s0[j++];
                    }

                    return Out(new TensorValue(T0, o, X(0)!.Ints), 0, 0);
                }

            case "Resize" or "Upsample":
                {
                    long[]? sizes = op == "Resize" ? X(3)?.Ints : null;
                    double[]? scales = op == "Resize" ? (scope.Opset < 11 ? X(1)?.Floats : X(2)?.Floats) : (X(1)?.Floats ?? node.Attribute("scales")?.Floats.Select(f => (double)f).ToArray());
                    long[] o;
                    if (sizes is { } sz && sz.Length == s0.Length)
                    {
                        o = sz;
                    }
                    else if (scales is { } sc && sc.Length == s0.Length)
                    {
                        o = s0.Select((d, i) => (long)Math.Floor(d * sc[i])).ToArray();
                    }
                    else
                    {
                        return FromDeclared(node, scope, "Resize scales/sizes are not constants");
                    }

                    bool nearest = (node.GetString("mode") ?? "nearest") == "nearest";
                    return Out(new TensorValue(T0, o), 0, nearest || tf ? 0 : Numel(o));
                }

            case "Pad":
                {
                    long[]? pads = node.GetInts("pads") ?? node.GetInts("paddings") ?? X(1)?.Ints;
                    if (pads is null)
                    {
                        return FromDeclared(node, scope, "Pad amounts are not a constant");
                    }

                    long[]? axes = X(3)?.Ints;
                    var o = (long[])s0.Clone();
                    int count = axes?.Length ?? s0.Length;
                    if (pads.Length != 2 * count)
                    {
                        return Bad(node, $"Pad has {pads.Length} pad values for {count} axes");
                    }

                    for (int i = 0; i < count; i++)
                    {
                        int ax = axes is null ? i : (int)Norm(axes[i], s0.Length);
                        o[ax] += pads[i] + pads[i + count];
                    }

                    return Out(new TensorValue(T0, o), 0, 0);
                }

            case "Slice":
                return Slice(node, ins, scope);
            case "Gather":
                {
                    if (S(1) is not { } si)
                    {
                        return MissingShape(node);
                    }

                    int axis = (int)Norm(node.GetInt("axis", 0), s0.Length);
                    var o = s0[..axis].Concat(si).Concat(s0[(axis + 1)..]).ToArray();
                    long[]? ints = null;
                    if (X(0)!.Ints is { } data && X(1)!.Ints is { } idx && s0.Length == 1)
                    {
                        ints = idx.Select(i => data[(int)Math.Clamp(Norm(i, data.Length), 0, data.Length - 1)]).ToArray();
                    }

                    return Out(new TensorValue(T0, o, ints), 0, 0);
                }

            case "Split":
                {
                    int axis = (int)Norm(node.GetInt("axis", 0), s0.Length);
                    long[]? split = node.GetInts("split") ?? X(1)?.Ints;
                    int outputs = node.Outputs.Count;
                    if (split is null || split.Length != outputs)
                    {
                        long total = s0[axis];
                        long each = (total + outputs - 1) / outputs;
                        split = Enumerable.Range(0, outputs).Select(i => Math.Max(0, Math.Min(each, total - each * i))).ToArray();
                    }

                    var outs = split.Select(len =>
                    {
                        var o = (long[])s0.Clone();
                        o[axis] = len;
                        return (TensorValue?)new TensorValue(T0, o);
                    }).ToArray();
                    return new NodeEvaluation(outs, 0, 0, true, null);
                }

            case "Shape":
                {
                    long start = Norm(node.GetInt("start", 0), s0.Length + 1);
                    long end = node.Attribute("end") is null ? s0.Length : Norm(node.GetInt("end", s0.Length), s0.Length + 1);
                    start = Math.Clamp(start, 0, s0.Length);
                    end = Math.Clamp(end, start, s0.Length);
                    var vals = s0[(int)start..(int)end];
                    return Out(new TensorValue(TensorDataType.Int64, [vals.Length], vals), 0, 0);
                }

            case "Size":
                return Out(new TensorValue(TensorDataType.Int64, [], [n0]), 0, 0);
            case "ConstantOfShape":
                {
                    if (X(0)?.Ints is not { } shape)
                    {
                        return FromDeclared(node, scope, "ConstantOfShape shape is not a constant");
                    }

                    var t = node.Attribute("value")?.Tensor?.DataType ?? TensorDataType.Float;
                    long[]? ints = TensorDataTypes.IsInteger(t) && Numel(shape) <= TensorInfo.MaxIntValues
                        ? Enumerable.Repeat(node.Attribute("value")?.Tensor?.IntValues?.FirstOrDefault() ?? 0L, (int)Numel(shape)).ToArray() : null;
                    return Out(new TensorValue(t, shape, ints), 0, 0);
                }

            case "Expand":
                {
                    if (X(1)?.Ints is not { } shape)
                    {
                        return FromDeclared(node, scope, "Expand shape is not a constant");
                    }

                    var o = Broadcast(s0, shape);
                    return o is null ? Bad(node, $"Expand {Fmt(s0)} to {Fmt(shape)} does not broadcast") : Out(new TensorValue(T0, o), 0, 0);
                }

            case "Tile":
                {
                    if (X(1)?.Ints is not { } reps || reps.Length != s0.Length)
                    {
                        return FromDeclared(node, scope, "Tile repeats are not a constant");
                    }

                    return Out(new TensorValue(T0, s0.Select((d, i) => d * reps[i]).ToArray()), 0, 0);
                }

            case "Range":
                {
                    static double? Scalar(TensorValue? v) => v?.Ints is [var i] ? i : v?.Floats is [var f] ? f : null;
                    if (Scalar(X(0)) is { } start && Scalar(X(1)) is { } limit && Scalar(X(2)) is { } delta && delta != 0)
                    {
                        // Values are filled in by constant folding.
                        long len = Math.Max(0, (long)Math.Ceiling((limit - start) / delta));
                        return Out(new TensorValue(X(0)!.Type, [len]), 0, 0);
                    }

                    return FromDeclared(node, scope, "Range bounds are not constants");
                }

            case "LSTM" or "GRU" or "RNN":
                {
                    // X [seq, batch, input] (layout 1: [batch, seq, input]); W [dirs, gates*hidden, input];
                    // R [dirs, gates*hidden, hidden]. Per step and direction: gates*hidden*(input + hidden) MACs,
                    // plus bias adds and ~3 elementwise ops per gate element (activations and state updates).
                    if (S(1) is not { } w || w.Length != 3 || s0.Length != 3)
                    {
                        return MissingShape(node);
                    }

                    bool batchFirst = node.GetInt("layout", 0) == 1;
                    long seq = batchFirst ? s0[1] : s0[0], batchN = batchFirst ? s0[0] : s0[1], input = s0[2];
                    long dirs = w[0], gatesHidden = w[1];
                    long hidden = node.GetInt("hidden_size", gatesHidden / (op == "LSTM" ? 4 : op == "GRU" ? 3 : 1));
                    long steps = seq * batchN * dirs;
                    long macs = steps * gatesHidden * (input + hidden);
                    long flops = 2 * macs + steps * gatesHidden * (X(3) is not null ? 2 : 0) + (tf ? 0 : 3 * steps * gatesHidden);
                    var outs = new TensorValue?[node.Outputs.Count];
                    if (outs.Length > 0)
                    {
                        outs[0] = new TensorValue(T0, batchFirst ? [batchN, seq, dirs, hidden] : [seq, dirs, batchN, hidden]);
                    }

                    for (int i = 1; i < outs.Length; i++)
                    {
                        outs[i] = new TensorValue(T0, batchFirst ? [batchN, dirs, hidden] : [dirs, batchN, hidden]);
                    }

                    return new NodeEvaluation(outs, macs, flops, true, null);
                }

            case "ScatterND" or "ScatterElements" or "Scatter" or "Trilu" or "CumSum":
                // Output has the data's shape (ScatterND: onnx Operators.md "output = copy of data, updates written").
                return Out(new TensorValue(T0, s0), 0, op == "CumSum" ? n0 : 0);
            case "GatherElements":
                return S(1) is { } ge ? Out(new TensorValue(T0, ge), 0, 0) : MissingShape(node);
            case "GatherND":
                {
                    // indices [..., k] index the first k (after batch_dims) data dimensions; the rest are copied.
                    if (S(1) is not { } gi || gi.Length == 0)
                    {
                        return MissingShape(node);
                    }

                    int batchDims = (int)node.GetInt("batch_dims", 0);
                    long k = gi[^1];
                    var o = gi[..^1].Concat(s0[(batchDims + (int)k)..]).ToArray();
                    return Out(new TensorValue(T0, o), 0, 0);
                }

            case "Einsum":
                return Einsum(node, ins);
            case "DepthToSpace" or "SpaceToDepth":
                {
                    long b = node.GetInt("blocksize", 1);
                    var o = (long[])s0.Clone();
                    if (op == "DepthToSpace")
                    {
                        o[1] /= b * b;
                        o[2] *= b;
                        o[3] *= b;
                    }
                    else
                    {
                        o[1] *= b * b;
                        o[2] /= b;
                        o[3] /= b;
                    }

                    return Out(new TensorValue(T0, o), 0, 0);
                }
        }

        if (PassThrough.Contains(op))
        {
            var t = op == "Cast" ? (TensorDataType)node.GetInt("to", (long)T0) : T0;
            var outs = new TensorValue?[node.Outputs.Count];
            outs[0] = new TensorValue(t, s0, X(0)!.Ints, X(0)!.Floats);
            return new NodeEvaluation(outs, 0, 0, true, null);
        }

        if (Activations.Contains(op))
        {
            return Out(new TensorValue(T0, s0), 0, tf ? 0 : n0);
        }

        if (TfCountedUnary.Contains(op))
        {
            return Out(new TensorValue(T0, s0), 0, n0);
        }

        if (Binary.Contains(op))
        {
            long[]? o = s0;
            foreach (var v in ins.Skip(1))
            {
                if (v?.Shape is null)
                {
                    return MissingShape(node);
                }

                o = Broadcast(o!, v.Shape);
                if (o is null)
                {
                    return Bad(node, $"{op} inputs {string.Join(", ", ins.Select(i => Fmt(i?.Shape)))} do not broadcast");
                }
            }

            long outN = Numel(o!);
            long ops = op == "Where" ? (tf ? 0 : outN) : outN * Math.Max(1, ins.Length - 1);
            bool compare = op is "Equal" or "Greater" or "Less" or "GreaterOrEqual" or "LessOrEqual" or "And" or "Or" or "Xor";
            var type = compare ? TensorDataType.Bool : op == "Where" ? (X(1)?.Type ?? T0) : T0;
            return Out(new TensorValue(type, o), 0, ops); // contents, when known: ConstantFolding
        }

        return Unknown(node);
    }

    private static bool Known(GraphNode node) => SupportedSet.Contains(node.OpType);

    private static NodeEvaluation Constant(GraphNode node)
    {
        var a = node.Attributes.FirstOrDefault();
        TensorValue? v = a?.Name switch
        {
            "value" when a.Tensor is { } t => new TensorValue(t.DataType, t.Dims, t.IntValues, t.FloatValues),
            "value_int" => new TensorValue(TensorDataType.Int64, [], [a.Int]),
            "value_ints" => new TensorValue(TensorDataType.Int64, [a.Ints.Count], a.Ints.ToArray()),
            "value_float" => new TensorValue(TensorDataType.Float, [], null, [a.Float]),
            "value_floats" => new TensorValue(TensorDataType.Float, [a.Floats.Count], null, a.Floats.Select(f => (double)f).ToArray()),
            _ => null,
        };
        return v is null
            ? new NodeEvaluation(new TensorValue?[node.Outputs.Count], 0, 0, false, "Constant without a supported value attribute")
            : Out(v, 0, 0);
    }

    /// <summary>
    /// Einsum (onnx Operators.md: numpy-style equation, optional "->output", "..." for broadcast dimensions). MACs of a
    /// two-operand contraction are the product of the sizes of every distinct index (each output element sums over the
    /// contracted ones); n operands count (n - 1) times that; a one-operand equation (trace, sum, transpose) has no
    /// multiplications and costs one FLOP per input element.
    /// </summary>
    private static NodeEvaluation Einsum(GraphNode node, TensorValue?[] ins)
    {
        string? equation = node.GetString("equation")?.Replace(" ", "", StringComparison.Ordinal);
        if (equation is null || ins.Length == 0)
        {
            return Bad(node, "Einsum without an equation");
        }

        if (ins.Any(v => v?.Shape is null))
        {
            return MissingShape(node);
        }

        string[] sides = equation.Split("->");
        string[] terms = sides[0].Split(',');
        if (terms.Length != ins.Length)
        {
            return Bad(node, $"Einsum equation '{equation}' names {terms.Length} operands, the node has {ins.Length}");
        }

        var sizes = new Dictionary<char, long>();
        long[] ellipsis = [];
        for (int t = 0; t < terms.Length; t++)
        {
            var shape = ins[t]!.Shape!;
            string term = terms[t];
            int dots = term.IndexOf("...", StringComparison.Ordinal);
            string letters = term.Replace("...", "", StringComparison.Ordinal);
            int ellRank = shape.Length - letters.Length;
            if (ellRank < 0 || (dots < 0 && ellRank != 0))
            {
                return Bad(node, $"Einsum term '{term}' does not match input {Fmt(shape)}");
            }

            int pos = 0;
            for (int i = 0; i < term.Length; i++)
            {
                if (i == dots)
                {
                    ellipsis = Broadcast(ellipsis, shape[pos..(pos + ellRank)]) ?? throw new InvalidNodeException($"Einsum '...' dimensions of {Fmt(shape)} do not broadcast.");
                    pos += ellRank;
                    i += 2;
                    continue;
                }

                long d = shape[pos++];
                sizes[term[i]] = sizes.TryGetValue(term[i], out long prev) && prev != 1 ? prev : d;
            }
        }

        string output = sides.Length > 1 ? sides[1]
            : (terms.Any(t => t.Contains("...", StringComparison.Ordinal)) ? "..." : "")
              + new string(sizes.Keys.Where(c => terms.Sum(t => t.Count(x => x == c)) == 1).Order().ToArray());
        var outShape = new List<long>();
        for (int i = 0; i < output.Length; i++)
        {
            if (output[i] == '.')
            {
                outShape.AddRange(ellipsis);
                i += 2;
            }
            else if (sizes.TryGetValue(output[i], out long d))
            {
                outShape.Add(d);
            }
            else
            {
                return Bad(node, $"Einsum output index '{output[i]}' is in no input");
            }
        }

        var o = outShape.ToArray();
        if (ins.Length == 1)
        {
            return Out(new TensorValue(ins[0]!.Type, o), 0, Numel(ins[0]!.Shape!));
        }

        long all = Numel(ellipsis) * sizes.Values.Aggregate(1L, (x, y) => checked(x * y));
        long macs = all * (ins.Length - 1);
        return Out(new TensorValue(ins[0]!.Type, o), macs, 2 * macs);
    }

    private static NodeEvaluation Conv(GraphNode node, TensorValue?[] ins, bool tf)
    {
        var x = ins[0]!.Shape!;
        if (ins.Length < 2 || ins[1]?.Shape is not { } w)
        {
            return MissingShape(node);
        }

        int spatial = x.Length - 2;
        if (spatial < 1 || w.Length != x.Length)
        {
            return Bad(node, $"Conv input {Fmt(x)} and weight {Fmt(w)} ranks do not match");
        }

        long group = Group(node);
        if (x[1] != w[1] * group)
        {
            throw new InvalidNodeException(
                $"input {Fmt(x)} has {x[1]} channels, but weight {Fmt(w)} with group {group} expects {w[1] * group} (weight channels x group).");
        }

        var kernel = PositiveKernel(node) ?? w[2..];
        var o = SpatialOut(node, x, kernel, ceil: false);
        if (o is null)
        {
            return Bad(node, "Conv attributes (kernel/pads/strides) do not fit the input");
        }

        var outShape = new[] { x[0], w[0] }.Concat(o).ToArray();
        long outN = Numel(outShape);
        long macs = outN * (x[1] / group) * Numel(kernel);
        long bias = ins.Length > 2 && ins[2] is not null ? outN : 0;
        return Out(new TensorValue(ins[0]!.Type, outShape), macs, 2 * macs + bias);
    }

    private static NodeEvaluation ConvTranspose(GraphNode node, TensorValue?[] ins)
    {
        var x = ins[0]!.Shape!;
        if (ins.Length < 2 || ins[1]?.Shape is not { } w || w.Length != x.Length)
        {
            return MissingShape(node);
        }

        int spatial = x.Length - 2;
        long group = Group(node);
        var kernel = PositiveKernel(node) ?? w[2..];
        var strides = node.GetInts("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dil = node.GetInts("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = node.GetInts("pads") ?? new long[2 * spatial];
        var outPad = node.GetInts("output_padding") ?? new long[spatial];
        var explicitShape = node.GetInts("output_shape");
        var o = new long[spatial];
        for (int i = 0; i < spatial; i++)
        {
            o[i] = explicitShape is { } es && es.Length == spatial ? es[i]
                : strides[i] * (x[i + 2] - 1) + outPad[i] + ((kernel[i] - 1) * dil[i] + 1) - pads[i] - pads[i + spatial];
        }

        long outC = w[1] * group;
        var outShape = new[] { x[0], outC }.Concat(o).ToArray();
        long macs = Numel(x) * w[1] * Numel(kernel);
        long bias = ins.Length > 2 && ins[2] is not null ? Numel(outShape) : 0;
        return Out(new TensorValue(ins[0]!.Type, outShape), macs, 2 * macs + bias);
    }

    private static NodeEvaluation Pool(GraphNode node, long[] x, TensorDataType type)
    {
        var kernel = PositiveKernel(node);
        if (kernel is null)
        {
            return Bad(node, "pooling without kernel_shape");
        }

        var o = SpatialOut(node, x, kernel, ceil: node.GetInt("ceil_mode", 0) != 0);
        if (o is null)
        {
            return Bad(node, "pooling attributes do not fit the input");
        }

        var outShape = x[..2].Concat(o).ToArray();
        long outN = Numel(outShape);
        var outs = new TensorValue?[Math.Max(1, node.Outputs.Count)];
        outs[0] = new TensorValue(type, outShape);
        if (outs.Length > 1)
        {
            outs[1] = new TensorValue(TensorDataType.Int64, outShape);
        }

        return new NodeEvaluation(outs, 0, outN * Numel(kernel), true, null);
    }

    /// <summary>Output spatial sizes for Conv/pooling (onnx Operators.md: auto_pad, pads, strides, dilations).</summary>
    private static long[]? SpatialOut(GraphNode node, long[] x, long[] kernel, bool ceil)
    {
        int spatial = x.Length - 2;
        if (kernel.Length != spatial)
        {
            return null;
        }

        var strides = node.GetInts("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dil = node.GetInts("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = node.GetInts("pads") ?? new long[2 * spatial];
        string autoPad = node.GetString("auto_pad") ?? "NOTSET";
        if (strides.Length != spatial || dil.Length != spatial || pads.Length != 2 * spatial || strides.Any(s => s <= 0))
        {
            return null;
        }

        var o = new long[spatial];
        for (int i = 0; i < spatial; i++)
        {
            long inDim = x[i + 2];
            long eff = (kernel[i] - 1) * dil[i] + 1;
            o[i] = autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => (inDim + strides[i] - 1) / strides[i],
                "VALID" => (inDim - eff) / strides[i] + 1,
                _ => ceil
                    ? (long)Math.Ceiling((inDim + pads[i] + pads[i + spatial] - eff) / (double)strides[i]) + 1
                    : (inDim + pads[i] + pads[i + spatial] - eff) / strides[i] + 1,
            };
            if (o[i] <= 0)
            {
                return null;
            }
        }

        return o;
    }

    private static NodeEvaluation Slice(GraphNode node, TensorValue?[] ins, InferenceScope scope)
    {
        var x = ins[0]!.Shape!;
        long[]? starts, ends, axes, steps;
        if (node.GetInts("starts") is { } st)
        {
            starts = st;
            ends = node.GetInts("ends");
            axes = node.GetInts("axes");
            steps = null;
        }
        else
        {
            starts = ins.ElementAtOrDefault(1)?.Ints;
            ends = ins.ElementAtOrDefault(2)?.Ints;
            axes = ins.ElementAtOrDefault(3)?.Ints;
            steps = ins.ElementAtOrDefault(4)?.Ints;
            if (ins.ElementAtOrDefault(3) is not null && axes is null)
            {
                starts = null;
            }
        }

        if (starts is null || ends is null || starts.Length != ends.Length)
        {
            return FromDeclared(node, scope, "Slice bounds are not constants");
        }

        var o = (long[])x.Clone();
        for (int i = 0; i < starts.Length; i++)
        {
            int ax = (int)Norm(axes?[i] ?? i, x.Length);
            long step = steps?[i] ?? 1;
            if (step == 0)
            {
                return Bad(node, "Slice step 0");
            }

            long dim = x[ax];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0)
            {
                s = Math.Clamp(s, 0, dim);
                e = Math.Clamp(e, 0, dim);
                o[ax] = Math.Max(0, (e - s + step - 1) / step);
            }
            else
            {
                s = Math.Clamp(s, -1, dim - 1);
                e = Math.Clamp(e, -1, dim - 1);
                o[ax] = Math.Max(0, (s - e + (-step) - 1) / -step);
            }
        }

        long[]? ints = null;
        if (ins[0]!.Ints is { } data && x.Length == 1 && (steps is null || steps.All(s => s == 1)))
        {
            long dim = x[0];
            long s = Math.Clamp(starts[0] < 0 ? starts[0] + dim : starts[0], 0, dim);
            ints = data.Skip((int)s).Take((int)o[0]).ToArray();
        }

        return Out(new TensorValue(ins[0]!.Type, o, ints), 0, 0);
    }

    /// <summary>The <c>group</c> attribute (default 1); a group below 1 divides the channels into no groups.</summary>
    private static long Group(GraphNode node)
    {
        long group = node.GetInt("group", 1);
        return group >= 1 ? group : throw new InvalidNodeException($"group {group} must be at least 1.");
    }

    /// <summary>The <c>kernel_shape</c> attribute, or null when absent; a window of 0 or less covers nothing.</summary>
    private static long[]? PositiveKernel(GraphNode node)
    {
        var kernel = node.GetInts("kernel_shape");
        return kernel is null || kernel.All(k => k >= 1)
            ? kernel
            : throw new InvalidNodeException($"kernel_shape {Fmt(kernel)} must be at least 1 in every dimension.");
    }

    private static NodeEvaluation FromDeclared(GraphNode node, InferenceScope scope, string why)
    {
        var outs = node.Outputs.Select(n => scope.Declared.TryGetValue(n, out var v) ? v : null).ToArray();
        return outs.Length > 0 && outs.All(v => v is not null)
            ? new NodeEvaluation(outs, 0, 0, true, $"{why}; output shape taken from the file's value_info")
            : new NodeEvaluation(outs, 0, 0, true, $"{why}; output shape unknown");
    }

    internal static NodeEvaluation Out(TensorValue v, long macs, long flops) => new([v], macs, flops, true, null);

    internal static NodeEvaluation Unknown(GraphNode node) => new(new TensorValue?[node.Outputs.Count], 0, 0, false, "unknown operator: counted as 0");

    internal static NodeEvaluation MissingShape(GraphNode node) => new(new TensorValue?[node.Outputs.Count], 0, 0, true, "input shape unknown: counted as 0");

    internal static NodeEvaluation Bad(GraphNode node, string why) => new(new TensorValue?[node.Outputs.Count], 0, 0, true, why + ": counted as 0");

    public static long Numel(long[] s)
    {
        long n = 1;
        foreach (long d in s)
        {
            n = checked(n * d);
        }

        return n;
    }

    private static long Norm(long axis, int rank) => axis < 0 ? axis + rank : axis;

    internal static string Fmt(long[]? s) => s is null ? "?" : "[" + string.Join("x", s) + "]";

    /// <summary>Numpy-style broadcast of two shapes, or null when they do not broadcast.</summary>
    public static long[]? Broadcast(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var o = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long x = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            long y = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (x != y && x != 1 && y != 1)
            {
                return null;
            }

            o[i] = x == 1 ? y : x;
        }

        return o;
    }
}
