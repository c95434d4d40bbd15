using TrainWatt.Core;
using TrainWatt.Storage.Import;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Import;

public class NvidiaSmiImporterTests : IDisposable
{
    private static readonly DateTime Start = new(2023, 3, 2, 9, 0, 30);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Should_Store_One_Run_With_Samples_Energy_And_The_Truncated_Last_Line_As_A_Fault()
    {
        // Given: 5 rows of 100, 110, 120, 130, 140 W one second apart, then a half-written line (line 7, no newline).
        string file = _temp.File("gpu.csv");
        File.WriteAllText(file, SyntheticTraces.NvidiaSmi(Start, 5, k => 100 + 10 * k) + "2023/03/02 09:00:35.000, 0, NVID");
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        // When
        var report = new NvidiaSmiImporter(store).Import([file]);

        // Then
        var imported = Assert.Single(report.Imported);
        Assert.Equal(["truncated_line"], imported.Flags);
        Assert.Equal(5, imported.Samples);
        var run = store.GetRun(imported.RunId)!;
        Assert.Equal(RunStatus.Completed, run.Run.Status);
        Assert.Equal(NvidiaSmiImporter.Source, run.Run.Source);
        Assert.Equal(new DateTimeOffset(Start, TimeSpan.Zero), run.Run.Started);
        Assert.Equal(new DateTimeOffset(Start.AddSeconds(4), TimeSpan.Zero), run.Run.Ended);
        var device = Assert.Single(run.Energy);
        Assert.Equal("gpu:0", device.Device.Key);
        Assert.Equal("NVIDIA Test GPU", device.Device.Name);
        // Hand derivation, trapezoid: (100+110)/2 + (110+120)/2 + (120+130)/2 + (130+140)/2 = 480 J.
        Assert.Equal(480.0, device.Energy!.Value.Joules, 9);
        Assert.Equal(Provenance.Sampled, device.Provenance);
        var fault = Assert.Single(run.Annotations);
        Assert.Equal(("truncated_line", file, (int?)7), (fault.Kind, fault.File, fault.Line));
        Assert.Contains(Path.GetFullPath(file), run.Run.Metadata);
        // Every sample keeps its source line (header is line 1).
        Assert.Equal([2, 3, 4, 5, 6], store.ReadSamples(imported.RunId).Select(s => s.SourceLine!.Value));
    }

    [Fact]
    public void Should_Split_A_Multi_Gpu_Trace_Into_One_Run_Per_Device()
    {
        string file = _temp.File("multi.csv");
        var lines = new List<string> { SyntheticTraces.NvidiaSmiHeader };
        for (int k = 0; k < 3; k++)
        {
            lines.Add(SyntheticTraces.NvidiaSmiRow(Start.AddSeconds(k), 0, "GPU A", 1, 1, 50, 30));
            lines.Add(SyntheticTraces.NvidiaSmiRow(Start.AddSeconds(k), 1, "GPU B", 1, 1, 200, 30));
        }

        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        var report = new NvidiaSmiImporter(store).Import([file]);

        Assert.Equal(2, report.Imported.Count);
        Assert.EndsWith("#0", report.Imported[0].SourceKey);
        Assert.EndsWith("#1", report.Imported[1].SourceKey);
        // Hand derivation: constant 50 W and 200 W over 2 s = 100 J and 400 J.
        Assert.Equal(100.0, store.GetRun(report.Imported[0].RunId)!.TotalEnergy!.Value.Joules, 9);
        Assert.Equal(400.0, store.GetRun(report.Imported[1].RunId)!.TotalEnergy!.Value.Joules, 9);
        Assert.Equal("GPU B", store.GetRun(report.Imported[1].RunId)!.Devices[0].Name);
    }

    [Fact]
    public void Should_Skip_Or_Replace_A_File_Imported_Before()
    {
        string file = _temp.File("gpu.csv");
        File.WriteAllText(file, SyntheticTraces.NvidiaSmi(Start, 3, _ => 10));
        using var store = SqliteRunStore.Open(_temp.File("s.db"));
        var importer = new NvidiaSmiImporter(store);
        long first = Assert.Single(importer.Import([file]).Imported).RunId;

        var again = importer.Import([file]);
        Assert.Empty(again.Imported);
        Assert.Single(again.Skipped);
        Assert.Equal(first, Assert.Single(store.ListRuns()).Id);

        var replaced = importer.Import([file], ExistingRunPolicy.Replace);
        Assert.Single(replaced.Replaced);
        long second = Assert.Single(replaced.Imported).RunId;
        Assert.NotEqual(first, second);
        Assert.Equal(second, Assert.Single(store.ListRuns()).Id);
    }

    [Fact]
    public void Should_Report_An_Unusable_File_Without_Storing_A_Run_And_Import_The_Others()
    {
        string good = _temp.File("good.csv");
        string garbage = _temp.File("garbage.csv");
        File.WriteAllText(good, SyntheticTraces.NvidiaSmi(Start, 3, _ => 10));
        File.WriteAllBytes(garbage, [0x00, 0xff, 0x13, 0x37, 0x00, 0x42]);
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        var report = new NvidiaSmiImporter(store).Import([garbage, good]);

        Assert.Single(report.Imported);
        var failure = Assert.Single(report.Failed);
        Assert.Equal(garbage, failure.File);
        Assert.Single(store.ListRuns());
    }
}
