using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>
/// A real <c>trainwatt measure</c> writing to a real PostgreSQL server that goes down mid-run. Each test starts its OWN
/// server (stopping the assembly's shared one would break the tests using it at the same time).
/// </summary>
[Collection(ProcessHeavyCollection.Name)]
public partial class StoreOutageTests
{
    [Fact]
    public async Task Should_Replay_Every_Queued_Write_Into_The_Run_When_The_Server_Restarts_Mid_Run()
    {
        // Given: a dedicated server, a fake GPU at a constant 200 W, and a 5 s command
        using var server = new PostgresServer();
        string url = server.CreateDatabase();
        using var fake = FakeNvml.ConstantGpu(200);
        using var dir = new TempDirectory();
        string summaryPath = dir.File("summary.json");

        // When: the server stops (fast shutdown: connections cut) 0.7 s into recording and is back 2 s later
        using var measure = StartMeasure(fake, dir, url, summaryPath, "30s", "5");
        await Recording(measure);
        await Task.Delay(TimeSpan.FromSeconds(0.7), TestContext.Current.CancellationToken);
        server.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        server.Start();
        var (code, _, stderr) = await measure.WaitAsync(TimeSpan.FromMinutes(2));

        // Then: one warning, one recovery line, no spool; the run is complete and holds exactly what was measured
        Assert.True(code == 0, stderr);
        Assert.Single(Regex.Matches(stderr, "warning: the store stopped answering"));
        var back = Assert.Single(BackLine().Matches(stderr));
        TestContext.Current.TestOutputHelper?.WriteLine(back.Value);
        Assert.DoesNotContain("sync --spool", stderr, StringComparison.Ordinal);
        AssertStoredRunEqualsSummary(url, summaryPath);
        Assert.False(Directory.Exists(Path.Combine(dir.File("data"), "trainwatt", "spool")) && Directory.EnumerateFiles(Path.Combine(dir.File("data"), "trainwatt", "spool")).Any());
    }

    [Fact]
    public async Task Should_Spool_What_The_Store_Lacks_When_It_Is_Still_Down_At_The_End_And_Sync_It_Into_The_Same_Run_Once()
    {
        using var server = new PostgresServer();
        string url = server.CreateDatabase();
        using var fake = FakeNvml.ConstantGpu(200);
        using var dir = new TempDirectory();
        string summaryPath = dir.File("summary.json");

        // When: the server stops 0.5 s into recording of a 3 s command and stays down (no final retry window)
        using var measure = StartMeasure(fake, dir, url, summaryPath, "0", "3");
        await Recording(measure);
        await Task.Delay(TimeSpan.FromSeconds(0.5), TestContext.Current.CancellationToken);
        server.Stop();
        var (code, _, stderr) = await measure.WaitAsync(TimeSpan.FromMinutes(2));

        // Then: the command's exit code, and the spool file named with host, pid and run id, in the data folder
        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        long runId = summary.RootElement.GetProperty("run_id").GetInt64();
        var printed = Assert.Single(SpoolLine().Matches(stderr));
        string spool = printed.Groups["file"].Value;
        Assert.True(File.Exists(spool), stderr);
        Assert.Equal(Path.Combine(dir.File("data"), "trainwatt", "spool"), Path.GetDirectoryName(spool));
        Assert.Matches(string.Create(CultureInfo.InvariantCulture, $@"^spool-.+-\d+-run{runId}\.db$"), Path.GetFileName(spool));
        Assert.Contains("is still down after 0 s", stderr, StringComparison.Ordinal);

        // While the server is still down, the printed command fails clearly and keeps the spool
        var early = CliHarness.Run("sync", "--spool", spool);
        Assert.Equal(73, early.ExitCode);
        Assert.Contains($"cannot complete run {runId} from {spool}", early.Err, StringComparison.Ordinal);
        Assert.Contains($"run `trainwatt sync --spool {spool}` again once the store answers", early.Err, StringComparison.Ordinal);

        // When: the server is back and the printed command runs, twice
        server.Start();
        var first = CliHarness.Run("sync", "--spool", spool);
        var countsAfterFirst = Counts(url, runId);
        var second = CliHarness.Run("sync", "--spool", spool);

        // Then: the run is complete with exactly what was measured; the second sync changes nothing
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.Contains($"into run {runId} of postgres://postgres@127.0.0.1:{server.Port}/", first.Out, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(first.Out);
        AssertStoredRunEqualsSummary(url, summaryPath);
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.StartsWith("nothing to replay", second.Out, StringComparison.Ordinal);
        Assert.Equal(countsAfterFirst, Counts(url, runId));
    }

    /// <summary>
    /// Oracle: the process's own --summary-json, computed from the same readings before they were written: the stored
    /// counter difference per device equals its energy, and every reading is stored once (a lost batch lowers the
    /// count, a replayed one raises it).
    /// </summary>
    private static void AssertStoredRunEqualsSummary(string url, string summaryPath)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        long runId = summary.RootElement.GetProperty("run_id").GetInt64();
        long readings = summary.RootElement.GetProperty("readings").GetInt64();
        using var store = PostgresRunStore.Open(url);
        var details = store.GetRun(runId)!;
        Assert.Equal(RunStatus.Completed, details.Run.Status);
        Assert.Equal(0, details.Run.ExitCode);
        Assert.True(readings > 20, $"readings {readings}");
        TestContext.Current.TestOutputHelper?.WriteLine($"run {runId}: {readings} readings, stored {details.Run.SampleCount} samples");
        foreach (var component in summary.RootElement.GetProperty("components").EnumerateArray())
        {
            var device = details.Energy.Single(e => e.Device.Key == component.GetProperty("name").GetString());
            Assert.Equal(component.GetProperty("energy_j").GetDouble(), device.Energy!.Value.Joules, 6);
            Assert.Equal(readings, device.Samples);
            var times = store.ReadSamples(runId, device.Device.Id).Select(s => s.Timestamp).ToList();
            Assert.Equal(times.Count, times.Distinct().Count());
        }
    }

    private static (long Samples, int Annotations, int Epochs) Counts(string url, long runId)
    {
        using var store = PostgresRunStore.Open(url);
        var details = store.GetRun(runId)!;
        return (details.Run.SampleCount, details.Annotations.Count, details.Epochs.Count);
    }

    private static TrainWattProcess StartMeasure(FakeNvml fake, TempDirectory dir, string url, string summaryPath, string storeRetry, string seconds)
    {
        var env = new Dictionary<string, string?>
        {
            ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath,
            ["XDG_DATA_HOME"] = dir.File("data"),
        };
        return TrainWattProcess.Start(env, "measure", "--meters", "nvml", "--progress", "quiet", "--db", url, "--store-retry", storeRetry,
            "--summary-json", summaryPath, "--", "sleep", seconds);
    }

    /// <summary>Waits until measure has created the run and started recording.</summary>
    private static Task Recording(TrainWattProcess measure)
        => measure.WaitForStderrLineAsync(line => line.Contains("trainwatt: recording to", StringComparison.Ordinal), TimeSpan.FromMinutes(1));

    [GeneratedRegex(@"store back after \d+\.\d s: \d+ batches replayed")]
    private static partial Regex BackLine();

    [GeneratedRegex(@"^trainwatt:   trainwatt sync --spool (?<file>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SpoolLine();
}
