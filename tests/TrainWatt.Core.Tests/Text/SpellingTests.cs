using TrainWatt.Core.Reference;
using TrainWatt.Core.Text;

namespace TrainWatt.Core.Tests.Text;

public sealed class SpellingTests
{
    private static readonly string[] Commands = ["measure", "energy", "import", "runs", "export", "estimate", "evaluate", "report", "recommend"];

    [Theory]
    [InlineData("mesure", "measure")] // one deletion
    [InlineData("MEASURE2", "measure")] // case ignored, one insertion
    [InlineData("estimtae", "estimate")] // two substitutions (a transposition) within the 2 allowed for 8 letters
    [InlineData("recomend", "recommend")]
    [InlineData("rep", "report")] // a prefix of at least 3 letters
    [InlineData("--jsn", "--json")]
    public void Close_Names_Are_Suggested(string typed, string expected)
        => Assert.Equal(expected, Spelling.Suggest(typed, [.. Commands, "--json", "--db"]));

    [Theory]
    [InlineData("train")] // 5 letters, nothing within 2 edits
    [InlineData("xy")]
    [InlineData("measure")] // already a name: nothing to suggest
    public void Far_Or_Exact_Names_Get_No_Suggestion(string typed)
        => Assert.Null(Spelling.Suggest(typed, Commands));

    [Fact]
    public void A_Loose_Gpu_Match_Is_Named_And_An_Exact_Name_Or_Alias_Is_Not()
    {
        var table = GpuSpecTable.Default;
        var rtx2080 = table.Find("GTX2080"); // the case: matched by its number
        Assert.Equal("RTX 2080", rtx2080.Name);
        Assert.StartsWith("GPU \"GTX2080\" matched RTX 2080 (", GpuSpecTable.MatchNote("GTX2080", rtx2080), StringComparison.Ordinal);
        Assert.Null(GpuSpecTable.MatchNote("rtx-2080", rtx2080)); // the name, ignoring case and punctuation
    }
}
