namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: energies and factors whose product overflows are refused with the range, not a stack trace.</summary>
public sealed class CarbonRangeTests
{
    [Theory]
    [InlineData("1e308", "10", "1E+308")]
    [InlineData("1e308", "1.5", "1E+308")]
    [InlineData("1e13", "1.5", "10000000000000")]
    public void An_energy_beyond_the_range_is_a_usage_error_stating_the_range(string kwh, string pue, string shown)
    {
        // 1e308 kWh x 3.6e6 J/kWh x PUE overflows to infinity: refused before any arithmetic.
        var (code, stdout, stderr) = CliHarness.Run("carbon", "--energy-kwh", kwh, "--pue", pue);
        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"--energy-kwh must be at most 1e12 kWh (1,000 TWh); got {shown}.\n", stderr);
    }

    [Fact]
    public void A_pue_or_intensity_beyond_the_range_is_a_usage_error_stating_the_range()
    {
        var (code, _, stderr) = CliHarness.Run("carbon", "--energy-kwh", "1e12", "--pue", "1e300", "--intensity", "1e300");
        Assert.Equal(64, code);
        Assert.Contains("--intensity must be at most 10,000 gCO2e/kWh (the most carbon-intensive grids are near 1,000); got 1E+300.", stderr, StringComparison.Ordinal);
        Assert.Contains("--pue: PUE must be at most 100 (facility energy / IT energy; data centres report 1.1 to 3); got 1E+300.", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliHarness.Run("carbon", "--energy-kwh", "1", "--price", "99999999999999999999EUR");
        Assert.Equal(64, code);
        Assert.Equal("\"99999999999999999999EUR\": an electricity price must be at most 1,000,000 per kWh.\n", stderr);
    }

    [Fact]
    public void The_largest_accepted_inputs_give_finite_figures()
    {
        var (code, stdout, stderr) = CliHarness.Run("carbon", "--energy-kwh", "1e12", "--pue", "100", "--intensity", "10000", "--price", "1000000EUR");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Infinity", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", stdout, StringComparison.Ordinal);
    }
}
