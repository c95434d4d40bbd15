using CsCheck;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Footprint;

public class FootprintPropertyTests
{
    private static readonly Gen<double> Kwh = Gen.Double[0, 1e6];
    private static readonly Gen<double> Ratio = Gen.Double[1, 3];
    private static readonly Gen<double> Grams = Gen.Double[0, 1200];

    [Fact]
    public void Emissions_Equal_Kwh_Times_Pue_Times_Intensity()
    {
        // Law (definition): C[g] = E_IT[kWh] x PUE x CI[g/kWh], and E_facility >= E_IT because PUE >= 1.
        Gen.Select(Kwh, Ratio, Grams).Sample((kwh, ratio, grams) =>
        {
            var r = FootprintCalculator.Compute(Energy.FromKilowattHours(kwh), PueAssumption.Given(ratio), IntensityAssumption.Given(grams));
            double expected = kwh * ratio * grams;
            Assert.True(Math.Abs(r.Emissions!.Value.Grams - expected) <= 1e-9 * Math.Max(1, expected), $"{r.Emissions} vs {expected}");
            Assert.True(r.FacilityEnergy >= r.ItEnergy);
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Cost_Is_Linear_In_Energy()
    {
        // Law: cost(a + b) = cost(a) + cost(b) at one price, up to decimal rounding of the double-to-decimal conversion.
        var price = ElectricityPrice.Of(0.2345m, "EUR");
        Gen.Select(Kwh, Kwh).Sample((a, b) =>
        {
            decimal sum = price.CostOf(a).Amount + price.CostOf(b).Amount;
            decimal whole = price.CostOf(a + b).Amount;
            Assert.True(Math.Abs(sum - whole) <= 1e-6m, $"{sum} vs {whole}");
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Every_Gpu_Is_Found_By_Its_Own_Name_And_Aliases()
    {
        // Law: the lookup is a left inverse of the table — any row's name or alias finds that row.
        foreach (var g in GpuSpecTable.Default.Gpus)
        {
            foreach (string key in g.Aliases.Prepend(g.Name))
            {
                Assert.Same(g, GpuSpecTable.Default.Find(key));
                Assert.Same(g, GpuSpecTable.Default.Find(key.ToUpperInvariant().Replace(" ", "-", StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public void Every_Country_Is_Found_By_Key_Codes_And_Name()
    {
        // Law: same for the carbon table — key, ISO alpha-3 and name all find the row.
        foreach (var e in CarbonIntensityTable.Default.Entries.Where(e => e.IsCountry))
        {
            Assert.Same(e, CarbonIntensityTable.Default.Find(e.Key.ToLowerInvariant()));
            Assert.Same(e, CarbonIntensityTable.Default.Find(e.Iso3));
            Assert.Same(e, CarbonIntensityTable.Default.Find(e.Name.ToUpperInvariant()));
        }
    }
}
