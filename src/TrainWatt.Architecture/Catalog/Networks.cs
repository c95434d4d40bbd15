namespace TrainWatt.Architecture.Catalog;

/// <summary>
/// The catalog's network definitions, transcribed from keras.applications (keras/src/applications/*.py) and
/// torchvision.models. Each method returns the backbone's feature output; <see cref="Finish"/> adds the top or head.
/// </summary>
internal sealed partial class Networks(GraphBuilder b, CatalogOptions o, CatalogVariant variant)
{
    private bool Keras => variant == CatalogVariant.Keras;

    public string Finish(string name, string features)
    {
        bool tokens = name == "vit-b16";
        if (o.Head is { Count: > 0 } head)
        {
            string x = tokens ? features : o.HeadPooling == HeadPooling.Flatten ? b.Flatten(features) : b.GlobalAvgPool(features);
            foreach (var layer in head)
            {
                x = b.Dense(x, layer.Units, layer.Activation, name: "head");
                if (layer.BatchNormAfter)
                {
                    x = b.BatchNorm(x, name: "head_bn");
                }
            }

            return x;
        }

        if (!o.IncludeTop)
        {
            return features;
        }

        string softmax = Keras ? "softmax" : "linear";
        if (name == "vgg16")
        {
            var x = b.Flatten(features);
            x = b.Dense(x, 4096, "relu", name: "fc1");
            x = b.Dense(x, 4096, "relu", name: "fc2");
            return b.Dense(x, o.Classes, softmax, name: "predictions");
        }

        var pooled = tokens ? features : b.GlobalAvgPool(features);
        return b.Dense(pooled, o.Classes, softmax, name: "predictions");
    }

    public string Vgg16()
    {
        // keras.applications.vgg16 / torchvision cfg "D": 3x3 convs with bias, ReLU, 2x2 max pooling.
        int[][] blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
        string x = b.Input;
        foreach (var block in blocks)
        {
            foreach (int f in block)
            {
                x = b.Relu(b.Conv(x, f, 3, 1, Padding.Same, bias: true));
            }

            x = b.MaxPool(x, 2, 2, Padding.Valid);
        }

        return x;
    }

    private string ConvBn(string x, long filters, int k, int stride, Padding pad, bool bias, string? act)
        => b.Activation(b.BatchNorm(b.Conv(x, filters, k, stride, pad, bias)), act);

    public string ResNet50Keras()
    {
        // keras.applications.resnet (ResNet50 v1): conv biases, stride on the first 1x1 of each conv block.
        var x = b.ZeroPad(b.Input, 3, 3, 3, 3);
        x = ConvBn(x, 64, 7, 2, Padding.Valid, true, "relu");
        x = b.ZeroPad(x, 1, 1, 1, 1);
        x = b.MaxPool(x, 3, 2, Padding.Valid);
        (int Blocks, int Filters, int Stride)[] stages = [(3, 64, 1), (4, 128, 2), (6, 256, 2), (3, 512, 2)];
        foreach (var (blocks, filters, stride) in stages)
        {
            for (int i = 0; i < blocks; i++)
            {
                int s = i == 0 ? stride : 1;
                string shortcut = i == 0 ? ConvBn(x, 4 * filters, 1, s, Padding.Valid, true, null) : x;
                var y = ConvBn(x, filters, 1, s, Padding.Valid, true, "relu");
                y = ConvBn(y, filters, 3, 1, Padding.Same, true, "relu");
                y = ConvBn(y, 4 * filters, 1, 1, Padding.Valid, true, null);
                x = b.Relu(b.Add(shortcut, y));
            }
        }

        return x;
    }

    public string ResNetTorchvision(int[] layers, bool bottleneck)
    {
        // torchvision.models.resnet (v1.5): no conv biases, stride on the 3x3 convolution.
        var x = ConvBn(b.Input, 64, 7, 2, Padding.Of(3), false, "relu");
        x = b.MaxPool(x, 3, 2, Padding.Of(1));
        int expansion = bottleneck ? 4 : 1;
        int[] widths = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
        {
            for (int i = 0; i < layers[stage]; i++)
            {
                int s = i == 0 && stage > 0 ? 2 : 1;
                int w = widths[stage];
                bool project = i == 0 && (s != 1 || b.Channels(x) != w * expansion);
                string shortcut = project ? ConvBn(x, w * expansion, 1, s, Padding.Of(0), false, null) : x;
                string y;
                if (bottleneck)
                {
                    y = ConvBn(x, w, 1, 1, Padding.Of(0), false, "relu");
                    y = ConvBn(y, w, 3, s, Padding.Of(1), false, "relu");
                    y = ConvBn(y, w * 4, 1, 1, Padding.Of(0), false, null);
                }
                else
                {
                    y = ConvBn(x, w, 3, s, Padding.Of(1), false, "relu");
                    y = ConvBn(y, w, 3, 1, Padding.Of(1), false, null);
                }

                x = b.Relu(b.Add(y, shortcut));
            }
        }

        return x;
    }

