using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13 (unlisted cases): simulate options whose values crashed, wrapped or never finished.</summary>
public sealed class SimulateRangeTests
{
    [Theory]
    [InlineData(new[] { "--hz", "1e308" }, "--hz must be a sampling rate from 0.1 to 1000 Hz (e.g. 1 or 10), got 1E+308; leave it out to draw 1 or 10 Hz per run.")]
    [InlineData(new[] { "--hz", "0.0000001" }, "--hz must be a sampling rate from 0.1 to 1000 Hz (e.g. 1 or 10), got 1E-07; leave it out to draw 1 or 10 Hz per run.")]
    [InlineData(new[] { "--count", "2147483647" }, "--count must be from 1 to 10,000 (the number of runs to write), got 2147483647.")]
    [InlineData(new[] { "--seed", "2147483647", "--count", "2" }, "--seed 2147483647 with --count 2 runs past the largest seed (2147483647): run i uses seed + i.")]
    public void Out_of_range_options_are_usage_errors_and_write_nothing(string[] options, string expected)
    {
        using var dir = new TempDirectory();
        string folder = dir.File("sim");
        var (code, stdout, stderr) = CliHarness.Run(["simulate", "--out", folder, .. options]);
        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"error: {expected}\n", stderr);
        Assert.False(Directory.Exists(folder));
    }
}
