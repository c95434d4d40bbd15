using System.Text.Json;
using TrainWatt.Storage.Import;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Import;

/// <summary>
/// The SEAA importer on a tiny synthetic data set laid out like ../shared/data/seaa2023 (traces/ENV/MODEL/, runs.csv).
/// Oracle for every expectation: the synthetic files' time stamps, chosen by hand below.
/// </summary>
public class Seaa2023ImporterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public Seaa2023ImporterTests()
    {
        string folder = Path.Combine(_temp.Path, "traces", "cloud", "vgg16");
        Directory.CreateDirectory(folder);
        void Gpu(string stamp, DateTime start, int rows) => File.WriteAllText(Path.Combine(folder, $"gpu-power-{stamp}.csv"), SyntheticTraces.NvidiaSmi(start, rows, _ => 100));
        void Cpu(string stamp, DateTime start, int rows) => File.WriteAllText(Path.Combine(folder, $"cpu-mem-usage-{stamp}.csv"), SyntheticTraces.Process(start, rows));

        // Run 0, normal: GPU 10:00:00-10:00:19, process 10:00:02-10:00:16 (GPU ends 3 s after the process). File stamps differ by 1 s.
        Gpu("20230101T100000", new DateTime(2023, 1, 1, 10, 0, 0), 20);
        Cpu("20230101T100001", new DateTime(2023, 1, 1, 10, 0, 2), 15);
        // Run 1, lost tail: GPU 11:00:00-11:00:09, process 11:00:02-11:00:13 (GPU ends 4 s early).
        Gpu("20230101T110000", new DateTime(2023, 1, 1, 11, 0, 0), 10);
        Cpu("20230101T110000", new DateTime(2023, 1, 1, 11, 0, 2), 12);
        // Run 2, early process end: GPU 12:00:00-12:00:39, process 12:00:02-12:00:11 (ends 28 s before the GPU trace).
        Gpu("20230101T120000", new DateTime(2023, 1, 1, 12, 0, 0), 40);
        Cpu("20230101T120000", new DateTime(2023, 1, 1, 12, 0, 2), 10);
        // Run 3: no process trace within 2 min (the only other one starts 5 min earlier).
        Gpu("20230101T130000", new DateTime(2023, 1, 1, 13, 0, 0), 5);
        Cpu("20230101T125500", new DateTime(2023, 1, 1, 12, 55, 0), 5);

        File.WriteAllText(Path.Combine(_temp.Path, "runs.csv"),
            "training environment,architecture,run,gpu model,energy (MJ)\n" +
            "Cloud,vgg16,0,NVIDIA Test GPU,0.5\n" +
            "Local,vgg16,0,Other GPU,0.7\n" +
            "Cloud,vgg16,1,NVIDIA Test GPU,0.6\n");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Should_Pair_Traces_Take_The_Window_From_The_Process_And_Flag_Lost_Tails_And_Early_Process_Ends()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        var report = new Seaa2023Importer(store).Import(_temp.Path);

        Assert.Empty(report.Failed);
        // The process trace of 12:55 pairs with no GPU trace (the nearest starts 5 min later): reported, not imported.
        Assert.EndsWith("cpu-mem-usage-20230101T125500.csv", Assert.Single(report.AllWarnings).File);
        Assert.Equal(
            ["seaa2023:cloud/vgg16/20230101T100000", "seaa2023:cloud/vgg16/20230101T110000", "seaa2023:cloud/vgg16/20230101T120000", "seaa2023:cloud/vgg16/20230101T130000"],
            report.Imported.Select(r => r.SourceKey));
        var runs = report.Imported.Select(r => store.GetRun(r.RunId)!).ToList();

        Assert.Equal(RunStatus.Completed, runs[0].Run.Status);
        Assert.Empty(runs[0].Annotations);
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 10, 0, 2, TimeSpan.Zero), runs[0].Run.Started);
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 10, 0, 16, TimeSpan.Zero), runs[0].Run.Ended);
        Assert.Equal(["gpu:0", "process"], runs[0].Devices.Select(d => d.Key));
        Assert.Equal(1900.0, runs[0].TotalEnergy!.Value.Joules, 9); // 100 W x 19 s of GPU trace; the process device has no power.

        Assert.Equal(RunStatus.Incomplete, runs[1].Run.Status);
        var lostTail = Assert.Single(runs[1].Annotations);
        Assert.Equal("lost_tail", lostTail.Kind);
        Assert.Contains("ends 4 s before the training process", lostTail.Message);

        Assert.Equal(RunStatus.Completed, runs[2].Run.Status);
        // Issue 14: its process trace spans 9 s of the GPU trace's 39 s (23.1 %, under half): partial, as well as early.
        Assert.Equal(["partial_process_trace", "early_process_end"], runs[2].Annotations.Where(a => a.Kind != "no_metadata").Select(a => a.Kind));
        Assert.StartsWith("partial process trace: it covers 9 s, 23.1 % of the GPU trace's 39 s", runs[2].Annotations[0].Message, StringComparison.Ordinal);
        Assert.Contains(runs[2].Annotations, a => a.Kind == "no_metadata"); // runs.csv has no run 2

        Assert.Contains(runs[3].Annotations, a => a.Kind == "unpaired");
        Assert.Equal(["gpu:0"], runs[3].Devices.Select(d => d.Key));
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 13, 0, 0, TimeSpan.Zero), runs[3].Run.Started); // GPU window when unpaired
    }

    [Fact]
    public void Should_Record_The_Matching_Runs_Csv_Row_By_Gpu_Model_Architecture_And_Run_Index()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"));

        var report = new Seaa2023Importer(store).Import(_temp.Path);

        using var run0 = JsonDocument.Parse(store.GetRun(report.Imported[0].RunId)!.Run.Metadata!);
        Assert.Equal("Cloud", run0.RootElement.GetProperty("environment").GetString());
        Assert.Equal(0, run0.RootElement.GetProperty("run").GetInt32());
        Assert.Equal(0.5, run0.RootElement.GetProperty("runs_csv").GetProperty("energy (MJ)").GetDouble());
        using var run1 = JsonDocument.Parse(store.GetRun(report.Imported[1].RunId)!.Run.Metadata!);
        Assert.Equal(0.6, run1.RootElement.GetProperty("runs_csv").GetProperty("energy (MJ)").GetDouble());
        Assert.EndsWith("cpu-mem-usage-20230101T110000.csv", run1.RootElement.GetProperty("process_trace").GetString());
    }

    [Fact]
    public void Should_Skip_Everything_On_Reimport_And_Replace_When_Asked()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"));
        var importer = new Seaa2023Importer(store);
        importer.Import(_temp.Path);
        var ids = store.ListRuns().Select(r => r.Id).ToList();

        var again = importer.Import(_temp.Path);

        Assert.Empty(again.Imported);
        Assert.Equal(4, again.Skipped.Count);
        Assert.Equal(ids, store.ListRuns().Select(r => r.Id));

        var replaced = importer.Import(_temp.Path, ExistingRunPolicy.Replace);
        Assert.Equal(4, replaced.Replaced.Count);
        Assert.Equal(4, store.ListRuns().Count);
    }

    [Fact]
    public void Should_Fail_Clearly_On_A_Folder_Without_Traces()
    {
        using var store = SqliteRunStore.Open(_temp.File("s.db"));
        string empty = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(empty);

        var report = new Seaa2023Importer(store).Import(empty);

        Assert.Contains("no gpu-power-*.csv", Assert.Single(report.Failed).Message);
        Assert.Empty(store.ListRuns());
    }
}
