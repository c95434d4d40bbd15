using System.Diagnostics;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Nvml;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>
/// GPU attribution (issue 17) through the real P/Invoke path: the fake NVML lists the test's own command (found by a
/// marker in its command line) and another process (this test process, which is not in the command's tree).
/// Oracle: the share is the run's SM utilisation over the total, 60 / (60 + 20) = 0.75, by hand.
/// </summary>
public sealed class GpuAttributionTests
{
    private static Process StartMarked(string marker)
    {
        // $0 of `sh -c` is the marker, so it is in /proc/PID/cmdline; the shell then waits for its child `sleep`.
        var start = new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 30; :", marker } };
        return Process.Start(start)!;
    }

    private static void ReadFor(NvmlMeter meter, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            meter.Read();
            Thread.Sleep(100);
        }
    }

    [Fact]
    public void Should_Attribute_The_Runs_Share_By_Sm_Utilisation_When_Another_Process_Uses_The_Gpu()
    {
        string marker = "tw-attr-" + Guid.NewGuid().ToString("N");
        using var run = StartMarked(marker);
        try
        {
            using var fake = FakeNvml.Create($"""
                [device]
                name = NVIDIA Fake A100
                power_w = 0:200
                process = cmdline:{marker} : 60 : 1024
                process = {Environment.ProcessId} : 20 : 512
                [device]
                name = NVIDIA Fake A100
                process = cmdline:{marker} : 90
                """);
            using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System);
            meter.AttachRun(run.Id);

            ReadFor(meter, TimeSpan.FromSeconds(1.5));

            // gpu:0 is shared; gpu:1 had only the run on it and is not listed (unchanged).
            var shared = Assert.Single(meter.Attribution);
            Assert.Equal("gpu:0", shared.ChannelId);
            Assert.Equal(0.75, shared.Share, 12);
            Assert.Equal([Environment.ProcessId], shared.OtherProcesses);
            Assert.Contains("SM utilisation", shared.Basis);
            Assert.Equal(300.0, shared.Of(Energy.FromJoules(400)).Joules, 9);
            Assert.Contains($"gpu:0 was shared: 1 other process used it (pid {Environment.ProcessId}); the run's attributed share is 75.0 %", shared.Note(Energy.FromJoules(400)));
        }
        finally
        {
            run.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Should_Split_Equally_Without_Per_Process_Utilisation()
    {
        string marker = "tw-attr-" + Guid.NewGuid().ToString("N");
        using var run = StartMarked(marker);
        try
        {
            using var fake = FakeNvml.Create($"""
                [device]
                process = cmdline:{marker} : 60
                process = {Environment.ProcessId} : 20
                process = 1 : 0
                process_utilization = no
                """);
            using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System);
            meter.AttachRun(run.Id);

            ReadFor(meter, TimeSpan.FromSeconds(0.5));

            // Oracle: one of the three compute processes is the run's: 1/3.
            var shared = Assert.Single(meter.Attribution);
            Assert.Equal(1 / 3.0, shared.Share, 12);
            Assert.Equal([1, Environment.ProcessId], shared.OtherProcesses);
            Assert.Contains("equal split", shared.Basis);
        }
        finally
        {
            run.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Should_Not_Attribute_Before_The_Run_Is_Attached()
    {
        using var fake = FakeNvml.Create($"[device]\nprocess = {Environment.ProcessId} : 20\n");
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System);
        meter.Read();
        Assert.Empty(meter.Attribution);
    }
}
