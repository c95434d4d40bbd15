using TrainWatt.Core.Projection;
using TrainWatt.Storage.Import;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Import;

/// <summary>
/// An import killed half-way (kill -9, a lost machine) leaves a run stored as running with the batches it had written
/// and no source key. Importing the same input again must leave one complete run, not the new one beside the partial copy.
/// The kill is played by a store that stops working after its first batch (every later call fails, as for a dead
/// process nothing more reaches the store), then the store is opened again with its owner process gone.
/// </summary>
public class InterruptedImportTests : IDisposable
{
    private static readonly DateTime Start = new(2023, 3, 2, 9, 0, 0);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Should_Replace_The_Partial_Run_Of_An_Interrupted_Nvidia_Smi_Import_When_The_File_Is_Imported_Again()
    {
        // Given: a 10,000-row trace (ImportBatches writes 4,096 samples a batch), and an import killed after its first batch
        string file = _temp.File("gpu.csv");
        File.WriteAllText(file, SyntheticTraces.NvidiaSmi(Start, 10_000, k => 100 + (k % 7)));
        string db = _temp.File("s.db");
        using (var real = SqliteRunStore.Open(db))
        {
            var dying = new DyingStore(real, batchesBeforeDeath: 1);
            Assert.ThrowsAny<Exception>(() => new NvidiaSmiImporter(dying).Import([file]));
        }

        var gone = new SqliteStoreOptions { Liveness = new GoneOwner() };
        using (var store = SqliteRunStore.Open(db, gone))
        {
            var left = Assert.Single(store.ListRuns());
            Assert.Equal((RunStatus.Incomplete, (string?)null, 4096L), (left.Status, left.SourceKey, left.SampleCount));

            // When: the same file is imported again
            var report = new NvidiaSmiImporter(store).Import([file]);

            // Then: the leftover is gone, the new run is complete with every sample and carries no pending-import mark
            Assert.Equal(1, report.RemovedIncomplete);
            var run = Assert.Single(store.ListRuns());
            Assert.Equal(Assert.Single(report.Imported).RunId, run.Id);
            Assert.Equal((RunStatus.Completed, 10_000L), (run.Status, run.SampleCount));
            Assert.DoesNotContain(ImportBatches.PendingKeyMetadata, run.Metadata!, StringComparison.Ordinal);
            Assert.Contains(Path.GetFullPath(file), run.Metadata!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_Keep_A_Run_That_Another_Live_Import_Is_Writing_And_Runs_Of_Other_Inputs()
    {
        // Given: an import of a.csv killed after its first batch, while its owner still counts as alive
        string a = _temp.File("a.csv");
        string b = _temp.File("b.csv");
        File.WriteAllText(a, SyntheticTraces.NvidiaSmi(Start, 6_000, k => 100));
        File.WriteAllText(b, SyntheticTraces.NvidiaSmi(Start, 10, k => 100));
        string db = _temp.File("s.db");
        using (var real = SqliteRunStore.Open(db))
        {
            Assert.ThrowsAny<Exception>(() => new NvidiaSmiImporter(new DyingStore(real, batchesBeforeDeath: 1)).Import([a]));

            // When: another file is imported, and then a.csv while the owner of its partial run is alive (this process)
            var other = new NvidiaSmiImporter(real).Import([b]);
            var again = new NvidiaSmiImporter(real).Import([a]);

            // Then: nothing is removed: b's import is another input, and a live import's run is not a leftover
            Assert.Equal((0, 0), (other.RemovedIncomplete, again.RemovedIncomplete));
            Assert.Equal(3, real.ListRuns().Count);
            Assert.Single(real.ListRuns(), r => r.Status == RunStatus.Running && r.SourceKey is null);
        }
    }

    [Fact]
    public void Should_Add_The_Pending_Key_To_Existing_Metadata_And_Read_It_Back()
    {
        // Hand derivation: the key is appended to the object's own properties; a repeated key is replaced, not doubled.
        string marked = ImportBatches.WithPendingKey("""{"file":"/x/gpu.csv","device":"0"}""", "nvidia-smi:/x/gpu.csv#0");
        Assert.Equal("""{"file":"/x/gpu.csv","device":"0","import_pending":"nvidia-smi:/x/gpu.csv#0"}""", marked);
        Assert.Equal("nvidia-smi:/x/gpu.csv#0", ImportBatches.PendingKey(marked));
        Assert.Equal("""{"import_pending":"k2"}""", ImportBatches.WithPendingKey("""{"import_pending":"k1"}""", "k2"));
        Assert.Null(ImportBatches.PendingKey("""{"file":"import_pending"}"""));
        Assert.Null(ImportBatches.PendingKey("not json import_pending"));
        Assert.Null(ImportBatches.PendingKey(null));
    }

    private sealed class GoneOwner : IProcessLiveness
    {
        public bool? IsAlive(string host, int processId) => false;
    }

    /// <summary>Passes calls to the real store until <paramref name="batchesBeforeDeath"/> sample batches are written; then every call fails.</summary>
    private sealed class DyingStore(IRunStore real, int batchesBeforeDeath) : IRunStore
    {
        private int _batches;

        private bool Dead => _batches >= batchesBeforeDeath;

        public string Location => real.Location;

        public long CreateRun(NewRun run) => Live(() => real.CreateRun(run));

        public long RegisterDevice(long runId, DeviceRegistration device) => Live(() => real.RegisterDevice(runId, device));

        public (long RunId, IReadOnlyList<long> DeviceIds) StartRun(NewRun run, IReadOnlyList<DeviceRegistration> devices) => Live(() => real.StartRun(run, devices));

        public void AppendSamples(long runId, IReadOnlyList<SampleRecord> samples) => Live(() =>
        {
            real.AppendSamples(runId, samples);
            return ++_batches;
        });

        public void AddEpoch(long runId, EpochRecord epoch) => Live(() => Done(() => real.AddEpoch(runId, epoch)));

        public void AddAnnotation(long runId, AnnotationRecord annotation) => Live(() => Done(() => real.AddAnnotation(runId, annotation)));

        public void AddProjection(long runId, ProjectionEntry projection) => Live(() => Done(() => real.AddProjection(runId, projection)));

        public IReadOnlyList<ProjectionEntry> GetProjections(long runId) => Live(() => real.GetProjections(runId));

        public void FinishRun(long runId, RunStatus status, DateTimeOffset ended, int? exitCode = null) => Live(() => Done(() => real.FinishRun(runId, status, ended, exitCode)));

        public void CompleteRun(long runId, RunCompletion completion) => Live(() => Done(() => real.CompleteRun(runId, completion)));

        public long WriteRun(NewRun run, DateTimeOffset? ended, IReadOnlyList<DeviceData> devices, IReadOnlyList<AnnotationRecord> annotations) => Live(() => real.WriteRun(run, ended, devices, annotations));

        public long? FindBySourceKey(string sourceKey) => Live(() => real.FindBySourceKey(sourceKey));

        public bool DeleteRun(long runId) => Live(() => real.DeleteRun(runId));

        public long CountWritten(long runId, WriteProbe probe) => Live(() => real.CountWritten(runId, probe));

        public IReadOnlyList<RunRecord> ListRuns() => Live(real.ListRuns);

        public RunDetails? GetRun(long runId) => Live(() => real.GetRun(runId));

        public IReadOnlyList<SampleRecord> ReadSamples(long runId, long? deviceId = null) => Live(() => real.ReadSamples(runId, deviceId));

        public IEnumerable<SampleRecord> EnumerateSamples(long runId, long? deviceId = null) => Live(() => real.EnumerateSamples(runId, deviceId));

        public void Dispose()
        {
        }

        private static int Done(Action action)
        {
            action();
            return 0;
        }

        private T Live<T>(Func<T> call) => Dead ? throw new IOException("simulated: the importing process was killed") : call();
    }
}
