using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Footprint;

/// <summary><see cref="FootprintAssumptions"/>: the user's choices resolved against the reference tables (the body of <c>trainwatt carbon</c>).</summary>
public class FootprintAssumptionsTests
{
    [Fact]
    public void A_Cloud_Region_Sets_The_Pue_And_The_Grid_Of_Its_Country()
    {
        // Hand derivation: 10 kWh x 1.15 (AWS 2023) = 11.5 kWh; x 291 g/kWh (IE, Ember 2023) = 3346.5 g.
        var r = FootprintAssumptions.Compute(Energy.FromKilowattHours(10), new FootprintChoices(Cloud: "aws:eu-west-1"));

        Assert.Equal(11.5, r.FacilityEnergy.KilowattHours, 9);
        Assert.Equal(3346.5, r.Emissions!.Value.Grams, 6);
        Assert.EndsWith("[grid of aws:eu-west-1]", r.Intensity!.Description);
    }

    [Fact]
    public void Without_Choices_Both_Defaults_Are_Stated()
    {
        // Hand derivation: 1 kWh x 1.56 (Uptime 2024) x 481 g/kWh (world 2023) = 750.36 g.
        var r = FootprintAssumptions.Compute(Energy.FromKilowattHours(1), new FootprintChoices());

        Assert.Equal(750.36, r.Emissions!.Value.Grams, 9);
        Assert.EndsWith("[default; pass a PUE or a cloud region to change it]", r.Pue.Description);
        Assert.EndsWith("[default; pass --country or --intensity to change it]", r.Intensity!.Description);
    }

    [Fact]
    public void A_Pue_Preset_And_A_Given_Intensity_Are_Used_As_Given()
    {
        var preset = CloudRegionTable.Default.Find("preset:carbontracker");

        var r = FootprintAssumptions.Compute(Energy.FromKilowattHours(2), new FootprintChoices(Intensity: 100, Pue: PueChoice.Parse("carbontracker")));

        Assert.Equal(2 * preset.Pue.Ratio * 100, r.Emissions!.Value.Grams, 9);
        Assert.Equal("100 gCO2e/kWh (user-given)", r.Intensity!.Description);
    }

    [Theory]
    [InlineData("1.5", 1.5, null)]
    [InlineData("none", null, "none")]
    [InlineData("gcp:europe-west1", null, "gcp:europe-west1")]
    public void A_Pue_Is_A_Ratio_When_It_Is_A_Number_Else_A_Preset(string text, double? ratio, string? preset)
        => Assert.Equal(new PueChoice(ratio, preset), PueChoice.Parse(text));

    [Fact]
    public void Validate_Reports_Every_Broken_Rule()
    {
        var problems = new FootprintChoices("ES", -5, PueChoice.Parse("0.9"), "gcp:europe-west1").Validate();

        Assert.Equal(
            [
                "Give either --country or --intensity, not both.",
                "Give either --pue or --cloud, not both: a cloud region sets its own PUE.",
                "--intensity must be a finite number >= 0 gCO2e/kWh; got -5.",
                "--pue: PUE must be a finite number >= 1.0 (facility energy / IT energy; 1.0 means no overhead); got 0.9.",
            ],
            problems);
        Assert.Throws<ArgumentException>(() => FootprintAssumptions.Compute(Energy.FromKilowattHours(1), new FootprintChoices("ES", -5)));
    }

    [Theory]
    [InlineData(null, "none", "\"none\" is a PUE preset, not a cloud region; pass it as --pue none.")]
    [InlineData("gcp:europe-west1", null, "\"gcp:europe-west1\" is a cloud region; pass it as --cloud gcp:europe-west1.")]
    public void A_Preset_Given_As_A_Region_Or_The_Reverse_Says_Which_Option_To_Use(string? pue, string? cloud, string expected)
    {
        var choices = new FootprintChoices(Pue: pue is null ? null : PueChoice.Parse(pue), Cloud: cloud);

        var e = Assert.Throws<ReferenceLookupException>(() => FootprintAssumptions.Compute(Energy.FromKilowattHours(1), choices));

        Assert.Equal(expected, e.Message);
    }
}
