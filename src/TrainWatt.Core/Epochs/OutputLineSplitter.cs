using System.Text;

namespace TrainWatt.Core.Epochs;

/// <summary>
/// Splits a child process's text output, arriving in arbitrary chunks, into segments ended by <c>\n</c> or <c>\r</c>.
/// Progress bars (Keras, tqdm) redraw one terminal line with <c>\r</c>; each redraw is its own segment, so a marker
/// inside a progress line is seen as soon as it is written, not when the terminal line finally ends.
/// </summary>
/// <remarks>
/// <c>\r\n</c> inside one chunk is one newline. A <c>\r</c> that ends a chunk is reported at once as a carriage-return
/// segment (no waiting for the next chunk); a <c>\n</c> that then starts the next chunk closes an empty line.
/// A segment longer than the bound (<see cref="EpochDetector.MaxScannedLength"/> by default) is reported as its first
/// characters followed by <c>…</c>: memory stays bounded whatever the command prints (one 50 MB line of random bytes).
/// Not thread-safe: one instance per stream.
/// </remarks>
public sealed class OutputLineSplitter
{
    private readonly StringBuilder _pending = new();
    private readonly int _maxSegmentLength;
    private bool _lastWasCarriageReturn;
    private bool _cut;

    /// <param name="maxSegmentLength">Longer segments are cut to this many characters and <c>…</c>.</param>
    public OutputLineSplitter(int maxSegmentLength = EpochDetector.MaxScannedLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentLength, 1);
        _maxSegmentLength = maxSegmentLength;
    }

    /// <summary>Called for each complete segment: its text (without terminator) and whether a newline ended it.</summary>
    public delegate void SegmentHandler(string segment, bool endsLine);

    /// <summary>Feeds a chunk; calls <paramref name="onSegment"/> for every segment it completes.</summary>
    public void Append(ReadOnlySpan<char> chunk, SegmentHandler onSegment)
    {
        ArgumentNullException.ThrowIfNull(onSegment);
        int start = 0;
        for (int i = 0; i < chunk.Length; i++)
        {
            char c = chunk[i];
            if (c != '\n' && c != '\r')
            {
                continue;
            }

            if (c == '\n' && i == start && _pending.Length == 0 && _lastWasCarriageReturn)
            {
                // The \n of a \r\n pair: the line was already reported when the \r arrived.
                _lastWasCarriageReturn = false;
                start = i + 1;
                continue;
            }

            bool endsLine = c == '\n' || (i + 1 < chunk.Length && chunk[i + 1] == '\n');
            Emit(chunk[start..i], endsLine, onSegment);
            if (c == '\r' && endsLine)
            {
                i++; // consume the \n of \r\n
            }

            _lastWasCarriageReturn = c == '\r' && !endsLine;
            start = i + 1;
        }

        if (start < chunk.Length)
        {
            AppendBounded(chunk[start..]);
            _lastWasCarriageReturn = false;
        }
    }

    /// <summary>Reports the unterminated rest (end of stream) as a final line, if any.</summary>
    public void Complete(SegmentHandler onSegment)
    {
        ArgumentNullException.ThrowIfNull(onSegment);
        if (_pending.Length > 0)
        {
            onSegment(TakePending(), true);
        }
    }

    private void Emit(ReadOnlySpan<char> tail, bool endsLine, SegmentHandler onSegment)
    {
        string text;
        if (_pending.Length > 0)
        {
            AppendBounded(tail);
            text = TakePending();
        }
        else if (tail.Length > _maxSegmentLength)
        {
            text = string.Concat(tail[.._maxSegmentLength], [EpochDetector.CutMark]);
        }
        else
        {
            text = tail.ToString();
        }

        onSegment(text, endsLine);
    }

    private void AppendBounded(ReadOnlySpan<char> chars)
    {
        int room = _maxSegmentLength - _pending.Length;
        if (chars.Length > room)
        {
            _pending.Append(chars[..room]);
            _cut = true;
        }
        else
        {
            _pending.Append(chars);
        }
    }

    private string TakePending()
    {
        string text = _cut ? _pending.Append(EpochDetector.CutMark).ToString() : _pending.ToString();
        _pending.Clear();
        _cut = false;
        return text;
    }
}
