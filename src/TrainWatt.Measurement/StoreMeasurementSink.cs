using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Measurement.Spool;
using TrainWatt.Core;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

using TrainWatt.Core.Projection;

namespace TrainWatt.Measurement;

/// <summary>
/// Writes a live measurement into the run store: one run, one device per channel, sample batches (one transaction
/// each), epochs, and as annotations: metrics (kind <c>metric</c>, "name=value"), the planned epoch count (kind
/// <c>total_epochs</c>) and notes (kind <c>measure_note</c>).
/// </summary>
/// <remarks>
/// <see cref="BeginRun"/> writes the run and its devices at once (a store that cannot be reached then fails the
/// measurement, exit 73). Every later write goes through a <see cref="StoreWriteQueue"/> written by a background
/// writer: the sink's calls never wait for the store and never throw a store failure, and a store outage is retried
/// and replayed in order (docs/store.md, "Store outages"). <see cref="Complete"/> ends the run's writing.
/// </remarks>
internal sealed class StoreMeasurementSink(IRunStore store, HostContext context, Action<string> say, DistributedJob? job = null, SinkSpooling? spooling = null) : IMeasurementSink
{
    /// <summary>Annotation kind of a run metric printed by the command; the message is "name=value" (invariant).</summary>
    public const string MetricKind = "metric";

    /// <summary>Annotation kind of a diagnostic raised while measuring.</summary>
    public const string NoteKind = "measure_note";

    /// <summary>Annotation kind holding the planned number of epochs (invariant integer), from --total-epochs or the output.</summary>
    public const string TotalEpochsKind = "total_epochs";

    /// <summary>Set for a probe run (<c>estimate --probe</c>): stored with source <see cref="RunSources.Probe"/> and <c>probe_s</c>.</summary>
    public TimeSpan? Probe { get; init; }

    /// <summary>The run's CPU attribution: its mode goes into the metadata (<c>cpu_attribution</c>), its figures into an annotation at the end.</summary>
    public CpuAttributionTracker? Cpu { get; init; }

    private StoreWriteQueue? _queue;
    private BackgroundStoreWriter? _writer;
    private long _runId;
    private long[] _deviceIds = [];
    private Provenance[] _provenance = [];
    private DateTimeOffset _startedAt;

    public string BeginRun(MeasurementRunInfo run)
    {
        _startedAt = run.StartedAt;

        // The run and its devices all or nothing: a store that fills up (or goes down) in between leaves no ghost run.
        var (runId, deviceIds) = store.StartRun(
            new NewRun(
                Probe is null ? RunSources.Measure : RunSources.Probe,
                run.StartedAt,
                Command: CommandLine(run.Command),
                Tags: run.Tags,
                JobId: (job ?? DistributedJob.From(null, context)).JobId,
                Metadata: Metadata(run, job ?? DistributedJob.From(null, context), Probe, Cpu is { Active: true } cpu ? cpu.Mode : null)),
            [.. run.Channels.Select(c => new DeviceRegistration(c.Id, c.Component, c.DeviceName, c.Provenance, c.Uuid, c.Note))]);
        _runId = runId;
        _deviceIds = [.. deviceIds];
        _provenance = [.. run.Channels.Select(c => c.Provenance)];

        var spool = spooling ?? SinkSpooling.Default(store, context, say);
        string uuid = store.GetRun(_runId)?.Run.Uuid ?? "";
        _queue = new StoreWriteQueue(store, _runId, context.Time, spool.Say, spool.Directories,
            () => new SpoolHeader(spool.Target, _runId, uuid, Environment.MachineName, Environment.ProcessId), spool.Options);
        _writer = new BackgroundStoreWriter(_queue, context.Time);
        _writer.Start();
        return _runId.ToString(CultureInfo.InvariantCulture);
    }

    public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
    {
        var batch = new SampleRecord[samples.Length];
        int i = 0;
        foreach (ref readonly var s in samples)
        {
            batch[i++] = new SampleRecord(
                _deviceIds[s.ChannelIndex], s.Timestamp, s.Power, s.CounterEnergy,
                s.UtilizationPercent, s.MemoryUsedMiB, s.TemperatureCelsius, _provenance[s.ChannelIndex]);
        }

        Queue(Writes.History.Samples(batch));
    }

