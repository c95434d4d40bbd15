using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using static TrainWatt.Core.Tests.Accounting.TraceBuilder;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>
/// Issue 13, "silent wrong numbers": samples no meter can give (a negative power) and time stamps that re-cover a
/// span already integrated are faults naming their line, and are left out. Energies derived by hand in each comment.
/// </summary>
public sealed class ImpossibleSamplesTests
{
    [Fact]
    public void A_negative_power_reading_is_a_fault_naming_its_line_and_is_left_out()
    {
        // t = 0, 1, 2, 3 s; P = 100, -300, 100, 100 W. Without the -300 W sample: 0→2 at 100 W (200 J) + 2→3 (100 J) = 300 J.
        // Integrated as given it would be 1 × (100 − 300)/2 + 1 × (−300 + 100)/2 + 100 = −100 J.
        var d = EnergyAccounting.Integrate(Trace((0, 100), (1, -300), (2, 100), (3, 100)));

        var r = d.Result!;
        Assert.Equal(300.0, r.Energy.Joules, 12);
        Assert.Equal(3, r.Samples);
        Assert.Equal(100.0, r.MinPower.Watts);
        var fault = Assert.Single(d.Faults);
        Assert.Equal(FaultKind.InvalidValue, fault.Kind);
        Assert.Equal(3, fault.Line);
        Assert.Equal("device 0: power -300 W is negative, which no meter reads; the sample is left out.", fault.Message);
    }

    [Fact]
    public void Only_negative_readings_give_no_energy_never_a_negative_one()
    {
        var d = EnergyAccounting.Integrate(Trace((0, -300), (1, -300), (2, -300)));

        Assert.Null(d.Result);
        Assert.Contains(d.Faults, f => f.Kind == FaultKind.Fatal);
        Assert.Equal(3, d.Faults.Count(f => f.Kind == FaultKind.InvalidValue));
    }

    [Fact]
    public void Time_stamps_that_go_back_and_re_cover_a_span_are_integrated_once()
    {
        // A 100 W trace t = 0..9 s written twice (the logger appended to the same file after a restart, or the clock
        // was set back): wall time 9 s, 900 J. Integrating the second pass too gives 18 s and 1800 J.
        var points = Enumerable.Range(0, 10).Concat(Enumerable.Range(0, 10)).Select(t => ((double)t, (double?)100.0)).ToArray();
        var d = EnergyAccounting.Integrate(Trace(points));

        var r = d.Result!;
        Assert.Equal(TimeSpan.FromSeconds(9), r.IntegratedDuration);
        Assert.True(r.IntegratedDuration <= r.Duration, $"integrated {r.IntegratedDuration} > wall {r.Duration}");
        Assert.Equal(900.0, r.Energy.Joules, 12);
        var back = d.Faults.Where(f => f.Kind == FaultKind.NonMonotonicTime).ToList();
        Assert.Equal(2, back.Count);
        Assert.Equal(12, back[0].Line); // the 11th sample, t = 0 after t = 9 (lines start at 2)
        Assert.Contains("9 s before the latest sample's (line 11)", back[0].Message, StringComparison.Ordinal);
        Assert.Equal("device 0: 9 sample(s) from line 12 to line 20 re-cover time already integrated and are left out (not integrated twice).", back[1].Message);
    }

    [Fact]
    public void A_single_backward_sample_is_left_out_and_its_span_counted_once()
    {
        // t = 0, 2, 1, 3 at 100 W: 0→2 (200 J); t = 1 re-covers 1..2 and is left out; 2→3 (100 J) = 300 J over the 3 s wall.
        var d = EnergyAccounting.Integrate(Trace((0, 100), (2, 100), (1, 100), (3, 100)));

        Assert.Equal(300.0, d.Result!.Energy.Joules, 12);
        Assert.Equal(3, d.Result.Samples);
        var fault = Assert.Single(d.Faults);
        Assert.Equal(FaultKind.NonMonotonicTime, fault.Kind);
        Assert.Equal(4, fault.Line);
    }
}
