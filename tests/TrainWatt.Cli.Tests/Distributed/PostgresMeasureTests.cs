using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>Real <c>trainwatt measure</c> processes writing to one PostgreSQL database at once.</summary>
[Collection(ProcessHeavyCollection.Name)]
public class PostgresMeasureTests(PostgresServer server)
{
    private const string TwoGpus = """
        [device]
        name = NVIDIA Fake A100
        uuid = GPU-aaaaaaaa-0000-0000-0000-000000000001
        energy_counter = yes
        power_w = 0:150, 2:250, 4:200
        [device]
        name = NVIDIA Fake A100
        uuid = GPU-aaaaaaaa-0000-0000-0000-000000000002
        energy_counter = yes
        power_w = 0:100
        """;

    [Fact]
    public async Task Should_Store_Every_Run_And_Sample_When_Eight_Measure_Processes_Write_To_One_Database_At_Once()
    {
        // Given: one fresh database, migrated once so that the timing below is the writers' (migration racing is tested too: see the second test)
        string url = server.CreateDatabase();
        using var fake = FakeNvml.Create(TwoGpus);
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath, ["TRAINWATT_DB"] = url };

        // When: 8 measure processes (100 ms sampling, 2 GPUs each) run a 3 s command concurrently
        var clock = Stopwatch.StartNew();
        var processes = Enumerable.Range(0, 8).Select(i => TrainWattProcess.Start(env,
            "measure", "--meters", "nvml", "--progress", "quiet", "--tag", $"writer={i}", "--summary-json", dir.File($"summary-{i}.json"), "--", "sleep", "3")).ToList();
        var results = await Task.WhenAll(processes.Select(p => p.WaitAsync(TimeSpan.FromMinutes(3))));
        clock.Stop();
        processes.ForEach(p => p.Dispose());
        TestContext.Current.TestOutputHelper?.WriteLine($"8 concurrent measure processes (3 s command each) finished in {clock.Elapsed.TotalSeconds:F1} s");

        // Then: 8 completed runs; each run's stored samples give exactly the energy its process reported (oracle: the
        // process's own --summary-json, computed from the same readings before they were written: a lost or duplicated
        // batch would change the stored counter difference or the sample count)
        Assert.All(results, r => Assert.True(r.Code == 0, r.Stderr));
        using var store = PostgresRunStore.Open(url);
        var runs = store.ListRuns();
        Assert.Equal(8, runs.Count);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), runs.Select(r => r.Tags["writer"]).Order());
        for (int i = 0; i < 8; i++)
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(dir.File($"summary-{i}.json")));
            long runId = summary.RootElement.GetProperty("run_id").GetInt64();
            var details = store.GetRun(runId)!;
            Assert.Equal(RunStatus.Completed, details.Run.Status);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), details.Run.Tags["writer"]);
            foreach (var component in summary.RootElement.GetProperty("components").EnumerateArray())
            {
                var device = details.Energy.Single(e => e.Device.Key == component.GetProperty("name").GetString());
                TestContext.Current.TestOutputHelper?.WriteLine($"run {runId} {device.Device.Key}: {device.Samples} samples, largest gap {device.MaxGap?.TotalMilliseconds:F0} ms");
                Assert.Equal(component.GetProperty("energy_j").GetDouble(), device.Energy!.Value.Joules, 6);
                // Exactly the readings the process took (its own count in the summary): no batch lost or written twice.
                // 3 s at 100 ms is about 30; at least 25 even when 8 processes share 2 cores. The largest gap is only
                // bounded loosely: on a loaded machine the sampler thread can be descheduled for over a second (seen:
                // 1.6 s with other builds running), which delays readings but loses none (the count above says so).
                Assert.Equal(summary.RootElement.GetProperty("readings").GetInt64(), device.Samples);
                Assert.InRange(device.Samples, 25, 60);
                Assert.True(device.MaxGap < TimeSpan.FromSeconds(5), $"run {runId} {device.Device.Key}: gap {device.MaxGap}");
            }
        }
    }

    [Fact]
    public void Should_Migrate_A_New_Database_Once_When_Many_Processes_Open_It_At_Once()
    {
        string url = server.CreateDatabase();

        // When: 8 stores open the empty database concurrently (each tries to migrate)
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using var store = PostgresRunStore.Open(url);
        });

        // Then: schema_version holds versions 1 to 4 once each (advisory lock; a race would fail with duplicate tables or rows)
        using var connection = new Npgsql.NpgsqlConnection(PostgresConnectionString.ToNpgsql(url));
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version", connection);
        Assert.Equal("1,2,3,4", command.ExecuteScalar());
    }
}
