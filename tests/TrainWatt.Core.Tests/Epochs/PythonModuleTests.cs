using System.Diagnostics;
using TrainWatt.Core.Epochs;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary>
/// The Python module <c>python/trainwatt</c> prints what <see cref="EpochDetector"/> and <see cref="StepProgressParser"/>
/// read, and its own unit tests (markers, closed stdout, callbacks against stand-in framework classes) pass.
/// Needs python3 on PATH (skips otherwise).
/// </summary>
public class PythonModuleTests
{
    private static string PythonDir => Path.Combine(SharedData.RepositoryRoot, "python");

    private static (int Code, string Out, string Err) RunPython(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = PythonDir };
        info.Environment["PYTHONPATH"] = PythonDir;
        info.Environment.Remove("TRAINWATT_MARKERS");
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("python3 is not on PATH");
            throw;
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "python3 did not finish within 120 s");
            return (process.ExitCode, stdout, stderr.Result);
        }
    }

    [Fact]
    public void Should_Print_The_Same_Lines_As_The_Dotnet_Helper()
    {
        var (code, output, err) = RunPython("-c",
            "import trainwatt as t; t.planned_epochs(50); t.epoch_start(3); t.step(12, 469); t.epoch_end(3, samples=23807); t.metric('f1', 0.97)");

        Assert.True(code == 0, err);
        string expected = string.Join('\n',
            TrainWattMarker.FormatPlan(50), TrainWattMarker.FormatEpochStart(3, 50), TrainWattMarker.FormatStep(12, 469),
            TrainWattMarker.FormatEpochEnd(3, 50, 23807), TrainWattMarker.FormatMetric("f1", 0.97)) + "\n";
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Should_Show_Plan_Epochs_Steps_And_Metrics_To_The_Readers()
    {
        // Given: a loop with the epochs()/steps() helpers: 3 epochs of 4 batches, one metric per epoch
        var (code, output, err) = RunPython("-c",
            "import trainwatt as t\nfor e in t.epochs(3):\n    for b in t.steps(range(4)):\n        pass\n    t.metric(accuracy=0.5 + e / 10)\n");
        Assert.True(code == 0, err);

        // When
        var detector = new EpochDetector();
        var parser = new StepProgressParser();
        var events = new List<DetectorEvent>();
        var steps = new List<StepProgress>();
        new OutputLineSplitter().Append(output, (s, e) =>
        {
            events.AddRange(detector.Scan(s, e));
            if (parser.Scan(s) is { } p)
            {
                steps.Add(p);
            }
        });
        events.AddRange(detector.Complete());

        // Then
        Assert.Equal(EpochFramework.Marker, detector.Detected);
        Assert.Equal<DetectorEvent>(
            [new EpochStarted(1, 3), new EpochEnded(1, 3, null), new EpochStarted(2, 3), new EpochEnded(2, 3, null), new EpochStarted(3, 3), new EpochEnded(3, 3, null)],
            events.Where(e => e is EpochStarted or EpochEnded));
        Assert.Equal([0.6, 0.7, 0.8], events.OfType<MetricReported>().Select(m => m.Value));
        Assert.Equal(3, parser.PlannedEpochs);
        Assert.Contains(new StepProgress(4, 4, ProgressScope.Epoch), steps);
    }

    [Fact]
    public void Should_Pass_The_Module_Unit_Tests()
    {
        var (code, _, err) = RunPython("-m", "unittest", "discover", "-s", "tests");

        Assert.True(code == 0, err);
        Assert.Contains("OK", err, StringComparison.Ordinal);
    }
}
