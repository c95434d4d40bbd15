using System.Globalization;
using CsCheck;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Units;

public class PowerTests
{
    [Fact]
    public void Should_Round_Trip_Every_Unit()
    {
        Gen.Double[-1e9, 1e9].Sample(v =>
        {
            EnergyTests.AssertClose(v, Power.FromWatts(v).Watts);
            EnergyTests.AssertClose(v, Power.FromMilliwatts(v).Milliwatts);
            EnergyTests.AssertClose(v, Power.FromKilowatts(v).Kilowatts);
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Should_Make_Energy_Over_Time_And_Reject_Negative_Durations()
    {
        // 156.98 W for 1 hour = 565,128 J (hand computation).
        Assert.Equal(565_128.0, (Power.FromWatts(156.98) * TimeSpan.FromHours(1)).Joules, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Power.FromWatts(1) * TimeSpan.FromSeconds(-1));
    }

    [Theory]
    [InlineData(156.98, "157.0 W")]
    [InlineData(0.25, "250.0 mW")]
    [InlineData(0, "0 W")]
    [InlineData(25_000, "25.00 kW")]
    public void Should_Format_With_A_Readable_Unit(double watts, string expected)
        => Assert.Equal(expected, Power.FromWatts(watts).ToString());

    [Fact]
    public void Should_Have_No_Implicit_Conversion_To_Double()
    {
        // Compile-time property checked by reflection: no op_Implicit / op_Explicit to or from double.
        static bool IsConversion(System.Reflection.MethodInfo m) => m.Name is "op_Implicit" or "op_Explicit";
        Assert.DoesNotContain(typeof(Power).GetMethods(), IsConversion);
        Assert.DoesNotContain(typeof(Energy).GetMethods(), IsConversion);
    }

    [Fact]
    public void Should_Reject_NaN()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Power.FromWatts(double.NaN));
        Assert.Contains("finite number of W", ex.Message);
        Assert.Equal("42.0 W", Power.FromWatts(42).ToString("W:F1", CultureInfo.InvariantCulture));
    }
}
