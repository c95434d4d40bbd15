using TrainWatt.Core.Traces;
using TrainWatt.Storage.Import;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Import;

/// <summary>
/// Issue 13: a trace that gives no energy (no power readings, one sample, no time between samples) is never stored as
/// a completed run reading 0 J. It is refused with a fault naming the file, the device and why.
/// </summary>
public sealed class ImportWithoutEnergyTests : IDisposable
{
    private const string Header = "timestamp, index, name, power.draw [W]";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("na", "2024/06/03 14:00:00.000, 0, G, [N/A]\n2024/06/03 14:00:01.000, 0, G, [N/A]\n2024/06/03 14:00:02.000, 0, G, [N/A]\n",
        "device 0 has 0 sample(s) with power")]
    [InlineData("one", "2024/06/03 14:00:00.000, 0, G, 100 W\n", "device 0 has 1 sample(s) with power")]
    [InlineData("equal", "2024/06/03 14:00:00.000, 0, G, 100 W\n2024/06/03 14:00:00.000, 0, G, 110 W\n2024/06/03 14:00:00.000, 0, G, 120 W\n",
        "device 0 has no positive time between its samples")]
    public void A_trace_without_usable_energy_is_refused_not_stored_as_0_J(string name, string lines, string why)
    {
        string file = _temp.File($"gpu-power-{name}.csv");
        File.WriteAllText(file, Header + "\n" + lines);
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        var report = new NvidiaSmiImporter(store).Import([file]);

        Assert.Empty(report.Imported);
        var fault = Assert.Single(report.Failed);
        Assert.Equal(FaultKind.Fatal, fault.Kind);
        Assert.Equal(file, fault.File);
        Assert.Contains(why, fault.Message, StringComparison.Ordinal);
        Assert.EndsWith("not imported: a run without energy would read as 0 J.", fault.Message, StringComparison.Ordinal);
        Assert.Empty(store.ListRuns());
    }

    [Fact]
    public void In_a_multi_gpu_trace_only_the_device_without_energy_is_refused()
    {
        string file = _temp.File("gpu-power-mixed.csv");
        File.WriteAllText(file, Header + "\n" +
            "2024/06/03 14:00:00.000, 0, G, 100 W\n2024/06/03 14:00:00.000, 1, G, [N/A]\n" +
            "2024/06/03 14:00:01.000, 0, G, 100 W\n2024/06/03 14:00:01.000, 1, G, [N/A]\n");
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        var report = new NvidiaSmiImporter(store).Import([file]);

        var run = Assert.Single(report.Imported);
        Assert.EndsWith("#0", run.SourceKey, StringComparison.Ordinal);
        Assert.Equal(100.0, Assert.Single(store.GetRun(run.RunId)!.Energy).Energy!.Value.Joules, 9);
        Assert.Contains("device 1 has 0 sample(s) with power", Assert.Single(report.Failed).Message, StringComparison.Ordinal);
    }
}
