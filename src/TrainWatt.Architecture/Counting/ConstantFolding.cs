using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Counting;

/// <summary>
/// Evaluates the shape arithmetic exporters leave in graphs (Shape → Gather/Slice → Unsqueeze → Concat → Reshape/Expand,
/// Equal/Where on shapes, ConstantOfShape, Range, Cast, integer Add/Sub/Mul/Div, ...) when every input's contents are
/// known, so that the operators they feed get constant targets. Semantics follow onnx/docs/Operators.md; only
/// tensors of at most <see cref="TensorInfo.MaxIntValues"/> elements are evaluated. Integer and boolean tensors are
/// held in <see cref="TensorValue.Ints"/> (booleans as 0/1), floating-point ones in <see cref="TensorValue.Floats"/>.
/// </summary>
internal static class ConstantFolding
{
    /// <summary>
    /// Returns <paramref name="outputs"/> with contents filled in where the node can be evaluated; shapes are those the
    /// shape rules inferred (never changed here).
    /// </summary>
    public static TensorValue?[] Attach(GraphNode node, TensorValue?[] ins, TensorValue?[] outputs)
    {
        if (outputs.Length == 0 || outputs[0]?.Shape is not { } shape || node.OpType is "Shape" or "Size" or "Constant")
        {
            return outputs;
        }

        try
        {
            if (OperatorRules.Numel(shape) > TensorInfo.MaxIntValues)
            {
                return outputs;
            }

            if (node.OpType == "Split")
            {
                return SplitValues(node, ins, outputs);
            }

            var values = Evaluate(node, ins, shape);
            if (values is null || values.Length != OperatorRules.Numel(shape))
            {
                return outputs;
            }

            var result = (TensorValue?[])outputs.Clone();
            var t = outputs[0]!.Type;
            result[0] = IsFloat(t)
                ? outputs[0]! with { Floats = values, Ints = null }
                : outputs[0]! with { Ints = values.Select(ToLong).ToArray(), Floats = null };
            return result;
        }
        catch (Exception e) when (e is OverflowException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or DivideByZeroException)
        {
            return outputs;
        }
    }

    private static bool IsFloat(TensorDataType t) => !TensorDataTypes.IsInteger(t) && t != TensorDataType.String;

    private static long ToLong(double v) => double.IsNaN(v) ? 0 : v >= 9.2e18 ? long.MaxValue : v <= -9.2e18 ? long.MinValue : (long)Math.Truncate(v);

    /// <summary>The contents of <paramref name="v"/> as doubles (int64 extremes such as INT64_MAX stay large), or null.</summary>
    private static double[]? Data(TensorValue? v)
    {
        if (v?.Shape is not { } s)
        {
            return null;
        }

        double[]? d = v.Ints is { } ints ? ints.Select(i => (double)i).ToArray() : v.Floats;
        return d is not null && d.Length == OperatorRules.Numel(s) ? d : null;
    }