    public void RecordEpoch(MeasuredEpoch epoch)
    {
        // The epoch total is only as good as its weakest channel: Model beats Sampled beats Counter.
        var provenance = Provenance.Counter;
        foreach (var p in _provenance)
        {
            if (p > provenance && p != Provenance.UserGiven)
            {
                provenance = p;
            }
        }

        Queue(new StoreWrite.Epoch(new EpochRecord(
            epoch.Number, _startedAt + epoch.Start, _startedAt + epoch.End, epoch.Energy, provenance, epoch.Samples)));
    }

    /// <summary>Appends a live projection to the run's projection history.</summary>
    public void RecordProjection(ProjectionEntry projection) => Queue(Writes.History.Projection(projection));

    public void RecordMetric(string name, double value, TimeSpan elapsed)
        => Queue(Writes.History.Annotation(new AnnotationRecord(MetricKind, string.Create(CultureInfo.InvariantCulture, $"{name}={value:R}"))));

    public void FinishRun(MeasurementSummary summary)
    {
        foreach (string note in summary.Notes)
        {
            Queue(Writes.History.Annotation(new AnnotationRecord(NoteKind, note)));
        }

        if (Cpu?.Result is { } attribution)
        {
            Queue(Writes.History.Annotation(new AnnotationRecord(CpuAttributionResult.AnnotationKind, attribution.AnnotationMessage())));
        }

        if (summary.TotalEpochs is int total)
        {
            Queue(Writes.History.Annotation(new AnnotationRecord(TotalEpochsKind, total.ToString(CultureInfo.InvariantCulture))));
        }

        Queue(new StoreWrite.Finish(summary.ExitCode is null ? RunStatus.Failed : RunStatus.Completed, _startedAt + summary.Duration, summary.ExitCode));
    }

    /// <summary>
    /// Ends the run's writing: waits until every queued write is in the store, or, while the store is down, at most
    /// <paramref name="retryWindow"/>; what is still queued then goes to the run's spool file.
    /// </summary>
    /// <returns>Null when the store has everything; else what is left and where (the spool file, or null when it could not be written).</returns>
    public SpoolOutcome? Complete(TimeSpan retryWindow)
    {
        if (_writer is null || _queue is null)
        {
            return null; // BeginRun failed: nothing was queued
        }

        if (_writer.Complete(retryWindow))
        {
            _queue.Dispose();
            return null;
        }

        var (writes, samples) = _queue.Backlog();
        string? path = _queue.Failed ? null : _queue.SpoolEverything();
        _queue.Dispose();
        return new SpoolOutcome(path, writes, samples, _queue.Failed);
    }

    /// <summary>
    /// Says what <see cref="Complete"/> left behind (nothing when <paramref name="unwritten"/> is null): the writes the
    /// store refused, or the spool file and the command that completes the run, or writes neither stored nor spooled.
    /// </summary>
    public static void Report(SpoolOutcome? unwritten, string storeLocation, string runId, TimeSpan retryWindow, Action<string> say)
    {
        ArgumentNullException.ThrowIfNull(say);
        if (unwritten is { Refused: true })
        {
            say(string.Create(CultureInfo.InvariantCulture, $"warning: {unwritten.Writes} writes ({unwritten.Samples} samples) of run {runId} are not stored: the store refused a write (see above); the run will read as incomplete."));
        }
        else if (unwritten is { SpoolPath: { } spoolPath })
        {
            say(string.Create(CultureInfo.InvariantCulture,
                $"warning: the store {storeLocation} is still down after {retryWindow.TotalSeconds:0.#} s: {unwritten.Writes} writes ({unwritten.Samples} samples) of run {runId} are saved in {spoolPath}. Complete the run when the store is back with:"));
            say($"  trainwatt sync --spool {CommandLine([spoolPath])}");
        }
        else if (unwritten is not null)
        {
            say(string.Create(CultureInfo.InvariantCulture, $"warning: {unwritten.Writes} writes ({unwritten.Samples} samples) of run {runId} could not be stored nor spooled (see above); the run will read as incomplete."));
        }
    }