    /// <summary>Keras <c>_make_divisible</c> and torchvision <c>_make_divisible</c> (the same rule).</summary>
    internal static int MakeDivisible(double v, int divisor = 8)
    {
        int newV = Math.Max(divisor, (int)(v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v)
        {
            newV += divisor;
        }

        return newV;
    }

    public string MobileNetV2()
    {
        double a = o.Alpha;
        (int T, int C, int N, int S)[] settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];
        string x;
        if (Keras)
        {
            // keras.applications.mobilenet_v2: stride-2 convs are ZeroPadding2D(correct_pad) + "valid".
            x = b.CorrectPad(b.Input, 3);
            x = ConvBn(x, MakeDivisible(32 * a), 3, 2, Padding.Valid, false, "relu6");
        }
        else
        {
            x = ConvBn(b.Input, MakeDivisible(32 * a), 3, 2, Padding.Of(1), false, "relu6");
        }

        foreach (var (t, c, n, s) in settings)
        {
            // Keras: _make_divisible(int(filters * alpha), 8); torchvision: _make_divisible(c * width_mult, 8).
            int outC = Keras ? MakeDivisible((int)(c * a)) : MakeDivisible(c * a);
            for (int i = 0; i < n; i++)
            {
                int stride = i == 0 ? s : 1;
                long inC = b.Channels(x);
                long hidden = Keras ? inC * t : (long)Math.Round(inC * (double)t);
                var y = x;
                if (t != 1)
                {
                    y = ConvBn(y, hidden, 1, 1, Padding.Valid, false, "relu6");
                }

                if (Keras && stride == 2)
                {
                    y = b.CorrectPad(y, 3);
                    y = b.Activation(b.BatchNorm(b.DepthwiseConv(y, 3, 2, Padding.Valid)), "relu6");
                }
                else
                {
                    y = b.Activation(b.BatchNorm(b.DepthwiseConv(y, 3, stride, Keras ? Padding.Same : Padding.Of(1))), "relu6");
                }

                y = ConvBn(y, outC, 1, 1, Padding.Valid, false, null);
                x = stride == 1 && inC == outC ? b.Add(x, y) : y;
            }
        }

        int last = Keras ? (a > 1.0 ? MakeDivisible(1280 * a) : 1280) : MakeDivisible(1280 * Math.Max(1.0, a));
        return ConvBn(x, last, 1, 1, Padding.Valid, false, "relu6");
    }

    public string Xception()
    {
        // keras.applications.xception.
        var x = ConvBn(b.Input, 32, 3, 2, Padding.Valid, false, "relu");
        x = ConvBn(x, 64, 3, 1, Padding.Valid, false, "relu");
        int[] entry = [128, 256, 728];
        for (int i = 0; i < entry.Length; i++)
        {
            var residual = ConvBn(x, entry[i], 1, 2, Padding.Same, false, null);
            var y = i == 0 ? x : b.Relu(x);
            y = b.Relu(b.BatchNorm(b.SeparableConv(y, entry[i], 3)));
            y = b.BatchNorm(b.SeparableConv(y, entry[i], 3));
            y = b.MaxPool(y, 3, 2, Padding.Same);
            x = b.Add(y, residual);
        }

        for (int i = 0; i < 8; i++)
        {
            var y = x;
            for (int j = 0; j < 3; j++)
            {
                y = b.BatchNorm(b.SeparableConv(b.Relu(y), 728, 3));
            }

            x = b.Add(y, x);
        }

        {
            var residual = ConvBn(x, 1024, 1, 2, Padding.Same, false, null);
            var y = b.BatchNorm(b.SeparableConv(b.Relu(x), 728, 3));
            y = b.BatchNorm(b.SeparableConv(b.Relu(y), 1024, 3));
            y = b.MaxPool(y, 3, 2, Padding.Same);
            x = b.Add(y, residual);
        }

        x = b.Relu(b.BatchNorm(b.SeparableConv(x, 1536, 3)));
        return b.Relu(b.BatchNorm(b.SeparableConv(x, 2048, 3)));
    }
}
