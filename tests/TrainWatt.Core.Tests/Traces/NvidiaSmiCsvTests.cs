using System.IO.Compression;
using System.Text;
using TrainWatt.Core.Traces;

namespace TrainWatt.Core.Tests.Traces;

/// <summary>
/// The reader on small inline traces. Oracle for every expected value: the input text itself (the numbers are read
/// off the lines by hand; nvidia-smi formats as documented in `nvidia-smi --help-query-gpu`).
/// </summary>
public class NvidiaSmiCsvTests
{
    private const string NvidiaHeader =
        "timestamp, name, utilization.gpu [%], utilization.memory [%], memory.total [MiB], memory.used [MiB], power.draw [W], power.max_limit [W], temperature.gpu";

    private const string RenamedHeader =
        "timestamp,gpu_name,gpu_usage,gpu_memory_usage,gpu_total_memory,gpu_memory_used,gpu_power_draw,gpu_max_power,gpu_temperature";

    internal static TraceReadResult ReadText(string text, string name = "t.csv", TraceReadOptions? options = null)
        => NvidiaSmiCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, options);

    internal static byte[] Gzip(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }

        return ms.ToArray();
    }

    [Fact]
    public void Should_Read_Nvidia_Smi_Header_With_Units_In_Values()
    {
        var result = ReadText(NvidiaHeader + "\n" +
            "2023/03/02 09:00:30.840, NVIDIA GeForce RTX 3070, 10 %, 5 %, 8192 MiB, 7375 MiB, 23.39 W, 240.00 W, 40\n" +
            "2023/03/02 09:00:31.857, NVIDIA GeForce RTX 3070, 0 %, 2 %, 8192 MiB, 7375 MiB, 23.81 W, 240.00 W, 41\n");

        Assert.Empty(result.Faults);
        var trace = Assert.Single(result.Devices);
        Assert.Equal("0", trace.Device);
        Assert.Equal("NVIDIA GeForce RTX 3070", trace.GpuName);
        Assert.Equal(2, trace.Samples.Count);
        var s = trace.Samples[0];
        Assert.Equal(new DateTime(2023, 3, 2, 9, 0, 30, 840), s.Timestamp);
        Assert.Equal(DateTimeKind.Unspecified, s.Timestamp.Kind);
        Assert.Equal(23.39, s.Power!.Value.Watts);
        Assert.Equal(10.0, s.UtilizationPercent);
        Assert.Equal(7375.0, s.MemoryUsedMiB);
        Assert.Equal(240.0, s.PowerLimit!.Value.Watts);
        Assert.Equal(40.0, s.TemperatureCelsius);
        Assert.Equal(2, s.Line);
        Assert.Equal(3, trace.Samples[1].Line);
        Assert.Equal(23.81, trace.Samples[1].Power!.Value.Watts);
    }

    [Fact]
    public void Should_Read_Renamed_Seaa_Header_With_Dash_Timestamps()
    {
        // Lines as in the SEAA 2023 cloud traces (gpu-power-20221205T095541.csv.gz, first two samples).
        var result = ReadText(RenamedHeader + "\n" +
            "2022-12-05 09:55:42.535,NVIDIA GeForce RTX 3090,0 %,0 %,24268 MiB,23573 MiB,119.17 W,350.00 W,55\n" +
            "2022-12-05 09:55:43.536,NVIDIA GeForce RTX 3090,0 %,0 %,24268 MiB,23573 MiB,118.97 W,350.00 W,55\n");

        Assert.Empty(result.Faults);
        var trace = Assert.Single(result.Devices);
        Assert.Equal("NVIDIA GeForce RTX 3090", trace.GpuName);
        Assert.Equal(new DateTime(2022, 12, 5, 9, 55, 42, 535), trace.Samples[0].Timestamp);
        Assert.Equal(119.17, trace.Samples[0].Power!.Value.Watts);
        Assert.Equal(350.0, trace.Samples[0].PowerLimit!.Value.Watts);
        Assert.Equal(23573.0, trace.Samples[0].MemoryUsedMiB);
        Assert.Equal(0.0, trace.Samples[0].UtilizationPercent);
    }

    [Fact]
    public void Should_Find_Columns_By_Name_In_Any_Order_And_Accept_Nounits()
    {
        var result = ReadText("power.draw [W], temperature.gpu, timestamp, utilization.gpu [%]\n" +
            "150.5, 60, 2024/01/01 00:00:00.000, 99\n");

        Assert.Empty(result.Faults);
        var s = Assert.Single(Assert.Single(result.Devices).Samples);
        Assert.Equal(150.5, s.Power!.Value.Watts);
        Assert.Equal(60.0, s.TemperatureCelsius);
        Assert.Equal(99.0, s.UtilizationPercent);
        Assert.Equal(new DateTime(2024, 1, 1), s.Timestamp);
        Assert.Null(s.MemoryUsedMiB);
    }

    [Fact]
    public void Should_Map_NA_And_Not_Supported_To_Null_Not_Zero()
    {
        var result = ReadText("timestamp, power.draw [W], utilization.gpu [%], temperature.gpu\n" +
            "2024/01/01 00:00:00.000, [N/A], [Not Supported], 40\n" +
            "2024/01/01 00:00:01.000, 70.00 W, 5 %, [N/A]\n");

        Assert.Empty(result.Faults);
        var samples = Assert.Single(result.Devices).Samples;
        Assert.Null(samples[0].Power);
        Assert.Null(samples[0].UtilizationPercent);
        Assert.Equal(70.0, samples[1].Power!.Value.Watts);
        Assert.Null(samples[1].TemperatureCelsius);
    }

    [Fact]
    public void Should_Split_Interleaved_Multi_Gpu_Lines_Per_Index()
    {
        var result = ReadText("timestamp, index, name, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, 0, A100, 100.00 W\n" +
            "2024/01/01 00:00:00.000, 1, A100, 200.00 W\n" +
            "2024/01/01 00:00:00.000, 10, H100, 300.00 W\n" +
            "2024/01/01 00:00:01.000, 0, A100, 110.00 W\n" +
            "2024/01/01 00:00:01.000, 1, A100, 210.00 W\n" +
            "2024/01/01 00:00:01.000, 10, H100, 310.00 W\n");

        Assert.Empty(result.Faults);
        // Ordered numerically: "10" after "1".
        Assert.Equal(["0", "1", "10"], result.Devices.Select(d => d.Device));
        Assert.Equal([100.0, 110.0], result.Devices[0].Samples.Select(s => s.Power!.Value.Watts));
        Assert.Equal([200.0, 210.0], result.Devices[1].Samples.Select(s => s.Power!.Value.Watts));
        Assert.Equal([300.0, 310.0], result.Devices[2].Samples.Select(s => s.Power!.Value.Watts));
        Assert.Equal("H100", result.Devices[2].GpuName);
        Assert.Equal([4, 7], result.Devices[2].Samples.Select(s => s.Line));
    }

    [Fact]
    public void Should_Split_By_Pci_Bus_Id_When_There_Is_No_Index()
    {
        var result = ReadText("timestamp, pci.bus_id, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, 00000000:3B:00.0, 100.00 W\n" +
            "2024/01/01 00:00:00.000, 00000000:86:00.0, 200.00 W\n");

        Assert.Equal(["00000000:3B:00.0", "00000000:86:00.0"], result.Devices.Select(d => d.Device));
    }

    [Fact]
    public void Should_Report_And_Skip_A_Half_Written_Last_Line()
    {
        // As in SEAA cloud/resnet50/gpu-power-20230309T000454: the logger was killed mid-line, no line end.
        var result = ReadText(NvidiaHeader + "\n" +
            "2023/03/09 00:35:35.928, NVIDIA GeForce RTX 3090, 83 %, 41 %, 24268 MiB, 23655 MiB, 327.04 W, 350.00 W, 65\n" +
            "2023/03/09 00:35:36.929, NVIDIA GeForc");

        var fault = Assert.Single(result.Faults);
        Assert.Equal(FaultKind.TruncatedLine, fault.Kind);
        Assert.Equal(3, fault.Line);
        Assert.Equal("t.csv", fault.File);
        Assert.False(result.IsFatal);
        Assert.Single(Assert.Single(result.Devices).Samples);
    }

    [Fact]
    public void Should_Keep_A_Complete_Last_Line_Without_Line_End()
    {
        // Every field present and valid: nvidia-smi was stopped just before writing '\n' (3 SEAA files end so).
        var result = ReadText("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10.00 W\n2024/01/01 00:00:01.000, 20.00 W");

        Assert.Empty(result.Faults);
        Assert.Equal(2, Assert.Single(result.Devices).Samples.Count);
    }

    [Fact]
    public void Should_Report_Garbage_And_Unparsable_Lines_With_Their_Line_Numbers_And_Keep_The_Rest()
    {
        var result = ReadText("timestamp, power.draw [W], temperature.gpu\r\n" +
            "2024/01/01 00:00:00.000, 10.00 W, 40\r\n" +
            "### some log message\r\n" +
            "2024/01/01 00:00:02.000, 12.3.4 W, 40\r\n" +
            "2024/13/01 00:00:03.000, 13.00 W, 40\r\n" +
            "2024/01/01 00:00:04.000, 14.00 mW, 40\r\n" +
            "2024/01/01 00:00:05.000, NaN W, 40\r\n" +
            "2024/01/01 00:00:06.000, 16.00 W, hot\r\n" +
            "\r\n" +
            "2024/01/01 00:00:07.000, 17.00 W, 41\r\n");

        Assert.Equal(
            [(FaultKind.Garbage, 3), (FaultKind.UnparsableValue, 4), (FaultKind.UnparsableValue, 5), (FaultKind.UnparsableValue, 6),
             (FaultKind.UnparsableValue, 7), (FaultKind.UnparsableValue, 8)],
            result.Faults.Select(f => (f.Kind, f.Line)));
        Assert.Contains("power.draw [W]", result.Faults[1].Message);
        Assert.Contains("12.3.4 W", result.Faults[1].Message);
        Assert.Contains("temperature.gpu", result.Faults[5].Message);
        Assert.Equal([10.0, 17.0], Assert.Single(result.Devices).Samples.Select(s => s.Power!.Value.Watts));
        Assert.Equal([2, 10], result.Devices[0].Samples.Select(s => s.Line));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_Tell_A_Progress_Sink_The_Input_Bytes_Read_Up_To_The_Whole_File(bool gzip)
    {
        // Oracle: the bytes of the input (compressed bytes for gzip), the last report being its whole length.
        string text = "timestamp, power.draw [W]\n" + string.Concat(Enumerable.Range(0, 5000).Select(k => $"2024/01/01 00:{k / 60 % 60:00}:{k % 60:00}.000, 10.00 W\n"));
        byte[] bytes = gzip ? Gzip(text) : Encoding.UTF8.GetBytes(text);
        var sink = new ProgressSink();

        var scan = NvidiaSmiCsv.Scan(new MemoryStream(bytes), "t.csv", sink);

        Assert.Equal(5000, scan.Samples);
        Assert.Equal(bytes.Length, sink.Reports[^1]);
        Assert.True(sink.Reports.Count > 1 || bytes.Length < 64 * 1024, "several reports for a file of several blocks");
        Assert.Equal(sink.Reports.Order(), sink.Reports);
    }

    private sealed class ProgressSink : ITraceSampleSink, ITraceReadProgress
    {
        public List<long> Reports { get; } = [];

        public void OnSample(string device, string? gpuName, in GpuSample sample)
        {
        }

        public void OnBytesRead(long total) => Reports.Add(total);
    }

    [Fact]
    public void Should_Read_Gzip_Detected_By_Magic_Bytes_Not_By_Name()
    {
        byte[] gz = Gzip("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10.00 W\n");
        var result = NvidiaSmiCsv.Read(new MemoryStream(gz), "named-plain.csv");

        Assert.Empty(result.Faults);
        Assert.Equal(10.0, Assert.Single(Assert.Single(result.Devices).Samples).Power!.Value.Watts);

        // And a plain file named .gz is read as plain text.
        var plain = ReadText("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 11.00 W\n", "named.csv.gz");
        Assert.Equal(11.0, Assert.Single(Assert.Single(plain.Devices).Samples).Power!.Value.Watts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Should_Reject_A_Truncated_Gzip_As_Fatal(int bytesCut)
    {
        var text = new StringBuilder("timestamp, power.draw [W]\n");
        for (int i = 0; i < 500; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"2024/01/01 00:{i / 60:00}:{i % 60:00}.000, {100 + (i % 7)}.25 W\n");
        }

        byte[] gz = Gzip(text.ToString());
        var result = NvidiaSmiCsv.Read(new MemoryStream(gz[..^bytesCut]), "cut.csv.gz");

        Assert.True(result.IsFatal);
        Assert.Empty(result.Devices);
        var fault = Assert.Single(result.Faults);
        Assert.Contains("cut.csv.gz", fault.ToString());
        Assert.Contains("truncated or corrupt gzip", fault.Message);
    }

    [Fact]
    public void Should_Reject_Corrupt_Gzip_As_Fatal()
    {
        byte[] gz = Gzip("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10.00 W\n");
        for (int i = 12; i < gz.Length - 8; i++)
        {
            gz[i] ^= 0x5A;
        }

        var result = NvidiaSmiCsv.Read(new MemoryStream(gz), "bad.gz");

        Assert.True(result.IsFatal);
        Assert.Contains("gzip", Assert.Single(result.Faults).Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n", "no header line")]
    [InlineData("timestamp, power.draw [W]\n", "header but no data lines")]
    [InlineData("timestamp, utilization.gpu [%]\n2024/01/01 00:00:00.000, 5 %\n", "no power.draw [W] column")]
    [InlineData("name, power.draw [W]\nA100, 5 W\n", "no timestamp column")]
    [InlineData("2024/01/01 00:00:00.000, 5 W\n", "--format=csv,noheader")]
    [InlineData("timestamp, power.draw [W]\nxx\nyy\n", "all 2 data lines were rejected")]
    public void Should_Give_One_Fatal_Fault_Naming_The_File_For_Unusable_Input(string text, string expected)
    {
        var result = ReadText(text, "bad.csv");

        Assert.True(result.IsFatal);
        Assert.Empty(result.Devices);
        var fault = Assert.Single(result.Faults);
        Assert.Equal(FaultKind.Fatal, fault.Kind);
        Assert.Equal("bad.csv", fault.File);
        Assert.Contains(expected, fault.Message);
    }

    [Fact]
    public void Should_Reject_Binary_Garbage_As_Fatal()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x7F; // not the gzip magic
        var result = NvidiaSmiCsv.Read(new MemoryStream(bytes), "noise.bin");

        Assert.True(result.IsFatal);
        Assert.Contains("not a text CSV file", Assert.Single(result.Faults).Message);
    }

    [Fact]
    public void Should_Report_A_Missing_File_As_Fatal_Not_Throw()
    {
        var result = NvidiaSmiCsv.ReadFile(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.csv"));

        Assert.True(result.IsFatal);
        Assert.Contains("does not exist", Assert.Single(result.Faults).Message);
    }

    [Fact]
    public void Should_Cap_The_Listed_Faults_And_Count_The_Rest()
    {
        var text = new StringBuilder("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10.00 W\n");
        for (int i = 0; i < 25; i++)
        {
            text.Append("garbage\n");
        }

        var result = ReadText(text.ToString(), options: new TraceReadOptions { MaxListedFaults = 10 });

        Assert.Equal(11, result.Faults.Count);
        Assert.Contains("15 more faulty lines", result.Faults[^1].Message);
    }

    [Fact]
    public void Should_Keep_Only_The_Integer_Part_Of_Power_In_Parity_Mode()
    {
        // SEAA 2023 parity: "156.98 W" is read as 156 W (README of the data set, "How the authors' energy was computed").
        var result = ReadText("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 156.98 W\n2024/01/01 00:00:01.000, 99.999 W\n",
            options: new TraceReadOptions { PowerParsing = PowerParsing.IntegerPart });

        Assert.Equal([156.0, 99.0], Assert.Single(result.Devices).Samples.Select(s => s.Power!.Value.Watts));
    }

    [Fact]
    public void Should_Read_Lines_Longer_Than_The_Internal_Buffer_Across_Chunks()
    {
        // 70 000 samples (~2.5 MB) cross many 64 K-char buffer refills; every line must survive the boundaries.
        var text = new StringBuilder("timestamp, power.draw [W]\n");
        for (int i = 0; i < 70_000; i++)
        {
            var t = new DateTime(2024, 1, 1).AddSeconds(i);
            text.Append(t.ToString("yyyy/MM/dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append(", ")
                .Append((i % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(".50 W\n");
        }

        var result = ReadText(text.ToString());

        Assert.Empty(result.Faults);
        var samples = Assert.Single(result.Devices).Samples;
        Assert.Equal(70_000, samples.Count);
        Assert.Equal(999.5, samples[999].Power!.Value.Watts);
        Assert.Equal(new DateTime(2024, 1, 1).AddSeconds(69_999), samples[^1].Timestamp);
    }
}
