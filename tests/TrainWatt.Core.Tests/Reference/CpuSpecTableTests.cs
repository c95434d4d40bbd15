using TrainWatt.Core.Reference;

namespace TrainWatt.Core.Tests.Reference;

/// <summary>data/cpus.csv and its lookup by /proc/cpuinfo model names (oracle: the rows of data/cpus.csv).</summary>
public class CpuSpecTableTests
{
    [Theory]
    [InlineData("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "Xeon Platinum 8380")]
    [InlineData("AMD EPYC 7742 64-Core Processor", "EPYC 7742")]
    [InlineData("13th Gen Intel(R) Core(TM) i9-13900K", "Core i9-13900K")]
    [InlineData("AMD Ryzen 9 5950X 16-Core Processor", "Ryzen 9 5950X")]
    [InlineData("Intel(R) Xeon(R) Platinum 8480+", "Xeon Platinum 8480+")]
    [InlineData("Intel(R) Xeon(R) CPU E5-2698 v4 @ 2.20GHz", "Xeon E5-2698 v4")]
    public void Finds_The_Row_Of_A_Cpuinfo_Model_Name(string modelName, string expected)
        => Assert.Equal(expected, CpuSpecTable.Default.Match(modelName)?.Name);

    [Theory]
    [InlineData("AMD EPYC")]                                   // what this project's build VM reports: no model number
    [InlineData("Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz")] // a cloud-only part, not on the vendor's pages
    [InlineData("")]
    [InlineData(null)]
    public void Matches_No_Row_Without_The_Parts_Own_Words(string? modelName)
        => Assert.Null(CpuSpecTable.Default.Match(modelName));

    [Fact]
    public void Every_Row_Has_A_Source_A_Year_And_Per_Core_Figures()
    {
        var table = CpuSpecTable.Default;
        Assert.True(table.Cpus.Count >= 30);
        Assert.All(table.Cpus, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Source));
            Assert.InRange(c.Year, 2016, 2025);
            Assert.InRange(c.Threads, c.Cores, 2 * c.Cores);
        });

        // Xeon Platinum 8380: 270 W over 40 cores = 6.75 W per core, over 80 threads = 3.375 W per thread.
        var xeon = table.Cpus.Single(c => c.Name == "Xeon Platinum 8380");
        Assert.Equal(6.75, xeon.PerCore.Watts, 12);
        Assert.Equal(3.375, xeon.PerThread.Watts, 12);
    }

    [Fact]
    public void A_Broken_Row_Names_Its_Line_And_Column()
    {
        const string csv = "name,vendor,segment,cores,threads,tdp_w,year,source\nX 1,Intel,server,8,16,95,2019,page\nX 2,Intel,server,8,4,95,2019,page\n";
        var e = Assert.Throws<ReferenceDataException>(() => CpuSpecTable.Parse(new StringReader(csv), "cpus.csv"));
        Assert.Contains("cpus.csv:3", e.Message);
        Assert.Contains("threads", e.Message);
    }
}
