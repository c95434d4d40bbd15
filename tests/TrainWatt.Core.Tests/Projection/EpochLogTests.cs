using TrainWatt.Core.Projection;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>The epoch log format of issue 4: header epoch,end_time; 0-based consecutive epochs; ISO-8601 times.</summary>
public class EpochLogTests
{
    private static EpochLogReadResult Read(string text) => EpochLog.Read(new StringReader(text), "epochs.csv");

    [Fact]
    public void Should_Read_Zone_Less_And_Offset_Times_Keeping_The_Clock_Digits()
    {
        var log = Read("epoch,end_time\n0,2022-12-05T09:56:30.125\n1,2022-12-05 09:57:30\n2,2022-12-05T09:58:30+02:00\n");
        Assert.False(log.IsFatal);
        Assert.Equal(new DateTime(2022, 12, 5, 9, 56, 30, 125), log.Epochs[0].End);
        Assert.Equal(new DateTime(2022, 12, 5, 9, 58, 30), log.Epochs[2].End);
        Assert.Equal(DateTimeKind.Unspecified, log.Epochs[2].End.Kind);
        Assert.Equal(4, log.Epochs[2].Line);
    }

    [Theory]
    [InlineData("epoch,end\n0,2022-12-05T09:56:30\n", 1, "expected the header")]
    [InlineData("epoch,end_time\n1,2022-12-05T09:56:30\n", 2, "epoch 1 where epoch 0 was expected")]
    [InlineData("epoch,end_time\n0,2022-12-05T09:56:30\n1,2022-12-05T09:56:29\n", 3, "is 1 s before epoch 0's end (line 2): the log goes backwards in time; write the end times in the trace's clock")]
    [InlineData("epoch,end_time\n0,2022-12-05T09:56:30\n1,2022-12-05T09:56:30\n", 3, "equals epoch 0's (line 2): a zero-length epoch")]
    [InlineData("epoch,end_time\n0,2022-12-05T09:56:30\n1,2022-12-05T09:57:30\n1,2022-12-05T09:58:30\n", 4, "epoch 1 where epoch 2 was expected: the log goes back to an epoch it already has")]
    [InlineData("epoch,end_time\n0,2022-12-05T09:56:30\n3,2022-12-05T09:57:30\n", 3, "epochs 1-2 are missing; keep one row per finished epoch")]
    [InlineData("epoch,end_time\n0,yesterday\n", 2, "not an ISO-8601 time")]
    [InlineData("epoch,end_time\nzero,2022-12-05T09:56:30\n", 2, "not an integer")]
    [InlineData("epoch,end_time\n", 1, "no epochs")]
    [InlineData("", 0, "empty")]
    public void Should_Give_One_Fatal_Fault_Naming_The_Line(string text, int line, string message)
    {
        var log = Read(text);
        Assert.True(log.IsFatal);
        var fault = Assert.Single(log.Faults);
        Assert.Equal(line, fault.Line);
        Assert.Contains(message, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Accept_The_Most_Epochs_And_Refuse_An_Endless_Log_At_The_First_Row_Beyond_Without_Reading_On()
    {
        // Given: logs generated row by row, one of exactly MaxEpochs rows and one without end (it fails the test if read
        // more than a buffer's worth past the limit: the reader must stop there, whatever the log's size)
        var most = EpochLog.Read(new GeneratedLog(EpochLog.MaxEpochs), "epochs.csv");
        var endless = EpochLog.Read(new GeneratedLog(null), "endless.csv");

        // Then: 100,000 epochs are read; the 100,001st row (line 100,002: the header is line 1) is refused
        Assert.False(most.IsFatal);
        Assert.Equal(100_000, most.Epochs.Count);
        var fault = Assert.Single(endless.Faults);
        Assert.Equal((TrainWatt.Core.Traces.FaultKind.Fatal, "endless.csv", 100_002), (fault.Kind, fault.File, fault.Line));
        Assert.Contains("more than 100,000 epochs", fault.Message, StringComparison.Ordinal);
        Assert.Empty(endless.Epochs);
    }

    /// <summary>An epoch log written on demand: epoch k ends k + 1 seconds after 2024-01-01 00:00; null rows: no end.</summary>
    private sealed class GeneratedLog(int? rows) : TextReader
    {
        private string _pending = EpochLog.Header + "\n";
        private int _position;
        private int _next;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (_position == _pending.Length)
            {
                if (_next == rows)
                {
                    return 0;
                }

                Assert.True(_next < EpochLog.MaxEpochs + 10_000, "the reader went on reading far past the epoch limit");
                _pending = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_next},{new DateTime(2024, 1, 1).AddSeconds(_next + 1):yyyy-MM-ddTHH:mm:ss}\n");
                _position = 0;
                _next++;
            }

            int n = Math.Min(buffer.Length, _pending.Length - _position);
            _pending.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read() => throw new NotSupportedException();

        public override int Peek() => throw new NotSupportedException();
    }

    [Fact]
    public void Should_Round_Trip_What_It_Writes_In_Any_Culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var ends = new[] { new DateTime(2026, 3, 2, 9, 0, 1, 250), new DateTime(2026, 3, 2, 9, 1, 2, 500) };
            var writer = new StringWriter();
            EpochLog.Write(writer, ends);
            Assert.Equal("epoch,end_time\n0,2026-03-02T09:00:01.250\n1,2026-03-02T09:01:02.500\n", writer.ToString());
            Assert.Equal(ends, Read(writer.ToString()).Epochs.Select(e => e.End));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
