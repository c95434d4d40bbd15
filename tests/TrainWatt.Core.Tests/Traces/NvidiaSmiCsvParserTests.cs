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
