using System.IO.Compression;
using System.Text;
using TrainWatt.Core.Traces;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Traces;

/// <summary>
/// The SEAA process-trace reader on small inline traces. Oracle: the input text itself (values read off the lines by
/// hand; the format is the one in ../shared/data/seaa2023/README.md: timestamp, cpu usage (%), memory usage (MB),
/// temperature (Celsius)).
/// </summary>
public class ProcessTraceCsvTests
{
    private const string Header = "timestamp,cpu usage (%),memory usage (MB),temperature (Celsius)";

    [Fact]
    public void Should_Read_Rows_With_Microsecond_Timestamps()
    {
        var result = ProcessTraceCsv.Parse("p.csv", Header + "\n2022-12-05T09:55:44.557223,0.0,12231.543,32.0\n2022-12-05T09:55:45.568129,3.587,12234.051,33.0\n");

        Assert.Empty(result.Faults);
        Assert.Equal(2, result.Samples.Count);
        Assert.Equal(new DateTime(2022, 12, 5, 9, 55, 44).AddTicks(5_572_230), result.Samples[0].Timestamp);
        Assert.Equal(new ProcessSample(new DateTime(2022, 12, 5, 9, 55, 45).AddTicks(5_681_290), 3.587, 12234.051, 33.0, 3), result.Samples[1]);
        Assert.Equal(result.Samples[0].Timestamp, result.First);
        Assert.Equal(result.Samples[1].Timestamp, result.Last);
    }

    [Fact]
    public void Should_Find_Columns_By_Name_In_Any_Order_And_Keep_Missing_Values_Null()
    {
        var result = ProcessTraceCsv.Parse("p.csv", "memory usage (MB),timestamp\n100.5,2022-12-05 09:55:44.5\n,2022-12-05 09:55:45.5\n");

        Assert.Empty(result.Faults);
        Assert.Equal(100.5, result.Samples[0].MemoryMegabytes);
        Assert.Null(result.Samples[0].CpuPercent);
        Assert.Null(result.Samples[1].MemoryMegabytes);
    }

    [Fact]
    public void Should_Report_A_Half_Written_Last_Line_And_Garbage_With_Their_Lines()
    {
        var result = ProcessTraceCsv.Parse("p.csv", Header + "\n2022-12-05T09:55:44.5,1,2,3\nnot,a,row\n2022-12-05T09:55:45.5,1,x,3\n2022-12-05T09:55:46.5,1,2,3\n2022-12-05T09:55:47.5,1.2");

        Assert.Equal(2, result.Samples.Count);
        Assert.Equal(
            [(FaultKind.Garbage, 3), (FaultKind.UnparsableValue, 4), (FaultKind.TruncatedLine, 6)],
            result.Faults.Select(f => (f.Kind, f.Line)));
        Assert.All(result.Faults, f => Assert.Equal("p.csv", f.File));
    }

    [Theory]
    // Oracle: the text itself; each format the SEAA logger or nvidia-smi writes, with 0 to 7 fraction digits.
    [InlineData("2022-12-05T09:55:44", 0L)]
    [InlineData("2022-12-05T09:55:44.5", 5_000_000L)]
    [InlineData("2022-12-05 09:55:44.557", 5_570_000L)]
    [InlineData("2022/12/05 09:55:44.5572239", 5_572_239L)]
    public void Should_Parse_Every_Timestamp_Style_Exactly(string stamp, long fractionTicks)
    {
        var result = ProcessTraceCsv.Parse("p.csv", $"timestamp,cpu usage (%)\n{stamp},1\n");

        Assert.Empty(result.Faults);
        Assert.Equal(new DateTime(2022, 12, 5, 9, 55, 44).AddTicks(fractionTicks), Assert.Single(result.Samples).Timestamp);
    }

    [Theory]
    [InlineData("2022-13-05T09:55:44.5")]
    [InlineData("2022-02-30T09:55:44.5")]
    [InlineData("2022-12-05T24:00:00.0")]
    [InlineData("2022-12-05T09:55:4x.5")]
    [InlineData("2022-12-05T09:55")]
    public void Should_Reject_Impossible_Timestamps_As_Unparsable(string stamp)
    {
        var result = ProcessTraceCsv.Parse("p.csv", $"timestamp,cpu usage (%)\n2022-12-05T09:55:43.0,1\n{stamp},1\n");

        Assert.Single(result.Samples);
        Assert.Equal((FaultKind.UnparsableValue, 3), (Assert.Single(result.Faults).Kind, result.Faults[0].Line));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(Header + "\n", "no usable rows")]
    [InlineData("time,cpu\n1,2\n", "no 'timestamp' column")]
    public void Should_Give_One_Fatal_Fault_For_Unusable_Text(string text, string expected)
    {
        var result = ProcessTraceCsv.Parse("p.csv", text);

        Assert.True(result.IsFatal);
        Assert.Empty(result.Samples);
        Assert.Contains(expected, Assert.Single(result.Faults, f => f.Kind == FaultKind.Fatal).Message);
    }

