using TrainWatt.Core.Footprint;

namespace TrainWatt.Core.Tests.Footprint;

public class ElectricityPriceTests
{
    [Theory]
    [InlineData("0.25EUR", "0.25", "EUR")]
    [InlineData("0.25 eur", "0.25", "EUR")]
    [InlineData("USD 0.131", "0.131", "USD")]
    [InlineData(" 12 GBP ", "12", "GBP")]
    public void Should_Parse_Amount_And_Currency(string text, string amount, string currency)
    {
        var price = ElectricityPrice.Parse(text);
        Assert.Equal(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), price.PerKilowattHour);
        Assert.Equal(currency, price.Currency);
    }

    [Theory]
    [InlineData("0,25EUR")]
    [InlineData("0.25")]
    [InlineData("EUR")]
    [InlineData("0.25EURO")]
    [InlineData("-0.25EUR")]
    public void Should_Reject_Malformed_Prices(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ElectricityPrice.Parse(text));
        Assert.Equal($"\"{text}\" is not an electricity price; write the price per kWh and an ISO 4217 currency code, e.g. 0.25EUR.", ex.Message);
    }

    [Fact]
    public void Cost_Is_Kwh_Times_Price_In_Decimal()
    {
        // Hand derivation: 3 kWh x 0.1 EUR/kWh = 0.3 EUR exactly (decimal, no binary rounding).
        Assert.Equal(new Money(0.3m, "EUR"), ElectricityPrice.Of(0.1m, "eur").CostOf(3));
    }
}
