namespace TrainWatt.Architecture.Onnx;

/// <summary>Protocol-buffer wire types (protobuf encoding spec).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A forward-only protobuf wire reader over a seekable stream. It buffers 64 KiB, skips large fields by seeking, and
/// checks every declared length against the end of the enclosing message, so a corrupt file fails with an
/// <see cref="OnnxFormatException"/> naming the byte offset instead of allocating or reading past its bounds.
/// </summary>
internal sealed class ProtoReader
{
    private const int BufferSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _bufferStart;
    private int _bufferPos;
    private int _bufferLen;

    public ProtoReader(Stream stream, string file)
    {
        _stream = stream;
        File = file;
        Length = stream.Length;
        _bufferStart = stream.Position;
    }

    public string File { get; }

    public long Length { get; }

    public long Position => _bufferStart + _bufferPos;

    public OnnxFormatException Error(string detail) => new(File, Position, detail);

    public OnnxFormatException Error(long offset, string detail) => new(File, offset, detail);

    private byte ReadByte(long end)
    {
        if (Position >= end)
        {
            throw Error(end >= Length ? "unexpected end of file (truncated?)" : "field runs past the end of its enclosing message");
        }

        if (_bufferPos >= _bufferLen)
        {
            Fill();
        }

        return _buffer[_bufferPos++];
    }

    private void Fill()
    {
        _bufferStart += _bufferLen;
        _bufferPos = 0;
        _bufferLen = 0;
        if (_stream.Position != _bufferStart)
        {
            _stream.Seek(_bufferStart, SeekOrigin.Begin);
        }

        int n = _stream.Read(_buffer, 0, BufferSize);
        if (n <= 0)
        {
            throw Error("unexpected end of file (truncated?)");
        }

        _bufferLen = n;
    }

    public ulong ReadVarint(long end)
    {
        long start = Position;
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = ReadByte(end);
            if (shift == 63 && b > 1)
            {
                throw Error(start, "varint longer than 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw Error(start, "varint longer than 10 bytes");
    }

    /// <summary>Reads a varint as a two's-complement int64 (protobuf int64/int32 encoding).</summary>
    public long ReadInt64(long end) => unchecked((long)ReadVarint(end));

    /// <summary>Reads a tag; returns false at <paramref name="end"/>.</summary>
    public bool TryReadTag(long end, out int field, out WireType wire)
    {
        if (Position >= end)
        {
            field = 0;
            wire = 0;
            return false;
        }

        long start = Position;
        ulong tag = ReadVarint(end);
        field = (int)Math.Min(tag >> 3, int.MaxValue);
        wire = (WireType)(tag & 7);
        if (field == 0)
        {
            throw Error(start, "field number 0 is invalid");
        }

        if ((int)wire > 5)
        {
            throw Error(start, $"invalid wire type {(int)wire} for field {field}");
        }

        return true;
    }

    /// <summary>Reads a length prefix and returns the absolute end of the field it announces.</summary>
    public long ReadLengthEnd(long end, string what)
    {
        long start = Position;
        ulong len = ReadVarint(end);
        long remaining = end - Position;
        if (len > (ulong)remaining)
        {
            throw Error(start, $"{what} declares {len} bytes but only {remaining} remain in its enclosing message");
        }

        return Position + (long)len;
    }

    public void SeekTo(long target)
    {
        long bufferEnd = _bufferStart + _bufferLen;
        if (target >= _bufferStart && target <= bufferEnd)
        {
            _bufferPos = (int)(target - _bufferStart);
            return;
        }

        _bufferStart = target;
        _bufferPos = 0;
        _bufferLen = 0;
    }

    public void Skip(WireType wire, long end, int field, string message)
    {
        switch (wire)
        {
            case WireType.Varint:
                ReadVarint(end);
                break;
            case WireType.Fixed64:
                SkipBytes(8, end);
                break;
            case WireType.Fixed32:
                SkipBytes(4, end);
                break;
            case WireType.LengthDelimited:
                SeekTo(ReadLengthEnd(end, $"{message} field {field}"));
                break;
            default:
                throw Error($"{message} field {field} uses the deprecated group wire type {(int)wire}, which ONNX never writes");
        }
    }

    private void SkipBytes(int n, long end)
    {
        if (end - Position < n)
        {
            throw Error(end >= Length ? "unexpected end of file (truncated?)" : "field runs past the end of its enclosing message");
        }

        SeekTo(Position + n);
    }

    public uint ReadFixed32(long end)
    {
        uint v = 0;
        for (int i = 0; i < 4; i++)
        {
            v |= (uint)ReadByte(end) << (8 * i);
        }

        return v;
    }

    public ulong ReadFixed64(long end)
    {
        ulong v = 0;
        for (int i = 0; i < 8; i++)
        {
            v |= (ulong)ReadByte(end) << (8 * i);
        }

        return v;
    }

    public byte[] ReadBytes(long fieldEnd)
    {
        long n = fieldEnd - Position;
        var bytes = new byte[n];
        for (long i = 0; i < n; i++)
        {
            bytes[i] = ReadByte(fieldEnd);
        }

        return bytes;
    }

    /// <summary>Reads a length-delimited UTF-8 string, refusing strings over <paramref name="maxBytes"/>.</summary>
    public string ReadString(long end, string what, int maxBytes = 1 << 20)
    {
        long fieldEnd = ReadLengthEnd(end, what);
        long n = fieldEnd - Position;
        if (n > maxBytes)
        {
            throw Error($"{what} is {n} bytes long, more than the {maxBytes}-byte limit for a name");
        }

        return System.Text.Encoding.UTF8.GetString(ReadBytes(fieldEnd));
    }

    public void Expect(WireType actual, WireType expected, int field, string message)
    {
        if (actual != expected)
        {
            throw Error($"{message} field {field} has wire type {(int)actual} ({actual}), expected {(int)expected} ({expected})");
        }
    }
}
