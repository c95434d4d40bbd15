using System.Globalization;
using CsCheck;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Units;

public class EnergyTests
{
    private static readonly Gen<double> Magnitude = Gen.Double[-1e12, 1e12];
    private static readonly Gen<double> Seconds = Gen.Double[1e-3, 1e7];

    [Fact]
    public void Should_Round_Trip_Every_Unit()
    {
        // Law: FromX(v).X == v up to floating-point rounding of one multiply and one divide.
        Magnitude.Sample(v =>
        {
            AssertClose(v, Energy.FromJoules(v).Joules);
            AssertClose(v, Energy.FromKilojoules(v).Kilojoules);
            AssertClose(v, Energy.FromMegajoules(v).Megajoules);
            AssertClose(v, Energy.FromWattHours(v).WattHours);
            AssertClose(v, Energy.FromKilowattHours(v).KilowattHours);
            AssertClose(v, Energy.FromMillijoules(v).Millijoules);
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Should_Recover_Power_When_Multiplied_Then_Divided_By_Time()
    {
        // Law: (P × t) / t == P.
        Gen.Select(Magnitude, Seconds).Sample((watts, seconds) =>
        {
            var p = Power.FromWatts(watts);
            var t = TimeSpan.FromSeconds(seconds);
            var back = (p * t) / t;
            // TimeSpan has 100 ns resolution; the product uses the rounded span both ways, so the law is exact up to fp.
            AssertClose(watts, back.Watts, 1e-9);
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Should_Be_Associative_And_Have_Zero_As_Identity_For_Addition()
    {
        Gen.Select(Magnitude, Magnitude, Magnitude).Sample((a, b, c) =>
        {
            var ea = Energy.FromJoules(a);
            var eb = Energy.FromJoules(b);
            var ec = Energy.FromJoules(c);
            Assert.Equal(ea, ea + Energy.Zero);
            AssertClose(((ea + eb) + ec).Joules, (ea + (eb + ec)).Joules, 1e-9, scale: Math.Abs(a) + Math.Abs(b) + Math.Abs(c));
            Assert.Equal(ea + eb, eb + ea);
        }, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Should_Reject_Non_Finite_Values_With_A_Message_Naming_The_Unit(double bad)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Energy.FromJoules(bad));
        Assert.Contains("finite number of J", ex.Message);
    }

    [Fact]
    public void Should_Reject_An_Overflowing_Product()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Energy.FromJoules(1e308) * 10.0);
    }

    [Fact]
    public void Should_Convert_Kilowatt_Hours_By_The_Definition()
    {
        // 1 kWh = 1000 W × 3600 s = 3.6e6 J (SI definition).
        Assert.Equal(3.6e6, Energy.FromKilowattHours(1).Joules);
        Assert.Equal(3600.0, Energy.FromWattHours(1).Joules);
    }

    [Theory]
    [InlineData(0.5, "0.50 J")]
    [InlineData(417203.4508, "417.2 kJ")]
    [InlineData(12.345, "12.35 J")]
    [InlineData(3.6e9, "1000.0 kWh")]
    [InlineData(-2500, "-2.50 kJ")]
    public void Should_Format_With_A_Readable_Unit_In_Invariant_Culture(double joules, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // A comma-decimal culture must not leak into the default ToString.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(expected, Energy.FromJoules(joules).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    // Issue 12: one unit picker. Oracle: the rule written on Energy.ReadableUnit (J < 1 kJ <= kJ < 1 MJ <= MJ < 1 GJ <=
    // kWh, on the magnitude), applied by hand to values on either side of each threshold.
    [Theory]
    [InlineData(0.0, "J")]
    [InlineData(999.9, "J")]
    [InlineData(999.999_999, "J")]
    [InlineData(1_000.0, "kJ")]                 // 1 kJ
    [InlineData(999_990.0, "kJ")]               // 999.99 kJ (the exact value decides, not its rounding)
    [InlineData(1_000_000.0, "MJ")]             // 1 MJ
    [InlineData(999_999_999.0, "MJ")]           // 999.999999 MJ
    [InlineData(1e9, "kWh")]                    // 1 GJ = 277.78 kWh
    [InlineData(3.6e12, "kWh")]                 // 1 GWh stays in kWh (no larger unit)
    [InlineData(-999.9, "J")]
    [InlineData(-1_000.0, "kJ")]
    [InlineData(-999_990.0, "kJ")]
    [InlineData(-1_000_000.0, "MJ")]
    [InlineData(-1e9, "kWh")]
    [InlineData(1e-9, "J")]
    public void ReadableUnit_Should_Switch_At_Each_Threshold_On_The_Magnitude(double joules, string unit)
        => Assert.Equal(unit, Energy.FromJoules(joules).ReadableUnit);

    // Hand derivation: the value in the picked unit, with two decimals below 100 and one from 100 (UnitFormat.Readable).
    [Theory]
    [InlineData(999.9, "999.9 J")]
    [InlineData(1_000.0, "1.00 kJ")]
    [InlineData(999_900.0, "999.9 kJ")]
    [InlineData(1_000_000.0, "1.00 MJ")]
    [InlineData(1e9, "277.8 kWh")]              // 1e9 / 3.6e6 = 277.777...
    [InlineData(-999.9, "-999.9 J")]
    [InlineData(-1_000.0, "-1.00 kJ")]
    [InlineData(-1_000_000.0, "-1.00 MJ")]
    public void ToString_Should_Use_The_Readable_Unit_At_The_Thresholds(double joules, string expected)
        => Assert.Equal(expected, Energy.FromJoules(joules).ToString());

    [Fact]
    public void Should_Give_The_Value_In_A_Named_Unit()
    {
        // 1500 J = 1.5 kJ = 0.0015 MJ = 1500 / 3600 Wh = 1500 / 3.6e6 kWh = 1.5e6 mJ.
        var e = Energy.FromJoules(1500);
        Assert.Equal(1500.0, e.In("J"));
        Assert.Equal(1.5, e.In("kJ"));
        Assert.Equal(0.0015, e.In("MJ"), 15);
        Assert.Equal(1500.0 / 3600, e.In("Wh"), 15);
        Assert.Equal(1500.0 / 3.6e6, e.In("kWh"), 15);
        Assert.Equal(1.5e6, e.In("mJ"));
        Assert.Equal(1.5, e.In(e.ReadableUnit));
        Assert.Throws<ArgumentException>(() => e.In("GJ"));
    }

    // A phase computed as a residual (between_epochs = energy at last end - at first start - epochs) can be -1E-12 J of
    // float residue: it printed "-0.00 J". A negative value that rounds to zero prints without its sign; one that does
    // not round to zero keeps it.
    [Theory]
    [InlineData(-1e-12, "0.00 J")]
    [InlineData(-0.0, "0 J")]
    [InlineData(-0.004, "0.00 J")]
    [InlineData(-0.006, "-0.01 J")]
    [InlineData(-2500, "-2.50 kJ")]
    public void ToString_Should_Not_Print_Minus_Zero(double joules, string expected)
        => Assert.Equal(expected, Energy.FromJoules(joules).ToString());

    [Fact]
    public void Explicit_Formats_Should_Not_Print_Minus_Zero_Either()
    {
        Assert.Equal("0.000 kWh", Energy.FromJoules(-1.0).ToString("kWh:F3", CultureInfo.InvariantCulture));
        Assert.Equal("-1.00E-012 J", Energy.FromJoules(-1e-12).ToString("J:0.00E-000", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Should_Format_With_An_Explicit_Unit()
    {
        Assert.Equal("0.116 kWh", Energy.FromJoules(417_203.45).ToString("kWh:F3", CultureInfo.InvariantCulture));
        Assert.Throws<FormatException>(() => Energy.FromJoules(1).ToString("BTU", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Should_Give_Average_Power_And_Reject_Zero_Duration()
    {
        var average = Energy.FromKilojoules(36) / TimeSpan.FromMinutes(1);
        Assert.Equal(600.0, average.Watts, 12);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Energy.FromJoules(1) / TimeSpan.Zero);
        Assert.Contains("positive duration", ex.Message);
    }

    [Fact]
    public void Should_Compute_Carbon_From_Intensity()
    {
        // 2 kWh at 232 g/kWh (Spain 2021, the paper's factor) = 464 g.
        var mass = Energy.FromKilowattHours(2) * CarbonIntensity.FromGramsPerKilowattHour(232);
        Assert.Equal(464.0, mass.Grams, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => CarbonIntensity.FromGramsPerKilowattHour(-1));
    }

    internal static void AssertClose(double expected, double actual, double rel = 1e-12, double? scale = null)
    {
        double s = scale ?? Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= rel * s + 1e-300, $"expected {expected:R}, got {actual:R}");
    }
}
