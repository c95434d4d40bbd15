namespace TrainWatt.Architecture.Catalog;

internal sealed partial class Networks
{
    /// <summary>keras.applications.inception_v3 <c>conv2d_bn</c>: Conv (no bias), BatchNorm(scale=False), ReLU.</summary>
    private string ConvBnInc(string x, long filters, int kh, int kw, int stride = 1, bool valid = false)
        => b.Relu(b.BatchNorm(b.Conv(x, filters, kh, kw, stride, valid ? Padding.Valid : Padding.Same, false), scale: false));

    public string InceptionV3()
    {
        var x = ConvBnInc(b.Input, 32, 3, 3, 2, valid: true);
        x = ConvBnInc(x, 32, 3, 3, valid: true);
        x = ConvBnInc(x, 64, 3, 3);
        x = b.MaxPool(x, 3, 2, Padding.Valid);
        x = ConvBnInc(x, 80, 1, 1, valid: true);
        x = ConvBnInc(x, 192, 3, 3, valid: true);
        x = b.MaxPool(x, 3, 2, Padding.Valid);

        // mixed 0, 1, 2: 35 x 35 x 256/288/288
        foreach (int poolFilters in new[] { 32, 64, 64 })
        {
            var b1 = ConvBnInc(x, 64, 1, 1);
            var b5 = ConvBnInc(ConvBnInc(x, 48, 1, 1), 64, 5, 5);
            var b3 = ConvBnInc(ConvBnInc(ConvBnInc(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
            var bp = ConvBnInc(b.AvgPool(x, 3, 1, Padding.Same), poolFilters, 1, 1);
            x = b.Concat(b1, b5, b3, bp);
        }

        // mixed 3: 17 x 17 x 768
        {
            var b3 = ConvBnInc(x, 384, 3, 3, 2, valid: true);
            var bd = ConvBnInc(ConvBnInc(ConvBnInc(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, valid: true);
            var bp = b.MaxPool(x, 3, 2, Padding.Valid);
            x = b.Concat(b3, bd, bp);
        }

        // mixed 4, 5, 6, 7: 17 x 17 x 768
        foreach (int c in new[] { 128, 160, 160, 192 })
        {
            var b1 = ConvBnInc(x, 192, 1, 1);
            var b7 = ConvBnInc(ConvBnInc(ConvBnInc(x, c, 1, 1), c, 1, 7), 192, 7, 1);
            var bd = ConvBnInc(x, c, 1, 1);
            bd = ConvBnInc(bd, c, 7, 1);
            bd = ConvBnInc(bd, c, 1, 7);
            bd = ConvBnInc(bd, c, 7, 1);
            bd = ConvBnInc(bd, 192, 1, 7);
            var bp = ConvBnInc(b.AvgPool(x, 3, 1, Padding.Same), 192, 1, 1);
            x = b.Concat(b1, b7, bd, bp);
        }

        // mixed 8: 8 x 8 x 1280
        {
            var b3 = ConvBnInc(ConvBnInc(x, 192, 1, 1), 320, 3, 3, 2, valid: true);
            var b7 = ConvBnInc(x, 192, 1, 1);
            b7 = ConvBnInc(b7, 192, 1, 7);
            b7 = ConvBnInc(b7, 192, 7, 1);
            b7 = ConvBnInc(b7, 192, 3, 3, 2, valid: true);
            var bp = b.MaxPool(x, 3, 2, Padding.Valid);
            x = b.Concat(b3, b7, bp);
        }

        // mixed 9, 10: 8 x 8 x 2048
        for (int i = 0; i < 2; i++)
        {
            var b1 = ConvBnInc(x, 320, 1, 1);
            var b3 = ConvBnInc(x, 384, 1, 1);
            b3 = b.Concat(ConvBnInc(b3, 384, 1, 3), ConvBnInc(b3, 384, 3, 1));
            var bd = ConvBnInc(ConvBnInc(x, 448, 1, 1), 384, 3, 3);
            bd = b.Concat(ConvBnInc(bd, 384, 1, 3), ConvBnInc(bd, 384, 3, 1));
            var bp = ConvBnInc(b.AvgPool(x, 3, 1, Padding.Same), 192, 1, 1);
            x = b.Concat(b1, b3, bd, bp);
        }

        return x;
    }

    // keras.applications.nasnet ---------------------------------------------------------------------------------

    private string NasBn(string x) => b.BatchNorm(x);

    private string SeparableConvBlock(string ip, long filters, int k, int stride)
    {
        var x = b.Relu(ip);
        if (stride == 2)
        {
            x = b.CorrectPad(x, k);
            x = b.SeparableConv(x, filters, k, 2, Padding.Valid);
        }
        else
        {
            x = b.SeparableConv(x, filters, k, 1, Padding.Same);
        }

        x = NasBn(x);
        x = b.Relu(x);
        x = b.SeparableConv(x, filters, k, 1, Padding.Same);
        return NasBn(x);
    }

    private string AdjustBlock(string? p, string ip, long filters)
    {
        if (p is null)
        {
            return ip;
        }

        if (b.Height(p) != b.Height(ip))
        {
            p = b.Relu(p);
            var p1 = b.AvgPool(p, 1, 2, Padding.Valid);
            p1 = b.Conv(p1, filters / 2, 1, 1, Padding.Same, false);
            var p2 = b.ZeroPad(p, 0, 1, 0, 1);
            p2 = b.Crop(p2, 1, 0, 1, 0);
            p2 = b.AvgPool(p2, 1, 2, Padding.Valid);
            p2 = b.Conv(p2, filters / 2, 1, 1, Padding.Same, false);
            return NasBn(b.Concat(p1, p2));
        }

        if (b.Channels(p) != filters)
        {
            p = b.Relu(p);
            p = b.Conv(p, filters, 1, 1, Padding.Same, false);
            return NasBn(p);
        }

        return p;
    }

    private (string X, string Ip) NormalCell(string ip, string? p, long filters)
    {
        var pp = AdjustBlock(p, ip, filters);
        var h = NasBn(b.Conv(b.Relu(ip), filters, 1, 1, Padding.Same, false));
        var x1 = b.Add(SeparableConvBlock(h, filters, 5, 1), SeparableConvBlock(pp, filters, 3, 1));
        var x2 = b.Add(SeparableConvBlock(pp, filters, 5, 1), SeparableConvBlock(pp, filters, 3, 1));
        var x3 = b.Add(b.AvgPool(h, 3, 1, Padding.Same), pp);
        var x4 = b.Add(b.AvgPool(pp, 3, 1, Padding.Same), b.AvgPool(pp, 3, 1, Padding.Same));
        var x5 = b.Add(SeparableConvBlock(h, filters, 3, 1), h);
        return (b.Concat(pp, x1, x2, x3, x4, x5), ip);
    }

    private (string X, string Ip) ReductionCell(string ip, string? p, long filters)
    {
        var pp = AdjustBlock(p, ip, filters);
        var h = NasBn(b.Conv(b.Relu(ip), filters, 1, 1, Padding.Same, false));
        var h3 = b.CorrectPad(h, 3);
        var x1 = b.Add(SeparableConvBlock(h, filters, 5, 2), SeparableConvBlock(pp, filters, 7, 2));
        var x2 = b.Add(b.MaxPool(h3, 3, 2, Padding.Valid), SeparableConvBlock(pp, filters, 7, 2));
        var x3 = b.Add(b.AvgPool(h3, 3, 2, Padding.Valid), SeparableConvBlock(pp, filters, 5, 2));
        var x4 = b.Add(x2, b.AvgPool(x1, 3, 1, Padding.Same));
        var x5 = b.Add(SeparableConvBlock(x1, filters, 3, 1), b.MaxPool(h3, 3, 2, Padding.Valid));
        return (b.Concat(x2, x3, x4, x5), ip);
    }

    public string NasNetMobile()
    {
        // NASNetMobile: penultimate_filters 1056, num_blocks 4, stem_block_filters 32, filter_multiplier 2.
        const int numBlocks = 4, multiplier = 2;
        const long filters = 1056 / 24;
        var x = NasBn(b.Conv(b.Input, 32, 3, 2, Padding.Valid, false));
        string? p = null;
        (x, p) = ReductionCell(x, p, filters / (multiplier * multiplier));
        (x, p) = ReductionCell(x, p, filters / multiplier);
        for (int i = 0; i < numBlocks; i++)
        {
            (x, p) = NormalCell(x, p, filters);
        }

        (x, p) = ReductionCell(x, p, filters * multiplier);
        for (int i = 0; i < numBlocks; i++)
        {
            (x, p) = NormalCell(x, p, filters * multiplier);
        }

        (x, p) = ReductionCell(x, p, filters * multiplier * multiplier);
        for (int i = 0; i < numBlocks; i++)
        {
            (x, p) = NormalCell(x, p, filters * multiplier * multiplier);
        }

        return b.Relu(x);
    }

    // torchvision.models.efficientnet and keras.applications.efficientnet (B0) ----------------------------------------------------------------------

    public string EfficientNetB0()
    {
        string x;
        if (Keras)
        {
            // keras.applications.efficientnet: Rescaling(1/255) and Normalization (mean[3], variance[3], count: 7
            // non-trainable weights) inside the model; stride-2 convs are ZeroPadding2D(correct_pad) + "valid".
            var scale = b.Node("Constant", "rescale", [], Graph.NodeAttribute.OfTensor("value", new Graph.TensorInfo("inv255", Graph.TensorDataType.Float, []) { FillValue = 1f / 255 }))[0];
            x = b.Mul(b.Input, scale);
            x = b.Node("Sub", "normalize_mean", [x, b.Parameter("normalization.mean", 1, 3, 1, 1)])[0];
            x = b.Node("Div", "normalize_std", [x, b.Parameter("normalization.variance", 1, 3, 1, 1)])[0];
            b.Parameter("normalization.count");
            x = ConvBn(b.CorrectPad(x, 3), 32, 3, 2, Padding.Valid, false, "swish");
        }
        else
        {
            x = ConvBn(b.Input, 32, 3, 2, Padding.Of(1), false, "swish");
        }

        (int E, int K, int S, int Out, int N)[] stages = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3), (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)];
        foreach (var (e, k, s, outC, n) in stages)
        {
            for (int i = 0; i < n; i++)
            {
                int stride = i == 0 ? s : 1;
                long inC = b.Channels(x);
                long expanded = MakeDivisible(inC * e);
                var y = expanded != inC ? ConvBn(x, expanded, 1, 1, Padding.Of(0), false, "swish") : x;
                y = Keras && stride == 2
                    ? b.Activation(b.BatchNorm(b.DepthwiseConv(b.CorrectPad(y, k), k, 2, Padding.Valid)), "swish")
                    : b.Activation(b.BatchNorm(b.DepthwiseConv(y, k, stride, Keras ? Padding.Same : Padding.Of((k - 1) / 2))), "swish");
                long squeeze = Math.Max(1, inC / 4);
                var se = b.Node("GlobalAveragePool", "se_pool", [y])[0];
                se = b.Silu(b.Conv(se, squeeze, 1, 1, Padding.Of(0), true));
                se = b.Sigmoid(b.Conv(se, expanded, 1, 1, Padding.Of(0), true));
                y = b.Mul(y, se);
                y = ConvBn(y, outC, 1, 1, Padding.Of(0), false, null);
                x = stride == 1 && inC == outC ? b.Add(y, x) : y;
            }
        }

        return ConvBn(x, 1280, 1, 1, Padding.Of(0), false, "swish");
    }

    // torchvision.models.vision_transformer (vit_b_16) ----------------------------------------------------------

    public string VitB16()
    {
        const int hidden = 768, heads = 12, mlp = 3072, layers = 12, patch = 16;
        var x = b.Conv(b.Input, hidden, patch, patch, patch, Padding.Valid, true, name: "conv_proj");
        long tokens = b.Shape(x)[2] * b.Shape(x)[3];
        x = b.Transpose(b.Reshape(x, 0, hidden, tokens), 0, 2, 1);

        // Class token expanded to the batch: Expand(class_token, [N, 1, hidden]) with N read from the input's shape.
        var batch = b.Node("Gather", "batch_dim", [b.Node("Shape", "input_shape", [b.Input])[0], b.IntConstant(0)], Graph.NodeAttribute.OfInt("axis", 0))[0];
        var target = b.Node("Concat", "cls_shape", [b.Node("Unsqueeze", "batch_1d", [batch, b.IntConstant(0)])[0], b.IntConstant(1, hidden)], Graph.NodeAttribute.OfInt("axis", 0))[0];
        var cls = b.Node("Expand", "cls_expand", [b.Parameter("class_token", 1, 1, hidden), target])[0];
        x = b.Node("Concat", "cat_cls", [cls, x], Graph.NodeAttribute.OfInt("axis", 1))[0];
        long seq = tokens + 1;
        x = b.Add(x, b.Parameter("encoder.pos_embedding", 1, seq, hidden));
        for (int l = 0; l < layers; l++)
        {
            var y = b.LayerNorm(x, "ln_1");
            var qkv = b.Linear3d(y, 3 * hidden, "in_proj");
            var parts = b.NodeN("Split", "qkv_split", [qkv, b.IntConstant(hidden, hidden, hidden)], 3, Graph.NodeAttribute.OfInt("axis", -1));
            string Heads(string t) => b.Transpose(b.Reshape(t, 0, seq, heads, hidden / heads), 0, 2, 1, 3);
            var q = Heads(parts[0]);
            var kT = b.Transpose(b.Reshape(parts[1], 0, seq, heads, hidden / heads), 0, 2, 3, 1);
            var v = Heads(parts[2]);
            var scores = b.Node("MatMul", "qk", [q, kT])[0];
            var scale = b.Node("Constant", "attn_scale", [], Graph.NodeAttribute.OfTensor("value", new Graph.TensorInfo("scale", Graph.TensorDataType.Float, []) { FillValue = 0.125f }))[0];
            scores = b.Softmax(b.Mul(scores, scale));
            var ctx = b.Node("MatMul", "attn_v", [scores, v])[0];
            ctx = b.Reshape(b.Transpose(ctx, 0, 2, 1, 3), 0, seq, hidden);
            x = b.Add(x, b.Linear3d(ctx, hidden, "out_proj"));
            y = b.LayerNorm(x, "ln_2");
            y = b.Linear3d(b.Gelu(b.Linear3d(y, mlp, "mlp_1")), hidden, "mlp_2");
            x = b.Add(x, y);
        }

        x = b.LayerNorm(x, "encoder_ln");
        var first = b.Node("Gather", "class_token_out", [x, b.IntConstant(0)], Graph.NodeAttribute.OfInt("axis", 1))[0];
        return b.Reshape(first, 0, hidden);
    }
}
