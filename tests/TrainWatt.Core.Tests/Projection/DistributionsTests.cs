using TrainWatt.Core.Projection;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>Oracle: scipy.stats, values printed by scripts/golden/step_distributions.py (committed).</summary>
public class DistributionsTests
{
    [Theory]
    [InlineData(-3.0, 2, 0.0477329831333546)]
    [InlineData(0.5, 4, 0.678335018409068)]
    [InlineData(1.7, 9, 0.938326168928088)]
    [InlineData(2.5, 30, 0.990942175465967)]
    [InlineData(-0.2, 1, 0.437167041810999)]
    [InlineData(4.0, 13, 0.999243960320594)]
    public void StudentTCdf_Should_Match_Scipy(double t, double df, double expected)
        => Assert.Equal(expected, Distributions.StudentTCdf(t, df), 1e-10);

    [Theory]
    [InlineData(0.95, 4, 2.13184678133629)]
    [InlineData(0.975, 9, 2.26215716274099)]
    [InlineData(0.05, 14, -1.76131013577486)]
    [InlineData(0.99, 2, 6.96455671875585)]
    [InlineData(0.9982142857142857, 13, 3.5478000800164)]
    public void StudentTQuantile_Should_Match_Scipy(double p, double df, double expected)
        => Assert.Equal(expected, Distributions.StudentTQuantile(p, df), 5e-8); // a CDF error near 1e-11 moves a df = 2 tail quantile by ~1e-8

    [Theory]
    [InlineData(-2.0, 0.0227501319481792)]
    [InlineData(0.0, 0.5)]
    [InlineData(1.2815515655446004, 0.9)]
    [InlineData(3.5, 0.999767370920964)]
    public void NormalCdf_Should_Match_Scipy(double z, double expected)
        => Assert.Equal(expected, Distributions.NormalCdf(z), 1e-12);

    [Fact]
    public void StudentTQuantile_Should_Reject_Probabilities_Outside_The_Open_Unit_Interval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Distributions.StudentTQuantile(1.0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Distributions.StudentTQuantile(0.0, 5));
    }
}
