using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Counting;

/// <summary>
/// The com.microsoft fused operators ONNX Runtime's transformer optimizer writes (semantics from onnxruntime
/// docs/ContribOperators.md): Attention, MultiHeadAttention, GroupQueryAttention, FusedMatMul, the fused GELUs,
/// Skip/Simplified LayerNormalization, EmbedLayerNormalization, BiasAdd, RotaryEmbedding. Costs follow the
/// standard convention: the MACs of the matrix products they contain (projections, Q·Kᵀ, attention·V), 5 FLOPs per
/// element for normalizations and softmax, 1 per element for activations and adds.
/// </summary>
internal static class MicrosoftOps
{
    public static IEnumerable<string> Supported =>
    [
        "Attention", "MultiHeadAttention", "GroupQueryAttention", "FusedMatMul", "Gelu", "FastGelu", "BiasGelu", "QuickGelu",
        "SkipLayerNormalization", "SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization", "EmbedLayerNormalization",
        "BiasAdd", "RotaryEmbedding",
    ];

    /// <summary>The evaluation, or null when the operator has no rule here.</summary>
    public static NodeEvaluation? Evaluate(GraphNode node, TensorValue?[] ins, bool tf)
    {
        TensorValue? X(int i) => i < ins.Length ? ins[i] : null;
        long[]? s0 = X(0)?.Shape;
        var t0 = X(0)?.Type ?? TensorDataType.Float;
        if (!Supported.Contains(node.OpType, StringComparer.Ordinal))
        {
            return null;
        }

        if (s0 is null)
        {
            return OperatorRules.MissingShape(node);
        }

        long n0 = OperatorRules.Numel(s0);
        switch (node.OpType)
        {
            case "Gelu" or "FastGelu" or "QuickGelu" or "RotaryEmbedding":
                return OperatorRules.Out(new TensorValue(t0, s0), 0, tf ? 0 : n0 * (X(1) is null ? 1 : 2));
            case "BiasGelu" or "BiasAdd":
                return OperatorRules.Out(new TensorValue(t0, s0), 0, n0 * (node.OpType == "BiasAdd" ? Math.Max(1, ins.Length - 1) : 2));
            case "SkipLayerNormalization" or "SkipSimplifiedLayerNormalization" or "SimplifiedLayerNormalization":
                {
                    // Outputs: output, then optional mean / inverse std dev, then (Skip*) the input + skip (+ bias) sum.
                    var outs = new TensorValue?[node.Outputs.Count];
                    outs[0] = new TensorValue(t0, s0);
                    if (node.OpType != "SimplifiedLayerNormalization" && outs.Length > 3)
                    {
                        outs[3] = new TensorValue(t0, s0);
                    }

                    long adds = node.OpType.StartsWith("Skip", StringComparison.Ordinal) ? n0 : 0;
                    return new NodeEvaluation(outs, 0, 5 * n0 + adds, true, null);
                }

            case "EmbedLayerNormalization":
                {
                    // input_ids [B, S], word_embedding [V, H] (input 2) -> output [B, S, H], mask_index [B].
                    if (X(2)?.Shape is not [_, var hidden] || s0.Length != 2)
                    {
                        return OperatorRules.MissingShape(node);
                    }

                    var outs = new TensorValue?[node.Outputs.Count];
                    outs[0] = new TensorValue(X(2)!.Type, [s0[0], s0[1], hidden]);
                    if (outs.Length > 1)
                    {
                        outs[1] = new TensorValue(TensorDataType.Int32, [s0[0]]);
                    }

                    return new NodeEvaluation(outs, 0, 7 * n0 * hidden, true, null);
                }

            case "FusedMatMul":
                {
                    if (X(1)?.Shape is not { } sb || s0.Length < 2 || sb.Length < 2)
                    {
                        return OperatorRules.MissingShape(node);
                    }

                    bool ta = node.GetInt("transA", 0) != 0, tb = node.GetInt("transB", 0) != 0;
                    long m = ta ? s0[^1] : s0[^2], k = ta ? s0[^2] : s0[^1], n = tb ? sb[^2] : sb[^1];
                    var batch = OperatorRules.Broadcast(s0[..^2], sb[..^2]);
                    if (batch is null)
                    {
                        return OperatorRules.Bad(node, $"FusedMatMul batch dims {OperatorRules.Fmt(s0)} and {OperatorRules.Fmt(sb)} do not broadcast");
                    }

                    var o = batch.Concat(new[] { m, n }).ToArray();
                    long macs = OperatorRules.Numel(o) * k;
                    return OperatorRules.Out(new TensorValue(t0, o), macs, 2 * macs);
                }

            case "Attention":
                {
                    // input [B, S, in], weights [in, q + k + v] (qkv_hidden_sizes, else three equal parts), optional past
                    // [2, B, N, P, H] -> output [B, S, v]. MACs: projection B·S·in·(q+k+v), Q·Kᵀ B·S·T·q, attention·V B·S·T·v
                    // with T = P + S keys.
                    if (X(1)?.Shape is not [var inDim, var qkv] || s0.Length != 3)
                    {
                        return OperatorRules.MissingShape(node);
                    }

                    var sizes = node.GetInts("qkv_hidden_sizes") ?? [qkv / 3, qkv / 3, qkv / 3];
                    long b = s0[0], s = s0[1], past = X(4)?.Shape is [_, _, _, var p, _] ? p : 0, total = past + s;
                    long macs = (b * s * inDim * qkv) + (b * s * total * sizes[0]) + (b * s * total * sizes[2]);
                    long heads = Math.Max(1, node.GetInt("num_heads", 1));
                    var outs = new TensorValue?[node.Outputs.Count];
                    outs[0] = new TensorValue(t0, [b, s, sizes[2]]);
                    if (outs.Length > 1)
                    {
                        outs[1] = new TensorValue(t0, [2, b, heads, total, sizes[1] / heads]);
                    }

                    return new NodeEvaluation(outs, macs, 2 * macs + (X(2) is null ? 0 : b * s * qkv) + 5 * b * heads * s * total, true, null);
                }

            case "MultiHeadAttention" or "GroupQueryAttention":
                {
                    // query [B, S, D]; key [B, L, Dk] (or [B, Nk, L, H] when already split); value likewise; past_key
                    // (GroupQueryAttention input 3) [B, Nk, P, H] adds P keys. MACs: Q·Kᵀ B·N·S·L·H + attention·V B·N·S·L·Hv.
                    if (s0.Length != 3)
                    {
                        return OperatorRules.MissingShape(node);
                    }

                    long heads = Math.Max(1, node.GetInt("num_heads", 1));
                    long b = s0[0], s = s0[1], d = s0[2];
                    long keys = X(1)?.Shape switch
                    {
                        [_, var l, _] => l,
                        [_, _, var l, _] => l,
                        _ => s,
                    };
                    long past = node.OpType == "GroupQueryAttention" && X(3)?.Shape is [_, _, var p, _] ? p : 0;
                    long total = keys + past;
                    long vDim = X(2)?.Shape switch
                    {
                        [_, _, var v] => v,
                        [_, var n, _, var h] => n * h,
                        _ => d,
                    };
                    if (node.OpType == "GroupQueryAttention")
                    {
                        vDim = d; // query heads each read one shared key/value head: output has the query's width
                    }

                    long macs = (b * s * total * d) + (b * s * total * vDim);
                    var outs = new TensorValue?[node.Outputs.Count];
                    outs[0] = new TensorValue(t0, [b, s, vDim]);
                    return new NodeEvaluation(outs, macs, 2 * macs + 5 * b * heads * s * total, true, null);
                }
        }

        return null;
    }
}
