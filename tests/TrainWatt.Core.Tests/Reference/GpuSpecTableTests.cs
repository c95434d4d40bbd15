using TrainWatt.Core.Reference;

namespace TrainWatt.Core.Tests.Reference;

public class GpuSpecTableTests
{
    private static readonly GpuSpecTable Table = GpuSpecTable.Default;

    [Fact]
    public void Every_Row_Is_Plausible_And_Sourced()
    {
        // Oracle: physical ranges for NVIDIA GPUs 2014-2025 (smallest: GTX 750 Ti 60 W, 640 cores; largest: RTX 5090
        // 575 W / 21760 cores, H200 141 GB) with margin, as stated in the brief: TDP 30-1500 W, cores > 0.
        Assert.NotEmpty(Table.Gpus);
        foreach (var g in Table.Gpus)
        {
            Assert.False(string.IsNullOrWhiteSpace(g.Source), g.Name);
            Assert.InRange(g.Year, 2014, 2026);
            Assert.InRange(g.ThermalDesignPower.Watts, 30, 1500);
            Assert.InRange(g.CudaCores, 1, 50_000);
            Assert.InRange(g.MemoryGigabytes, 1, 200);
            Assert.True(g.BaseClockMegahertz is null || g.BaseClockMegahertz < g.BoostClockMegahertz, $"{g.Name}: base clock must be below boost clock");
        }
    }

    [Fact]
    public void Fp32_Peak_Equals_Two_Flops_Per_Core_Per_Boost_Cycle()
    {
        // Oracle: hand derivation — one FMA (2 FLOPs) per CUDA core per clock, so FP32 = 2 x cores x boost clock.
        // Datasheets round (Tesla P4 lists 5.5 TFLOPS against 5.70 computed), so allow 5 %.
        foreach (var g in Table.Gpus)
        {
            double computed = 2.0 * g.CudaCores * g.BoostClockMegahertz / 1e6;
            Assert.True(Math.Abs(g.Fp32Teraflops - computed) <= 0.05 * computed, $"{g.Name}: {g.Fp32Teraflops} vs 2 x cores x boost = {computed:0.00}");
        }
    }

