using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>Bad exporter options fail before anything runs, with the option named and the fix (exit 64, sysexits EX_USAGE).</summary>
public class TelemetryOptionTests
{
    [Theory]
    [InlineData("--metrics-port", "70000", "--metrics-port must be between 0 and 65535")]
    [InlineData("--pushgateway", "ftp://x", "--pushgateway \"ftp://x\" is not an http(s) URL")]
    [InlineData("--mlflow-uri", "not a url", "--mlflow-uri (or MLFLOW_TRACKING_URI) must be the http(s) URL")]
    public void Should_Refuse_A_Bad_Exporter_Option_Before_Running_The_Command(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string marker = dir.File("ran");
        var env = new Dictionary<string, string?> { ["MLFLOW_RUN_ID"] = option == "--mlflow-uri" ? "r" : null };
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", dir.File("runs.db"), "--meters", "process", option, value, "--", "touch", marker);

        Assert.Equal(64, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker)); // the command never ran
    }

    [Fact]
    public void Should_Ask_For_An_Mlflow_Run_When_Only_The_Tracking_Uri_Is_Known()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "http://127.0.0.1:5000" };
        var (code, _, stderr) = CliHarness.Run(env, "measure", "--db", dir.File("runs.db"), "--meters", "process", "--", "true");

        Assert.Equal(64, code);
        Assert.Contains("--mlflow-run-id", stderr, StringComparison.Ordinal);
        Assert.Contains("MLFLOW_RUN_ID", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Warn_When_The_Metrics_Are_Exposed_Beyond_Loopback()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--metrics-port", "0", "--metrics-host", "0.0.0.0", "--", "true");

        Assert.True(code == 0, stderr);
        Assert.Contains("warning: --metrics-host 0.0.0.0 exposes the metrics", stderr, StringComparison.Ordinal);
        Assert.Contains("metrics at http://0.0.0.0:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Send_Pushgateway_Credentials_From_The_Url_As_Basic_Auth_And_Never_Print_Them()
    {
        // Given: a Pushgateway stand-in that refuses the push (401), and credentials in the URL (percent-encoded "@")
        using var dir = new TempDirectory();
        using var pushgateway = new RecordingHttpServer(401);
        string url = $"http://ci:s3cr%40t@127.0.0.1:{pushgateway.Port}";

        // When
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--pushgateway", url, "--", "true");

        // Then: the command's exit code; one PUT carrying "Basic " + base64("ci:s3cr@t") (RFC 7617; the value below is
        // Python's base64.b64encode(b"ci:s3cr@t")); the warning names the gateway without the credentials
        Assert.True(code == 0, stderr);
        var push = Assert.Single(pushgateway.Requests);
        Assert.Equal("PUT", push.Method);
        Assert.Equal("Basic Y2k6czNjckB0", push.Authorization);
        Assert.Contains($"warning: the Pushgateway http://127.0.0.1:{pushgateway.Port} answered HTTP 401 (the credentials in the URL were refused)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", stderr, StringComparison.Ordinal);
    }
}