    [Fact]
    public void Should_Read_Gzip_By_Magic_Bytes_And_Report_Truncated_Gzip_As_Fatal()
    {
        using var temp = new TempDirectory();
        byte[] gz = Gzip(Header + "\n2022-12-05T09:55:44.5,1,2,3\n");
        File.WriteAllBytes(temp.File("trace.csv"), gz); // no .gz suffix: detection is by content
        File.WriteAllBytes(temp.File("cut.csv.gz"), gz[..(gz.Length / 2)]);

        Assert.Single(ProcessTraceCsv.ReadFile(temp.File("trace.csv")).Samples);
        var cut = ProcessTraceCsv.ReadFile(temp.File("cut.csv.gz"));
        Assert.True(cut.IsFatal);
        Assert.Contains("cannot read the file", cut.Faults[0].Message);
        Assert.True(ProcessTraceCsv.ReadFile(temp.File("missing.csv")).IsFatal);
    }

    [Fact]
    public void Should_Stream_Rows_To_A_Sink_In_Order_With_The_Window_And_The_Bytes_Read()
    {
        // Given: a gzip trace of 3 rows (oracle: the text; the bytes read end at the file's length)
        using var temp = new TempDirectory();
        string file = temp.File("p.csv.gz");
        File.WriteAllBytes(file, Gzip(Header + "\n2022-12-05T09:55:44.5,1,2,3\n2022-12-05T09:55:45.5,4,5,6\n2022-12-05T09:55:46.5,7,8,9\n"));
        var sink = new RecordingSink();

        // When
        var scan = ProcessTraceCsv.ScanFile(file, sink);

        // Then
        Assert.False(scan.IsFatal);
        Assert.Equal(3, scan.Samples);
        Assert.Equal([1.0, 4.0, 7.0], sink.Rows.Select(r => r.CpuPercent!.Value));
        Assert.Equal([2, 3, 4], sink.Rows.Select(r => r.Line));
        Assert.Equal((new DateTime(2022, 12, 5, 9, 55, 44, 500), new DateTime(2022, 12, 5, 9, 55, 46, 500)), (scan.First!.Value, scan.Last!.Value));
        Assert.Equal(new FileInfo(file).Length, sink.BytesRead);
    }

    [Fact]
    public void Should_List_The_First_100_Faults_And_Count_The_Rest_So_Garbage_Cannot_Fill_Memory()
    {
        // Given: one good row, then 250 rows with the wrong number of fields (lines 3 to 252)
        var text = new StringBuilder(Header + "\n2022-12-05T09:55:44.5,1,2,3\n");
        for (int i = 0; i < 250; i++)
        {
            text.Append("x,y\n");
        }

        var result = ProcessTraceCsv.Parse("p.csv", text.ToString());

        // Then: 100 listed (lines 3-102) and one summary for the other 150
        Assert.Single(result.Samples);
        Assert.Equal(101, result.Faults.Count);
        Assert.Equal(Enumerable.Range(3, 100), result.Faults.Take(100).Select(f => f.Line));
        Assert.Equal((FaultKind.Garbage, 0), (result.Faults[^1].Kind, result.Faults[^1].Line));
        Assert.Contains("150 more faulty lines", result.Faults[^1].Message);
    }

    [Fact]
    public void Should_Skip_A_Line_Longer_Than_A_Mebibyte_And_Read_On()
    {
        string text = Header + "\n" + new string('7', 3 * 1024 * 1024) + "\n2022-12-05T09:55:44.5,1,2,3\n";

        var result = ProcessTraceCsv.Parse("p.csv", text);

        Assert.Equal(3, Assert.Single(result.Samples).Line);
        var fault = Assert.Single(result.Faults);
        Assert.Equal((FaultKind.Garbage, 2), (fault.Kind, fault.Line));
        Assert.Contains("longer than", fault.Message);
    }

    [Fact]
    public void Should_Reject_A_Trace_With_Nul_Bytes_After_Good_Rows_As_Binary()
    {
        using var temp = new TempDirectory();
        string file = temp.File("p.csv");
        File.WriteAllText(file, Header + "\n2022-12-05T09:55:44.5,1,2,3\n\0\0\0\n");

        var result = ProcessTraceCsv.ReadFile(file);

        Assert.True(result.IsFatal);
        Assert.Empty(result.Samples);
        Assert.Contains("NUL bytes", Assert.Single(result.Faults).Message);
    }

    private sealed class RecordingSink : IProcessSampleSink, ITraceReadProgress
    {
        public List<ProcessSample> Rows { get; } = [];

        public long BytesRead { get; private set; }

        public void OnSample(in ProcessSample sample) => Rows.Add(sample);

        public void OnBytesRead(long total) => BytesRead = total;
    }

    private static byte[] Gzip(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }

        return ms.ToArray();
    }
}
