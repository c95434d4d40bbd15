using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Measurement.Pre;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Pre;

/// <summary><see cref="PreFitting"/>: rows from datasets and the store, versions, and the errors that say what is missing.</summary>
public sealed class PreFittingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private HostContext Host() => new(TimeProvider.System, new Dictionary<string, string?> { ["HOME"] = _temp.Path });

    private PreFitRequest Request() => new([], PreModelFamilies.Default) { ModelsDirectory = _temp.File("models") };

    [Fact]
    public void Too_Few_Rows_Says_How_Many_Are_Needed_And_Why_Stored_Runs_Were_Not_Used()
    {
        using var store = SqliteRunStore.Open(_temp.File("runs.db"));
        Add(store, DateTimeOffset.UnixEpoch, null, 100);
        var ex = Assert.Throws<PreDatasetException>(() => PreFitting.Fit(Request(), store, Host()));
        Assert.Contains("only 0 usable row(s); a step-time PRE model needs at least 7 measured runs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 stored run(s) were not usable, e.g. run 1: no PRE feature", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fits_Version_After_Version_Into_The_Models_Folder_Or_To_An_Export_File()
    {
        using var store = SqliteRunStore.Open(_temp.File("runs.db"));
        WriteRuns(store);
        var first = PreFitting.Fit(Request(), store, Host());
        Assert.Equal(1, first.Model.Version);
        Assert.Equal(12, first.StoredRows);
        Assert.StartsWith("run 13: no PRE feature gflops (or architecture), input (HxW)", Assert.Single(first.SkippedRuns), StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_temp.File("models"), "pre-model-v1.json"), first.Path);
        Assert.Equal(2, PreFitting.Fit(Request(), store, Host()).Model.Version);
        Assert.Equal(2, PreModels.ModelFiles(_temp.File("models")).Count);

        var exported = PreFitting.Fit(Request() with { ExportPath = _temp.File("out/model.json"), Credit = "tests" }, store, Host());
        Assert.Equal(1, exported.Model.Version);
        Assert.Equal("tests", CompactPreModel.Load(exported.Path).Credit);
    }

    [Fact]
    public void A_Model_File_That_Cannot_Be_Written_Is_An_IO_Error_Naming_It()
    {
        using var store = SqliteRunStore.Open(_temp.File("runs.db"));
        WriteRuns(store);
        File.WriteAllText(_temp.File("file"), "");
        var ex = Assert.ThrowsAny<IOException>(() => PreFitting.Fit(Request() with { ExportPath = Path.Combine(_temp.File("file"), "model.json") }, store, Host()));
        Assert.StartsWith("cannot write the model file: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Missing_Dataset_Is_File_Not_Found()
        => Assert.Throws<FileNotFoundException>(() => PreFitting.Fit(Request() with { Datasets = [_temp.File("nope.csv")] }, null, Host()));

    /// <summary>Twelve runs on two GPUs with PRE metadata, P = 40 W x (GFLOPs x batch / TFLOPS)^0.25, two epochs each; one run without metadata.</summary>
    private static void WriteRuns(IRunStore store)
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        int k = 0;
        foreach (var (gpu, tflops) in new[] { ("RTX 3090", 35.58), ("RTX 3070", 20.31) })
        {
            foreach (double g in new[] { 0.5, 2, 4 })
            {
                foreach (int b in new[] { 16, 64 })
                {
                    string meta = string.Create(CultureInfo.InvariantCulture,
                        $"{{\"pre\":{{\"gflops\":{g},\"gpu\":\"{gpu}\",\"batch_size\":{b},\"input\":\"128x128\",\"train_samples\":1000,\"val_samples\":200,\"ram_gb\":16,\"architecture\":\"net{k % 3}\"}}}}");
                    Add(store, t0.AddHours(k++), meta, 40 * Math.Pow(g * b / tflops, 0.25));
                }
            }
        }

        Add(store, t0.AddHours(k), null, 100);
    }

    private static void Add(IRunStore store, DateTimeOffset start, string? metadata, double watts)
    {
        long run = store.CreateRun(new NewRun("measure", start, Metadata: metadata));
        long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "GPU", Provenance.Sampled));
        store.AppendSamples(run, Enumerable.Range(0, 3).Select(s => new SampleRecord(gpu, start.AddSeconds(10 * s), Power.FromWatts(watts), null, null, null, null, Provenance.Sampled)).ToList());
        store.AddEpoch(run, new EpochRecord(1, start, start.AddSeconds(10), Energy.FromJoules(10 * watts), Provenance.Sampled));
        store.AddEpoch(run, new EpochRecord(2, start.AddSeconds(10), start.AddSeconds(20), Energy.FromJoules(10 * watts), Provenance.Sampled));
        store.FinishRun(run, RunStatus.Completed, start.AddSeconds(20), 0);
    }
}
