using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Traces;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Traces;

/// <summary>
/// <see cref="TraceEnergy.Integrate"/> on small files written here. Energies by hand (trapezoid: Σ Δt × (P₁ + P₂) / 2);
/// outcomes per <see cref="ExitCode"/>.
/// </summary>
public sealed class TraceEnergyTests : IDisposable
{
    private const string Header = "timestamp, power.draw [W]\n";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Trace(string name, params (int Second, double Watts)[] samples)
    {
        string path = _temp.File(name);
        File.WriteAllText(path, Header + string.Concat(samples.Select(s => $"2024/01/01 00:00:{s.Second:00}.000, {s.Watts} W\n")));
        return path;
    }

    [Fact]
    public void Integrates_Each_Trace_In_Path_Order()
    {
        // b: 100 W for 2 s = 200 J; a: 10 W then 30 W over 2 s = 40 J. Rows sorted by path: a before b.
        string b = Trace("gpu-power-b.csv", (0, 100), (2, 100));
        string a = Trace("gpu-power-a.csv", (0, 10), (2, 30));

        var report = TraceEnergy.Integrate([b, a], TraceEnergyOptions.Default);

        Assert.Equal(ExitCode.Success, report.Outcome);
        Assert.Empty(report.Problems);
        Assert.Equal([a, b], report.Rows.Select(r => r.File));
        Assert.Equal(40.0, report.Rows[0].EnergyJ, 9);
        Assert.Equal(200.0, report.Rows[1].EnergyJ, 9);
        Assert.Equal(("trapezoid", "sampled", null), (report.Rows[0].Method, report.Rows[0].Provenance, report.Rows[0].Parity));
    }

    [Fact]
    public void A_Missing_Path_Is_NoInput_And_The_Good_Traces_Are_Still_Reported()
    {
        string good = Trace("gpu-power-g.csv", (0, 10), (1, 10));
        string missing = _temp.File("nope.csv");

        var report = TraceEnergy.Integrate([good, missing], TraceEnergyOptions.Default);

        Assert.Equal(ExitCode.NoInput, report.Outcome);
        Assert.Equal(new TraceProblem(true, $"{missing}: no such file or directory."), Assert.Single(report.Problems));
        Assert.Equal(10.0, Assert.Single(report.Rows).EnergyJ, 9);
    }

    [Fact]
    public void A_Directory_Without_Traces_Is_NoInput()
    {
        Directory.CreateDirectory(_temp.File("empty"));

        var report = TraceEnergy.Integrate([_temp.File("empty")], TraceEnergyOptions.Default);

        Assert.Equal(ExitCode.NoInput, report.Outcome);
        Assert.Contains("no gpu-power-*.csv or gpu-power-*.csv.gz trace", Assert.Single(report.Problems).Text);
    }

    [Fact]
    public void An_Unreadable_Trace_Is_DataError_With_Its_Message()
    {
        string bad = _temp.File("gpu-power-h.csv");
        File.WriteAllText(bad, Header);

        var report = TraceEnergy.Integrate([bad], TraceEnergyOptions.Default);

        Assert.Equal(ExitCode.DataError, report.Outcome);
        var problem = Assert.Single(report.Problems);
        Assert.True(problem.IsError);
        Assert.StartsWith($"{bad}: has a header but no data lines", problem.Text);
        Assert.Empty(report.Rows);
    }

    [Fact]
    public void The_Left_Rule_And_The_Gap_Threshold_Are_Applied()
    {
        // t = 0, 1, 4 at 100, 100, 200 W. Threshold 2 s: the 3 s interval is excluded → 100 J; threshold 5 s, left rule: 100 + 3 × 100 = 400 J.
        string path = Trace("gpu-power-g.csv", (0, 100), (1, 100), (4, 200));

        var gap = Assert.Single(TraceEnergy.Integrate([path], TraceEnergyOptions.Default with { GapThreshold = TimeSpan.FromSeconds(2) }).Rows);
        var left = Assert.Single(TraceEnergy.Integrate([path], new TraceEnergyOptions(IntegrationMethod.LeftRiemann, TimeSpan.FromSeconds(5))).Rows);

        Assert.Equal((100.0, 3.0), (gap.EnergyJ, gap.ExcludedGapS));
        Assert.Equal("gap", Assert.Single(gap.Faults).Kind);
        Assert.Equal((400.0, "left"), (left.EnergyJ, left.Method));
    }

    [Fact]
    public void An_Idle_Baseline_Gives_Net_Energy_Or_Says_Why_Not()
    {
        // t = 0..4 s at 20, 20, 20, 120, 120 W: gross 230 J; first:3 → 20 W → net 230 − 20 × 4 = 150 J; first:9 → too few samples.
        string path = Trace("gpu-power-i.csv", (0, 20), (1, 20), (2, 20), (3, 120), (4, 120));

        var measured = Assert.Single(TraceEnergy.Integrate([path], TraceEnergyOptions.Default with { Idle = new IdleBaseline(null, 3) }).Rows);
        var tooShort = Assert.Single(TraceEnergy.Integrate([path], TraceEnergyOptions.Default with { Idle = new IdleBaseline(null, 9) }).Rows);

        Assert.Equal((230.0, 20.0, 150.0, "sampled"), (measured.EnergyJ, measured.IdlePowerW!.Value, measured.NetEnergyJ!.Value, measured.IdleProvenance));
        Assert.Null(tooShort.NetEnergyJ);
        Assert.Equal("missing_value", Assert.Single(tooShort.Faults).Kind);
    }

    [Theory]
    [InlineData("25W", 25.0, null)]
    [InlineData("12.5", 12.5, null)]
    [InlineData("first:3", null, 3)]
    public void Idle_Baselines_Parse(string text, double? watts, int? first)
    {
        Assert.True(IdleBaseline.TryParse(text, out var baseline, out string? error));
        Assert.Null(error);
        Assert.Equal(new IdleBaseline(watts is { } w ? Power.FromWatts(w) : null, first), baseline);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("first:0")]
    [InlineData("-3W")]
    public void A_Bad_Idle_Baseline_Names_The_Value_And_The_Forms(string text)
    {
        Assert.False(IdleBaseline.TryParse(text, out _, out string? error));
        Assert.Equal($"'{text}' is neither a power in watts (e.g. 25W) nor first:N (e.g. first:3, the mean of the first 3 samples).", error);
    }
}
