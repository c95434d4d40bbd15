using TrainWatt.Core.Reference;

namespace TrainWatt.Core.Tests.Reference;

public class CloudRegionTableTests
{
    private static readonly CloudRegionTable Table = CloudRegionTable.Default;

    [Fact]
    public void Every_Row_Has_A_Source_A_Year_And_A_Pue_Of_At_Least_One()
    {
        // Oracle: PUE = facility / IT energy >= 1 by definition; published fleet values are <= ~2.
        foreach (var r in Table.Regions)
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source), r.Key);
            Assert.InRange(r.Year, 2007, 2026);
            Assert.InRange(r.Pue.Ratio, 1.0, 2.0);
        }
    }

    [Fact]
    public void Every_Cloud_Region_Country_Is_In_The_Carbon_Table()
    {
        // Oracle: the carbon command falls back to the region's country, so each must resolve.
        foreach (var r in Table.Regions.Where(r => r.Provider != "preset"))
        {
            Assert.True(CarbonIntensityTable.Default.TryFind(r.Country, out _), $"{r.Key}: country {r.Country} missing from carbon-intensity.csv");
        }
    }

    [Theory]
    // Oracle: Google Environmental Report 2024 (fleet PUE 1.10), AWS 2023 global PUE 1.15, Microsoft fleet 1.18,
    // Uptime Institute 2024 average 1.56, Green Algorithms' pre-v3 default 1.67 (../shared/docs/landscape.md 4.9).
    [InlineData("gcp:europe-west1", 1.10, "BE")]
    [InlineData("GCP/europe-west1", 1.10, "BE")]
    [InlineData("aws:us-east-1", 1.15, "US")]
    [InlineData("azure:westeurope", 1.18, "NL")]
    [InlineData("preset:on-prem-average", 1.56, "")]
    [InlineData("green-algorithms-v2", 1.67, "")]
    [InlineData("none", 1.0, "")]
    public void Should_Find_Regions_And_Presets(string key, double pue, string country)
    {
        var r = Table.Find(key);
        Assert.Equal(pue, r.Pue.Ratio, 12);
        Assert.Equal(country, r.Country);
    }

    [Fact]
    public void The_Default_Preset_Is_The_On_Prem_Average()
    {
        // Oracle: data/README.md states the default (Uptime Institute 2024 survey, 1.56).
        Assert.Equal("preset:on-prem-average", Table.DefaultPreset.Key);
        Assert.Equal(1.56, Table.DefaultPreset.Pue.Ratio, 12);
    }

    [Fact]
    public void Keys_Are_Unique()
    {
        Assert.Equal(Table.Regions.Count, Table.Regions.Select(r => r.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_Pue_Below_One_Is_Rejected_With_Rule_And_Value()
    {
        const string csv = "provider,region,location,country,pue,year,source,note\ngcp,x,y,BE,0.95,2023,s,\n";
        var ex = Assert.Throws<ReferenceDataException>(() => CloudRegionTable.Parse(new StringReader(csv), "c.csv"));
        Assert.Equal("c.csv:2: column 'pue': PUE must be a finite number >= 1.0 (facility energy / IT energy; 1.0 means no overhead); got 0.95.", ex.Message);
    }

    [Fact]
    public void An_Unknown_Region_Lists_Close_Keys()
    {
        var ex = Assert.Throws<ReferenceLookupException>(() => Table.Find("gcp:europe-west99"));
        Assert.StartsWith("Unknown cloud region or PUE preset \"gcp:europe-west99\". Closest: gcp:europe-west", ex.Message);
        Assert.All(ex.Suggestions.Take(3), s => Assert.StartsWith("gcp:europe-west", s));
    }
}
