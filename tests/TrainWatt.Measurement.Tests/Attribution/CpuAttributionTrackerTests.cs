using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Units;
using TrainWatt.Meters;

namespace TrainWatt.Measurement.Tests.Attribution;

/// <summary>A run's CPU figures are the difference of the meters' totals between its first and last reading (hand-derived values).</summary>
public class CpuAttributionTrackerTests
{
    [Fact]
    public void The_Run_Gets_The_Difference_Between_Its_First_And_Last_Snapshot()
    {
        var rapl = new ScriptedCpuMeter("cpu:package-0", "cpu") { Totals = new(Energy.FromJoules(10), Energy.FromJoules(2)) };
        var ram = new ScriptedCpuMeter("ram", "ram") { Totals = new(Energy.FromJoules(999), Energy.FromJoules(999)) }; // no cpu channel: ignored
        var tracker = new CpuAttributionTracker([rapl, ram], CpuAttribution.Process);
        Assert.True(tracker.Active);
        Assert.Equal(CpuAttribution.Process, rapl.Attribution);
        Assert.Equal(CpuAttribution.Machine, ram.Attribution);

        tracker.Start();
        rapl.Totals = new(Energy.FromJoules(110), Energy.FromJoules(12));
        var result = tracker.Finish()!;

        // Machine 110 − 10 = 100 J; the tree 12 − 2 = 10 J; share 10/100; under process the run is charged the 10 J.
        Assert.Equal((100.0, 10.0, 10.0), (result.Machine.Joules, result.Process.Joules, result.Run.Joules));
        Assert.Equal(0.1, result.Share!.Value, 12);
        Assert.Equal(Provenance.Counter, result.Provenance);
        Assert.Equal(CpuAttribution.Machine, rapl.Attribution); // back to the machine's figure between runs
        Assert.Equal("cpu attribution process: the run's CPU energy 10.00 J (counter, attributed, 10.0 % of the machine's); machine-wide 100.0 J (counter), not charged to the run (--cpu-attribution machine charges it)", result.Line());

        // Stored as an annotation and read back by runs show.
        string message = result.AnnotationMessage();
        Assert.Equal("mode=process provenance=counter run_j=10 machine_j=100 process_j=10", message);
        Assert.Equal(result, CpuAttributionResult.FromAnnotation(message));
        Assert.Null(CpuAttributionResult.FromAnnotation("mode=tree provenance=counter machine_j=1 process_j=1"));
    }

    [Fact]
    public void Machine_Mode_Charges_The_Machine_And_Says_What_The_Share_Was()
    {
        var model = new ScriptedCpuMeter("cpu:model", "cpu", Provenance.Model);
        var tracker = new CpuAttributionTracker([model], CpuAttribution.Machine);
        tracker.Start();
        model.Totals = new(Energy.FromJoules(40), Energy.Zero);
        var result = tracker.Finish()!;
        Assert.Equal(40, result.Run.Joules);
        Assert.Equal(0, result.Share);
        Assert.StartsWith("cpu attribution machine: the run is charged the machine-wide CPU energy 40.00 J (model); the process tree's share was 0 J (model, attributed, 0.0 %", result.Line());
        var json = CpuAttributionJson.From(result)!;
        Assert.Equal(("machine", "model", 40.0, 40.0, 0.0), (json.Mode, json.Provenance, json.RunJoules, json.MachineJoules, json.ProcessJoules));
    }

    [Fact]
    public void Without_A_Cpu_Meter_There_Is_Nothing_To_Report()
    {
        var tracker = new CpuAttributionTracker([new ScriptedCpuMeter("gpu:0", "gpu")], CpuAttribution.Process);
        Assert.False(tracker.Active);
        tracker.Start();
        Assert.Null(tracker.Finish());
        Assert.Null(tracker.Result);
    }

    private sealed class ScriptedCpuMeter(string id, string component, Provenance provenance = Provenance.Counter) : IMeter, ICpuAttributedMeter
    {
        public string Name => "scripted";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new MeterChannel(id, component, id, provenance)];

        public CpuAttribution Attribution { get; set; } = CpuAttribution.Machine;

        public Provenance CpuProvenance => provenance;

        public CpuEnergyTotals Totals { get; set; }

        public CpuEnergyTotals CpuTotals => Totals;

        public MeterReading Read() => new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, [new ChannelReading(id, null, null)]);

        public void Dispose()
        {
        }
    }
}
