using System.Buffers.Binary;

namespace TrainWatt.Storage.Chunks;

/// <summary>Writes bits most significant first into a growing byte array (a sample chunk's body).</summary>
internal sealed class BitWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;   // whole bytes written
    private ulong _pending; // the low _pendingBits bits are not yet in _buffer
    private int _pendingBits;

    /// <summary>Bytes the stream occupies (the last one padded with zero bits).</summary>
    public int ByteLength => _length + (_pendingBits > 0 ? 1 : 0);

    /// <summary>Writes the low <paramref name="bits"/> (0 to 64) bits of <paramref name="value"/>.</summary>
    public void Write(ulong value, int bits)
    {
        if (bits > 32)
        {
            Write(value >> 32, bits - 32);
            Write(value & 0xFFFF_FFFF, 32);
            return;
        }

        if (bits == 0)
        {
            return;
        }

        _pending = (_pending << bits) | (value & ((1UL << bits) - 1));
        _pendingBits += bits;
        if (_length + 8 > _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        while (_pendingBits >= 8)
        {
            _pendingBits -= 8;
            _buffer[_length++] = (byte)(_pending >> _pendingBits);
        }
    }

    /// <summary>The stream so far, the last byte padded with zero bits; writing can go on afterwards.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[ByteLength];
        Array.Copy(_buffer, bytes, _length);
        if (_pendingBits > 0)
        {
            bytes[_length] = (byte)(_pending << (8 - _pendingBits));
        }

        return bytes;
    }
}

/// <summary>Reads what <see cref="BitWriter"/> wrote; reading past the end is <see cref="InvalidDataException"/> (a damaged chunk).</summary>
internal struct BitReader(byte[] data, int startByte)
{
    private readonly byte[] _data = data;
    private long _position = startByte * 8L;

    /// <summary>Reads <paramref name="bits"/> (0 to 64) bits.</summary>
    public ulong Read(int bits)
    {
        if (bits > 32)
        {
            ulong high = Read(bits - 32);
            return (high << 32) | Read(32);
        }

        if (bits == 0)
        {
            return 0;
        }

        if (_position + bits > _data.Length * 8L)
        {
            throw new InvalidDataException("the sample chunk ends before its last sample");
        }

        int index = (int)(_position >> 3);
        int shift = (int)(_position & 7);
        ulong window;
        if (index + 8 <= _data.Length)
        {
            window = BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(index, 8));
        }
        else
        {
            window = 0;
            for (int i = 0; i < 8; i++)
            {
                window = (window << 8) | (index + i < _data.Length ? _data[index + i] : 0u);
            }
        }

        _position += bits;
        return (window << shift) >> (64 - bits);
    }

    public bool ReadBit()
    {
        long index = _position >> 3;
        if (index >= _data.Length)
        {
            throw new InvalidDataException("the sample chunk ends before its last sample");
        }

        int bit = (_data[index] >> (7 - (int)(_position & 7))) & 1;
        _position++;
        return bit != 0;
    }

    /// <summary>
    /// Reads one bits up to <paramref name="max"/> (at most 56) of them, and the zero after them when fewer: what
    /// <c>while (q &lt; max &amp;&amp; ReadBit()) q++</c> reads, in one step where 8 bytes are left.
    /// </summary>
    public int ReadOnes(int max)
    {
        int index = (int)(_position >> 3);
        if (index + 8 > _data.Length)
        {
            int q = 0;
            while (q < max && ReadBit())
            {
                q++;
            }

            return q;
        }

        ulong window = BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(index, 8)) << (int)(_position & 7);
        int ones = Math.Min(System.Numerics.BitOperations.LeadingZeroCount(~window), max);
        _position += ones < max ? ones + 1 : ones;
        return ones;
    }
}
