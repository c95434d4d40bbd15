using TrainWatt.Meters.Procfs;

namespace TrainWatt.Meters.Tests.Procfs;

public sealed class ProcParserTests
{
    [Fact]
    public void Should_Parse_Stat_With_Spaces_And_Parentheses_In_The_Command()
    {
        // Oracle: proc(5) field numbers: 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime, 24 rss.
        const string line = "4242 (python (train) x) R 4000 4242 4000 34816 4242 4194304 5000 0 0 0 731 42 7 3 20 0 12 0 98765 2147483648 123456 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 5 0 0 0 0 0";
        Assert.True(ProcParser.TryParseProcessStat(line, out var s));
        Assert.Equal(new ProcessStat(4242, 4000, 731, 42, 7, 3, 123456), s);
        Assert.Equal(731 + 42 + 7 + 3, s.TotalTicks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("12 (x) S 1 2 3")]
    public void Should_Reject_Text_That_Is_Not_A_Stat_Line(string text)
        => Assert.False(ProcParser.TryParseProcessStat(text, out _));

    [Fact]
    public void Should_Parse_System_Cpu_Line_And_Count_Cpus()
    {
        // Hand derivation: busy = user 10 + nice 1 + system 5 + irq 2 + softirq 3 + steal 4 = 25; total = 25 + idle 70 + iowait 6 = 101.
        const string text = "cpu  10 1 5 70 6 2 3 4 8 0\ncpu0 5 0 2 35 3 1 1 2 4 0\ncpu1 5 1 3 35 3 1 2 2 4 0\nintr 1\n";
        Assert.True(ProcParser.TryParseSystemStat(text, out var s));
        Assert.Equal(new SystemCpuStat(25, 101, 2), s);
    }
}
