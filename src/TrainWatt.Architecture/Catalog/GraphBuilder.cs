using System.Globalization;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Catalog;

/// <summary>How a convolution or pooling pads: Keras/TF "same", "valid", or explicit symmetric padding (PyTorch).</summary>
public readonly record struct Padding(string Mode, int Explicit)
{
    public static Padding Same => new("same", 0);

    public static Padding Valid => new("valid", 0);

    public static Padding Of(int pixels) => new("explicit", pixels);
}

/// <summary>
/// Builds an ONNX graph (NCHW) layer by layer, the way Keras or torchvision code composes a network, inferring shapes as
/// it goes with the same <see cref="OperatorRules"/> the counter uses. Weights are initializers with dims only (zeros
/// when exported); integer constants (Reshape targets, Slice bounds, Pad amounts) are Constant nodes, so they are not
/// counted as parameters.
/// </summary>
public sealed class GraphBuilder
{
    private readonly ModelGraph _graph = new();
    private readonly InferenceScope _scope;
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly long _opset;

    public GraphBuilder(string name, int channels, int height, int width, long opset = 17)
    {
        _opset = opset;
        _graph.Name = name;
        _scope = new InferenceScope(null, opset, FlopsConvention.Standard);
        Input = "input";
        _graph.Inputs.Add(new ValueInfo(Input, TensorDataType.Float,
            [Dimension.Named("batch"), Dimension.Of(channels), Dimension.Of(height), Dimension.Of(width)]));
        _scope.Set(Input, new TensorValue(TensorDataType.Float, [1, channels, height, width]));
    }

    public string Input { get; }

    public long[] Shape(string value) => _scope.Get(value)?.Shape ?? throw new InvalidOperationException($"no shape for {value}");

    public long Channels(string value) => Shape(value)[1];

    public long Height(string value) => Shape(value)[2];

    private string Unique(string prefix)
    {
        int n = _names.GetValueOrDefault(prefix);
        _names[prefix] = n + 1;
        return n == 0 ? prefix : string.Create(CultureInfo.InvariantCulture, $"{prefix}_{n}");
    }

    private string Weight(string name, params long[] dims)
    {
        var t = new TensorInfo(name, TensorDataType.Float, dims);
        _graph.Initializers.Add(t);
        _scope.InitializerNames.Add(name);
        _scope.Set(name, new TensorValue(TensorDataType.Float, dims));
        return name;
    }

    /// <summary>Adds a Constant node holding integers (not a parameter).</summary>
    public string IntConstant(params long[] values)
    {
        string name = Unique("const");
        var t = new TensorInfo(name + "_value", TensorDataType.Int64, [values.Length]) { IntValues = values };
        return Node("Constant", name, [], NodeAttribute.OfTensor("value", t))[0];
    }

    /// <summary>
    /// A fixed float32 tensor of <paramref name="fill"/> values computed by ConstantOfShape (not a parameter: the
    /// counter treats Constant-node tensors with more than one element as weights).
    /// </summary>
    public string FloatConstant(float fill, params long[] dims)
    {
        string name = Unique("fixed");
        var value = new TensorInfo(name + "_value", TensorDataType.Float, [1]) { FillValue = fill };
        return Node("ConstantOfShape", name, [IntConstant(dims)], NodeAttribute.OfTensor("value", value))[0];
    }

    /// <summary>Adds a node, infers its outputs and returns their names.</summary>
    public string[] Node(string op, string name, string[] inputs, params NodeAttribute[] attributes) => NodeN(op, name, inputs, 1, attributes);

    public string[] NodeN(string op, string name, string[] inputs, int outputs, params NodeAttribute[] attributes)
    {
        name = Unique(name);
        var outs = Enumerable.Range(0, outputs).Select(i => outputs == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}:{i}")).ToArray();
        var node = new GraphNode(name, op, inputs, outs).With(attributes);
        _graph.Nodes.Add(node);
        var eval = OperatorRules.Evaluate(node, _scope);
        if (!eval.Known || eval.Outputs.Any(o => o?.Shape is null))
        {
            throw new InvalidOperationException($"catalog bug: cannot infer {op} '{name}': {eval.Note}");
        }

        for (int i = 0; i < outs.Length; i++)
        {
            _scope.Set(outs[i], eval.Outputs[i]!);
        }

        return outs;
    }

