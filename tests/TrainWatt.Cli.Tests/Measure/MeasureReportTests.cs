using System.Text.Json;
using TrainWatt.Measurement;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Cli.Tests.Measure;

using Energy = TrainWatt.Core.Units.Energy;

public class MeasureReportTests
{
    private static readonly MeterChannel Gpu = new("gpu:0", "gpu", "NVIDIA Fake A100", Provenance.Counter);
    private static readonly MeterChannel Ram = new("ram", "ram", "process tree RAM", Provenance.Model);
    private static readonly MeterChannel Broken = new("gpu:1", "gpu", "NVIDIA Fake TITAN", Provenance.Sampled);

    private static MeasurementOutcome Outcome(bool idle) => new("7", new MeasurementSummary(
        ExitCode: 0,
        Duration: TimeSpan.FromSeconds(10),
        Channels:
        [
            new ChannelTotal(Gpu, Energy.FromJoules(2500), true, idle ? Power.FromWatts(50) : null),
            new ChannelTotal(Ram, Energy.FromJoules(30), true, idle ? Power.FromWatts(2) : null),
            new ChannelTotal(Broken, Energy.Zero, false, null),
        ],
        Epochs:
        [
            new MeasuredEpoch(1, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5), [Energy.FromJoules(1000), Energy.FromJoules(10), Energy.Zero], null, 2, false),
            new MeasuredEpoch(2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(9.5), [Energy.FromJoules(1200), Energy.FromJoules(12), Energy.Zero], null, 2, false),
        ],
        Metrics: new Dictionary<string, double> { ["f1"] = 0.97 },
        TotalEpochs: 2,
        Notes: []));

    [Fact]
    public void Should_Write_The_Documented_Summary_Json()
    {
        // Oracle: the shape in issue 3; totals by hand: 2500 + 30 = 2530 J (the channel without data adds nothing and
        // is null, not 0); epoch energies 1000 + 10 = 1010 J and 1200 + 12 = 1212 J.
        var root = JsonDocument.Parse(MeasureSummaryDocument.Create(Outcome(idle: false), [], null, null).ToJson()).RootElement;

        Assert.Equal(["run_id", "exit_code", "duration_s", "readings", "epochs", "components", "energy_j", "projections", "projection_error", "phases"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(7, root.GetProperty("run_id").GetInt64());
        Assert.Equal(10.0, root.GetProperty("duration_s").GetDouble());
        var first = root.GetProperty("epochs")[0];
        Assert.Equal(["n", "start_s", "end_s", "energy_j"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.5, first.GetProperty("start_s").GetDouble());
        Assert.Equal(1010.0, first.GetProperty("energy_j").GetDouble());
        Assert.Equal(1212.0, root.GetProperty("epochs")[1].GetProperty("energy_j").GetDouble());
        var components = root.GetProperty("components");
        Assert.Equal("counter", components[0].GetProperty("provenance").GetString());
        Assert.Equal("model", components[1].GetProperty("provenance").GetString());
        Assert.Equal(JsonValueKind.Null, components[2].GetProperty("energy_j").ValueKind);
        Assert.Equal(2530.0, root.GetProperty("energy_j").GetDouble());
    }

    [Fact]
    public void Should_Add_Net_Energy_And_Idle_Power_When_A_Baseline_Was_Measured()
    {
        // Net = 2530 J − (50 W + 2 W) × 10 s = 2010 J (hand).
        var root = JsonDocument.Parse(MeasureSummaryDocument.Create(Outcome(idle: true), [], null, null).ToJson()).RootElement;
        Assert.Equal(2010.0, root.GetProperty("net_energy_j").GetDouble(), 9);
        Assert.Equal(50.0, root.GetProperty("components")[0].GetProperty("idle_power_w").GetDouble());
    }

    [Fact]
    public void Should_Show_No_Data_Instead_Of_Zero_And_The_Epoch_Table_In_The_Text_Summary()
    {
        var lines = MeasureReport.Text(Outcome(idle: false), footprint: null, modelOnly: false, TimeSpan.Zero).ToList();
        Assert.Equal("run 7: exit code 0 after 10.0 s", lines[0]);
        Assert.Contains(lines, l => l.Contains("gpu:1", StringComparison.Ordinal) && l.Contains("no data", StringComparison.Ordinal));
        Assert.Contains("epochs (2 of 2 planned):", lines);
        Assert.Contains(lines, l => l.StartsWith("      1      0.50      5.00        4.50", StringComparison.Ordinal) && l.Contains("1.01 kJ", StringComparison.Ordinal));
        Assert.Contains("metric f1 = 0.97", lines);
    }

    [Fact]
    public void Should_Give_Elapsed_Epoch_Power_And_Energy_In_The_Status_Line()
    {
        var snapshot = new SamplerSnapshot(
            TimeSpan.FromSeconds(3725),
            [new ChannelStatus(Gpu, Power.FromWatts(250), Energy.FromJoules(900_000), true), new ChannelStatus(Broken, null, Energy.Zero, false)],
            OpenEpoch: null,
            EpochsEnded: 2,
            TotalEpochs: 50);
        // 3725 s = 01:02:05; epoch 3 is running (2 ended); 900 kJ so far.
        Assert.Equal("01:02:05 | epoch 3/50 | gpu:0 250.0 W | gpu:1 n/a | 900.0 kJ so far", MeasureReport.Status(snapshot));
    }
}
