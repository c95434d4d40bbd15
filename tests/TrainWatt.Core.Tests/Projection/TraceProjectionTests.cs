using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Simulation;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Projection;

/// <summary><see cref="TraceProjection"/>: offline STEP from a trace file and an epoch log file.</summary>
public sealed class TraceProjectionTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// 1 Hz at a constant 100 W, complete samples at t = 0..199 s, 20 epochs of 10 s ending at t = 10, 20, ..., 200 s;
    /// with <paramref name="halfWrittenLine"/>, the logger was stopped while writing the sample of t = 200 s.
    /// </summary>
    private (string Trace, string Epochs) Files(bool halfWrittenLine)
    {
        string trace = _dir.File(halfWrittenLine ? "cut.csv" : "whole.csv");
        using (var w = new StreamWriter(trace))
        {
            w.Write(TrainingRunSimulator.NvidiaSmiHeader + "\n");
            for (int t = 0; t < 200; t++)
            {
                w.Write(Line(t) + "\n");
            }

            if (halfWrittenLine)
            {
                w.Write(Line(200)[..60]); // no line end: the row pandas read with NaN fields
            }
        }

        string epochs = _dir.File("epochs.csv");
        File.WriteAllText(epochs, "epoch,end_time\n" + string.Concat(Enumerable.Range(0, 20).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k},{Start.AddSeconds(10 * (k + 1)):yyyy-MM-ddTHH:mm:ss.fff}\n"))));
        return (trace, epochs);
    }

    private static string Line(int t) => string.Create(CultureInfo.InvariantCulture, $"{Start.AddSeconds(t):yyyy/MM/dd HH:mm:ss.fff}, NVIDIA GeForce RTX 3090, 90 %, 30 %, 24576 MiB, 20000 MiB, 100.00 W, 350.00 W, 60");

    [Theory]
    // Hand derivation (paper-notes 1.4, the paper's pipeline drops the last 3 rows pandas read; a half-written last line
    // is one of them): epochs 0-18 hold 1000 J each (10 s x 100 W, the previous epoch's last sample carried in).
    // Whole file: samples 197-199 dropped, epoch 19 = 190 -> 196 s = 600 J, measured 19 600 J.
    // Half-written line: it and samples 198-199 dropped, epoch 19 = 190 -> 197 s = 700 J, measured 19 700 J (the
    // re-declared trim in ProjectCommand dropped 3 complete samples here too and gave 19 600 J).
    // Projection (s = 10, w = 5, N = 20): 10 x 1000 + 1000 x (20 - 10) = 20 000 J either way.
    [InlineData(false, 19_600)]
    [InlineData(true, 19_700)]
    public void Parity_Drops_The_Last_Three_Rows_As_Pandas_Read_Them(bool halfWrittenLine, double measured)
    {
        var (trace, epochs) = Files(halfWrittenLine);
        var result = TraceProjection.Project(new TraceProjectionRequest(trace, epochs) { Seaa2023Parity = true });
        Assert.Equal(measured, result.Projection.Measured.Joules, 1e-6);
        Assert.Equal(20_000, result.Projection.Estimate!.Value.Joules, 1e-6);
        Assert.Equal(halfWrittenLine, result.Warnings.Any(w => w.Contains("half-written last line", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_Parity_Every_Complete_Sample_Counts()
    {
        // Hand: epoch 19 = 190 -> 199 s = 900 J; measured 19 900 J.
        var (trace, epochs) = Files(halfWrittenLine: true);
        var result = TraceProjection.Project(new TraceProjectionRequest(trace, epochs));
        Assert.Equal(19_900, result.Projection.Measured.Joules, 1e-6);
    }

    [Fact]
    public void Inputs_And_Requests_The_Files_Contradict_Fail_With_Typed_Exceptions()
    {
        var (trace, epochs) = Files(halfWrittenLine: false);
        var missing = Assert.Throws<FileNotFoundException>(() => TraceProjection.Project(new TraceProjectionRequest(_dir.File("nope.csv"), epochs)));
        Assert.Contains("nope.csv", missing.Message, StringComparison.Ordinal);
        File.WriteAllText(_dir.File("bad.csv"), "epoch,end_time\n0,2026-03-02T09:00:10\n2,2026-03-02T09:00:20\n");
        Assert.Contains("bad.csv:3", Assert.Throws<InvalidDataException>(() => TraceProjection.Project(new TraceProjectionRequest(trace, _dir.File("bad.csv")))).Message, StringComparison.Ordinal);
        Assert.Contains("beyond the last epoch", Assert.Throws<ArgumentException>(() => TraceProjection.Project(new TraceProjectionRequest(trace, epochs) { AfterEpoch = 20 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TraceProjection.Project(new TraceProjectionRequest(trace, epochs) { Seaa2023Parity = true, Method = ProjectionMethod.Carbontracker }));
    }

    [Fact]
    public void Simulated_Run_Files_Are_Written_As_Enumerated_With_Their_Truth()
    {
        var files = SimulatedRunFiles.Write(_dir.File("sim"), seed: 5, count: 2, sampleHz: 2).ToList();
        Assert.Equal([_dir.File("sim/run-5-gpu.csv"), _dir.File("sim/run-6-gpu.csv")], files.Select(f => f.TracePath.Replace('\\', '/')));
        Assert.All(files, f => Assert.Equal(2, f.Run.Spec.SampleHz));
        string truth = File.ReadAllText(files[0].TruthPath);
        Assert.StartsWith("{\"seed\":5,\"sample_hz\":2,", truth, StringComparison.Ordinal);
        Assert.EndsWith("}\n", truth, StringComparison.Ordinal);

        // The simulated run projects within its interval from its files (the same files `project` reads).
        var run = files[0];
        var projection = TraceProjection.Project(new TraceProjectionRequest(run.TracePath, run.EpochLogPath)).Projection;
        Assert.Equal(run.Run.MeasuredEnergy.Joules, projection.Measured.Joules, run.Run.MeasuredEnergy.Joules * 1e-9);
    }
}
