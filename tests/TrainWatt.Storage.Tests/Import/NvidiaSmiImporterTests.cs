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

    [Fact]
    public void Should_Keep_The_Earlier_Run_When_A_Replacing_Import_Turns_Out_Unusable_At_Its_End()
    {
        // Given: a good import of gpu.csv.gz (10,000 rows of 100 W: 999,900 J by hand), then the file cut short
        string file = _temp.File("gpu.csv.gz");
        byte[] whole = Gzip(SyntheticTraces.NvidiaSmi(Start, 10_000, _ => 100));
        File.WriteAllBytes(file, whole);
        using var store = SqliteRunStore.Open(_temp.File("s.db"));
        var importer = new NvidiaSmiImporter(store);
        long first = Assert.Single(importer.Import([file]).Imported).RunId;
        File.WriteAllBytes(file, whole[..(whole.Length * 3 / 4)]);

        // When: imported again with replace; its samples stream into a new run before the end shows the gzip is cut
        var report = importer.Import([file], ExistingRunPolicy.Replace);

        // Then: the new run is gone, the earlier one is untouched under its key, and the failure says why
        Assert.Empty(report.Imported);
        Assert.Empty(report.Replaced);
        Assert.Contains("truncated or corrupt gzip", Assert.Single(report.Failed).Message);
        var run = Assert.Single(store.ListRuns());
        Assert.Equal((first, RunStatus.Completed, 10_000L), (run.Id, run.Status, run.SampleCount));
        Assert.Equal(first, store.FindBySourceKey($"nvidia-smi:{Path.GetFullPath(file)}#0"));
        Assert.Equal(100.0 * 9_999, store.GetRun(first)!.TotalEnergy!.Value.Joules, 6);
    }

    [Fact]
    public void Should_Store_A_Gpu_Name_First_Written_After_Its_First_Lines_As_The_Whole_File_Reader_Did()
    {
        // Given: the name column reads [N/A] on the first 5,000 lines (more than one write batch), then "GPU B"
        string file = _temp.File("late-name.csv");
        var text = new System.Text.StringBuilder(SyntheticTraces.NvidiaSmiHeader + "\n");
        for (int k = 0; k < 6_000; k++)
        {
            text.Append(SyntheticTraces.NvidiaSmiRow(Start.AddSeconds(k), 0, k < 5_000 ? "[N/A]" : "GPU B", 1, 1, 50, 30)).Append('\n');
        }

        File.WriteAllText(file, text.ToString());
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        // When
        long id = Assert.Single(new NvidiaSmiImporter(store).Import([file]).Imported).RunId;

        // Then: the device and the run's metadata carry the name (the first one seen, as NvidiaSmiCsv.ReadFile keeps it)
        var run = store.GetRun(id)!;
        Assert.Equal("GPU B", Assert.Single(run.Devices).Name);
        Assert.Contains("\"gpu_name\":\"GPU B\"", run.Run.Metadata);
        Assert.Equal(6_000, run.Run.SampleCount);
    }

    [Fact]
    public void Should_Store_Each_Gpu_Of_A_Long_Multi_Gpu_Trace_Whole_Across_Many_Batches()
    {
        // Given: 3 GPUs interleaved over 5,000 ticks (15,000 lines, several batches of 4,096 samples), drawing 10, 20
        // and 30 W; GPU 2's line is missing on every 10th tick
        string file = _temp.File("three.csv");
        var text = new System.Text.StringBuilder(SyntheticTraces.NvidiaSmiHeader + "\n");
        for (int k = 0; k < 5_000; k++)
        {
            for (int gpu = 0; gpu < 3; gpu++)
            {
                if (gpu == 2 && k % 10 == 5)
                {
                    continue;
                }

                text.Append(SyntheticTraces.NvidiaSmiRow(Start.AddSeconds(k), gpu, "GPU", 1, 1, 10 * (gpu + 1), 30)).Append('\n');
            }
        }

        File.WriteAllText(file, text.ToString());
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        // When
        var report = new NvidiaSmiImporter(store).Import([file]);

        // Then: by hand, constant power over 4,999 s: 49,990 J, 99,980 J, 149,970 J (GPU 2's missing lines leave 2 s
        // intervals, well under the 5 s gap threshold); 5,000, 5,000 and 4,500 samples
        Assert.Equal(["#0", "#1", "#2"], report.Imported.Select(r => r.SourceKey[^2..]));
        Assert.Equal([5_000L, 5_000L, 4_500L], report.Imported.Select(r => r.Samples));
        Assert.Equal([49_990.0, 99_980.0, 149_970.0], report.Imported.Select(r => Math.Round(store.GetRun(r.RunId)!.TotalEnergy!.Value.Joules, 6)));
        Assert.All(store.ListRuns(), r => Assert.Equal(RunStatus.Completed, r.Status));
    }

    private static byte[] Gzip(string text)
    {
        var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