    private static double[]? Evaluate(GraphNode node, TensorValue?[] ins, long[] outShape)
    {
        TensorValue? X(int i) => i < ins.Length ? ins[i] : null;
        var a = Data(X(0));
        long[]? s0 = X(0)?.Shape;
        switch (node.OpType)
        {
            case "Identity" or "Reshape" or "Squeeze" or "Unsqueeze" or "Flatten" or "CastLike" or "Dropout":
                return a;
            case "Cast":
                {
                    if (a is null)
                    {
                        return null;
                    }

                    var to = (TensorDataType)node.GetInt("to", (long)TensorDataType.Float);
                    return to == TensorDataType.Bool ? a.Select(x => x != 0 ? 1.0 : 0.0).ToArray()
                        : TensorDataTypes.IsInteger(to) ? a.Select(x => (double)ToLong(x)).ToArray()
                        : a;
                }

            case "ConstantOfShape":
                {
                    var tensor = node.Attribute("value")?.Tensor;
                    double fill = tensor?.IntValues?.FirstOrDefault() ?? tensor?.FloatValues?.FirstOrDefault() ?? 0;
                    return Enumerable.Repeat(fill, (int)OperatorRules.Numel(outShape)).ToArray();
                }

            case "Range":
                {
                    if (Data(X(0)) is [var start] && Data(X(1)) is [_] && Data(X(2)) is [var delta])
                    {
                        return Enumerable.Range(0, (int)OperatorRules.Numel(outShape)).Select(i => start + i * delta).ToArray();
                    }

                    return null;
                }

            case "Neg":
                return a?.Select(x => -x).ToArray();
            case "Abs":
                return a?.Select(Math.Abs).ToArray();
            case "Not":
                return a?.Select(x => x == 0 ? 1.0 : 0.0).ToArray();
            case "Sqrt":
                return a?.Select(Math.Sqrt).ToArray();
            case "Reciprocal":
                return a?.Select(x => 1 / x).ToArray();
            case "Floor":
                return a?.Select(Math.Floor).ToArray();
            case "Ceil":
                return a?.Select(Math.Ceiling).ToArray();
            case "Sign":
                return a?.Select(x => (double)Math.Sign(x)).ToArray();
            case "Relu":
                return a?.Select(x => Math.Max(0, x)).ToArray();
            case "Add" or "Sub" or "Mul" or "Div" or "Mod" or "Pow" or "Max" or "Min" or "Equal" or "Less" or "Greater"
                or "LessOrEqual" or "GreaterOrEqual" or "And" or "Or" or "Xor" or "Where" or "Sum":
                return Elementwise(node, ins, outShape);
            case "Expand":
                return a is null ? null : BroadcastTo(a, s0!, outShape);
            case "Concat":
                return Concat(node, ins, outShape);
            case "Gather":
                return Gather(node, ins, outShape);
            case "Slice":
                return SliceValues(node, ins, outShape);
            case "Transpose":
                {
                    if (a is null)
                    {
                        return null;
                    }

                    var perm = node.GetInts("perm") ?? Enumerable.Range(0, s0!.Length).Reverse().Select(i => (long)i).ToArray();
                    var inStrides = Strides(s0!);
                    var result = new double[a.Length];
                    var idx = new long[outShape.Length];
                    for (int o = 0; o < result.Length; o++)
                    {
                        Unravel(o, outShape, idx);
                        long off = 0;
                        for (int k = 0; k < idx.Length; k++)
                        {
                            off += idx[k] * inStrides[perm[k]];
                        }

                        result[o] = a[off];
                    }

                    return result;
                }

            case "Tile":
                {
                    if (a is null)
                    {
                        return null;
                    }

                    var inStrides = Strides(s0!);
                    var result = new double[OperatorRules.Numel(outShape)];
                    var idx = new long[outShape.Length];
                    for (int o = 0; o < result.Length; o++)
                    {
                        Unravel(o, outShape, idx);
                        long off = 0;
                        for (int k = 0; k < idx.Length; k++)
                        {
                            off += idx[k] % s0![k] * inStrides[k];
                        }

                        result[o] = a[off];
                    }

                    return result;
                }

            case "ReduceProd" or "ReduceSum" or "ReduceMax" or "ReduceMin":
                {
                    // Only full reductions of 1-D tensors (the element count of a shape, its largest entry).
                    if (a is null || s0!.Length != 1 || OperatorRules.Numel(outShape) != 1)
                    {
                        return null;
                    }

                    return [node.OpType switch
                    {
                        "ReduceProd" => a.Aggregate(1.0, (x, y) => x * y),
                        "ReduceSum" => a.Sum(),
                        "ReduceMax" => a.Max(),
                        _ => a.Min(),
                    }];
                }

            default:
                return null;
        }
    }

    private static double[]? Elementwise(GraphNode node, TensorValue?[] ins, long[] outShape)
    {
        var data = new List<double[]>();
        foreach (var v in ins)
        {
            if (Data(v) is not { } d)
            {
                return null;
            }

            data.Add(BroadcastTo(d, v!.Shape!, outShape));
        }

        if (data.Count == 0)
        {
            return null;
        }

        bool integer = ins.Where((v, i) => node.OpType != "Where" || i > 0).All(v => v!.Ints is not null);
        bool fmod = node.GetInt("fmod", 0) != 0;
        var r = new double[data[0].Length];
        for (int i = 0; i < r.Length; i++)
        {
            double x = data[0][i], y = data.Count > 1 ? data[1][i] : 0;
            r[i] = node.OpType switch
            {
                "Add" => x + y,
                "Sum" => data.Sum(d => d[i]),
                "Sub" => x - y,
                "Mul" => x * y,
                "Div" when integer => y == 0 ? throw new DivideByZeroException() : Math.Truncate(x / y),
                "Div" => x / y,
                "Mod" when fmod || !integer => x % y,
                "Mod" => y == 0 ? throw new DivideByZeroException() : ((x % y) + y) % y,
                "Pow" => Math.Pow(x, y),
                "Max" => Math.Max(x, y),
                "Min" => Math.Min(x, y),
                "Equal" => x == y ? 1 : 0,
                "Less" => x < y ? 1 : 0,
                "Greater" => x > y ? 1 : 0,
                "LessOrEqual" => x <= y ? 1 : 0,
                "GreaterOrEqual" => x >= y ? 1 : 0,
                "And" => x != 0 && y != 0 ? 1 : 0,
                "Or" => x != 0 || y != 0 ? 1 : 0,
                "Xor" => (x != 0) != (y != 0) ? 1 : 0,
                "Where" => x != 0 ? y : data[2][i],
                _ => throw new InvalidOperationException(node.OpType),
            };
        }

        return r;
    }

