using CsCheck;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using static TrainWatt.Core.Tests.Accounting.TraceBuilder;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>The streaming integrator against hand derivations and against itself under trimming.</summary>
public class EnergyIntegratorTests
{
    [Fact]
    public void Should_Hold_Back_Trimmed_Samples_And_Release_Some_On_Request()
    {
        // 0..6 s at P = 10·t W, trim 1 + 3. Complete() keeps t = 1, 2, 3: (10+20)/2 + (20+30)/2 = 40 J.
        // Complete(trimEnd: 1) keeps t = 1..5: 15 + 25 + 35 + 45 = 120 J.
        var options = new EnergyOptions { TrimStart = 1, TrimEnd = 3 };
        var trace = Trace(Enumerable.Range(0, 7).Select(i => ((double)i, (double?)(10.0 * i))).ToArray());

        var full = new EnergyIntegrator("f", "0", null, options);
        var partial = new EnergyIntegrator("f", "0", null, options);
        foreach (var s in trace.Samples)
        {
            full.Add(s);
            partial.Add(s);
        }

        Assert.Equal(40.0, full.Complete().Result!.Energy.Joules, 12);
        Assert.Equal(120.0, partial.Complete(trimEnd: 1).Result!.Energy.Joules, 12);
    }

    [Fact]
    public void Should_Give_The_Energy_So_Far_As_Complete_Would_Without_Ending()
    {
        // 0..4 s at P = 10·t W. Hand: after one sample none (fewer than 2); after t = 0, 1, 2: 5 + 15 = 20 J; after all
        // five: 5 + 15 + 25 + 35 = 80 J, the same as Complete() afterwards.
        var trace = Trace(Enumerable.Range(0, 5).Select(i => ((double)i, (double?)(10.0 * i))).ToArray());
        var integrator = new EnergyIntegrator("f", "0", null);
        var seen = new List<double?>();
        foreach (var s in trace.Samples)
        {
            integrator.Add(s);
            seen.Add(integrator.EnergySoFar()?.Joules);
        }

        Assert.Equal([null, 5.0, 20.0, 45.0, 80.0], seen);
        Assert.Equal(80.0, integrator.Complete().Result!.Energy.Joules);
        Assert.Throws<InvalidOperationException>(() => new EnergyIntegrator("f", "0", null, new EnergyOptions { TrimEnd = 1 }).EnergySoFar());
    }

    [Fact]
    public void Should_Refuse_Use_After_Complete_And_A_Larger_Trim()
    {
        var integrator = new EnergyIntegrator("f", "0", null, new EnergyOptions { TrimEnd = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => integrator.Complete(trimEnd: 2));

        var done = new EnergyIntegrator("f", "0", null);
        done.Complete();
        Assert.Throws<InvalidOperationException>(() => done.Add(Trace((0, 1)).Samples[0]));
    }

    [Fact]
    public void Trimming_In_The_Integrator_Equals_Integrating_The_Sliced_Series()
    {
        // Law: trimming a and b samples equals integrating samples[a .. n−b] untrimmed.
        Gen.Select(Gen.Double[0.01, 3].Array[2, 60], Gen.Int[0, 5], Gen.Int[0, 5]).Sample((intervals, a, b) =>
        {
            var points = new (double, double?)[intervals.Length + 1];
            double t = 0;
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = (t, 100 + (37 * Math.Sin(i)));
                t += i < intervals.Length ? intervals[i] : 0;
            }

            var trimmed = EnergyAccounting.Integrate(Trace(points), new EnergyOptions { TrimStart = a, TrimEnd = b });
            var sliced = points.Skip(a).Take(Math.Max(0, points.Length - a - b)).ToArray();
            var plain = EnergyAccounting.Integrate(Trace(sliced));

            Assert.Equal(plain.Result is null, trimmed.Result is null);
            if (plain.Result is { } p)
            {
                Assert.Equal(p.Energy.Joules, trimmed.Result!.Energy.Joules, 9);
                Assert.Equal(p.Samples, trimmed.Result.Samples);
            }
        }, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Scan_Streams_Samples_To_A_Sink_In_File_Order()
    {
        var sink = new ListSink();
        var scan = NvidiaSmiCsv.Scan(
            new MemoryStream("timestamp, index, power.draw [W]\n2024/01/01 00:00:00.000, 1, 5 W\n2024/01/01 00:00:00.000, 0, 6 W\nbad\n"u8.ToArray()),
            "s.csv",
            sink);

        Assert.False(scan.IsFatal);
        Assert.Equal(2, scan.Samples);
        Assert.Equal(FaultKind.Garbage, Assert.Single(scan.Faults).Kind);
        Assert.Equal([("1", 5.0), ("0", 6.0)], sink.Items);
    }

    private sealed class ListSink : ITraceSampleSink
    {
        public List<(string, double)> Items { get; } = [];

        public void OnSample(string device, string? gpuName, in GpuSample sample) => Items.Add((device, sample.Power!.Value.Watts));
    }
}
