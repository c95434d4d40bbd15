using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;
using static TrainWatt.Core.Tests.Accounting.TraceBuilder;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>Integration rules on small series whose energies are derived by hand in each test's comment.</summary>
public class EnergyAccountingTests
{
    [Fact]
    public void Should_Integrate_With_The_Trapezoid_Rule_On_Real_Time_Stamps()
    {
        // t = 0, 1, 3 s; P = 100, 200, 100 W.
        // Trapezoid: 1 s × (100+200)/2 + 2 s × (200+100)/2 = 150 + 300 = 450 J.
        var d = EnergyAccounting.Integrate(Trace((0, 100), (1, 200), (3, 100)));

        var r = d.Result!;
        Assert.Empty(d.Faults);
        Assert.Equal(450.0, r.Energy.Joules, 12);
        Assert.Equal(3, r.Samples);
        Assert.Equal(TimeSpan.FromSeconds(3), r.Duration);
        Assert.Equal(TimeSpan.FromSeconds(3), r.IntegratedDuration);
        Assert.Equal(TimeSpan.Zero, r.ExcludedDuration);
        Assert.Equal(400.0 / 3.0, r.MeanPower.Watts, 12);          // (100+200+100)/3
        Assert.Equal(150.0, r.TimeWeightedMeanPower.Watts, 12);     // 450 J / 3 s
        Assert.Equal(200.0, r.MaxPower.Watts);
        Assert.Equal(100.0, r.MinPower.Watts);
        Assert.Equal(Provenance.Sampled, r.Provenance);
        Assert.Equal(IntegrationMethod.Trapezoid, r.Method);
    }

    [Fact]
    public void Should_Integrate_With_The_Left_Riemann_Rule()
    {
        // Left: 1 s × 100 + 2 s × 200 = 500 J (the last sample's power is never held).
        var r = EnergyAccounting.Integrate(Trace((0, 100), (1, 200), (3, 100)), new EnergyOptions { Method = IntegrationMethod.LeftRiemann }).Result!;

        Assert.Equal(500.0, r.Energy.Joules, 12);
        Assert.Equal(IntegrationMethod.LeftRiemann, r.Method);
    }

    [Fact]
    public void Should_Exclude_A_Gap_By_Default_And_Report_Its_Duration()
    {
        // t = 0, 1, 10, 11 s at 100 W, threshold 5 s: the 9 s interval is a gap.
        // Excluded: 100 W × (1 s + 1 s) = 200 J integrated over 2 s; 9 s excluded; wall span 11 s.
        var d = EnergyAccounting.Integrate(Trace((0, 100), (1, 100), (10, 100), (11, 100)));

        var r = d.Result!;
        Assert.Equal(200.0, r.Energy.Joules, 12);
        Assert.Equal(TimeSpan.FromSeconds(2), r.IntegratedDuration);
        Assert.Equal(TimeSpan.FromSeconds(9), r.ExcludedDuration);
        Assert.Equal(TimeSpan.FromSeconds(11), r.Duration);
        Assert.Equal(100.0, r.TimeWeightedMeanPower.Watts, 12);
        var gap = Assert.Single(d.Faults);
        Assert.Equal(FaultKind.Gap, gap.Kind);
        Assert.Equal(4, gap.Line); // the sample after the gap (third sample, line 4)
        Assert.Contains("9 s", gap.Message);
        Assert.Contains("not integrated", gap.Message);
    }

    [Fact]
    public void Should_Bridge_A_Gap_When_Asked_And_Still_Report_It()
    {
        // Bridge: 100 W × 11 s = 1100 J.
        var d = EnergyAccounting.Integrate(
            Trace((0, 100), (1, 100), (10, 100), (11, 100)), new EnergyOptions { GapPolicy = GapPolicy.Bridge });

        Assert.Equal(1100.0, d.Result!.Energy.Joules, 12);
        Assert.Equal(TimeSpan.Zero, d.Result.ExcludedDuration);
        Assert.Equal(FaultKind.Gap, Assert.Single(d.Faults).Kind);
    }

    [Fact]
    public void Should_Treat_An_Interval_Equal_To_The_Threshold_As_Normal()
    {
        // Gap means strictly longer than the threshold: 5 s at 10 W = 50 J, no fault.
        var d = EnergyAccounting.Integrate(Trace((0, 10), (5, 10)), new EnergyOptions { GapThreshold = TimeSpan.FromSeconds(5) });

        Assert.Empty(d.Faults);
        Assert.Equal(50.0, d.Result!.Energy.Joules, 12);
    }

    [Fact]
    public void Should_Not_Integrate_A_Backward_Time_Step()
    {
        // t = 0, 2, 1, 3 at 100 W: 0→2 (200 J); t = 1 goes back and re-covers 1..2, so it is left out (reported);
        // 2→3 (100 J) = 300 J, 100 W over the 3 s wall. (Integrating 1→3 as well counted 1..2 twice: 400 J.)
        var d = EnergyAccounting.Integrate(Trace((0, 100), (2, 100), (1, 100), (3, 100)));

        Assert.Equal(300.0, d.Result!.Energy.Joules, 12);
        var fault = Assert.Single(d.Faults);
        Assert.Equal(FaultKind.NonMonotonicTime, fault.Kind);
        Assert.Equal(4, fault.Line);
    }

