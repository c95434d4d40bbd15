using System.Text.Json;

namespace TrainWatt.Cli.Tests;

public class CarbonCommandTests
{
    [Fact]
    public void Computes_The_Papers_Spain_Figure_With_Pue_And_Price()
    {
        var (code, stdout, stderr) = CliHarness.Run("carbon", "--energy-kwh", "2", "--pue", "1.5", "--country", "ES-2021-PAPER", "--price", "0.25EUR", "--json");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        // Hand derivation: 2 kWh x 1.5 = 3 kWh; x 232 g/kWh = 696 g; x 0.25 EUR/kWh = 0.75 EUR.
        Assert.Equal(3.0, r.GetProperty("facility_energy_kwh").GetDouble(), 12);
        Assert.Equal(696.0, r.GetProperty("emissions_gco2e").GetDouble(), 9);
        Assert.Equal(0.75m, r.GetProperty("cost").GetDecimal());
        Assert.Equal("EUR", r.GetProperty("currency").GetString());
        Assert.Equal("PUE 1.5 (user-given)", r.GetProperty("pue_source").GetString());
        Assert.StartsWith("ES-2021-PAPER 2021 232 gCO2e/kWh", r.GetProperty("intensity_source").GetString());
    }

    [Fact]
    public void A_Cloud_Region_Sets_Pue_And_Grid_Country()
    {
        var (code, stdout, _) = CliHarness.Run("carbon", "--energy-kwh", "10", "--cloud", "aws:eu-west-1");
        Assert.Equal(0, code);
        // Hand derivation: 10 kWh x 1.15 (AWS 2023) = 11.5 kWh; x 291 g/kWh (IE, Ember 2023) = 3346.5 g.
        Assert.Contains("Facility energy  11.5 kWh\n", stdout);
        Assert.Contains("Emissions        3346.5 gCO2e\n", stdout);
        Assert.Contains("[grid of aws:eu-west-1]", stdout);
    }

    [Fact]
    public void Without_Choices_It_States_Both_Defaults()
    {
        var (code, stdout, _) = CliHarness.Run("carbon", "--energy-kwh", "1");
        Assert.Equal(0, code);
        // Hand derivation: 1 kWh x 1.56 (Uptime 2024 default) x 481 g/kWh (world 2023) = 750.36 g.
        Assert.Contains("Emissions        750.36 gCO2e\n", stdout);
        Assert.Contains("[default; pass a PUE or a cloud region to change it]", stdout);
        Assert.Contains("[default; pass --country or --intensity to change it]", stdout);
    }

    [Theory]
    [InlineData(new[] { "--pue", "0.9" }, "--pue: PUE must be a finite number >= 1.0 (facility energy / IT energy; 1.0 means no overhead); got 0.9.")]
    [InlineData(new[] { "--country", "ES", "--intensity", "200" }, "Give either --country or --intensity, not both.")]
    [InlineData(new[] { "--pue", "1.2", "--cloud", "gcp:europe-west1" }, "Give either --pue or --cloud, not both: a cloud region sets its own PUE.")]
    [InlineData(new[] { "--price", "0,25EUR" }, "\"0,25EUR\" is not an electricity price; write the price per kWh and an ISO 4217 currency code, e.g. 0.25EUR.")]
    [InlineData(new[] { "--cloud", "none" }, "\"none\" is a PUE preset, not a cloud region; pass it as --pue none.")]
    [InlineData(new[] { "--intensity", "-5" }, "--intensity must be a finite number >= 0 gCO2e/kWh; got -5.")]
    public void Bad_Input_Gives_One_Clear_Message_And_Exit_64(string[] extra, string expected)
    {
        var (code, stdout, stderr) = CliHarness.Run(["carbon", "--energy-kwh", "1", .. extra]);
        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(expected + "\n", stderr);
    }

    [Fact]
    public void An_Unknown_Country_Lists_Close_Names()
    {
        var (code, _, stderr) = CliHarness.Run("carbon", "--energy-kwh", "1", "--country", "Spian");
        Assert.Equal(64, code);
        Assert.StartsWith("Unknown country \"Spian\" in the carbon-intensity table. Closest: ES (Spain), ", stderr);
    }
}