    private static double[]? Concat(GraphNode node, TensorValue?[] ins, long[] outShape)
    {
        var parts = ins.Where(v => v is not null).ToArray();
        var data = parts.Select(Data).ToArray();
        if (data.Any(d => d is null))
        {
            return null;
        }

        int axis = (int)Norm(node.GetInt("axis", 0), outShape.Length);
        long outer = OperatorRules.Numel(outShape[..axis]);
        long inner = OperatorRules.Numel(outShape[(axis + 1)..]);
        var r = new List<double>();
        for (long o = 0; o < outer; o++)
        {
            for (int p = 0; p < parts.Length; p++)
            {
                long chunk = parts[p]!.Shape![axis] * inner;
                r.AddRange(data[p]!.Skip((int)(o * chunk)).Take((int)chunk));
            }
        }

        return r.ToArray();
    }

    private static double[]? Gather(GraphNode node, TensorValue?[] ins, long[] outShape)
    {
        var data = Data(ins[0]);
        var idx = Data(ins.ElementAtOrDefault(1));
        if (data is null || idx is null)
        {
            return null;
        }

        var s = ins[0]!.Shape!;
        int axis = (int)Norm(node.GetInt("axis", 0), s.Length);
        long outer = OperatorRules.Numel(s[..axis]), inner = OperatorRules.Numel(s[(axis + 1)..]), dim = s[axis];
        var r = new List<double>();
        for (long o = 0; o < outer; o++)
        {
            foreach (double di in idx)
            {
                long i = (long)di < 0 ? (long)di + dim : (long)di;
                if (i < 0 || i >= dim)
                {
                    return null;
                }

                r.AddRange(data.Skip((int)((o * dim + i) * inner)).Take((int)inner));
            }
        }

        return r.ToArray();
    }

    private static double[]? SliceValues(GraphNode node, TensorValue?[] ins, long[] outShape)
    {
        var data = Data(ins[0]);
        if (data is null)
        {
            return null;
        }

        var s = ins[0]!.Shape!;
        long[]? starts = node.GetInts("starts") ?? ins.ElementAtOrDefault(1)?.Ints;
        long[]? axes = node.GetInts("starts") is not null ? node.GetInts("axes") : ins.ElementAtOrDefault(3)?.Ints;
        long[]? steps = node.GetInts("starts") is not null ? null : ins.ElementAtOrDefault(4)?.Ints;
        if (starts is null)
        {
            return null;
        }

        var begin = new long[s.Length];
        var step = Enumerable.Repeat(1L, s.Length).ToArray();
        for (int i = 0; i < starts.Length; i++)
        {
            int ax = (int)Norm(axes?[i] ?? i, s.Length);
            long st = steps?[i] ?? 1;
            long dim = s[ax];
            long b = starts[i] < 0 ? starts[i] + dim : starts[i];
            begin[ax] = st > 0 ? Math.Clamp(b, 0, dim) : Math.Clamp(b, -1, dim - 1);
            step[ax] = st;
        }

        var strides = Strides(s);
        var r = new double[OperatorRules.Numel(outShape)];
        var idx = new long[outShape.Length];
        for (int o = 0; o < r.Length; o++)
        {
            Unravel(o, outShape, idx);
            long off = 0;
            for (int k = 0; k < idx.Length; k++)
            {
                off += (begin[k] + idx[k] * step[k]) * strides[k];
            }

            r[o] = data[off];
        }

        return r;
    }

    private static TensorValue?[] SplitValues(GraphNode node, TensorValue?[] ins, TensorValue?[] outputs)
    {
        // 1-D shape tensors split into pieces (e.g. [B, T, C] into three scalars' worth).
        if (Data(ins[0]) is not { } data || ins[0]!.Shape!.Length != 1)
        {
            return outputs;
        }

        var result = (TensorValue?[])outputs.Clone();
        int at = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (outputs[i]?.Shape is not [var len])
            {
                return outputs;
            }

            var piece = data.Skip(at).Take((int)len).ToArray();
            at += (int)len;
            result[i] = IsFloat(outputs[i]!.Type) ? outputs[i]! with { Floats = piece } : outputs[i]! with { Ints = piece.Select(ToLong).ToArray() };
        }

        return result;
    }

    private static double[] BroadcastTo(double[] a, long[] shape, long[] outShape)
    {
        if (shape.SequenceEqual(outShape))
        {
            return a;
        }

        int pad = outShape.Length - shape.Length;
        var strides = Strides(shape);
        var r = new double[OperatorRules.Numel(outShape)];
        var idx = new long[outShape.Length];
        for (int o = 0; o < r.Length; o++)
        {
            Unravel(o, outShape, idx);
            long off = 0;
            for (int k = 0; k < shape.Length; k++)
            {
                off += (shape[k] == 1 ? 0 : idx[k + pad]) * strides[k];
            }

            r[o] = a[off];
        }

        return r;
    }

    private static long[] Strides(long[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }

        return s;
    }

    private static void Unravel(long offset, long[] shape, long[] into)
    {
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            into[i] = shape[i] == 0 ? 0 : offset % shape[i];
            offset = shape[i] == 0 ? 0 : offset / shape[i];
        }
    }

    private static long Norm(long axis, int rank) => axis < 0 ? axis + rank : axis;
}
