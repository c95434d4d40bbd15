using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: analyze and recommend inputs that crashed (huge numbers, a predicted file that is not an object).</summary>
public sealed class AnalysisInputTests
{
    private const string Header = "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score";

    private static TempDirectory Runs(params string[] rows)
    {
        var dir = new TempDirectory();
        File.WriteAllLines(dir.File("runs.csv"), [Header, .. rows]);
        return dir;
    }

    [Theory]
    [InlineData("analyze", "Cloud,a,1,1,G,1e308,1000000,0.9", "runs.csv:3: column \"energy (MJ)\" holds 1e308 MJ, beyond the 1e12 MJ a run can use; check the file.")]
    [InlineData("recommend", "Cloud,a,1,1,G,1e308,1000000,0.9", "runs.csv:3: column \"energy (MJ)\" holds 1e308 MJ, beyond the 1e12 MJ a run can use; check the file.")]
    [InlineData("analyze", "Cloud,a,1,1e300,G,1,1000000,0.9", "runs.csv:3: column \"training duration (h)\" holds 1e300 h; a run takes from 0 to 1,000,000 h.")]
    [InlineData("analyze", "Cloud,a,1,-2,G,1,1000000,0.9", "runs.csv:3: column \"training duration (h)\" holds -2 h; a run takes from 0 to 1,000,000 h.")]
    [InlineData("analyze", "Cloud,a,1,1,G,1,1e300,0.9", "runs.csv:3: column \"total seen images\" holds 1e300; expected a whole number from 0 to 9,223,372,036,854,775,807.")]
    public void Numbers_out_of_range_are_data_errors_naming_file_line_and_column(string command, string row, string expected)
    {
        using var dir = Runs("Cloud,a,0,1,G,1,1000000,0.9", row, "Cloud,b,0,1,G,2,1000000,0.8", "Cloud,b,1,1,G,3,1000000,0.8");
        var (code, _, stderr) = CliHarness.Run(command, "--seaa2023", dir.Path, "--by", "architecture");
        Assert.Equal(65, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        InputCrashTests.AssertOneClearLine(stderr);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{\"configurations\":[1]}")]
    [InlineData("{\"configurations\":[{\"key\":{\"architecture\":\"a\"},\"cost\":1e308,\"score\":1e400}]}")]
    public void A_predicted_file_that_is_not_the_documented_object_is_a_data_error(string json)
    {
        using var dir = Runs("Cloud,a,0,1,G,1,1000000,0.9", "Cloud,a,1,1,G,2,1000000,0.9", "Cloud,b,0,1,G,2,1000000,0.9", "Cloud,b,1,1,G,3,1000000,0.9");
        string predicted = dir.File("predicted.json");
        File.WriteAllText(predicted, json);
        var (code, _, stderr) = CliHarness.Run("recommend", "--seaa2023", dir.Path, "--predicted", predicted);
        Assert.Equal(65, code);
        Assert.Contains("predicted.json", stderr, StringComparison.Ordinal);
        Assert.Contains("{\"configurations\":[{\"key\":{...},\"cost\":x,\"score\":y}]}", stderr, StringComparison.Ordinal);
        InputCrashTests.AssertOneClearLine(stderr);
    }
}
