namespace TrainWatt.Architecture.Graph;

/// <summary>ONNX <c>TensorProto.DataType</c> values (field numbers and values from onnx/onnx.proto).</summary>
public enum TensorDataType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
    Float8E4M3FN = 17,
    Float8E4M3FNUZ = 18,
    Float8E5M2 = 19,
    Float8E5M2FNUZ = 20,
    UInt4 = 21,
    Int4 = 22,
    Float4E2M1 = 23,
}

/// <summary>Helpers over <see cref="TensorDataType"/>.</summary>
public static class TensorDataTypes
{
    /// <summary>Bits per element (strings count 0: their size is not fixed).</summary>
    public static int BitsPerElement(TensorDataType type) => type switch
    {
        TensorDataType.Float or TensorDataType.Int32 or TensorDataType.UInt32 => 32,
        TensorDataType.UInt8 or TensorDataType.Int8 or TensorDataType.Bool => 8,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.Float16 or TensorDataType.BFloat16 => 16,
        TensorDataType.Int64 or TensorDataType.UInt64 or TensorDataType.Double or TensorDataType.Complex64 => 64,
        TensorDataType.Complex128 => 128,
        TensorDataType.Float8E4M3FN or TensorDataType.Float8E4M3FNUZ or TensorDataType.Float8E5M2 or TensorDataType.Float8E5M2FNUZ => 8,
        TensorDataType.UInt4 or TensorDataType.Int4 or TensorDataType.Float4E2M1 => 4,
        _ => 0,
    };

    /// <summary>Bytes for <paramref name="elements"/> elements of <paramref name="type"/> (4-bit types round up).</summary>
    public static long Bytes(TensorDataType type, long elements) => (elements * BitsPerElement(type) + 7) / 8;

    public static bool IsInteger(TensorDataType type) => type is TensorDataType.Int8 or TensorDataType.UInt8
        or TensorDataType.Int16 or TensorDataType.UInt16 or TensorDataType.Int32 or TensorDataType.UInt32
        or TensorDataType.Int64 or TensorDataType.UInt64 or TensorDataType.Bool;

    /// <summary>Lower-case ONNX-style name (float32, int64, ...), used in reports.</summary>
    public static string Name(TensorDataType type) => type switch
    {
        TensorDataType.Float => "float32",
        TensorDataType.Double => "float64",
        TensorDataType.Float16 => "float16",
        TensorDataType.BFloat16 => "bfloat16",
        _ => type.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// A tensor's metadata as stored in an ONNX <c>TensorProto</c>: name, element type and dimensions. The payload is
/// never kept, except small integer tensors (<see cref="IntValues"/>) that shape inference needs (Reshape targets,
/// Slice bounds) and, for tensors built in code, a fill value the writer repeats.
/// </summary>
public sealed class TensorInfo
{
    public TensorInfo(string name, TensorDataType dataType, long[] dims)
    {
        Name = name;
        DataType = dataType;
        Dims = dims;
    }

    public string Name { get; }

    public TensorDataType DataType { get; }

    public long[] Dims { get; }

    /// <summary>Values of a small integer tensor (at most <see cref="MaxIntValues"/> elements), or null.</summary>
    public long[]? IntValues { get; init; }

    /// <summary>Values of a small floating-point tensor (at most 64 elements: Resize scales, Clip bounds), or null.</summary>
    public double[]? FloatValues { get; init; }

    /// <summary>For tensors built in code: every element has this value when written (0 for weights, 1 for fixed scales).</summary>
    public float FillValue { get; init; }

    /// <summary>True when the data lives in an external file (<c>data_location = EXTERNAL</c>).</summary>
    public bool IsExternal { get; init; }

    /// <summary>The external data file named by <c>external_data["location"]</c>, when external.</summary>
    public string? ExternalLocation { get; init; }

    /// <summary>Byte offset of the data in the external file (written as external_data "offset"), when external.</summary>
    public long? ExternalOffset { get; init; }

    /// <summary>Bytes of data in the external file (written as external_data "length"), when external.</summary>
    public long? ExternalLength { get; init; }

    /// <summary>Bytes of payload found in the file (raw_data or typed fields), for diagnostics; 0 when external or built.</summary>
    public long StoredPayloadBytes { get; init; }

    public const int MaxIntValues = 4096;

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Dims)
            {
                n = checked(n * d);
            }

            return n;
        }
    }
}

/// <summary>One dimension of a declared shape: a number, a symbolic name, or unknown.</summary>
public readonly record struct Dimension(long? Value, string? Symbol)
{
    public static Dimension Of(long value) => new(value, null);

    public static Dimension Named(string symbol) => new(null, symbol);

    public static Dimension Unknown => new(null, null);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}