    [Fact]
    public void Names_Are_Unique()
    {
        // Oracle: a lookup must be unambiguous, so no two rows share a name.
        Assert.Equal(Table.Gpus.Count, Table.Gpus.Select(g => g.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    // Oracle: issue 6 — all NVIDIA data-centre and GeForce GPUs since Pascal (one representative per family here),
    // plus the paper's GTX 750 Ti.
    [InlineData("Tesla P100 PCIe 16GB")] [InlineData("Tesla V100 SXM2 16GB")] [InlineData("Tesla T4")] [InlineData("A100 SXM4 80GB")]
    [InlineData("A10")] [InlineData("A30")] [InlineData("A40")] [InlineData("L4")] [InlineData("L40")] [InlineData("L40S")]
    [InlineData("H100 PCIe")] [InlineData("H100 SXM5")] [InlineData("H100 NVL")] [InlineData("H200 SXM")]
    [InlineData("GTX 1080 Ti")] [InlineData("GTX 1660 Ti")] [InlineData("RTX 2080 Ti")] [InlineData("RTX 3090")]
    [InlineData("RTX 4090")] [InlineData("RTX 5090")] [InlineData("GTX 750 Ti")] [InlineData("RTX A6000")]
    public void Should_Cover_The_Families_The_Issue_Names(string name)
    {
        Assert.Equal(name, Table.Find(name).Name);
    }

    [Fact]
    public void The_Papers_Three_Gpus_Match_Its_Spec_Table()
    {
        // Oracle: ../shared/docs/paper-notes.md section 1.1 (gpu_specs.py): cores, memory GB, spec TDP W.
        var gtx = Table.Find("GTX 750 Ti");
        Assert.Equal((640, 2.0, 60.0), (gtx.CudaCores, gtx.MemoryGigabytes, gtx.ThermalDesignPower.Watts));
        var rtx3070 = Table.Find("RTX 3070");
        Assert.Equal((5888, 8.0, 220.0), (rtx3070.CudaCores, rtx3070.MemoryGigabytes, rtx3070.ThermalDesignPower.Watts)); // spec 220 W, not nvidia-smi's 240 W
        var rtx3090 = Table.Find("RTX 3090");
        Assert.Equal((10496, 24.0, 350.0, 936.0), (rtx3090.CudaCores, rtx3090.MemoryGigabytes, rtx3090.ThermalDesignPower.Watts, rtx3090.BandwidthGigabytesPerSecond));
    }

    [Theory]
    [InlineData("RTX 3090", "RTX 3090")]
    [InlineData("rtx3090", "RTX 3090")]
    [InlineData("NVIDIA GeForce RTX 3090", "RTX 3090")]
    [InlineData("GeForce RTX 3090", "RTX 3090")]
    [InlineData("3090", "RTX 3090")]
    [InlineData("3090 Ti", "RTX 3090 Ti")]
    [InlineData("NVIDIA H100 80GB HBM3", "H100 SXM5")]
    [InlineData("NVIDIA H100 PCIe", "H100 PCIe")]
    [InlineData("NVIDIA A100-SXM4-80GB", "A100 SXM4 80GB")]
    [InlineData("Tesla V100-SXM2-16GB", "Tesla V100 SXM2 16GB")]
    [InlineData("Tesla T4", "Tesla T4")]
    [InlineData("T4", "Tesla T4")]
    [InlineData("NVIDIA GeForce GTX 750 Ti", "GTX 750 Ti")]
    [InlineData("l40s", "L40S")]
    [InlineData("L40", "L40")]
    [InlineData("A6000", "RTX A6000")]
    public void Should_Find_Tolerant_Spellings(string query, string expected)
    {
        // Oracle: the nvidia-smi names (--query-gpu=name) NVIDIA drivers report for these boards, and the short forms
        // users type; each identifies exactly one row.
        Assert.Equal(expected, Table.Find(query).Name);
    }

    [Fact]
    public void An_Ambiguous_Name_Lists_Every_Match()
    {
        var ex = Assert.Throws<ReferenceLookupException>(() => Table.Find("A100"));
        // Oracle: the table holds four A100 boards (PCIe/SXM4 x 40/80 GB), in file order.
        Assert.Equal("GPU name \"A100\" is ambiguous: it matches A100 PCIe 40GB, A100 PCIe 80GB, A100 SXM4 40GB, A100 SXM4 80GB. Give one of these names.", ex.Message);
        Assert.False(Table.TryFind("A100", out _));
    }

    [Fact]
    public void An_Unknown_Name_Lists_Five_Close_Names()
    {
        var ex = Assert.Throws<ReferenceLookupException>(() => Table.Find("RTX 3095"));
        // Oracle: "rtx3095" is one substitution from "rtx3090" and two from rtx3050/3060/3070/3080; ties keep file order.
        Assert.Equal(["RTX 3090", "RTX 3050", "RTX 3060", "RTX 3070", "RTX 3080 10GB"], ex.Suggestions);
        Assert.Equal(
            "Unknown GPU \"RTX 3095\". Closest matches: RTX 3090, RTX 3050, RTX 3060, RTX 3070, RTX 3080 10GB. List the table with 'trainwatt gpus', or give cores, memory and TDP directly.",
            ex.Message);
    }

    [Fact]
    public void A_Name_Of_More_Than_200_Letters_And_Digits_Is_Refused_Without_A_Search_And_Shown_Cut()
    {
        // A 100 KB name took about 3 s (edit distance to every name and alias) and was quoted whole in the message.
        string name = "RT" + new string('9', 100_000);
        var ex = Assert.Throws<ReferenceLookupException>(() => Table.Find(name));
        Assert.Empty(ex.Suggestions);
        Assert.Equal(
            "Unknown GPU \"RT" + new string('9', 58) + "... (100,002 characters)\": a GPU name has at most 200 letters and digits. " +
            "Give the name nvidia-smi shows (e.g. NVIDIA GeForce RTX 3090) or a part of it (3090); list the table with 'trainwatt gpus'.",
            ex.Message);
        Assert.False(Table.TryFind(name, out _));

        // The limit counts what matching compares: 200 letters and digits are searched (and suggestions made) as before,
        // and spaces or punctuation around a known name do not count.
        var atLimit = Assert.Throws<ReferenceLookupException>(() => Table.Find(new string('x', 200)));
        Assert.Equal(5, atLimit.Suggestions.Count);
        Assert.StartsWith("Unknown GPU \"" + new string('x', 60) + "... (200 characters)\". Closest matches: ", atLimit.Message, StringComparison.Ordinal);
        Assert.Equal("RTX 3090", Table.Find("RTX 3090" + new string(' ', 1_000)).Name);
    }

    [Fact]
    public void Search_Returns_Every_Row_Containing_The_Text()
    {
        // Oracle: the table's RTX 40-series rows: 4060, 4060 Ti 8/16GB, 4070, 4070 Super, 4070 Ti, 4070 Ti Super, 4080, 4080 Super, 4090.
        var rows = Table.Search("RTX 40");
        Assert.Equal(10, rows.Count);
        Assert.All(rows, g => Assert.StartsWith("RTX 40", g.Name));
        Assert.Empty(Table.Search("Radeon"));
    }

    [Fact]
    public void Duplicate_Aliases_Are_Rejected_With_The_Line()
    {
        string header = string.Join(",", "name", "aliases", "segment", "architecture", "cuda_cores", "memory_gb", "memory_type", "bandwidth_gbs", "base_clock_mhz", "boost_clock_mhz", "tdp_w", "fp32_tflops", "fp16_tflops", "fp16_kind", "year", "source");
        string csv = header + "\n"
            + "RTX 3090,NVIDIA GeForce RTX 3090,geforce,Ampere,10496,24,GDDR6X,936,1395,1695,350,35.58,142.3,tensor,2020,x\n"
            + "RTX 3090 Ti,rtx-3090,geforce,Ampere,10752,24,GDDR6X,1008,1560,1860,450,40,160,tensor,2022,x\n";
        var ex = Assert.Throws<ReferenceDataException>(() => GpuSpecTable.Parse(new StringReader(csv), "g.csv"));
        // Oracle: "rtx-3090" compacts to "rtx3090", the name of the row on line 2; the clash is on line 3.
        Assert.Equal("g.csv:3: column 'aliases': \"rtx-3090\" is already the name or an alias of RTX 3090; names and aliases must be unique.", ex.Message);
    }
}
