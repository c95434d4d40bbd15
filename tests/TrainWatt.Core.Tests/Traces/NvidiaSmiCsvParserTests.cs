using CsCheck;
using TrainWatt.Core.Traces;

namespace TrainWatt.Core.Tests.Traces;

/// <summary>The line-level parser as a live meter uses it: header first, then one line at a time.</summary>
public class NvidiaSmiCsvParserTests
{
    [Fact]
    public void Should_Parse_Live_Lines_One_At_A_Time()
    {
        Assert.True(NvidiaSmiCsvParser.TryCreate("timestamp, index, power.draw [W]", "nvidia-smi", null, out var parser, out _));
        Assert.True(parser.HasDeviceColumn);

        // Oracle: the line itself; "2024/05/01 12:00:00.123456" has 6 fraction digits = 1 234 560 ticks.
        Assert.True(parser.TryParseLine("2024/05/01 12:00:00.123456, 3, 250.75 W", 7, out var sample, out var device, out var fault));
        Assert.Null(fault);
        Assert.Equal("3", device);
        Assert.Equal(250.75, sample.Power!.Value.Watts);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0).AddTicks(1_234_560), sample.Timestamp);
        Assert.Equal(7, sample.Line);
    }

    [Fact]
    public void Should_Intern_Device_Keys()
    {
        var parser = NvidiaSmiCsvParser.Create("timestamp, index, power.draw [W]", "live");
        parser.TryParseLine("2024/05/01 12:00:00.000, 1, 1 W", 2, out _, out var a, out _);
        parser.TryParseLine("2024/05/01 12:00:01.000, 1, 1 W", 3, out _, out var b, out _);

        Assert.Same(a, b);
    }

    [Fact]
    public void Should_Throw_A_Format_Exception_Naming_The_Source_From_Create()
    {
        var e = Assert.Throws<FormatException>(() => NvidiaSmiCsvParser.Create("foo, bar", "live-smi"));
        Assert.Contains("live-smi", e.Message);
        Assert.Contains("timestamp", e.Message);
    }

    [Theory]
    [InlineData("2023/03/02 09:00:30.840", 2023, 3, 2, 9, 0, 30, 840)]
    [InlineData("2022-12-05 09:55:42.535", 2022, 12, 5, 9, 55, 42, 535)]
    [InlineData("2022-12-05T09:55:42.5", 2022, 12, 5, 9, 55, 42, 500)]
    [InlineData("2024-02-29 23:59:59", 2024, 2, 29, 23, 59, 59, 0)]
    public void Should_Parse_Both_Timestamp_Styles(string text, int y, int mo, int d, int h, int mi, int s, int ms)
    {
        var parser = NvidiaSmiCsvParser.Create("timestamp, power.draw [W]", "x");
        Assert.True(parser.TryParseLine($"{text}, 1 W", 2, out var sample, out _, out _));
        Assert.Equal(new DateTime(y, mo, d, h, mi, s, ms), sample.Timestamp);
    }

    [Theory]
    [InlineData("2023-02-29 00:00:00.000")]
    [InlineData("2023/03/02 24:00:00.000")]
    [InlineData("2023/03-02 09:00:30.840")]
    [InlineData("2023/03/02 09:00:30.")]
    [InlineData("2023/03/02 09:00:30.84x")]
    [InlineData("yesterday")]
    public void Should_Reject_Invalid_Timestamps(string text)
    {
        var parser = NvidiaSmiCsvParser.Create("timestamp, power.draw [W]", "x");
        Assert.False(parser.TryParseLine($"{text}, 1 W", 2, out _, out _, out var fault));
        Assert.Equal(FaultKind.UnparsableValue, fault.Kind);
        Assert.Contains("timestamp", fault.Message);
    }
}

