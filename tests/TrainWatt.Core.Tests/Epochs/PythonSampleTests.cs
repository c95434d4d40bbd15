using System.Diagnostics;
using TrainWatt.Core.Epochs;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary>The Python helper and demo in samples/python speak the same protocol as <see cref="TrainWattMarker"/>.</summary>
public class PythonSampleTests
{
    private static string RunPython(params string[] args)
    {
        string samples = Path.Combine(SharedData.RepositoryRoot, "samples", "python");
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = samples };
        info.Environment["PYTHONPATH"] = samples;
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
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, stderr);
            return stdout;
        }
    }

    [Fact]
    public void Should_Print_The_Same_Marker_Lines_As_The_Dotnet_Helper()
    {
        string output = RunPython("-c", "from trainwatt_marker import *; epoch_start(n=3, total=50); epoch_end(n=3, total=50, samples=23807); epoch_end(); metric(f1=0.97)");
        string expected = string.Join('\n',
            TrainWattMarker.FormatEpochStart(3, 50), TrainWattMarker.FormatEpochEnd(3, 50, 23807), TrainWattMarker.FormatEpochEnd(), TrainWattMarker.FormatMetric("f1", 0.97)) + "\n";
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Should_Print_The_Same_Step_Marker_As_The_Dotnet_Helper()
    {
        string output = RunPython("-c", "from trainwatt_marker import step; step(12, 469); step(n=1, total=2)");
        Assert.Equal(TrainWattMarker.FormatStep(12, 469) + "\n" + TrainWattMarker.FormatStep(1, 2) + "\n", output);
    }

    [Fact]
    public void Should_Make_The_Demo_Show_Keras_Epochs_And_A_Metric_To_The_Detector()
    {
        // Given: the demo's real output (2 epochs, sleeping, \r progress bars)
        string output = RunPython("demo_train.py", "--epochs", "2", "--seconds", "0.02", "--sleep");

        // When
        var detector = new EpochDetector();
        var events = new List<DetectorEvent>();
        var splitter = new OutputLineSplitter();
        splitter.Append(output, (s, e) => events.AddRange(detector.Scan(s, e)));
        events.AddRange(detector.Complete());

        // Then: each epoch ends at its final "20/20 [...]" line, not at exit
        Assert.Equal(EpochFramework.Keras, detector.Detected);
        Assert.Equal<DetectorEvent>(
            [new EpochStarted(1, 2), new EpochEnded(1, 2, null), new EpochStarted(2, 2), new EpochEnded(2, 2, null)],
            events.Where(e => e is EpochStarted or EpochEnded));
        Assert.Equal("accuracy", Assert.Single(events.OfType<MetricReported>()).Name);
    }
}
