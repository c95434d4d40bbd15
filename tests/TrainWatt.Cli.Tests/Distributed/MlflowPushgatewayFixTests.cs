using System.Text.Json;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Telemetry;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>Issue 19: MLflow gets metrics and tags only, finite values, node/rank-qualified keys; Pushgateway URLs.</summary>
public class MlflowPushgatewayFixTests
{
    [Fact]
    public void Should_Leave_Non_Finite_Values_Out_And_Send_No_Params()
    {
        // Before the fix Body threw (Utf8JsonWriter.WriteNumber refuses NaN) and wrote a "params" array.
        string body = MlflowLogger.Body("r1",
            [new("a", 1.5, 7, 1), new("b", double.NaN, 7, 1), new("c", double.PositiveInfinity, 7, 1), new("d", double.NegativeInfinity, 7, 1)],
            [new("t", "v")]);

        using var json = JsonDocument.Parse(body);
        var metric = Assert.Single(json.RootElement.GetProperty("metrics").EnumerateArray());
        Assert.Equal(("a", 1.5), (metric.GetProperty("key").GetString(), metric.GetProperty("value").GetDouble()));
        Assert.False(json.RootElement.TryGetProperty("params", out _));
        Assert.Equal("v", json.RootElement.GetProperty("tags")[0].GetProperty("value").GetString());
    }

    [Theory]
    [InlineData(null, null, "node-a", "")]
    [InlineData("job42", null, "node-a", ".node-a")]
    [InlineData("job42", "3", "node-a", ".node-a.rank3")]
    [InlineData(null, "0", "gpu@host:1", ".gpu_host_1.rank0")] // MLflow keys: letters, digits, _ - . space /
    public void Should_Qualify_Keys_By_Node_And_Rank_In_Distributed_Jobs(string? jobId, string? rank, string node, string expected)
        => Assert.Equal(expected, MlflowLogger.KeySuffix(new DistributedJob(jobId, node, rank)));

    [Fact]
    public async Task Should_Log_Qualified_Epoch_Metrics_And_Drop_A_Zero_Length_Epochs_Power()
    {
        // Given: a logger to a recording server, an observer for rank 1 on node n1
        using var server = new RecordingHttpServer();
        var warnings = new List<string>();
        using var logger = new MlflowLogger(new Uri(server.Url), "run9", warnings.Add);
        var observer = new TelemetryObserver(null, logger, TimeProvider.System, "store", warnings.Add, null, MlflowLogger.KeySuffix(new DistributedJob("j", "n1", "1")));

        // When: an epoch of zero duration (its mean power is undefined: not sent, where it used to be 0 W)
        observer.EpochEnded(new EpochReport(new TrainWatt.Meters.Sampling.MeasuredEpoch(2, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), [TrainWatt.Core.Units.Energy.FromJoules(5)], null, null, false), null, null));
        Assert.True(logger.Drain(TimeSpan.FromSeconds(30)));

        // Then
        var request = Assert.Single(server.Requests);
        using var json = JsonDocument.Parse(request.Body);
        var keys = json.RootElement.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("key").GetString()).ToList();
        Assert.Equal(["trainwatt_epoch_energy_j.n1.rank1", "trainwatt_energy_j.n1.rank1"], keys);
        Assert.Empty(warnings);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("http://gw:9091", "17", "http://gw:9091/metrics/job/trainwatt/run_id/17")]
    [InlineData("http://proxy/pushgateway/", "17", "http://proxy/pushgateway/metrics/job/trainwatt/run_id/17")] // path prefix kept
    [InlineData("http://gw:9091", "", "http://gw:9091/metrics/job/trainwatt/run_id@base64/=")] // empty value, as the Pushgateway README says
    [InlineData("http://gw:9091", "a/b", "http://gw:9091/metrics/job/trainwatt/run_id@base64/YS9i")] // base64url("a/b") = YS9i
    [InlineData("http://u:p@gw:9091/x?q=1", "5", "http://gw:9091/x/metrics/job/trainwatt/run_id/5")] // no credentials, no query
    public void Should_Build_The_Group_Url_As_The_Pushgateway_Documents(string push, string runId, string expected)
        => Assert.Equal(expected, MeasureExporters.GroupUrl(new Uri(push), runId).AbsoluteUri);
}