/// <summary>Encodings, byte-level parsing and number exactness.</summary>
public class NvidiaSmiCsvEncodingTests
{
    [Theory]
    [InlineData("2024/05/01 12:00:00.250, 2, Tesla V100-SXM2-32GB, 61.07 W, 99 %", true)]
    [InlineData("2024/05/01 12:00:00.250, 2, Tesla V100-SXM2-32GB, 61.07 W, 99 %, extra", false)]
    [InlineData("2024/05/01 12:00:00.250, 2, Tesla V100-SXM2-32GB, 61.07 W, 99 %, a, b, c, d, e, f, g, h, i, j", false)]
    [InlineData("2024/05/01 12:00:00.250, 2, Tesla V100-SXM2-32GB, 61.07 W", false)]
    [InlineData("2024/05/01 12:00:00.250, 2, Tesla V100-SXM2-32GB,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,, 61.07 W, 99 %", false)]
    public void Should_Count_Fields_The_Same_On_Text_And_Utf8_Lines(string line, bool valid)
    {
        // Oracle: the header has 5 columns; the UTF-8 path splits 32 bytes at a time, the text path with IndexOf.
        var parser = NvidiaSmiCsvParser.Create("timestamp, index, name, power.draw [W], utilization.gpu [%]", "x");
        bool text = parser.TryParseLine(line, 2, out _, out _, out var textFault);
        bool utf8 = parser.TryParseUtf8Line(System.Text.Encoding.UTF8.GetBytes(line), 2, out _, out _, out _, out var utf8Fault);

        Assert.Equal(valid, text);
        Assert.Equal(valid, utf8);
        Assert.Equal(textFault?.Message, utf8Fault?.Message);
    }

    [Fact]
    public void Should_Skip_A_Utf8_Byte_Order_Mark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 7 W\n")];
        var result = NvidiaSmiCsv.Read(new MemoryStream(bytes), "bom.csv");

        Assert.Empty(result.Faults);
        Assert.Equal(7.0, Assert.Single(Assert.Single(result.Devices).Samples).Power!.Value.Watts);
    }

    [Fact]
    public void Should_Reject_Utf16_With_A_Conversion_Hint()
    {
        var bytes = System.Text.Encoding.Unicode.GetPreamble()
            .Concat(System.Text.Encoding.Unicode.GetBytes("timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 7 W\n")).ToArray();
        var result = NvidiaSmiCsv.Read(new MemoryStream(bytes), "u16.csv");

        Assert.True(result.IsFatal);
        Assert.Contains("iconv -f UTF-16", Assert.Single(result.Faults).Message);
    }

    [Fact]
    public void Should_Parse_Utf8_Lines_Like_Text_Lines()
    {
        var parser = NvidiaSmiCsvParser.Create("timestamp, index, name, power.draw [W]", "live");
        Assert.True(parser.TryParseUtf8Line("2024/05/01 12:00:00.250, 2, Tesla V100, 61.07 W"u8, 9, out var s, out var device, out var name, out _));

        Assert.Equal("2", device);
        Assert.Equal("Tesla V100", name);
        Assert.Equal(61.07, s.Power!.Value.Watts);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, 250), s.Timestamp);
    }

    [Fact]
    public void Should_Read_Power_Bit_Identical_To_Double_Parse()
    {
        // Oracle: the BCL's correctly rounded double.Parse of the same text. The reader has a fast path for short
        // decimals; it must agree to the last bit, for both the UTF-16 and the UTF-8 path. CsCheck samples on several
        // threads and a parser is not thread-safe (it reuses its buffers): one parser per sample.
        Gen.Select(Gen.Long[0, 999_999_999_999_999], Gen.Int[0, 15], Gen.Bool).Sample((mantissa, scale, negative) =>
        {
            var parser = NvidiaSmiCsvParser.Create("timestamp, power.draw [W]", "x");
            string digits = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            string text = (negative ? "-" : string.Empty) + (scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..]);
            double expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            string line = $"2024/01/01 00:00:00.000, {text} W";

            Assert.True(parser.TryParseLine(line, 2, out var s, out _, out _));
            Assert.True(parser.TryParseUtf8Line(System.Text.Encoding.UTF8.GetBytes(line), 2, out var u, out _, out _, out _));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(s.Power!.Value.Watts));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(u.Power!.Value.Watts));
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Should_Skip_A_Line_Longer_Than_One_Mebibyte_And_Read_On()
    {
        var text = "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 1 W\n" + new string('x', 1_500_000) + "\n2024/01/01 00:00:01.000, 3 W\n";
        var result = NvidiaSmiCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "long.csv");

        var fault = Assert.Single(result.Faults);
        Assert.Equal(FaultKind.Garbage, fault.Kind);
        Assert.Equal(3, fault.Line);
        // 1 s at (1 + 3)/2 W: both samples kept, with their own line numbers.
        Assert.Equal([2, 4], Assert.Single(result.Devices).Samples.Select(s => s.Line));
    }
}
