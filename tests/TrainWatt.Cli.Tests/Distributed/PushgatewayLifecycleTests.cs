using TrainWatt.Measurement;
using TrainWatt.Meters.Sampling;
using TrainWatt.Telemetry;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>Issue 19: the Pushgateway group is pushed while the run goes on, pushed at the end, or deleted with --pushgateway-delete.</summary>
public class PushgatewayLifecycleTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public void Should_Push_Periodically_While_The_Run_Goes_On_And_Stop_At_The_End()
    {
        // Given: exporters pushing every 50 ms (15 s in real runs) to a recording gateway, a run "7" started
        using var gateway = new RecordingHttpServer();
        var warnings = new List<string>();
        using var exporters = Started(new TelemetrySettings(null, null, "127.0.0.1", gateway.Url, null, null, PushInterval: TimeSpan.FromMilliseconds(50)), warnings);

        // When: two periodic pushes have arrived before the run ends, then the run ends
        WaitFor(() => gateway.Requests.Count >= 2);
        exporters.Finish(warnings.Add);
        int atEnd = gateway.Requests.Count;
        Thread.Sleep(300); // six periods: a timer still running would push again

        // Then: every request is a PUT of the run's metrics to its group, the last one the final push; none after the end
        Assert.All(gateway.Requests, r => Assert.Equal(("PUT", "/metrics/job/trainwatt/run_id/7"), (r.Method, r.Path)));
        Assert.Contains("trainwatt_energy_joules_total", gateway.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal(atEnd, gateway.Requests.Count);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Should_Warn_Once_When_Periodic_Pushes_Fail()
    {
        // Given: a gateway answering 503 to the first five requests
        using var gateway = new RecordingHttpServer(503, 503, 503, 503, 503);
        var warnings = new List<string>();
        using var exporters = Started(new TelemetrySettings(null, null, "127.0.0.1", gateway.Url, null, null, PushInterval: TimeSpan.FromMilliseconds(50)), warnings);

        // When: three pushes failed
        WaitFor(() => gateway.Requests.Count >= 3);
        exporters.Finish(_ => { });

        // Then: one warning for all of them, naming the status
        var warning = Assert.Single(warnings);
        Assert.Contains("answered HTTP 503 to PUT", warning, StringComparison.Ordinal);
        Assert.Contains("(said once)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Delete_The_Group_At_The_End_Keeping_The_Path_Prefix_And_Credentials()
    {
        // Given: --pushgateway-delete, a gateway behind a path prefix and basic auth; no periodic push within the test
        using var gateway = new RecordingHttpServer();
        var warnings = new List<string>();
        string url = $"http://ci:pw@127.0.0.1:{gateway.Port}/gw/";
        using var exporters = Started(new TelemetrySettings(null, null, "127.0.0.1", url, null, null, PushgatewayDelete: true, PushInterval: TimeSpan.FromHours(1)), warnings);

        // When
        exporters.Finish(warnings.Add);

        // Then: one DELETE (no final PUT) on the group's path, prefix kept; "Basic " + base64("ci:pw") (RFC 7617; Python's
        // base64.b64encode(b"ci:pw") = b"Y2k6cHc=")
        var delete = Assert.Single(gateway.Requests);
        Assert.Equal(("DELETE", "/gw/metrics/job/trainwatt/run_id/7", "Basic Y2k6cHc="), (delete.Method, delete.Path, delete.Authorization));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Should_Keep_The_Jobs_Exit_Code_When_The_Gateway_Refuses_The_Delete()
    {
        // Given: a gateway refusing everything with 500
        using var dir = new TempDirectory();
        using var gateway = new RecordingHttpServer(500, 500, 500, 500);

        // When: a job exiting 3, measured with --pushgateway-delete
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--pushgateway", gateway.Url, "--pushgateway-delete", "--", "sh", "-c", "exit 3");

        // Then: the job's exit code, a warning naming the group left behind, the DELETE sent
        Assert.True(code == 3, stderr);
        Assert.Contains($"warning: the Pushgateway {gateway.Url} answered HTTP 500 to DELETE", stderr, StringComparison.Ordinal);
        Assert.Contains("is left on the gateway (the run is stored)", stderr, StringComparison.Ordinal);
        Assert.Equal("DELETE", gateway.Requests[^1].Method);
    }

    [Fact]
    public void Should_Refuse_Delete_Without_A_Gateway()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--pushgateway-delete", "--", "true");

        Assert.Equal(64, code);
        Assert.Contains("--pushgateway-delete needs --pushgateway URL", stderr, StringComparison.Ordinal);
    }

    private static MeasureExporters Started(TelemetrySettings settings, List<string> warnings)
    {
        var (exporters, error) = MeasureExporters.Start(settings, new HostContext(TimeProvider.System, new Dictionary<string, string?>()), warnings.Add);
        Assert.Null(error);
        var channel = new TrainWatt.Meters.MeterChannel("gpu:0", "gpu", "A100", TrainWatt.Core.Provenance.Counter, "GPU-1", null);
        exporters!.Observer(TimeProvider.System, "store", warnings.Add)!.RunStarted("7",
            new MeasurementRunInfo(DateTimeOffset.UnixEpoch, ["x"], new Dictionary<string, string>(), [channel], TimeSpan.FromSeconds(1), null, TimeSpan.Zero, null));
        return exporters;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out (hang guard)");
            Thread.Sleep(20);
        }
    }
}
