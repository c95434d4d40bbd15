using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>The live projection line picks its unit with Core's one rule (<c>Energy.ReadableUnit</c> of the estimate).</summary>
public class LiveProjectionLineTests
{
    private static ProjectionEntry Entry(double projected, double lower, double upper) => new(
        17,
        Core.Units.Energy.FromJoules(projected),
        Core.Units.Energy.FromJoules(lower),
        Core.Units.Energy.FromJoules(upper),
        0.9,
        "step",
        11,
        40,
        60,
        DateTimeOffset.UnixEpoch);

    [Theory]
    // Hand derivation: the estimate's unit (J below 1 kJ, kJ below 1 MJ, ...) for all three numbers, two decimals.
    [InlineData(999.9, 900, 1100, "999.90 J [900.00 J, 1100.00 J]")]
    [InlineData(1000, 900, 1100, "1.00 kJ [0.90 kJ, 1.10 kJ]")]
    [InlineData(1_000_000, 990_000, 1_010_000, "1.00 MJ [0.99 MJ, 1.01 MJ]")]
    [InlineData(1e9, 9e8, 1.1e9, "277.78 kWh [250.00 kWh, 305.56 kWh]")]
    public void Should_Show_The_Three_Energies_In_The_Estimates_Readable_Unit(double projected, double lower, double upper, string energies)
        => Assert.Equal(
            $"epoch 17: projected total {energies} (90 %, step, stable from epoch 11, N 40-60)",
            LiveProjection.Line(Entry(projected, lower, upper)));
}
