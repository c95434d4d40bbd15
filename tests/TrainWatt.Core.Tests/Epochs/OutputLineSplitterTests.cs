using System.Text;
using CsCheck;
using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Tests.Epochs;

public class OutputLineSplitterTests
{
    private static List<(string Text, bool EndsLine)> Split(params string[] chunks)
    {
        var splitter = new OutputLineSplitter();
        var segments = new List<(string, bool)>();
        foreach (string chunk in chunks)
        {
            splitter.Append(chunk, (s, e) => segments.Add((s, e)));
        }

        splitter.Complete((s, e) => segments.Add((s, e)));
        return segments;
    }

    [Fact]
    public void Should_Report_Carriage_Return_Redraws_As_Segments_That_Do_Not_End_A_Line()
    {
        // Keras verbose=1 writes "\r" + progress for each batch and a "\n" after the epoch's last update.
        var segments = Split("Epoch 1/2\n", "\r 1/3 [=>..]", "\r 2/3 [==>.]", "\r 3/3 [===] - loss: 0.5\n");
        Assert.Equal(
            [("Epoch 1/2", true), ("", false), (" 1/3 [=>..]", false), (" 2/3 [==>.]", false), (" 3/3 [===] - loss: 0.5", true)],
            segments);
    }

    [Fact]
    public void Should_Join_A_Line_Split_Across_Chunks()
    {
        Assert.Equal([("##trainwatt epoch-end n=1", true)], Split("##train", "watt epoch-", "end n=1\n"));
    }

    [Fact]
    public void Should_Treat_CRLF_In_One_Chunk_As_One_Newline()
    {
        Assert.Equal([("a", true), ("b", true)], Split("a\r\nb\r\n"));
    }

    [Fact]
    public void Should_Not_Report_An_Empty_Line_For_A_CRLF_Split_Across_Chunks()
    {
        // The \r is reported at once (no waiting for the next chunk); the \n that follows closes nothing new.
        Assert.Equal([("a", false), ("b", true)], Split("a\r", "\nb\n"));
    }

    [Fact]
    public void Should_Report_An_Unterminated_Tail_At_Completion()
    {
        Assert.Equal([("done", true), ("tail", true)], Split("done\ntail"));
    }

    [Fact]
    public void Should_Segment_The_Same_Way_However_The_Output_Is_Chunked()
    {
        // Property: for text without "\r\n" pairs, chunking never changes the segments, and the segments plus their
        // terminators give back the text (oracle: the definition of splitting on \r and \n).
        var text = Gen.Int[0, 3].Select(i => "ab\r\n"[i]).Array[0, 40].Select(a => new string(a)).Where(s => !s.Contains("\r\n", StringComparison.Ordinal));
        Gen.Select(text, Gen.Int[1, 7]).Sample((s, chunk) =>
        {
            var whole = Split(s);
            string[] chunks = Enumerable.Range(0, (s.Length + chunk - 1) / chunk).Select(i => s.Substring(i * chunk, Math.Min(chunk, s.Length - (i * chunk)))).ToArray();
            var pieces = Split(chunks);
            Assert.Equal(whole, pieces);

            var rebuilt = new StringBuilder();
            foreach (var (t, endsLine) in whole)
            {
                rebuilt.Append(t).Append(endsLine ? '\n' : '\r');
            }

            string expected = s.EndsWith('\n') || s.EndsWith('\r') || s.Length == 0 ? s : s + "\n";
            Assert.Equal(expected, rebuilt.ToString());
        }, seed: "0N0XIzNsQ0O2");
    }
}