    private long[] PadsFor(long[] inHw, int kh, int kw, int stride, Padding padding, int dilation = 1)
    {
        var k = new long[] { (kh - 1) * dilation + 1, (kw - 1) * dilation + 1 };
        var pads = new long[4];
        for (int i = 0; i < 2; i++)
        {
            if (padding.Mode == "same")
            {
                // TensorFlow "SAME": total = max((ceil(in/s) - 1) * s + k - in, 0), extra pixel at the end.
                long outDim = (inHw[i] + stride - 1) / stride;
                long total = Math.Max((outDim - 1) * stride + k[i] - inHw[i], 0);
                pads[i] = total / 2;
                pads[i + 2] = total - total / 2;
            }
            else if (padding.Mode == "explicit")
            {
                pads[i] = pads[i + 2] = padding.Explicit;
            }
        }

        return pads;
    }

    public string Conv(string x, long filters, int kh, int kw, int stride, Padding padding, bool bias, long groups = 1, string name = "conv", int dilation = 1)
    {
        long inC = Channels(x);
        var s = Shape(x);
        string n = Unique(name);
        var w = Weight(n + ".weight", filters, inC / groups, kh, kw);
        var inputs = bias ? new[] { x, w, Weight(n + ".bias", filters) } : [x, w];
        var attrs = new List<NodeAttribute>
        {
            NodeAttribute.OfInts("kernel_shape", kh, kw),
            NodeAttribute.OfInts("strides", stride, stride),
            NodeAttribute.OfInts("pads", PadsFor(s[2..], kh, kw, stride, padding, dilation)),
            NodeAttribute.OfInts("dilations", dilation, dilation),
            NodeAttribute.OfInt("group", groups),
        };
        return Node("Conv", n, inputs, [.. attrs])[0];
    }

    public string Conv(string x, long filters, int k, int stride = 1, Padding? padding = null, bool bias = false, long groups = 1, string name = "conv")
        => Conv(x, filters, k, k, stride, padding ?? Padding.Same, bias, groups, name);

    /// <summary>Depthwise convolution (group = channels, one filter per channel).</summary>
    public string DepthwiseConv(string x, int k, int stride, Padding padding, bool bias = false, string name = "dwconv")
        => Conv(x, Channels(x), k, k, stride, padding, bias, Channels(x), name);

    /// <summary>Keras SeparableConv2D: depthwise k x k then pointwise 1 x 1, no bias by default.</summary>
    public string SeparableConv(string x, long filters, int k, int stride = 1, Padding? padding = null, bool bias = false, string name = "sepconv")
    {
        var d = DepthwiseConv(x, k, stride, padding ?? Padding.Same, false, name + "_dw");
        return Conv(d, filters, 1, 1, 1, Padding.Valid, bias, 1, name + "_pw");
    }

    /// <summary>BatchNormalization; <paramref name="scale"/> = false is Keras's <c>scale=False</c> (gamma fixed at 1, not a parameter).</summary>
    public string BatchNorm(string x, bool scale = true, string name = "bn")
    {
        long c = Channels(x);
        string n = Unique(name);
        string gamma = scale ? Weight(n + ".weight", c) : FloatConstant(1f, c);
        return Node("BatchNormalization", n, [x, gamma, Weight(n + ".bias", c), Weight(n + ".running_mean", c), Weight(n + ".running_var", c)],
            NodeAttribute.OfFloat("epsilon", 1e-3f))[0];
    }

    public string Relu(string x) => Node("Relu", "relu", [x])[0];

    /// <summary>ReLU6 = Clip(0, 6) (opset 11+ takes min/max as inputs).</summary>
    public string Relu6(string x)
    {
        var lo = Node("Constant", "clip_min", [], NodeAttribute.OfTensor("value", new TensorInfo("zero", TensorDataType.Float, [])))[0];
        var hi = Node("Constant", "clip_max", [], NodeAttribute.OfTensor("value", new TensorInfo("six", TensorDataType.Float, []) { FillValue = 6 }))[0];
        return Node("Clip", "relu6", [x, lo, hi])[0];
    }

    public string Sigmoid(string x) => Node("Sigmoid", "sigmoid", [x])[0];

    /// <summary>SiLU / swish = x * sigmoid(x).</summary>
    public string Silu(string x) => Mul(x, Sigmoid(x));

    public string Gelu(string x) => Node("Gelu", "gelu", [x])[0];

    public string Softmax(string x, int axis = -1) => Node("Softmax", "softmax", [x], NodeAttribute.OfInt("axis", axis))[0];

    public string Activation(string x, string? activation) => activation?.ToLowerInvariant() switch
    {
        null or "" or "linear" or "none" => x,
        "relu" => Relu(x),
        "relu6" => Relu6(x),
        "sigmoid" => Sigmoid(x),
        "softmax" => Softmax(x),
        "silu" or "swish" => Silu(x),
        "gelu" => Gelu(x),
        "tanh" => Node("Tanh", "tanh", [x])[0],
        _ => throw new ArgumentException($"unknown activation '{activation}'; use relu, relu6, sigmoid, softmax, swish, gelu, tanh or linear"),
    };

