using System.Buffers.Binary;
using System.Text;
using TrainWatt.Architecture.Graph;

namespace TrainWatt.Architecture.Onnx;

/// <summary>
/// Writes an <see cref="OnnxModel"/> as a valid ONNX protobuf (the same field subset <see cref="OnnxReader"/> reads).
/// Initializer payloads are streamed as <c>raw_data</c> of the exact size their dims and type require (zeros, or the
/// tensor's fill value; small integer tensors keep their values), so a 500 MB model never sits in memory.
/// </summary>
public static class OnnxWriter
{
    public static void WriteFile(OnnxModel model, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(model, stream);
    }

    /// <summary>
    /// Writes <paramref name="path"/> with the main graph's initializers of 1 KiB or more stored in
    /// <paramref name="dataPath"/> (ONNX external data: location relative to the model's folder, offsets aligned to
    /// 4096 bytes as the spec recommends for mmap).
    /// </summary>
    public static void WriteFile(OnnxModel model, string path, string dataPath)
    {
        string location = Path.GetFileName(dataPath);
        var graph = new ModelGraph { Name = model.Graph.Name };
        graph.Nodes.AddRange(model.Graph.Nodes);
        graph.Inputs.AddRange(model.Graph.Inputs);
        graph.Outputs.AddRange(model.Graph.Outputs);
        graph.ValueInfos.AddRange(model.Graph.ValueInfos);
        using (var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var t in model.Graph.Initializers)
            {
                long payload = PayloadBytes(t);
                if (payload < 1024 || t.IsExternal)
                {
                    graph.Initializers.Add(t);
                    continue;
                }

                long offset = (data.Position + 4095) / 4096 * 4096;
                data.Write(new byte[offset - data.Position]);
                WritePayload(data, t, payload);
                graph.Initializers.Add(new TensorInfo(t.Name, t.DataType, t.Dims)
                {
                    IsExternal = true, ExternalLocation = location, ExternalOffset = offset, ExternalLength = payload,
                });
            }
        }