/// <summary>A graph input, output or value_info entry (<c>ValueInfoProto</c> with a tensor type).</summary>
public sealed class ValueInfo
{
    public ValueInfo(string name, TensorDataType elementType, Dimension[]? shape)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
    }

    public string Name { get; }

    public TensorDataType ElementType { get; }

    /// <summary>The declared shape, or null when the rank is unknown.</summary>
    public Dimension[]? Shape { get; }

    public static ValueInfo Fixed(string name, TensorDataType type, params long[] dims)
        => new(name, type, dims.Select(Dimension.Of).ToArray());
}

/// <summary><c>AttributeProto.AttributeType</c>.</summary>
public enum AttributeKind
{
    Undefined = 0,
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
    Strings = 8,
    Tensors = 9,
    Graphs = 10,
    SparseTensor = 11,
    SparseTensors = 12,
    TypeProto = 13,
    TypeProtos = 14,
}

/// <summary>A node attribute. Only the members matching <see cref="Kind"/> are meaningful.</summary>
public sealed class NodeAttribute
{
    public NodeAttribute(string name, AttributeKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public AttributeKind Kind { get; set; }

    public float Float { get; set; }

    public long Int { get; set; }

    public string? String { get; set; }

    public TensorInfo? Tensor { get; set; }

    public List<float> Floats { get; } = [];

    public List<long> Ints { get; } = [];

    public List<string> Strings { get; } = [];

    public List<ModelGraph> Graphs { get; } = [];

    public static NodeAttribute OfInt(string name, long value) => new(name, AttributeKind.Int) { Int = value };

    public static NodeAttribute OfFloat(string name, float value) => new(name, AttributeKind.Float) { Float = value };

    public static NodeAttribute OfString(string name, string value) => new(name, AttributeKind.String) { String = value };

    public static NodeAttribute OfInts(string name, params long[] values)
    {
        var a = new NodeAttribute(name, AttributeKind.Ints);
        a.Ints.AddRange(values);
        return a;
    }

    public static NodeAttribute OfTensor(string name, TensorInfo value) => new(name, AttributeKind.Tensor) { Tensor = value };
}

/// <summary>One operator application (<c>NodeProto</c>).</summary>
public sealed class GraphNode
{
    public GraphNode(string name, string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string domain = "")
    {
        Name = name;
        OpType = opType;
        Inputs = inputs;
        Outputs = outputs;
        Domain = domain;
    }

    public string Name { get; }

    public string OpType { get; }

    /// <summary>Operator domain; "" (or "ai.onnx") is the standard ONNX domain.</summary>
    public string Domain { get; }

    /// <summary>Input value names; "" marks an omitted optional input.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    public List<NodeAttribute> Attributes { get; } = [];

    public NodeAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public long GetInt(string name, long fallback) => Attribute(name) is { Kind: AttributeKind.Int } a ? a.Int : fallback;

    public float GetFloat(string name, float fallback) => Attribute(name) is { Kind: AttributeKind.Float } a ? a.Float : fallback;

    public string? GetString(string name) => Attribute(name) is { Kind: AttributeKind.String } a ? a.String : null;

    public long[]? GetInts(string name) => Attribute(name) is { Kind: AttributeKind.Ints } a ? a.Ints.ToArray() : null;

    public GraphNode With(params NodeAttribute[] attributes)
    {
        Attributes.AddRange(attributes);
        return this;
    }
}

/// <summary>A computation graph (<c>GraphProto</c>): nodes, initializers (metadata only), inputs, outputs, value_info.</summary>
public sealed class ModelGraph
{
    public string Name { get; set; } = "";

    public List<GraphNode> Nodes { get; } = [];

    public List<TensorInfo> Initializers { get; } = [];

    /// <summary>
    /// Sparse initializers (<c>SparseTensorProto</c>): <see cref="SparseInitializer.Values"/> holds the stored
    /// non-zero values ([NNZ]), <see cref="SparseInitializer.DenseDims"/> the shape the graph sees.
    /// </summary>
    public List<SparseInitializer> SparseInitializers { get; } = [];

    public List<ValueInfo> Inputs { get; } = [];

    public List<ValueInfo> Outputs { get; } = [];

    public List<ValueInfo> ValueInfos { get; } = [];
}

/// <summary>An operator set import (<c>OperatorSetIdProto</c>).</summary>
public readonly record struct OpsetImport(string Domain, long Version);

/// <summary>A whole model (<c>ModelProto</c>).</summary>
public sealed class OnnxModel
{
    public OnnxModel(ModelGraph graph) => Graph = graph;

    public long IrVersion { get; set; } = 8;

    public string ProducerName { get; set; } = "";

    public string ProducerVersion { get; set; } = "";

    public List<OpsetImport> Opsets { get; } = [];

    public ModelGraph Graph { get; }

    /// <summary>The default-domain opset version (0 when not declared).</summary>
    public long DefaultOpset => Opsets.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
}

/// <summary>A sparse initializer: its stored values (counted as parameters) and its dense shape.</summary>
public sealed record SparseInitializer(TensorInfo Values, long[] DenseDims);
