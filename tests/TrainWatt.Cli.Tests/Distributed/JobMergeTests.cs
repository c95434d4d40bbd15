using System.Text.Json;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary><c>runs merge</c> of a simulated 2-node × 2-rank job.</summary>
[Collection(ProcessHeavyCollection.Name)]
public class JobMergeTests
{
    // Constant power per GPU so that the truth is P × window (hand derivation). Node A: 200 W and 100 W; node B: 300 W and 50 W.
    private static string Node(string letter, double w0, double w1) => $"""
        [device]
        name = NVIDIA Fake H100
        uuid = GPU-{letter}{letter}{letter}{letter}0000-0000-0000-0000-000000000000
        energy_counter = yes
        power_w = 0:{w0}
        [device]
        name = NVIDIA Fake H100
        uuid = GPU-{letter}{letter}{letter}{letter}0000-0000-0000-0000-000000000001
        energy_counter = yes
        power_w = 0:{w1}
        """;

    [Fact]
    public async Task Should_Count_Each_Gpu_Of_A_Two_Node_Two_Rank_Job_Once()
    {
        // Given: 2 "nodes" (SLURMD_NODENAME), each with 2 ranks that both see both GPUs of their node (same UUIDs).
        using var nodeA = FakeNvml.Create(Node("a", 200, 100));
        using var nodeB = FakeNvml.Create(Node("b", 300, 50));
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        using (SqliteRunStore.Open(db))
        {
            // created once, so the four writers do not race to create the file
        }

        var ranks = new[] { ("node-a", nodeA, "0"), ("node-a", nodeA, "1"), ("node-b", nodeB, "2"), ("node-b", nodeB, "3") };

        // When: the four ranks are measured at once under one SLURM job id; rank 1 and 3 run a shorter command
        var processes = ranks.Select(r => TrainWattProcess.Start(
            new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = r.Item2.LibraryPath, ["SLURM_JOB_ID"] = "4242", ["SLURMD_NODENAME"] = r.Item1, ["SLURM_PROCID"] = r.Item3 },
            "measure", "--db", db, "--meters", "nvml", "--progress", "quiet", "--", "sleep", r.Item3 is "1" or "3" ? "1.5" : "2.5")).ToList();
        var results = await Task.WhenAll(processes.Select(p => p.WaitAsync(TimeSpan.FromMinutes(2))));
        processes.ForEach(p => p.Dispose());
        Assert.All(results, r => Assert.True(r.Code == 0, r.Stderr));
        var (code, stdout, stderr) = CliHarness.Run("runs", "merge", "4242", "--db", db, "--json");

        // Then: 4 devices (2 per node), each counted whole from one run (the longer rank 0/2); the other rank's run is
        // inside that window (a duplicate) or, when a loaded machine started it late, sticks out (a partial run)
        Assert.True(code == 0, stderr);
        using var merged = JsonDocument.Parse(stdout);
        var devices = merged.RootElement.GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(4, devices.Count);
        Assert.Equal(["node-a", "node-a", "node-b", "node-b"], devices.Select(d => d.GetProperty("node").GetString()));
        Assert.All(devices, d => Assert.Equal(1, d.GetProperty("counted_runs").GetArrayLength()));
        Assert.All(devices, d => Assert.Equal(1, d.GetProperty("duplicate_runs").GetArrayLength() + d.GetProperty("partial_runs").GetArrayLength()));

        // Oracle: constant power P over the union of the two ranks' sample windows of a GPU gives P × |union| (the
        // counter is the exact integral). The merged total is Σ P_i × |union_i| over the 4 GPUs; the naive sum over the 4
        // runs would count every GPU twice.
        using var store = SqliteRunStore.Open(db);
        double truth = 0, naive = 0;
        foreach (var d in devices)
        {
            string uuid = d.GetProperty("uuid").GetString()!;
            long runId = d.GetProperty("counted_runs")[0].GetInt64();
            var windows = store.ListRuns().Select(r => store.GetRun(r.Id)!.Energy.SingleOrDefault(e => e.Device.Uuid == uuid)).OfType<TrainWatt.Storage.StoredDeviceEnergy>().ToList();
            Assert.Equal(2, windows.Count);
            var first = windows.Min(w => w.First!.Value);
            var last = windows.Max(w => w.Last!.Value);
            double watts = uuid.StartsWith("GPU-aaaa", StringComparison.Ordinal)
                ? (d.GetProperty("device").GetString() == "gpu:0" ? 200 : 100)
                : (d.GetProperty("device").GetString() == "gpu:0" ? 300 : 50);
            truth += watts * (last - first).TotalSeconds;
            var counted = store.GetRun(runId)!.Energy.Single(e => e.Device.Uuid == uuid);
            if (d.GetProperty("partial_runs").GetArrayLength() == 0)
            {
                Assert.Equal(counted.Energy!.Value.Joules, d.GetProperty("energy_j").GetDouble(), 9); // exactly the counted run's device
            }
        }

        foreach (var run in store.ListRuns())
        {
            naive += store.GetRun(run.Id)!.TotalEnergy!.Value.Joules;
        }

        double total = merged.RootElement.GetProperty("energy_j").GetDouble();
        // 1 %: a sample's time stamp is taken a few ms away from its counter read (more on a loaded machine), so
        // P × (last − first) differs from the counter difference by P × a few ms per end.
        Assert.Equal(truth, total, truth * 0.01);
        Assert.True(naive > 1.4 * total, $"naive sum {naive} J should double count (merged {total} J)");
        var nodes = merged.RootElement.GetProperty("nodes");
        Assert.Equal(total, nodes.GetProperty("node-a").GetDouble() + nodes.GetProperty("node-b").GetDouble(), 1e-6);

        // runs show on the job id gives the same merged view
        var (showCode, showOut, _) = CliHarness.Run("runs", "show", "4242", "--db", db, "--json");
        Assert.Equal(0, showCode);
        Assert.Equal(total, JsonDocument.Parse(showOut).RootElement.GetProperty("energy_j").GetDouble());
    }
}
