using System.Text.Json;

namespace TrainWatt.Cli.Tests;

public class GpusCommandTests
{
    [Fact]
    public void Lists_The_Whole_Table_Without_A_Search()
    {
        var (code, stdout, stderr) = CliHarness.Run("gpus");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        // Oracle: data/gpus.csv has one header and 84 GPU rows; the listing prints a header, one line per GPU and a footer.
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("NAME", lines[0]);
        Assert.StartsWith("84 GPU(s).", lines[^1]);
        Assert.Equal(86, lines.Length);
    }

    [Fact]
    public void A_Unique_Name_Prints_That_Gpu()
    {
        var (code, stdout, _) = CliHarness.Run("gpus", "NVIDIA GeForce RTX 3070");
        Assert.Equal(0, code);
        // Oracle: paper-notes.md 1.1 — RTX 3070 spec TDP 220 W, 5888 cores, 448 GB/s.
        Assert.Contains("Name              RTX 3070\n", stdout);
        Assert.Contains("TDP               220 W (specification)\n", stdout);
        Assert.Contains("CUDA cores        5888\n", stdout);
        Assert.Contains("Bandwidth         448 GB/s\n", stdout);
    }

    [Fact]
    public void Json_Is_One_Array_With_Unit_Suffixed_Fields()
    {
        var (code, stdout, _) = CliHarness.Run("gpus", "A100", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var rows = doc.RootElement.EnumerateArray().ToList();
        // Oracle: four A100 boards in the table; the SXM4 80GB is 400 W, 2039 GB/s (NVIDIA A100 80GB datasheet).
        Assert.Equal(4, rows.Count);
        var sxm80 = rows.Single(r => r.GetProperty("name").GetString() == "A100 SXM4 80GB");
        Assert.Equal(400, sxm80.GetProperty("tdp_w").GetDouble());
        Assert.Equal(2039, sxm80.GetProperty("bandwidth_gbs").GetDouble());
        Assert.Equal(6912, sxm80.GetProperty("cuda_cores").GetInt32());
        Assert.Equal("tensor", sxm80.GetProperty("fp16_kind").GetString());
    }

    [Fact]
    public void An_Unknown_Gpu_Fails_With_Close_Names_On_Stderr()
    {
        var (code, stdout, stderr) = CliHarness.Run("gpus", "RTX 3095");
        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            "Unknown GPU \"RTX 3095\". Closest matches: RTX 3090, RTX 3050, RTX 3060, RTX 3070, RTX 3080 10GB. List the table with 'trainwatt gpus', or give cores, memory and TDP directly.\n",
            stderr);
    }
}
