using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Cli.Tests.Measure.Spool;

/// <summary>
/// An in-memory <see cref="IRunStore"/> for the live writes of one run that fails on command: <see cref="Down"/> makes
/// every call throw a <see cref="StoreException"/> before writing; <see cref="CommitThenFailNext"/> makes the next write
/// commit and then throw (the acknowledgement lost). Every attempt is recorded with the fake clock's time.
/// </summary>
internal sealed class FlakyRunStore(TimeProvider time) : IRunStore
{
    public List<SampleRecord> Samples { get; } = [];

    public List<EpochRecord> Epochs { get; } = [];

    public List<AnnotationRecord> Annotations { get; } = [];

    public List<ProjectionEntry> Projections { get; } = [];

    /// <summary>Every write in the order the store committed it, as "kind:detail".</summary>
    public List<string> Log { get; } = [];

    /// <summary>When each call came (writes, committed or not, and the checks of a write that may be stored).</summary>
    public List<DateTimeOffset> Attempts { get; } = [];

    public (RunStatus Status, DateTimeOffset Ended, int? ExitCode)? Finished { get; private set; }

    public bool Down { get; set; }

    public bool CommitThenFailNext { get; set; }

    public string Location => "postgres://test@db.example/runs";

    public long CreateRun(NewRun run) => 1;

    public long RegisterDevice(long runId, DeviceRegistration device) => 10;

    public void AppendSamples(long runId, IReadOnlyList<SampleRecord> samples) => Write(() => Samples.AddRange(samples), $"samples:{samples.Count}");

    public void AddEpoch(long runId, EpochRecord epoch) => Write(() =>
    {
        if (Epochs.Any(e => e.Number == epoch.Number))
        {
            throw new StoreException(Location, $"duplicate epoch {epoch.Number}"); // the primary key (run_id, n), as PostgreSQL reports it
        }

        Epochs.Add(epoch);
    }, $"epoch:{epoch.Number}");

    public void AddAnnotation(long runId, AnnotationRecord annotation) => Write(() => Annotations.Add(annotation), $"annotation:{annotation.Message}");

    public void AddProjection(long runId, ProjectionEntry projection) => Write(() => Projections.Add(projection), $"projection:{projection.Epoch}");

    public void FinishRun(long runId, RunStatus status, DateTimeOffset ended, int? exitCode = null) => Write(() => Finished = (status, ended, exitCode), "finish");

    public long CountWritten(long runId, WriteProbe probe)
    {
        Attempts.Add(time.GetUtcNow());
        ThrowIfDown();
        return probe switch
        {
            WriteProbe.SamplesFrom p => Samples.Count(s => s.DeviceId == p.DeviceId && WriteProbe.StoreSeconds(s.Timestamp) >= WriteProbe.StoreSeconds(p.From)),
            WriteProbe.Epoch p => Epochs.Count(e => e.Number == p.Number),
            WriteProbe.Annotation p => Annotations.Count(a => a.Kind == p.Kind && a.Message == p.Message),
            WriteProbe.Projection p => Projections.Count(e => e.Epoch == p.EpochNumber),
            _ => throw new ArgumentOutOfRangeException(nameof(probe)),
        };
    }

    public IReadOnlyList<ProjectionEntry> GetProjections(long runId) => Projections;

    public long WriteRun(NewRun run, DateTimeOffset? ended, IReadOnlyList<DeviceData> devices, IReadOnlyList<AnnotationRecord> annotations) => throw new NotSupportedException();

    public void CompleteRun(long runId, RunCompletion completion) => throw new NotSupportedException();

    public long? FindBySourceKey(string sourceKey) => throw new NotSupportedException();

    public bool DeleteRun(long runId) => throw new NotSupportedException();

    public IReadOnlyList<RunRecord> ListRuns() => throw new NotSupportedException();

    public RunDetails? GetRun(long runId) => null;

    public IReadOnlyList<SampleRecord> ReadSamples(long runId, long? deviceId = null) => Samples;

    public IEnumerable<SampleRecord> EnumerateSamples(long runId, long? deviceId = null) => Samples;

    public void Dispose()
    {
    }

    private void Write(Action commit, string what)
    {
        Attempts.Add(time.GetUtcNow());
        ThrowIfDown();
        commit();
        Log.Add(what);
        if (CommitThenFailNext)
        {
            CommitThenFailNext = false;
            throw new StoreException(Location, "connection reset after COMMIT");
        }
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new StoreException(Location, "the server is down");
        }
    }
}
