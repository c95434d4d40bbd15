using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Runs;

/// <summary>
/// Issue 13: <c>runs show</c> said "energy 0 J" for a run none of whose devices has an energy measurement (every power
/// value [N/A], no samples, one sample). It must say there is none and why, never a silent 0 J: in text, and in --json
/// as <c>"energy_j": null</c> with <c>"no_energy_reason"</c>. The same for <c>runs merge JOB</c>.
/// </summary>
public class RunsShowNoEnergyTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 11, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A completed run with gpu:0 (10 samples, power and counter all null: nvidia-smi's [N/A]) and, when asked, gpu:1 (10 samples at 100 W, 1 s apart: 900 J by the trapezoid rule).</summary>
    private string Store(bool withMeasuredGpu)
    {
        string db = _temp.File("runs.db");
        using var store = SqliteRunStore.Open(db);
        long run = store.CreateRun(new NewRun("measure", T0, Command: "python3 train.py", JobId: "job-7"));
        long blind = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "NVIDIA A100", Provenance.Sampled));
        var samples = Enumerable.Range(0, 10).Select(i => new SampleRecord(blind, T0.AddSeconds(i), null, null, 50, 1024, 40, Provenance.Sampled)).ToList();
        if (withMeasuredGpu)
        {
            long seen = store.RegisterDevice(run, new DeviceRegistration("gpu:1", "gpu", "NVIDIA A100", Provenance.Sampled));
            samples.AddRange(Enumerable.Range(0, 10).Select(i => new SampleRecord(seen, T0.AddSeconds(i), Power.FromWatts(100), null, 50, 1024, 40, Provenance.Sampled)));
        }

        store.AppendSamples(run, samples);
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(9));
        return db;
    }

    [Fact]
    public void Text_Says_There_Is_No_Energy_Measurement_And_Why()
    {
        string db = Store(withMeasuredGpu: false);

        var (code, stdout, stderr) = CliHarness.Run("runs", "show", "1", "--db", db);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("  energy    none: no energy measurement: gpu:0 has 10 samples, none with a power or energy value\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0 J", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Has_A_Null_Energy_And_The_Reason()
    {
        string db = Store(withMeasuredGpu: false);

        var (code, stdout, _) = CliHarness.Run("runs", "show", "1", "--db", db, "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("energy_j").ValueKind);
        Assert.Equal("no energy measurement: gpu:0 has 10 samples, none with a power or energy value", doc.RootElement.GetProperty("no_energy_reason").GetString());
    }

    [Fact]
    public void A_Run_With_Some_Energy_Sums_What_Is_Known_And_Counts_The_Devices_Without()
    {
        string db = Store(withMeasuredGpu: true);

        var (_, text, _) = CliHarness.Run("runs", "show", "1", "--db", db);
        var (_, json, _) = CliHarness.Run("runs", "show", "1", "--db", db, "--json");

        // Oracle: gpu:1, 100 W for 9 s (10 samples 1 s apart, trapezoid) = 900 J; gpu:0 has none.
        Assert.Contains("  energy    900.0 J (sum of the devices below that have one; 1 has no energy measurement)\n", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(900, doc.RootElement.GetProperty("energy_j").GetDouble(), 9);
        Assert.False(doc.RootElement.TryGetProperty("no_energy_reason", out _));
    }

    [Fact]
    public void Runs_Merge_Of_A_Job_Without_Any_Energy_Says_So_In_Text_And_Json()
    {
        string db = Store(withMeasuredGpu: false);

        var (code, text, _) = CliHarness.Run("runs", "merge", "job-7", "--db", db);
        var (_, json, _) = CliHarness.Run("runs", "merge", "job-7", "--db", db, "--json");

        Assert.Equal(0, code);
        const string reason = "no energy measurement: none of the job's 1 run has a device with power or energy samples (see `trainwatt runs show ID` for each)";
        Assert.Contains($"  energy    none: {reason}\n", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("energy_j").ValueKind);
        Assert.Equal(reason, doc.RootElement.GetProperty("no_energy_reason").GetString());
    }
}
