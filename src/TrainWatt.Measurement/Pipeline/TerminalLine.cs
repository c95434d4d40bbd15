using System.Text;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// Whether the measured command's output last left the cursor in the middle of a line (a <c>\r</c> progress bar such as
/// tqdm's, a prompt without newline), so that TrainWatt's own line can start on a fresh one instead of being glued to
/// the bar (<c>8%| | 6/72 [...]trainwatt: epochs: ...</c>). The command's streams pass through <see cref="Track(Stream)"/>
/// (or <see cref="Track(TextWriter)"/>) unchanged; <see cref="FreshLine"/> gives the newline to write first.
/// </summary>
/// <param name="includeStdout">
/// Also follow the command's stdout: only when stdout and stderr show on one terminal (a bar on stdout is then on the
/// same screen line). Otherwise stdout is a file or pipe and a newline on stderr for it would only add blank lines.
/// </param>
public sealed class TerminalLine(bool includeStdout)
{
    private int _midLine;

    /// <summary>True when the command's stdout is followed too (see the constructor).</summary>
    public bool IncludesStdout { get; } = includeStdout;

    /// <summary>"\n" when the command's output last ended mid-line (then the state resets: the caller's line ends with one), else "".</summary>
    public string FreshLine() => Interlocked.Exchange(ref _midLine, 0) == 1 ? "\n" : string.Empty;

    /// <summary>The command's output stream, followed.</summary>
    public Stream Track(Stream inner) => new TrackingStream(inner, this);

    /// <summary>The command's output writer, followed.</summary>
    public TextWriter Track(TextWriter inner) => new TrackingWriter(inner, this);

    private void Ended(bool newline) => Volatile.Write(ref _midLine, newline ? 0 : 1);

    private sealed class TrackingStream(Stream inner, TerminalLine line) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            if (!buffer.IsEmpty)
            {
                line.Ended(buffer[^1] == (byte)'\n');
            }
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class TrackingWriter(TextWriter inner, TerminalLine line) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            line.Ended(value == '\n');
        }

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            inner.Write(buffer);
            if (!buffer.IsEmpty)
            {
                line.Ended(buffer[^1] == '\n');
            }
        }

        public override void Write(string? value) => Write(value.AsSpan());

        public override void Flush() => inner.Flush();
    }
}