    [Fact]
    public void Should_Skip_Missing_Power_And_Say_So()
    {
        // t = 0, 1, 2 with P = 100, [N/A], 300: the N/A sample is dropped, 0→2 joined: 2 s × (100+300)/2 = 400 J.
        var d = EnergyAccounting.Integrate(Trace((0, 100), (1, null), (2, 300)));

        Assert.Equal(400.0, d.Result!.Energy.Joules, 12);
        Assert.Equal(2, d.Result.Samples);
        var fault = Assert.Single(d.Faults);
        Assert.Equal(FaultKind.MissingValue, fault.Kind);
        Assert.Equal(3, fault.Line);
        Assert.Contains("not read as 0 W", fault.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Should_Give_No_Result_And_A_Fatal_Fault_With_Fewer_Than_Two_Samples(int count)
    {
        var points = Enumerable.Range(0, count).Select(i => ((double)i, (double?)50.0)).ToArray();
        var d = EnergyAccounting.Integrate(Trace(points));

        Assert.Null(d.Result);
        Assert.False(d.HasResult);
        Assert.Equal(FaultKind.Fatal, Assert.Single(d.Faults).Kind);
    }

    [Fact]
    public void Should_Give_No_Result_When_All_Samples_Are_NA()
    {
        var d = EnergyAccounting.Integrate(Trace((0, null), (1, null), (2, null)));

        Assert.Null(d.Result);
        Assert.Equal([FaultKind.MissingValue, FaultKind.Fatal], d.Faults.Select(f => f.Kind));
    }

    [Fact]
    public void Should_Trim_Samples_From_Both_Ends()
    {
        // 0..6 s at P = 10·t W; trim 2+1 keeps t = 2, 3, 4, 5: trapezoid = (20+30)/2 + (30+40)/2 + (40+50)/2 = 25+35+45 = 105 J.
        var points = Enumerable.Range(0, 7).Select(i => ((double)i, (double?)(10.0 * i))).ToArray();
        var r = EnergyAccounting.Integrate(Trace(points), new EnergyOptions { TrimStart = 2, TrimEnd = 1 }).Result!;

        Assert.Equal(105.0, r.Energy.Joules, 12);
        Assert.Equal(4, r.Samples);
        Assert.Equal(Start.AddSeconds(2), r.First);
        Assert.Equal(Start.AddSeconds(5), r.Last);
    }

    [Fact]
    public void Should_Give_Gross_And_Net_Energy_Side_By_Side()
    {
        // Idle 20, 20, 20 W for 2 s then 120 W: t = 0..4 s, P = 20, 20, 20, 120, 120.
        // Gross (trapezoid) = 20 + 20 + 70 + 120 = 230 J. Baseline = mean of first 3 = 20 W. Net = 230 − 20 × 4 = 150 J.
        var trace = Trace((0, 20), (1, 20), (2, 20), (3, 120), (4, 120));
        var r = EnergyAccounting.Integrate(trace).Result!;
        var baseline = EnergyAccounting.MeasureIdleBaseline(trace, 3);
        var net = EnergyAccounting.SubtractBaseline(r, baseline!.Value, Provenance.Sampled);

        Assert.Equal(20.0, baseline.Value.Watts, 12);
        Assert.Equal(230.0, net.Gross.Joules, 12);
        Assert.Equal(150.0, net.Net.Joules, 12);
        Assert.Equal(TimeSpan.FromSeconds(4), net.Duration);
        Assert.Equal(Provenance.Sampled, net.BaselineProvenance);

        // A given baseline above the mean gives a negative net energy, reported as is: 230 − 100 × 4 = −170 J.
        var given = EnergyAccounting.SubtractBaseline(r, Power.FromWatts(100), Provenance.UserGiven);
        Assert.Equal(-170.0, given.Net.Joules, 12);
        Assert.Equal(Provenance.UserGiven, given.BaselineProvenance);
    }

    [Fact]
    public void Should_Return_Null_Baseline_When_Too_Few_Samples()
    {
        Assert.Null(EnergyAccounting.MeasureIdleBaseline(Trace((0, 10), (1, null)), 2));
    }

    [Fact]
    public void Should_Divide_Energy_Per_Item_And_Reject_No_Items()
    {
        // 415 170.4675 J over 3 327 296 seen images = 0.124777... J/image (crosscheck.csv row cloud/mobilenet_v2/0:
        // processed_energy_per_image_J = 0.1247771366).
        var perImage = EnergyAccounting.PerItem(Energy.FromJoules(415170.4675), 3_327_296);
        Assert.Equal(0.1247771366, perImage.Joules, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyAccounting.PerItem(Energy.FromJoules(1), 0));
    }

    [Fact]
    public void Should_Sum_Devices_With_A_Result()
    {
        var a = EnergyAccounting.Integrate(Trace((0, 100), (1, 100)));   // 100 J
        var b = EnergyAccounting.Integrate(Trace((0, 50), (2, 50)));     // 100 J
        var none = EnergyAccounting.Integrate(Trace((0, 50)));           // no result
        Assert.Equal(200.0, EnergyAccounting.Total([a, b, none]).Joules, 12);
    }

    [Fact]
    public void Should_Reject_A_Non_Positive_Gap_Threshold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyOptions { GapThreshold = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyOptions { TrimStart = -1 });
    }
}
