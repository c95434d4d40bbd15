namespace TrainWatt.Core.Traces;

/// <summary>A read-only, forward-only stream wrapper; subclasses see every block read.</summary>
internal abstract class ReadOnlyWrapperStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Replays bytes already read (the magic-number probe) before the rest of a forward-only stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : ReadOnlyWrapperStream(inner)
{
    private int _prefixPos;

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPos < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _prefixPos);
            prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
            return n;
        }

        return Inner.Read(buffer);
    }
}

/// <summary>
/// Sits under a <see cref="System.IO.Compression.GZipStream"/> and remembers the last 4 compressed bytes: for a whole
/// gzip file they are the trailer's ISIZE (uncompressed length mod 2^32). .NET's GZipStream ends silently on a
/// truncated file; comparing ISIZE with the decompressed length is how a cut-short file is caught.
/// </summary>
internal sealed class GzipTailStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    private readonly byte[] _tail = new byte[4];
    private int _tailLength;

    /// <summary>The last four bytes read, as little-endian ISIZE, or null when fewer than four were read.</summary>
    public uint? Isize => _tailLength < 4 ? null : BitConverter.ToUInt32(_tail);

    public override int Read(Span<byte> buffer)
    {
        int n = Inner.Read(buffer);
        if (n >= 4)
        {
            buffer.Slice(n - 4, 4).CopyTo(_tail);
            _tailLength = 4;
        }
        else if (n > 0)
        {
            // Shift the old tail left by n and append the new bytes.
            int keep = Math.Min(_tailLength, 4 - n);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            buffer[..n].CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + n;
        }

        return n;
    }
}

/// <summary>Counts the bytes read through it (the decompressed length of a gzip stream). Owns and disposes its inner stream.</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public long BytesRead { get; private set; }

    public bool ReachedEnd { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int n = Inner.Read(buffer);
        BytesRead += n;
        if (n == 0 && !buffer.IsEmpty)
        {
            ReachedEnd = true;
        }

        return n;
    }
}

/// <summary>Tells an <see cref="ITraceReadProgress"/> how many bytes have been read through it (the magic-number probe included).</summary>
internal sealed class ProgressStream(Stream inner, ITraceReadProgress progress) : ReadOnlyWrapperStream(inner)
{
    private long _total;

    public override int Read(Span<byte> buffer)
    {
        int n = Inner.Read(buffer);
        if (n > 0)
        {
            _total += n;
            progress.OnBytesRead(_total);
        }

        return n;
    }
}
