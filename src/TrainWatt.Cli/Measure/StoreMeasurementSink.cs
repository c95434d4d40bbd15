using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

namespace TrainWatt.Cli.Measure;

/// <summary>
/// Writes a live measurement into the run store: one run, one device per channel, sample batches (one transaction
/// each), epochs, and as annotations: metrics (kind <c>metric</c>, "name=value"), the planned epoch count (kind
/// <c>total_epochs</c>) and notes (kind <c>measure_note</c>).
/// </summary>
internal sealed class StoreMeasurementSink(IRunStore store, CliContext context, DistributedJob? job = null) : IMeasurementSink
{
    /// <summary>Annotation kind of a run metric printed by the command; the message is "name=value" (invariant).</summary>
    public const string MetricKind = "metric";

    /// <summary>Annotation kind of a diagnostic raised while measuring.</summary>
    public const string NoteKind = "measure_note";

    /// <summary>Annotation kind holding the planned number of epochs (invariant integer), from --total-epochs or the output.</summary>
    public const string TotalEpochsKind = "total_epochs";

    private readonly List<SampleRecord> _batch = [];
    private long _runId;
    private long[] _deviceIds = [];
    private Provenance[] _provenance = [];
    private DateTimeOffset _startedAt;

    public string BeginRun(MeasurementRunInfo run)
    {
        _startedAt = run.StartedAt;
        _runId = store.CreateRun(new NewRun(
            "measure",
            run.StartedAt,
            Command: CommandLine(run.Command),
            Tags: run.Tags,
            JobId: (job ?? DistributedJob.From(null, context)).JobId,
            Metadata: Metadata(run, job ?? DistributedJob.From(null, context))));
        _deviceIds = new long[run.Channels.Count];
        _provenance = new Provenance[run.Channels.Count];
        for (int i = 0; i < run.Channels.Count; i++)
        {
            MeterChannel c = run.Channels[i];
            _deviceIds[i] = store.RegisterDevice(_runId, new DeviceRegistration(c.Id, c.Component, c.DeviceName, c.Provenance, c.Uuid, c.Note));
            _provenance[i] = c.Provenance;
        }

        return _runId.ToString(CultureInfo.InvariantCulture);
    }

    public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
    {
        _batch.Clear();
        foreach (ref readonly var s in samples)
        {
            _batch.Add(new SampleRecord(
                _deviceIds[s.ChannelIndex], s.Timestamp, s.Power, s.CounterEnergy,
                s.UtilizationPercent, s.MemoryUsedMiB, s.TemperatureCelsius, _provenance[s.ChannelIndex]));
        }

        store.AppendSamples(_runId, _batch);
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

        store.AddEpoch(_runId, new EpochRecord(
            epoch.Number, _startedAt + epoch.Start, _startedAt + epoch.End, epoch.Energy, provenance, epoch.Samples));
    }

    /// <summary>Appends a live projection to the run's projection history.</summary>
    public void RecordProjection(ProjectionEntry projection) => store.AddProjection(_runId, projection);

    public void RecordMetric(string name, double value, TimeSpan elapsed)
        => store.AddAnnotation(_runId, new AnnotationRecord(MetricKind, string.Create(CultureInfo.InvariantCulture, $"{name}={value:R}")));

    /// <summary>Why the run could not be finished in the store (it then reads as incomplete), or null.</summary>
    public string? FinishFailure { get; private set; }

    public void FinishRun(MeasurementSummary summary)
    {
        try
        {
            foreach (string note in summary.Notes)
            {
                store.AddAnnotation(_runId, new AnnotationRecord(NoteKind, note));
            }

            if (summary.TotalEpochs is int total)
            {
                store.AddAnnotation(_runId, new AnnotationRecord(TotalEpochsKind, total.ToString(CultureInfo.InvariantCulture)));
            }

            store.FinishRun(_runId, summary.ExitCode is null ? RunStatus.Failed : RunStatus.Completed, _startedAt + summary.Duration, summary.ExitCode);
        }
        catch (StoreException e)
        {
            // The command has run: its summary is still printed and its exit code returned; the stored run stays incomplete.
            FinishFailure = e.Message;
        }
    }

    internal static string CommandLine(IReadOnlyList<string> command)
        => string.Join(' ', command.Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c))
            ? a
            : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    private static string Metadata(MeasurementRunInfo run, DistributedJob job)
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
