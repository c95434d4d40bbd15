using TrainWatt.Core.Reference;

namespace TrainWatt.Core.Tests.Reference;

/// <summary><see cref="GpuLookup"/> over the shipped table (oracle: data/gpus.csv, 84 rows, four A100 boards).</summary>
public class GpuLookupTests
{
    [Fact]
    public void No_Query_Lists_The_Whole_Table()
    {
        var r = GpuLookup.Find(null);

        Assert.Equal(84, r.Gpus.Count);
        Assert.False(r.IsSingle);
    }

    [Fact]
    public void A_Name_That_Identifies_One_Gpu_Gives_That_Gpu()
    {
        var r = GpuLookup.Find("NVIDIA GeForce RTX 3070");

        Assert.True(r.IsSingle);
        Assert.Equal("RTX 3070", Assert.Single(r.Gpus).Name);
    }

    [Fact]
    public void A_Part_Of_A_Name_Gives_Every_Match()
    {
        var r = GpuLookup.Find("A100");

        Assert.False(r.IsSingle);
        Assert.Equal(4, r.Gpus.Count);
    }

    [Fact]
    public void An_Unknown_Name_Throws_With_The_Closest_Names()
    {
        var e = Assert.Throws<ReferenceLookupException>(() => GpuLookup.Find("RTX 3095"));

        Assert.StartsWith("Unknown GPU \"RTX 3095\". Closest matches: RTX 3090", e.Message);
    }
}