    private StoreWriteQueue Writes => _queue ?? throw new InvalidOperationException("BeginRun must come first.");

    private void Queue(StoreWrite write)
    {
        Writes.Enqueue(write);
        _writer!.Signal();
    }

    internal static string CommandLine(IReadOnlyList<string> command)
        => string.Join(' ', command.Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c))
            ? a
            : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    /// <summary>This machine, read once per process (emissions exports name its os, CPUs and RAM: Storage.Export.RunMachine).</summary>
    private static readonly Lazy<TrainWatt.Meters.Procfs.MachineFacts> Machine = new(() => TrainWatt.Meters.Procfs.MachineFacts.Read());

    private static void WriteMachine(Utf8JsonWriter json, TrainWatt.Meters.Procfs.MachineFacts machine)
    {
        json.WriteStartObject(TrainWatt.Storage.Export.RunMachine.MachineKey);
        if (machine.Os is { } os)
        {
            json.WriteString("os", os);
        }

        if (machine.CpuCount is int cpus)
        {
            json.WriteNumber("cpu_count", cpus);
        }

        if (machine.CpuModel is { } model)
        {
            json.WriteString("cpu_model", model);
        }

        if (machine.RamTotalGb is double gb)
        {
            json.WriteNumber("ram_total_gb", Math.Round(gb, 3));
        }

        json.WriteEndObject();
    }

    private static string Metadata(MeasurementRunInfo run, DistributedJob job, TimeSpan? probe, TrainWatt.Core.Attribution.CpuAttribution? cpu)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("interval_ms", run.Interval.TotalMilliseconds);
            json.WriteString("host", Environment.MachineName);
            json.WriteString(TrainWatt.Storage.Jobs.JobEnergy.NodeKey, job.Node);
            if (job.Rank is { } rank)
            {
                json.WriteString(TrainWatt.Storage.Jobs.JobEnergy.RankKey, rank);
            }

            if (run.TotalEpochs is int total)
            {
                json.WriteNumber("total_epochs", total);
            }

            if (cpu is { } mode)
            {
                json.WriteString(TrainWatt.Core.Attribution.CpuAttributionText.MetadataKey, TrainWatt.Core.Attribution.CpuAttributionText.Name(mode));
            }

            if (probe is { } length)
            {
                json.WriteNumber(RunSources.ProbeSecondsKey, length.TotalSeconds);
            }

            WriteMachine(json, Machine.Value);

            if (run.IdleBaseline is not null)
            {
                json.WriteNumber("idle_s", run.IdleDuration.TotalSeconds);
                json.WriteStartObject("idle_power_w");
                for (int i = 0; i < run.Channels.Count; i++)
                {
                    if (run.IdleBaseline[i] is { } p)
                    {
                        json.WriteNumber(run.Channels[i].Id, p.Watts);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>What the end of a run left unwritten.</summary>
/// <param name="SpoolPath">The spool file holding it, or null when none could be written (or the store refused a write for good).</param>
/// <param name="Writes">Writes not in the store.</param>
/// <param name="Samples">Samples among them.</param>
/// <param name="Refused">True when the store refused a write (not an outage): replaying cannot help.</param>
public sealed record SpoolOutcome(string? SpoolPath, long Writes, long Samples, bool Refused);

/// <summary>Where a run's write queue spools and reports, and its budget and backoff.</summary>
/// <param name="Target">The store's location without any password (recorded in the spool file).</param>
/// <param name="Directories">Folders for the spool file, best first (the first one a spool file can be written in is used).</param>
/// <param name="Say">Where the outage and recovery lines go.</param>
/// <param name="Options">Memory budget and backoff.</param>
internal sealed record SinkSpooling(string Target, IReadOnlyList<string> Directories, Action<string> Say, StoreWriteQueueOptions? Options = null)
{
    public static SinkSpooling Default(IRunStore store, HostContext context, Action<string> say)
        => new(StoreLocations.WithoutPassword(store.Location), StoreLocations.SpoolDirectories(store.Location, context), say);
}
