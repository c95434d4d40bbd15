using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Measurement.Spool;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure.Spool;

/// <summary>
/// Issue 13, "disk full": an SQLite store on a full disk. The tests run as root, where chmod does not stop a write, and
/// no small file system can be mounted; so "full" is a store whose writes fail as SQLite's SQLITE_FULL does (a
/// <see cref="StoreException"/>), and "the store's folder cannot be written" is a regular file where the spool folder
/// would be (creating the folder fails for root too).
/// </summary>
public class DiskFullSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _said = [];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_Spool_Goes_To_The_State_Folder_When_The_Store_Folder_Cannot_Be_Written_And_Says_Where()
    {
        // Given: the store's writes fail once the run is created, and the spool folder beside it cannot be created
        using var store = new FullDiskStore(SqliteRunStore.Open(_dir.File("store/runs.db"))) { WritesFail = true };
        File.WriteAllText(_dir.File("store/spool"), "not a folder");
        var host = Host();

        // When
        var result = Pipeline(store, host).Run(new MeasureOptions(["sleep", "0.5"]) { StoreRetry = TimeSpan.Zero }, TestContext.Current.CancellationToken);

        // Then: every write is in a spool file under $XDG_STATE_HOME/trainwatt/spool, and the lines say where
        Assert.Equal(0, result.ExitCode);
        string folder = Path.Combine(_dir.File("state"), "trainwatt", "spool");
        string spool = Assert.Single(Directory.GetFiles(folder, "spool-*.db"));
        string said = string.Join('\n', _said);
        Assert.Contains($"are saved in {spool}", said, StringComparison.Ordinal);
        Assert.Contains($"trainwatt sync --spool {spool}", said, StringComparison.Ordinal);
        Assert.Contains(_dir.File("store/spool"), said, StringComparison.Ordinal); // why not beside the store
        Assert.DoesNotContain("could not be stored nor spooled", said, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Store_Full_Before_The_Start_Leaves_No_Ghost_Run()
    {
        // Given: the run can be created but not its devices (the disk fills in between)
        string db = _dir.File("runs.db");
        using (var store = new FullDiskStore(SqliteRunStore.Open(db)) { DevicesFail = true })
        {
            // When
            Assert.Throws<StoreException>(() => Pipeline(store, Host()).Run(new MeasureOptions(["true"]) { StoreRetry = TimeSpan.Zero }, TestContext.Current.CancellationToken));
        }

        // Then: no run with 0 devices and 0 J is left behind
        using var check = SqliteRunStore.Open(db);
        Assert.Empty(check.ListRuns());
    }

    [Fact]
    public void A_Full_Disk_Under_The_First_Spool_Folder_Moves_The_Spool_File_To_The_Next_And_Says_Why()
    {
        // Given: a store that is down, and a first spool folder on a full disk (creating the file there fails: ENOSPC)
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));
        var store = new FlakyRunStore(time) { Down = true };
        string full = _dir.File("full"), next = _dir.File("next");
        using var queue = new StoreWriteQueue(store, 1, time, _said.Add, [full, next], () => new SpoolHeader("postgres://alice@db.example/runs", 1, "uuid-1", "host-a", 4242),
            createSpool: (path, header) => path.StartsWith(full, StringComparison.Ordinal) ? throw new IOException("No space left on device") : SpoolFile.Create(path, header));
        queue.Enqueue(queue.History.Samples([new SampleRecord(10, time.GetUtcNow(), Power.FromWatts(200), null, null, null, null, Provenance.Sampled)]));
        queue.Pump();

        // When: the run ends with the store still down
        string? spool = queue.SpoolEverything();

        // Then
        Assert.Equal(next, Path.GetDirectoryName(spool));
        Assert.Contains($"warning: cannot write the spool file in {full} (No space left on device); spooling to {next} instead.", _said);
        Assert.False(Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any());
    }

    [Fact]
    public void The_Spool_Folders_Are_Beside_The_Store_Then_The_Xdg_State_Folder_Then_The_Temp_Folder()
    {
        string store = _dir.File("store/runs.db");
        string temp = Path.Combine(Path.GetTempPath(), "trainwatt-spool-" + Environment.UserName);

        var withXdg = StoreLocations.SpoolDirectories(store, Host());
        var withoutXdg = StoreLocations.SpoolDirectories(store, new HostContext(TimeProvider.System, new Dictionary<string, string?> { ["XDG_STATE_HOME"] = "relative", ["HOME"] = _dir.File("home") }));

        // Oracle: XDG Base Directory Specification: "$XDG_STATE_HOME ... If ... either not set or empty, a default equal to $HOME/.local/state should be used" (relative paths are invalid)
        Assert.Equal([_dir.File("store/spool"), Path.Combine(_dir.File("state"), "trainwatt", "spool"), temp], withXdg);
        Assert.Equal([_dir.File("store/spool"), Path.Combine(_dir.File("home"), ".local", "state", "trainwatt", "spool"), temp], withoutXdg);
    }

    private HostContext Host() => new(TimeProvider.System, new Dictionary<string, string?>
    {
        ["XDG_STATE_HOME"] = _dir.File("state"),
        ["XDG_DATA_HOME"] = _dir.File("data"),
        ["HOME"] = _dir.File("home"),
    });

    private MeasurementPipeline Pipeline(IRunStore store, HostContext host)
        => new(store, new MeterSetup([new ConstantMeter(100, host.Time)]), host, new MeasurementConsole(TextWriter.Null, TextWriter.Null, s =>
        {
            lock (_said)
            {
                _said.Add(s);
            }
        }));

    /// <summary>A real SQLite store whose later writes (or whose device registrations) fail as on a full disk.</summary>
    private sealed class FullDiskStore(IRunStore inner) : IRunStore
    {
        public bool WritesFail { get; init; }

        public bool DevicesFail { get; init; }

        public string Location => inner.Location;

        public long CreateRun(NewRun run) => inner.CreateRun(run);

        public long RegisterDevice(long runId, DeviceRegistration device)
            => DevicesFail ? throw Full() : inner.RegisterDevice(runId, device);

        public void AppendSamples(long runId, IReadOnlyList<SampleRecord> samples) => Write(() => inner.AppendSamples(runId, samples));

        public void AddEpoch(long runId, EpochRecord epoch) => Write(() => inner.AddEpoch(runId, epoch));

        public void AddAnnotation(long runId, AnnotationRecord annotation) => Write(() => inner.AddAnnotation(runId, annotation));

        public void AddProjection(long runId, ProjectionEntry projection) => Write(() => inner.AddProjection(runId, projection));

        public IReadOnlyList<ProjectionEntry> GetProjections(long runId) => inner.GetProjections(runId);

        public void FinishRun(long runId, RunStatus status, DateTimeOffset ended, int? exitCode = null) => Write(() => inner.FinishRun(runId, status, ended, exitCode));

        public long WriteRun(NewRun run, DateTimeOffset? ended, IReadOnlyList<DeviceData> devices, IReadOnlyList<AnnotationRecord> annotations)
            => inner.WriteRun(run, ended, devices, annotations);

        public void CompleteRun(long runId, RunCompletion completion) => inner.CompleteRun(runId, completion);

        public long? FindBySourceKey(string sourceKey) => inner.FindBySourceKey(sourceKey);

        public bool DeleteRun(long runId) => inner.DeleteRun(runId);

        public long CountWritten(long runId, WriteProbe probe) => WritesFail ? throw Full() : inner.CountWritten(runId, probe);

        public IReadOnlyList<RunRecord> ListRuns() => inner.ListRuns();

        public RunDetails? GetRun(long runId) => inner.GetRun(runId);

        public IReadOnlyList<SampleRecord> ReadSamples(long runId, long? deviceId = null) => inner.ReadSamples(runId, deviceId);

        public IEnumerable<SampleRecord> EnumerateSamples(long runId, long? deviceId = null) => inner.EnumerateSamples(runId, deviceId);

        public void Dispose() => inner.Dispose();

        private void Write(Action write)
        {
            if (WritesFail)
            {
                throw Full();
            }

            write();
        }

        private StoreException Full() => new(Location, $"The disk holding the store {Location} is full (SQLite Error 13: 'database or disk is full'); the last write was not stored.");
    }

    private sealed class ConstantMeter(double watts, TimeProvider time) : IMeter
    {
        private readonly long _start = time.GetTimestamp();

        public string Name => "constant";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new MeterChannel("gpu:0", "gpu", "Constant GPU", Provenance.Sampled)];

        public MeterReading Read() => new(time.GetUtcNow(), time.GetElapsedTime(_start), [new ChannelReading("gpu:0", Power.FromWatts(watts), null)]);

        public void Dispose()
        {
        }
    }
}
