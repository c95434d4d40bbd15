using System.Buffers.Binary;
using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Onnx;

/// <summary>
/// Reads the structure of an ONNX model (ModelProto from onnx/onnx.proto) by streaming it: nodes, attributes,
/// initializer names/types/dims, inputs, outputs, value_info and opsets. Weight payloads (<c>raw_data</c>,
/// <c>float_data</c>, ...) are skipped by seeking; element counts come from <c>dims</c>. External data files are
/// never opened. Only small integer tensors (at most <see cref="TensorInfo.MaxIntValues"/> elements: Reshape targets,
/// Slice bounds) are decoded, because shape inference needs their values.
/// </summary>
public static class OnnxReader
{
    private const int MaxGraphDepth = 32;
    private const int MaxTypeDepth = 32;

    /// <summary>Reads <paramref name="path"/>. Throws <see cref="OnnxFormatException"/> when the file is malformed.</summary>
    public static OnnxModel ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        return Read(stream, path);
    }

    /// <summary>Reads a model from a seekable stream; <paramref name="name"/> is used in error messages.</summary>
    public static OnnxModel Read(Stream stream, string name)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The ONNX reader needs a seekable stream.", nameof(stream));
        }

        var r = new ProtoReader(stream, name);
        long end = r.Length;
        if (end == 0)
        {
            throw r.Error("the file is empty");
        }

        ModelGraph? graph = null;
        long irVersion = 0;
        string producer = "", producerVersion = "";
        var opsets = new List<OpsetImport>();
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    r.Expect(wire, WireType.Varint, field, "ModelProto");
                    irVersion = r.ReadInt64(end);
                    break;
                case 2:
                    r.Expect(wire, WireType.LengthDelimited, field, "ModelProto");
                    producer = r.ReadString(end, "ModelProto.producer_name");
                    break;
                case 3:
                    r.Expect(wire, WireType.LengthDelimited, field, "ModelProto");
                    producerVersion = r.ReadString(end, "ModelProto.producer_version");
                    break;
                case 7:
                    r.Expect(wire, WireType.LengthDelimited, field, "ModelProto");
                    if (graph is not null)
                    {
                        throw r.Error("ModelProto has more than one graph field");
                    }

                    graph = ReadGraph(r, r.ReadLengthEnd(end, "ModelProto.graph"), 0);
                    break;
                case 8:
                    r.Expect(wire, WireType.LengthDelimited, field, "ModelProto");
                    opsets.Add(ReadOpset(r, r.ReadLengthEnd(end, "ModelProto.opset_import")));
                    break;
                default:
                    r.Skip(wire, end, field, "ModelProto");
                    break;
            }
        }

        if (graph is null)
        {
            throw r.Error(0, "no graph (ModelProto field 7) found: this is not an ONNX model");
        }

        var model = new OnnxModel(graph) { IrVersion = irVersion, ProducerName = producer, ProducerVersion = producerVersion };
        model.Opsets.AddRange(opsets);
        return model;
    }

    private static OpsetImport ReadOpset(ProtoReader r, long end)
    {
        string domain = "";
        long version = 0;
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            if (field == 1)
            {
                r.Expect(wire, WireType.LengthDelimited, field, "OperatorSetIdProto");
                domain = r.ReadString(end, "OperatorSetIdProto.domain");
            }
            else if (field == 2)
            {
                r.Expect(wire, WireType.Varint, field, "OperatorSetIdProto");
                version = r.ReadInt64(end);
            }
            else
            {
                r.Skip(wire, end, field, "OperatorSetIdProto");
            }
        }

        return new OpsetImport(domain, version);
    }

    private static ModelGraph ReadGraph(ProtoReader r, long end, int depth)
    {
        if (depth > MaxGraphDepth)
        {
            throw r.Error($"subgraphs nested more than {MaxGraphDepth} deep");
        }

        var g = new ModelGraph();
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    r.Expect(wire, WireType.LengthDelimited, field, "GraphProto");
                    g.Nodes.Add(ReadNode(r, r.ReadLengthEnd(end, "GraphProto.node"), depth));
                    break;
                case 2:
                    r.Expect(wire, WireType.LengthDelimited, field, "GraphProto");
                    g.Name = r.ReadString(end, "GraphProto.name");
                    break;
                case 5:
                    r.Expect(wire, WireType.LengthDelimited, field, "GraphProto");
                    g.Initializers.Add(ReadTensor(r, r.ReadLengthEnd(end, "GraphProto.initializer")));
                    break;
                case 15:
                    r.Expect(wire, WireType.LengthDelimited, field, "GraphProto");
                    g.SparseInitializers.Add(ReadSparse(r, r.ReadLengthEnd(end, "GraphProto.sparse_initializer")));
                    break;
                case 11:
                case 12:
                case 13:
                    r.Expect(wire, WireType.LengthDelimited, field, "GraphProto");
                    var vi = ReadValueInfo(r, r.ReadLengthEnd(end, "GraphProto.input/output/value_info"));
                    (field == 11 ? g.Inputs : field == 12 ? g.Outputs : g.ValueInfos).Add(vi);
                    break;
                default:
                    r.Skip(wire, end, field, "GraphProto");
                    break;
            }
        }

        return g;
    }

    private static SparseInitializer ReadSparse(ProtoReader r, long end)
    {
        // SparseTensorProto { TensorProto values = 1; TensorProto indices = 2; repeated int64 dims = 3; }
        long start = r.Position;
        TensorInfo? values = null;
        var dims = new List<long>();
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            if (field == 1)
            {
                r.Expect(wire, WireType.LengthDelimited, field, "SparseTensorProto");
                values = ReadTensor(r, r.ReadLengthEnd(end, "SparseTensorProto.values"));
            }
            else if (field == 3)
            {
                ReadRepeatedVarint(r, wire, end, dims, "SparseTensorProto.dims");
            }
            else
            {
                r.Skip(wire, end, field, "SparseTensorProto");
            }
        }

        if (values is null || dims.Any(d => d < 0))
        {
            throw r.Error(start, "sparse initializer without values (field 1) or with a negative dimension");
        }

        return new SparseInitializer(values, dims.ToArray());
    }

    private static GraphNode ReadNode(ProtoReader r, long end, int depth)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<NodeAttribute>();
        string name = "", op = "", domain = "";
        long start = r.Position;
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    r.Expect(wire, WireType.LengthDelimited, field, "NodeProto");
                    inputs.Add(r.ReadString(end, "NodeProto.input"));
                    break;
                case 2:
                    r.Expect(wire, WireType.LengthDelimited, field, "NodeProto");
                    outputs.Add(r.ReadString(end, "NodeProto.output"));
                    break;
                case 3:
                    r.Expect(wire, WireType.LengthDelimited, field, "NodeProto");
                    name = r.ReadString(end, "NodeProto.name");
                    break;
                case 4:
                    r.Expect(wire, WireType.LengthDelimited, field, "NodeProto");
                    op = r.ReadString(end, "NodeProto.op_type");
                    break;
                case 7:
                    r.Expect(wire, WireType.LengthDelimited, field, "NodeProto");
                    domain = r.ReadString(end, "NodeProto.domain");
                    break;
                case 5:
                    r.Expect(wire, WireType.LengthDelimited, field, "NodeProto");
                    attributes.Add(ReadAttribute(r, r.ReadLengthEnd(end, "NodeProto.attribute"), depth));
                    break;
                default:
                    r.Skip(wire, end, field, "NodeProto");
                    break;
            }
        }

        if (op.Length == 0)
        {
            throw r.Error(start, $"node '{name}' has no op_type (NodeProto field 4)");
        }

        var node = new GraphNode(name, op, inputs, outputs, domain);
        node.Attributes.AddRange(attributes);
        return node;
    }

    private static NodeAttribute ReadAttribute(ProtoReader r, long end, int depth)
    {
        var a = new NodeAttribute("", AttributeKind.Undefined);
        string name = "";
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    r.Expect(wire, WireType.LengthDelimited, field, "AttributeProto");
                    name = r.ReadString(end, "AttributeProto.name");
                    break;
                case 20:
                    r.Expect(wire, WireType.Varint, field, "AttributeProto");
                    a.Kind = (AttributeKind)(int)Math.Min(r.ReadVarint(end), 255);
                    break;
                case 2:
                    r.Expect(wire, WireType.Fixed32, field, "AttributeProto");
                    a.Float = BitConverter.Int32BitsToSingle(unchecked((int)r.ReadFixed32(end)));
                    break;
                case 3:
                    r.Expect(wire, WireType.Varint, field, "AttributeProto");
                    a.Int = r.ReadInt64(end);
                    break;
                case 4:
                    r.Expect(wire, WireType.LengthDelimited, field, "AttributeProto");
                    a.String = r.ReadString(end, "AttributeProto.s", 16 << 20);
                    break;
                case 5:
                    r.Expect(wire, WireType.LengthDelimited, field, "AttributeProto");
                    a.Tensor = ReadTensor(r, r.ReadLengthEnd(end, "AttributeProto.t"));
                    break;
                case 6:
                case 11:
                    r.Expect(wire, WireType.LengthDelimited, field, "AttributeProto");
                    a.Graphs.Add(ReadGraph(r, r.ReadLengthEnd(end, "AttributeProto.g"), depth + 1));
                    break;
                case 7:
                    ReadRepeatedFloat(r, wire, end, a.Floats);
                    break;
                case 8:
                    ReadRepeatedVarint(r, wire, end, a.Ints, "AttributeProto.ints");
                    break;
                case 9:
                    r.Expect(wire, WireType.LengthDelimited, field, "AttributeProto");
                    a.Strings.Add(r.ReadString(end, "AttributeProto.strings", 16 << 20));
                    break;
                default:
                    r.Skip(wire, end, field, "AttributeProto");
                    break;
            }
        }

        if (a.Kind == AttributeKind.Undefined)
        {
            // IR version 1 had no type discriminator: infer it from the field present.
            a.Kind = a.Graphs.Count > 0 ? AttributeKind.Graph : a.Tensor is not null ? AttributeKind.Tensor
                : a.Ints.Count > 0 ? AttributeKind.Ints : a.Floats.Count > 0 ? AttributeKind.Floats
                : a.String is not null ? AttributeKind.String : AttributeKind.Int;
        }

        var result = new NodeAttribute(name, a.Kind)
        {
            Float = a.Float, Int = a.Int, String = a.String, Tensor = a.Tensor,
        };
        result.Floats.AddRange(a.Floats);
        result.Ints.AddRange(a.Ints);
        result.Strings.AddRange(a.Strings);
        result.Graphs.AddRange(a.Graphs);
        return result;
    }

    private static void ReadRepeatedVarint(ProtoReader r, WireType wire, long end, List<long> into, string what)
    {
        if (wire == WireType.Varint)
        {
            into.Add(r.ReadInt64(end));
            return;
        }

        r.Expect(wire, WireType.LengthDelimited, 0, what);
        long fieldEnd = r.ReadLengthEnd(end, what);
        while (r.Position < fieldEnd)
        {
            into.Add(r.ReadInt64(fieldEnd));
        }
    }

    private static void ReadRepeatedFloat(ProtoReader r, WireType wire, long end, List<float> into)
    {
        if (wire == WireType.Fixed32)
        {
            into.Add(BitConverter.Int32BitsToSingle(unchecked((int)r.ReadFixed32(end))));
            return;
        }

        r.Expect(wire, WireType.LengthDelimited, 7, "AttributeProto.floats");
        long fieldEnd = r.ReadLengthEnd(end, "AttributeProto.floats");
        while (r.Position < fieldEnd)
        {
            into.Add(BitConverter.Int32BitsToSingle(unchecked((int)r.ReadFixed32(fieldEnd))));
        }
    }

    private static TensorInfo ReadTensor(ProtoReader r, long end)
    {
        long start = r.Position;
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        byte[]? smallRaw = null;
        var ints = new List<long>();
        var smallFloats = new List<double>();
        bool intsOverflow = false;
        long payload = 0;
        bool external = false;
        string? location = null;
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    ReadRepeatedVarint(r, wire, end, dims, "TensorProto.dims");
                    break;
                case 2:
                    r.Expect(wire, WireType.Varint, field, "TensorProto");
                    dataType = (int)Math.Min(r.ReadVarint(end), int.MaxValue);
                    break;
                case 8:
                    r.Expect(wire, WireType.LengthDelimited, field, "TensorProto");
                    name = r.ReadString(end, "TensorProto.name");
                    break;
                case 9:
                    {
                        r.Expect(wire, WireType.LengthDelimited, field, "TensorProto");
                        long fieldEnd = r.ReadLengthEnd(end, "TensorProto.raw_data");
                        long len = fieldEnd - r.Position;
                        payload += len;
                        if (len <= 8L * TensorInfo.MaxIntValues)
                        {
                            smallRaw = r.ReadBytes(fieldEnd);
                        }
                        else
                        {
                            r.SeekTo(fieldEnd);
                        }

                        break;
                    }

                case 5:
                case 7:
                    if (wire == WireType.Varint)
                    {
                        if (ints.Count < TensorInfo.MaxIntValues)
                        {
                            ints.Add(r.ReadInt64(end));
                        }
                        else
                        {
                            r.ReadVarint(end);
                            intsOverflow = true;
                        }

                        payload += 8;
                        break;
                    }

                    r.Expect(wire, WireType.LengthDelimited, field, "TensorProto");
                    {
                        long fieldEnd = r.ReadLengthEnd(end, field == 5 ? "TensorProto.int32_data" : "TensorProto.int64_data");
                        payload += fieldEnd - r.Position;
                        if (fieldEnd - r.Position <= 10L * TensorInfo.MaxIntValues)
                        {
                            while (r.Position < fieldEnd)
                            {
                                ints.Add(field == 5 ? unchecked((int)r.ReadInt64(fieldEnd)) : r.ReadInt64(fieldEnd));
                            }
                        }
                        else
                        {
                            intsOverflow = true;
                            r.SeekTo(fieldEnd);
                        }
                    }

                    break;
                case 13:
                    {
                        r.Expect(wire, WireType.LengthDelimited, field, "TensorProto");
                        long entryEnd = r.ReadLengthEnd(end, "TensorProto.external_data");
                        var (key, value) = ReadStringPair(r, entryEnd);
                        if (key == "location")
                        {
                            location = value;
                        }

                        break;
                    }

                case 14:
                    r.Expect(wire, WireType.Varint, field, "TensorProto");
                    external = r.ReadVarint(end) == 1;
                    break;
                case 4 when wire == WireType.Fixed32:
                    payload += 4;
                    float one = BitConverter.Int32BitsToSingle(unchecked((int)r.ReadFixed32(end)));
                    if (smallFloats.Count < 64)
                    {
                        smallFloats.Add(one);
                    }

                    break;
                case 4 when wire == WireType.LengthDelimited:
                    {
                        long fieldEnd = r.ReadLengthEnd(end, "TensorProto.float_data");
                        payload += fieldEnd - r.Position;
                        if (fieldEnd - r.Position <= 256)
                        {
                            while (r.Position < fieldEnd)
                            {
                                smallFloats.Add(BitConverter.Int32BitsToSingle(unchecked((int)r.ReadFixed32(fieldEnd))));
                            }
                        }
                        else
                        {
                            r.SeekTo(fieldEnd);
                        }

                        break;
                    }

                default:
                    // float_data (4), string_data (6), double_data (10), uint64_data (11), segment (3), doc_string (12):
                    // payloads and metadata a counter does not need are skipped by length.
                    if (wire == WireType.LengthDelimited && field is 4 or 6 or 10 or 11)
                    {
                        long fieldEnd = r.ReadLengthEnd(end, $"TensorProto field {field}");
                        payload += fieldEnd - r.Position;
                        r.SeekTo(fieldEnd);
                    }
                    else
                    {
                        r.Skip(wire, end, field, "TensorProto");
                    }

                    break;
            }
        }

        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw r.Error(start, $"tensor '{name}' has a negative dimension {d}");
            }
        }

        var type = (TensorDataType)dataType;
        long[]? values = null;
        long elements = CheckedElements(r, start, name, dims);
        // Integer and boolean tensors (int32_data also carries bool/int8/int16/uint8/uint16 values).
        int intSize = type switch
        {
            TensorDataType.Int64 => 8,
            TensorDataType.Int32 => 4,
            TensorDataType.Int16 or TensorDataType.UInt16 => 2,
            TensorDataType.Int8 or TensorDataType.UInt8 or TensorDataType.Bool => 1,
            _ => 0,
        };
        if (elements <= TensorInfo.MaxIntValues && intSize > 0)
        {
            if (smallRaw is not null)
            {
                if (smallRaw.Length == elements * intSize)
                {
                    values = new long[elements];
                    for (int i = 0; i < elements; i++)
                    {
                        var at = smallRaw.AsSpan(i * intSize);
                        values[i] = type switch
                        {
                            TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(at),
                            TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(at),
                            TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(at),
                            TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(at),
                            TensorDataType.Int8 => unchecked((sbyte)at[0]),
                            _ => at[0],
                        };
                    }
                }
            }
            else if (!intsOverflow && ints.Count == elements)
            {
                values = ints.ToArray();
            }
        }

        double[]? floats = null;
        if (elements <= 64 && smallRaw is not null && type is TensorDataType.Float or TensorDataType.Double)
        {
            int size = type == TensorDataType.Float ? 4 : 8;
            if (smallRaw.Length == elements * size)
            {
                floats = new double[elements];
                for (int i = 0; i < elements; i++)
                {
                    floats[i] = size == 4
                        ? BinaryPrimitives.ReadSingleLittleEndian(smallRaw.AsSpan(i * 4))
                        : BinaryPrimitives.ReadDoubleLittleEndian(smallRaw.AsSpan(i * 8));
                }
            }
        }
        else if (elements <= 64 && smallFloats.Count == elements && type == TensorDataType.Float)
        {
            floats = smallFloats.ToArray();
        }

        return new TensorInfo(name, type, dims.ToArray())
        {
            IntValues = values,
            FloatValues = floats,
            IsExternal = external,
            ExternalLocation = location,
            StoredPayloadBytes = payload,
        };
    }

    private static long CheckedElements(ProtoReader r, long start, string name, List<long> dims)
    {
        long n = 1;
        foreach (long d in dims)
        {
            if (d != 0 && n > long.MaxValue / d)
            {
                throw r.Error(start, $"tensor '{name}' declares more than 2^63 elements (dims {string.Join("x", dims)})");
            }

            n *= d;
        }

        return n;
    }

    private static (string Key, string Value) ReadStringPair(ProtoReader r, long end)
    {
        string key = "", value = "";
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            if (field is 1 or 2)
            {
                r.Expect(wire, WireType.LengthDelimited, field, "StringStringEntryProto");
                string s = r.ReadString(end, "StringStringEntryProto");
                if (field == 1)
                {
                    key = s;
                }
                else
                {
                    value = s;
                }
            }
            else
            {
                r.Skip(wire, end, field, "StringStringEntryProto");
            }
        }

        return (key, value);
    }

    private static ValueInfo ReadValueInfo(ProtoReader r, long end)
    {
        string name = "";
        TensorDataType type = TensorDataType.Undefined;
        Dimension[]? shape = null;
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            if (field == 1)
            {
                r.Expect(wire, WireType.LengthDelimited, field, "ValueInfoProto");
                name = r.ReadString(end, "ValueInfoProto.name");
            }
            else if (field == 2)
            {
                r.Expect(wire, WireType.LengthDelimited, field, "ValueInfoProto");
                (type, shape) = ReadType(r, r.ReadLengthEnd(end, "ValueInfoProto.type"), 0);
            }
            else
            {
                r.Skip(wire, end, field, "ValueInfoProto");
            }
        }

        return new ValueInfo(name, type, shape);
    }

    private static (TensorDataType, Dimension[]?) ReadType(ProtoReader r, long end, int depth)
    {
        if (depth > MaxTypeDepth)
        {
            throw r.Error($"TypeProto nested more than {MaxTypeDepth} deep");
        }

        TensorDataType type = TensorDataType.Undefined;
        Dimension[]? shape = null;
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            if (field == 1)
            {
                // TypeProto.tensor_type -> Tensor { elem_type = 1; shape = 2; }
                r.Expect(wire, WireType.LengthDelimited, field, "TypeProto");
                long tEnd = r.ReadLengthEnd(end, "TypeProto.tensor_type");
                while (r.TryReadTag(tEnd, out int f2, out WireType w2))
                {
                    if (f2 == 1)
                    {
                        r.Expect(w2, WireType.Varint, f2, "TypeProto.Tensor");
                        type = (TensorDataType)(int)Math.Min(r.ReadVarint(tEnd), int.MaxValue);
                    }
                    else if (f2 == 2)
                    {
                        r.Expect(w2, WireType.LengthDelimited, f2, "TypeProto.Tensor");
                        shape = ReadShape(r, r.ReadLengthEnd(tEnd, "TypeProto.Tensor.shape"));
                    }
                    else
                    {
                        r.Skip(w2, tEnd, f2, "TypeProto.Tensor");
                    }
                }
            }
            else if (field is 4 or 9 && wire == WireType.LengthDelimited)
            {
                // sequence_type / optional_type: elem_type = 1 (a TypeProto). Read it to validate nesting, keep no shape.
                long sEnd = r.ReadLengthEnd(end, "TypeProto.sequence_type");
                while (r.TryReadTag(sEnd, out int f2, out WireType w2))
                {
                    if (f2 == 1 && w2 == WireType.LengthDelimited)
                    {
                        ReadType(r, r.ReadLengthEnd(sEnd, "TypeProto.Sequence.elem_type"), depth + 1);
                    }
                    else
                    {
                        r.Skip(w2, sEnd, f2, "TypeProto.Sequence");
                    }
                }
            }
            else
            {
                r.Skip(wire, end, field, "TypeProto");
            }
        }

        return (type, shape);
    }

    private static Dimension[] ReadShape(ProtoReader r, long end)
    {
        var dims = new List<Dimension>();
        while (r.TryReadTag(end, out int field, out WireType wire))
        {
            if (field != 1)
            {
                r.Skip(wire, end, field, "TensorShapeProto");
                continue;
            }

            r.Expect(wire, WireType.LengthDelimited, field, "TensorShapeProto");
            long dEnd = r.ReadLengthEnd(end, "TensorShapeProto.dim");
            var dim = Dimension.Unknown;
            while (r.TryReadTag(dEnd, out int f2, out WireType w2))
            {
                if (f2 == 1)
                {
                    r.Expect(w2, WireType.Varint, f2, "TensorShapeProto.Dimension");
                    long v = r.ReadInt64(dEnd);
                    dim = v >= 0 ? Dimension.Of(v) : Dimension.Unknown;
                }
                else if (f2 == 2)
                {
                    r.Expect(w2, WireType.LengthDelimited, f2, "TensorShapeProto.Dimension");
                    dim = Dimension.Named(r.ReadString(dEnd, "TensorShapeProto.Dimension.dim_param"));
                }
                else
                {
                    r.Skip(w2, dEnd, f2, "TensorShapeProto.Dimension");
                }
            }

            dims.Add(dim);
        }

        return dims.ToArray();
    }
}