    public string Add(string a, string b) => Node("Add", "add", [a, b])[0];

    public string Mul(string a, string b) => Node("Mul", "mul", [a, b])[0];

    public string MaxPool(string x, int k, int stride, Padding padding) => Pool("MaxPool", x, k, stride, padding);

    public string AvgPool(string x, int k, int stride, Padding padding) => Pool("AveragePool", x, k, stride, padding);

    private string Pool(string op, string x, int k, int stride, Padding padding)
    {
        var pads = PadsFor(Shape(x)[2..], k, k, stride, padding);
        return Node(op, op == "MaxPool" ? "maxpool" : "avgpool", [x],
            NodeAttribute.OfInts("kernel_shape", k, k), NodeAttribute.OfInts("strides", stride, stride), NodeAttribute.OfInts("pads", pads))[0];
    }

    /// <summary>Keras ZeroPadding2D ((top, bottom), (left, right)).</summary>
    public string ZeroPad(string x, long top, long bottom, long left, long right)
        => Node("Pad", "zeropad", [x, IntConstant(0, 0, top, left, 0, 0, bottom, right)])[0];

    /// <summary>Keras Cropping2D ((top, bottom), (left, right)) as a Slice.</summary>
    public string Crop(string x, long top, long bottom, long left, long right)
    {
        var s = Shape(x);
        return Node("Slice", "crop", [x, IntConstant(top, left), IntConstant(s[2] - bottom, s[3] - right), IntConstant(2, 3)])[0];
    }

    /// <summary>Keras <c>imagenet_utils.correct_pad</c> for a stride-2 k x k "valid" convolution.</summary>
    public string CorrectPad(string x, int k)
    {
        var s = Shape(x);
        long adjH = 1 - s[2] % 2, adjW = 1 - s[3] % 2;
        long c = k / 2;
        return ZeroPad(x, c - adjH, c, c - adjW, c);
    }

    public string Concat(params string[] xs) => Node("Concat", "concat", xs, NodeAttribute.OfInt("axis", 1))[0];

    /// <summary>GlobalAveragePooling2D: [N,C,H,W] to [N,C].</summary>
    public string GlobalAvgPool(string x)
    {
        var p = Node("GlobalAveragePool", "gap", [x])[0];
        return Flatten(p);
    }

    public string Flatten(string x) => Node("Flatten", "flatten", [x], NodeAttribute.OfInt("axis", 1))[0];

    /// <summary>Dense / Linear layer as Gemm (weight [units, in], transB = 1).</summary>
    public string Dense(string x, long units, string? activation = null, bool bias = true, string name = "dense")
    {
        long inF = Shape(x)[^1];
        string n = Unique(name);
        var w = Weight(n + ".weight", units, inF);
        var inputs = bias ? new[] { x, w, Weight(n + ".bias", units) } : [x, w];
        var y = Node("Gemm", n, inputs, NodeAttribute.OfInt("transB", 1))[0];
        return Activation(y, activation);
    }

    /// <summary>A dense layer on a [..., in] tensor of rank 3 (tokens): MatMul + bias Add.</summary>
    public string Linear3d(string x, long units, string name)
    {
        long inF = Shape(x)[^1];
        string n = Unique(name);
        var w = Weight(n + ".weight", inF, units);
        var y = Node("MatMul", n + "_matmul", [x, w])[0];
        return Node("Add", n + "_bias", [y, Weight(n + ".bias", units)])[0];
    }

    public string LayerNorm(string x, string name = "ln")
    {
        long c = Shape(x)[^1];
        string n = Unique(name);
        return Node("LayerNormalization", n, [x, Weight(n + ".weight", c), Weight(n + ".bias", c)], NodeAttribute.OfInt("axis", -1), NodeAttribute.OfFloat("epsilon", 1e-6f))[0];
    }

    public string Reshape(string x, params long[] target) => Node("Reshape", "reshape", [x, IntConstant(target)])[0];

    public string Transpose(string x, params long[] perm) => Node("Transpose", "transpose", [x], NodeAttribute.OfInts("perm", perm))[0];

    /// <summary>A free parameter tensor (class token, position embedding).</summary>
    public string Parameter(string name, params long[] dims) => Weight(name, dims);

    public OnnxModel Build(string output)
    {
        var s = Shape(output);
        _graph.Outputs.Add(new ValueInfo(output, TensorDataType.Float, [Dimension.Named("batch"), .. s[1..].Select(Dimension.Of)]));
        var model = new OnnxModel(_graph) { IrVersion = 8, ProducerName = "trainwatt-catalog", ProducerVersion = "0.1.0" };
        model.Opsets.Add(new OpsetImport("", _opset));
        return model;
    }
}
