using TrainWatt.Core.Reference;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Reference;

public class ReferenceCsvParsingTests
{
    private static string ReadRepoFile(string name) => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "data", name));

    [Fact]
    public void The_Embedded_Tables_Equal_The_Files_In_Data()
    {
        // Oracle: the repository's data/*.csv files; the embedded copy must hold the same rows and values.
        var ci = CarbonIntensityTable.Parse(new StringReader(ReadRepoFile("carbon-intensity.csv")), "x");
        Assert.Equal(ci.Entries, CarbonIntensityTable.Default.Entries);
        var gpus = GpuSpecTable.Parse(new StringReader(ReadRepoFile("gpus.csv")), "x");
        Assert.Equal(
            gpus.Gpus.Select(g => (g.Name, g.CudaCores, g.ThermalDesignPower, g.Fp32Teraflops, g.Source)),
            GpuSpecTable.Default.Gpus.Select(g => (g.Name, g.CudaCores, g.ThermalDesignPower, g.Fp32Teraflops, g.Source)));
        var regions = CloudRegionTable.Parse(new StringReader(ReadRepoFile("cloud-regions.csv")), "x");
        Assert.Equal(regions.Regions, CloudRegionTable.Default.Regions);
    }

    [Fact]
    public void A_Bad_Number_Names_File_Line_And_Column()
    {
        // A copy of data/gpus.csv whose RTX 3090 TDP is "350W": the reader must stop at that line and column.
        string[] lines = ReadRepoFile("gpus.csv").Split('\n');
        int index = Array.FindIndex(lines, l => l.StartsWith("RTX 3090,", StringComparison.Ordinal));
        Assert.True(index > 0);
        lines[index] = lines[index].Replace(",350,", ",350W,", StringComparison.Ordinal);
        var ex = Assert.Throws<ReferenceDataException>(() => GpuSpecTable.Parse(new StringReader(string.Join('\n', lines)), "gpus-copy.csv"));
        // Oracle: line numbers are 1-based and the header is line 1, so array index i is line i + 1.
        Assert.Equal(index + 1, ex.Line);
        Assert.Equal("tdp_w", ex.Column);
        Assert.Equal($"gpus-copy.csv:{index + 1}: column 'tdp_w': \"350W\" is not a number; write plain decimals with a '.' separator, e.g. 12.5.", ex.Message);
    }

    [Fact]
    public void A_Comma_Decimal_Is_Rejected_Whatever_The_Culture()
    {
        // Invariant parsing: "232,5" splits into an extra field, "232,5" quoted is not a number even under de-DE.
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            const string csv = "key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,\"232,5\",lifecycle,2021,x,\n";
            var ex = Assert.Throws<ReferenceDataException>(() => CarbonIntensityTable.Parse(new StringReader(csv), "ci.csv"));
            Assert.Equal("ci.csv:2: column 'intensity_gco2e_per_kwh': \"232,5\" is not a number; write plain decimals with a '.' separator, e.g. 12.5.", ex.Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    // Each case: CSV text → exact message. Oracle: the rules stated in data/README.md.
    [InlineData("", "ci.csv: the file is empty; expected a header row: key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note.")]
    [InlineData("key,iso2,name\n", "ci.csv:1: the header lacks column(s) iso3, intensity_gco2e_per_kwh, basis, year, source, note; expected: key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note.")]
    [InlineData("key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,174,lifecycle,2023\n", "ci.csv:2: 7 field(s) where the header has 9; quote values that contain commas.")]
    [InlineData("key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,1740,lifecycle,2023,x,\n", "ci.csv:2: column 'intensity_gco2e_per_kwh': 1740 is outside the plausible range [0, 1200].")]
    [InlineData("key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,174,lifecycle,2023,,\n", "ci.csv:2: column 'source': is empty; every row needs a value here.")]
    [InlineData("key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,174,lifecycle,2023,x,\nES,ES,ESP,Spain,175,lifecycle,2023,x,\n", "ci.csv:3: column 'key': \"ES\" appears twice; keys must be unique.")]
    [InlineData("key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,174,market,2023,x,\n", "ci.csv:2: column 'basis': \"market\" must be lifecycle, direct or unspecified.")]
    [InlineData("key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,174,lifecycle,2023,\"x,\n", "ci.csv:2: a quoted value is never closed.")]
    public void Malformed_Tables_Give_One_Clear_Message(string csv, string expected)
    {
        var ex = Assert.Throws<ReferenceDataException>(() => CarbonIntensityTable.Parse(new StringReader(csv), "ci.csv"));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Quoted_Fields_With_Commas_And_Quotes_Parse()
    {
        // Oracle: RFC 4180 — a quoted field may hold commas and doubled quotes.
        const string csv = "key,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\r\nES,ES,ESP,Spain,174,lifecycle,2023,\"Ember, \"\"Yearly\"\" data\",\n";
        var table = CarbonIntensityTable.Parse(new StringReader(csv), "ci.csv");
        Assert.Equal("Ember, \"Yearly\" data", table.Find("ES").Source);
    }

    [Fact]
    public void A_Byte_Order_Mark_Before_The_Header_Is_Ignored()
    {
        // Spreadsheet editors save UTF-8 with a BOM; the first column must still be found by name.
        const string csv = "\uFEFFkey,iso2,iso3,name,intensity_gco2e_per_kwh,basis,year,source,note\nES,ES,ESP,Spain,174,lifecycle,2023,x,\n";
        Assert.Equal(174, CarbonIntensityTable.Parse(new StringReader(csv), "ci.csv").Find("ES").Intensity.GramsPerKilowattHour);
    }
}