        var copy = new OnnxModel(graph) { IrVersion = model.IrVersion, ProducerName = model.ProducerName, ProducerVersion = model.ProducerVersion };
        copy.Opsets.AddRange(model.Opsets);
        WriteFile(copy, path);
    }

    public static void Write(OnnxModel model, Stream output)
    {
        var head = new MemoryStream();
        WriteVarintField(head, 1, unchecked((ulong)model.IrVersion));
        WriteStringField(head, 2, model.ProducerName);
        if (model.ProducerVersion.Length > 0)
        {
            WriteStringField(head, 3, model.ProducerVersion);
        }

        foreach (var opset in model.Opsets)
        {
            var o = new MemoryStream();
            if (opset.Domain.Length > 0)
            {
                WriteStringField(o, 1, opset.Domain);
            }

            WriteVarintField(o, 2, unchecked((ulong)opset.Version));
            WriteBytesField(head, 8, o.ToArray());
        }

        head.WriteTo(output);
        WriteGraphField(output, 7, model.Graph);
    }

    /// <summary>Writes a graph as field <paramref name="field"/>, streaming initializer payloads.</summary>
    private static void WriteGraphField(Stream output, int field, ModelGraph graph)
    {
        var nodes = new MemoryStream();
        foreach (var node in graph.Nodes)
        {
            WriteBytesField(nodes, 1, NodeBytes(node));
        }

        WriteStringField(nodes, 2, graph.Name);
        var tail = new MemoryStream();
        foreach (var (list, f) in new[] { (graph.Inputs, 11), (graph.Outputs, 12), (graph.ValueInfos, 13) })
        {
            foreach (var vi in list)
            {
                WriteBytesField(tail, f, ValueInfoBytes(vi));
            }
        }

        foreach (var sparse in graph.SparseInitializers)
        {
            // SparseTensorProto { values = 1; indices = 2 (linearized, here 0..nnz-1); dims = 3 }
            var sp = new MemoryStream();
            WriteBytesField(sp, 1, TensorBytes(sparse.Values));
            long nnz = sparse.Values.ElementCount;
            WriteBytesField(sp, 2, TensorBytes(new TensorInfo(sparse.Values.Name + "_indices", TensorDataType.Int64, [nnz])
            {
                IntValues = nnz <= TensorInfo.MaxIntValues ? Enumerable.Range(0, (int)nnz).Select(i => (long)i).ToArray() : null,
            }));
            foreach (long d in sparse.DenseDims)
            {
                WriteVarintField(sp, 3, unchecked((ulong)d));
            }

            WriteBytesField(tail, 15, sp.ToArray());
        }

        var headers = graph.Initializers.Select(TensorHeader).ToList();
        long total = nodes.Length + tail.Length;
        for (int i = 0; i < headers.Count; i++)
        {
            total += FieldOverhead(5, TensorLength(graph.Initializers[i], headers[i]));
        }

        WriteTag(output, field, WireType.LengthDelimited);
        WriteVarint(output, unchecked((ulong)total));
        nodes.WriteTo(output);
        for (int i = 0; i < headers.Count; i++)
        {
            var t = graph.Initializers[i];
            WriteTag(output, 5, WireType.LengthDelimited);
            WriteVarint(output, (ulong)TensorLength(t, headers[i]));
            output.Write(headers[i]);
            if (t.IsExternal)
            {
                continue;
            }

            long payload = PayloadBytes(t);
            WriteTag(output, 9, WireType.LengthDelimited);
            WriteVarint(output, unchecked((ulong)payload));
            WritePayload(output, t, payload);
        }

        tail.WriteTo(output);
    }

    /// <summary>Bytes of tag + length prefix + content for a length-delimited field of <paramref name="length"/> bytes.</summary>
    private static long FieldOverhead(int field, long length) => VarintSize(unchecked((ulong)field) << 3) + VarintSize(unchecked((ulong)length)) + length;

    private static long TensorLength(TensorInfo t, byte[] header) => header.Length + (t.IsExternal ? 0 : FieldOverhead(9, PayloadBytes(t)));

    private static long PayloadBytes(TensorInfo t) => TensorDataTypes.Bytes(t.DataType, t.ElementCount);

    private static byte[] TensorHeader(TensorInfo t)
    {
        var m = new MemoryStream();
        foreach (long d in t.Dims)
        {
            WriteVarintField(m, 1, unchecked((ulong)d));
        }

        WriteVarintField(m, 2, unchecked((ulong)t.DataType));
        WriteStringField(m, 8, t.Name);
        if (t.IsExternal)
        {
            // external_data { key: "location" value: ... } and data_location = EXTERNAL (1); no payload here.
            var entry = new MemoryStream();
            WriteStringField(entry, 1, "location");
            WriteStringField(entry, 2, t.ExternalLocation ?? (t.Name + ".bin"));
            WriteBytesField(m, 13, entry.ToArray());
            foreach (var (key, value) in new[] { ("offset", t.ExternalOffset), ("length", t.ExternalLength) })
            {
                if (value is { } v)
                {
                    var e = new MemoryStream();
                    WriteStringField(e, 1, key);
                    WriteStringField(e, 2, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    WriteBytesField(m, 13, e.ToArray());
                }
            }

            WriteVarintField(m, 14, 1);
        }

        return m.ToArray();
    }

    private static byte[] TensorBytes(TensorInfo t)
    {
        var m = new MemoryStream();
        m.Write(TensorHeader(t));
        if (t.IsExternal)
        {
            return m.ToArray();
        }

        long payload = PayloadBytes(t);
        WriteTag(m, 9, WireType.LengthDelimited);
        WriteVarint(m, unchecked((ulong)payload));
        WritePayload(m, t, payload);
        return m.ToArray();
    }

    private static void WritePayload(Stream output, TensorInfo t, long payload)
    {
        if (t.IntValues is { } values && t.DataType is TensorDataType.Int64 or TensorDataType.Int32 or TensorDataType.Bool
            or TensorDataType.Int8 or TensorDataType.UInt8)
        {
            int size = (int)TensorDataTypes.Bytes(t.DataType, 1);
            var bytes = new byte[values.Length * size];
            for (int i = 0; i < values.Length; i++)
            {
                switch (size)
                {
                    case 8:
                        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
                        break;
                    case 4:
                        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), (int)values[i]);
                        break;
                    default:
                        bytes[i] = unchecked((byte)values[i]);
                        break;
                }
            }

            output.Write(bytes);
            return;
        }

        var chunk = new byte[(int)Math.Min(payload, 1 << 20)];
        if (t.FillValue != 0 && t.DataType == TensorDataType.Float)
        {
            for (int i = 0; i + 4 <= chunk.Length; i += 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i), t.FillValue);
            }
        }

        for (long left = payload; left > 0; left -= chunk.Length)
        {
            output.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
        }
    }

    private static byte[] NodeBytes(GraphNode node)
    {
        var m = new MemoryStream();
        foreach (string input in node.Inputs)
        {
            WriteStringField(m, 1, input, always: true);
        }

        foreach (string output in node.Outputs)
        {
            WriteStringField(m, 2, output, always: true);
        }

        WriteStringField(m, 3, node.Name);
        WriteStringField(m, 4, node.OpType);
        foreach (var a in node.Attributes)
        {
            WriteBytesField(m, 5, AttributeBytes(a));
        }

        WriteStringField(m, 7, node.Domain);
        return m.ToArray();
    }

    private static byte[] AttributeBytes(NodeAttribute a)
    {
        var m = new MemoryStream();
        WriteStringField(m, 1, a.Name);
        switch (a.Kind)
        {
            case AttributeKind.Float:
                WriteTag(m, 2, WireType.Fixed32);
                Span<byte> f = stackalloc byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(f, a.Float);
                m.Write(f);
                break;
            case AttributeKind.Int:
                WriteVarintField(m, 3, unchecked((ulong)a.Int));
                break;
            case AttributeKind.String:
                WriteStringField(m, 4, a.String ?? "", always: true);
                break;
            case AttributeKind.Tensor when a.Tensor is not null:
                WriteBytesField(m, 5, TensorBytes(a.Tensor));
                break;
            case AttributeKind.Graph when a.Graphs.Count == 1:
                WriteGraphField(m, 6, a.Graphs[0]);
                break;
            case AttributeKind.Floats:
                foreach (float x in a.Floats)
                {
                    WriteTag(m, 7, WireType.Fixed32);
                    var b = new byte[4];
                    BinaryPrimitives.WriteSingleLittleEndian(b, x);
                    m.Write(b);
                }

                break;
            case AttributeKind.Ints:
                foreach (long x in a.Ints)
                {
                    WriteVarintField(m, 8, unchecked((ulong)x));
                }

                break;
            case AttributeKind.Strings:
                foreach (string s in a.Strings)
                {
                    WriteStringField(m, 9, s, always: true);
                }

                break;
            case AttributeKind.Graphs:
                foreach (var g in a.Graphs)
                {
                    WriteGraphField(m, 11, g);
                }

                break;
        }

        WriteVarintField(m, 20, unchecked((ulong)a.Kind));
        return m.ToArray();
    }

    private static byte[] ValueInfoBytes(ValueInfo vi)
    {
        var tensor = new MemoryStream();
        WriteVarintField(tensor, 1, unchecked((ulong)vi.ElementType));
        if (vi.Shape is { } shape)
        {
            var s = new MemoryStream();
            foreach (var d in shape)
            {
                var dm = new MemoryStream();
                if (d.Value is { } v)
                {
                    WriteVarintField(dm, 1, unchecked((ulong)v));
                }
                else if (d.Symbol is { } sym)
                {
                    WriteStringField(dm, 2, sym);
                }

                WriteBytesField(s, 1, dm.ToArray());
            }

            WriteBytesField(tensor, 2, s.ToArray());
        }

        var type = new MemoryStream();
        WriteBytesField(type, 1, tensor.ToArray());
        var m = new MemoryStream();
        WriteStringField(m, 1, vi.Name);
        WriteBytesField(m, 2, type.ToArray());
        return m.ToArray();
    }

    private static int VarintSize(ulong v)
    {
        int n = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            n++;
        }

        return n;
    }

    private static void WriteVarint(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte(unchecked((byte)(v | 0x80)));
            v >>= 7;
        }

        s.WriteByte((byte)v);
    }

    private static void WriteTag(Stream s, int field, WireType wire) => WriteVarint(s, (unchecked((ulong)field) << 3) | unchecked((ulong)wire));

    private static void WriteVarintField(Stream s, int field, ulong value)
    {
        WriteTag(s, field, WireType.Varint);
        WriteVarint(s, value);
    }

    private static void WriteStringField(Stream s, int field, string value, bool always = false)
    {
        if (value.Length == 0 && !always)
        {
            return;
        }

        WriteBytesField(s, field, Encoding.UTF8.GetBytes(value));
    }

    private static void WriteBytesField(Stream s, int field, byte[] bytes)
    {
        WriteTag(s, field, WireType.LengthDelimited);
        WriteVarint(s, unchecked((ulong)bytes.Length));
        s.Write(bytes);
    }
}
