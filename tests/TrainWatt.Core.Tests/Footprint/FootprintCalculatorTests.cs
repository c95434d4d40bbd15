using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Footprint;

public class FootprintCalculatorTests
{
    [Fact]
    public void Two_Kwh_At_Pue_1_5_And_232_G_Per_Kwh_Is_696_Grams()
    {
        // Hand derivation: 2 kWh x 1.5 = 3 kWh facility; 3 kWh x 232 g/kWh = 696 g; 3 kWh x 0.25 EUR = 0.75 EUR.
        var r = FootprintCalculator.Compute(
            Energy.FromKilowattHours(2),
            PueAssumption.Given(1.5),
            IntensityAssumption.From(CarbonIntensityTable.Default.Find("ES-2021-PAPER")),
            ElectricityPrice.Parse("0.25EUR"));
        Assert.Equal(3.0, r.FacilityEnergy.KilowattHours, 12);
        Assert.Equal(696.0, r.Emissions!.Value.Grams, 9);
        Assert.Equal(new Money(0.75m, "EUR"), r.Cost);
        Assert.Equal(
            ["PUE 1.5 (user-given)",
             "ES-2021-PAPER 2021 232 gCO2e/kWh (unspecified; SEAA 2023 paper, emissions column (E[kWh] x 232 gCO2e/kWh, Spain 2021))",
             "0.25 EUR/kWh (user-given)"],
            r.Assumptions);
    }

    [Fact]
    public void A_Cloud_Region_Supplies_Pue_With_Its_Source()
    {
        // Hand derivation: 10 kWh x 1.10 (Google fleet 2023) = 11 kWh; x 138 g/kWh (BE, Ember 2023) = 1518 g.
        var region = CloudRegionTable.Default.Find("gcp:europe-west1");
        var r = FootprintCalculator.Compute(
            Energy.FromKilowattHours(10),
            PueAssumption.From(region),
            IntensityAssumption.From(CarbonIntensityTable.Default.Find(region.Country)));
        Assert.Equal(11.0, r.FacilityEnergy.KilowattHours, 9);
        Assert.Equal(1518.0, r.Emissions!.Value.Grams, 6);
        Assert.StartsWith("PUE 1.1 (gcp:europe-west1; Google Environmental Report 2024", r.Pue.Description);
        Assert.Null(r.Cost);
    }

    [Fact]
    public void Without_Intensity_Or_Price_Only_Facility_Energy_Is_Computed()
    {
        // Hand derivation: 3.6 MJ = 1 kWh; x PUE 1.0 = 1 kWh.
        var r = FootprintCalculator.Compute(Energy.FromMegajoules(3.6), new PueAssumption(PowerUsageEffectiveness.None, "none", Provenance.Model));
        Assert.Equal(1.0, r.FacilityEnergy.KilowattHours, 12);
        Assert.Null(r.Emissions);
        Assert.Null(r.Cost);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.0)]
    [InlineData(-1.2)]
    [InlineData(double.NaN)]
    public void A_Pue_Below_One_Is_Rejected_With_Rule_And_Value(double ratio)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PowerUsageEffectiveness.FromRatio(ratio));
        Assert.StartsWith("PUE must be a finite number >= 1.0 (facility energy / IT energy; 1.0 means no overhead); got " + ratio.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".", ex.Message);
        Assert.False(PowerUsageEffectiveness.TryFromRatio(ratio, out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Default_Pue_Is_One()
    {
        // The struct's default must be a valid PUE (1.0), not 0, so an unset field cannot zero an energy.
        Assert.Equal(1.0, default(PowerUsageEffectiveness).Ratio);
        Assert.Equal(Energy.FromJoules(10), Energy.FromJoules(10) * default(PowerUsageEffectiveness));
    }

    [Fact]
    public void Negative_It_Energy_Is_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FootprintCalculator.Compute(Energy.FromJoules(-1), PueAssumption.Given(1.2)));
    }

    [Fact]
    public void The_Default_Pue_Says_It_Is_A_Default()
    {
        var pue = PueAssumption.Default();
        Assert.Equal(1.56, pue.Pue.Ratio, 12);
        Assert.EndsWith("[default; pass a PUE or a cloud region to change it]", pue.Description);
    }
}
