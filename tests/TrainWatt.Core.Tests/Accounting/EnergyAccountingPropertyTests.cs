using CsCheck;
using TrainWatt.Core.Accounting;
using static TrainWatt.Core.Tests.Accounting.TraceBuilder;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>Laws of the integration rules, checked on random series (CsCheck).</summary>
public class EnergyAccountingPropertyTests
{
    // Interval lengths 1 ms..4.9 s (below the 5 s gap threshold), 2..200 samples.
    private static readonly Gen<double[]> Intervals = Gen.Double[0.001, 4.9].Array[1, 199];

    private static (double Seconds, double? Watts)[] Series(double[] intervals, Func<int, double> watts)
    {
        var points = new (double, double?)[intervals.Length + 1];
        double t = 0;
        points[0] = (0, watts(0));
        for (int i = 0; i < intervals.Length; i++)
        {
            t += intervals[i];
            points[i + 1] = (t, watts(i + 1));
        }

        return points;
    }

    [Fact]
    public void Constant_Power_Integrates_To_Power_Times_Time_With_Both_Rules()
    {
        // Law: ∫ P dt = P × T for constant P, whatever the sampling.
        Gen.Select(Intervals, Gen.Double[0, 1000]).Sample((intervals, p) =>
        {
            var trace = Trace(Series(intervals, _ => p));
            double seconds = (trace.Samples[^1].Timestamp - trace.Samples[0].Timestamp).TotalSeconds;
            foreach (var method in new[] { IntegrationMethod.Trapezoid, IntegrationMethod.LeftRiemann })
            {
                var r = EnergyAccounting.Integrate(trace, new EnergyOptions { Method = method }).Result!;
                Assert.True(Math.Abs(r.Energy.Joules - (p * seconds)) <= 1e-9 * Math.Max(1, p * seconds), $"{method}: {r.Energy.Joules} vs {p * seconds}");
                Assert.True(Math.Abs(r.TimeWeightedMeanPower.Watts - p) <= 1e-9 * Math.Max(1, p));
            }
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Left_Riemann_Is_Below_Trapezoid_On_A_Rising_Series_And_Above_On_A_Falling_One()
    {
        // Law: for non-decreasing P, each left term Δt·P₁ ≤ Δt·(P₁+P₂)/2; reversed for non-increasing P.
        Gen.Select(Intervals, Gen.Double[0, 10]).Sample((intervals, slope) =>
        {
            var rising = Trace(Series(intervals, i => 50 + (slope * i)));
            var falling = Trace(Series(intervals, i => 50 + (slope * (intervals.Length - i))));
            double Energy(Core.Traces.DeviceTrace t, IntegrationMethod m)
                => EnergyAccounting.Integrate(t, new EnergyOptions { Method = m }).Result!.Energy.Joules;

            Assert.True(Energy(rising, IntegrationMethod.LeftRiemann) <= Energy(rising, IntegrationMethod.Trapezoid) * (1 + 1e-12));
            Assert.True(Energy(falling, IntegrationMethod.LeftRiemann) >= Energy(falling, IntegrationMethod.Trapezoid) * (1 - 1e-12));
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Energy_Scales_Linearly_With_Power()
    {
        // Law: ∫ k·P dt = k ∫ P dt.
        Gen.Select(Intervals, Gen.Double[0, 500].Array[200], Gen.Double[0.1, 10]).Sample((intervals, watts, k) =>
        {
            var baseTrace = Trace(Series(intervals, i => watts[i]));
            var scaled = Trace(Series(intervals, i => k * watts[i]));
            double e1 = EnergyAccounting.Integrate(baseTrace).Result!.Energy.Joules;
            double e2 = EnergyAccounting.Integrate(scaled).Result!.Energy.Joules;
            Assert.True(Math.Abs(e2 - (k * e1)) <= 1e-9 * Math.Max(1, k * e1));
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Excluded_And_Integrated_Durations_Add_Up_To_The_Wall_Span()
    {
        // Law (monotone time): integrated + excluded = last − first, with gaps anywhere. Intervals up to 20 s.
        Gen.Double[0.001, 20].Array[1, 100].Sample(intervals =>
        {
            var trace = Trace(Series(intervals, _ => 100));
            var r = EnergyAccounting.Integrate(trace).Result;
            if (r is null)
            {
                // Every interval was a gap: no result, by design.
                Assert.All(intervals, dt => Assert.True(dt > 5));
                return;
            }

            Assert.Equal(r.Duration, r.IntegratedDuration + r.ExcludedDuration);
        }, seed: "0N0XIzNsQ0O2");
    }
}
