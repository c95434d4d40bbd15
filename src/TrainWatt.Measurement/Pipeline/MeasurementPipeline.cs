using TrainWatt.Core.Footprint;
using TrainWatt.Core.Projection;
using TrainWatt.Meters.Processes;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>Where a measured command's output and TrainWatt's own lines go.</summary>
/// <param name="Stdout">The command's stdout goes on to here (decoded as UTF-8) unless <see cref="StdoutBytes"/> is set.</param>
/// <param name="Stderr">The command's stderr goes on to here (decoded as UTF-8) unless <see cref="StderrBytes"/> is set.</param>
/// <param name="Say">TrainWatt's one-line diagnostics (the CLI prefixes them with "trainwatt: ").</param>
public sealed record MeasurementConsole(TextWriter Stdout, TextWriter Stderr, Action<string> Say)
{
    /// <summary>Discards everything (idle measurement, tests).</summary>
    public static MeasurementConsole Null { get; } = new(TextWriter.Null, TextWriter.Null, _ => { });

    /// <summary>
    /// When set, the command's stdout goes on to this stream byte for byte (invalid UTF-8 and binary output unchanged)
    /// instead of to <see cref="Stdout"/>. The CLI sets it to its own standard output.
    /// </summary>
    public Stream? StdoutBytes { get; init; }

    /// <summary>When set, the command's stderr goes on to this stream byte for byte instead of to <see cref="Stderr"/>.</summary>
    public Stream? StderrBytes { get; init; }

    /// <summary>When set, follows whether the command's output ended mid-line (<see cref="TerminalLine"/>), for <see cref="Say"/> to start a fresh line.</summary>
    public TerminalLine? Line { get; init; }
}

/// <summary>
/// The one measurement pipeline: meters → sampler → epoch detection → run recorder (store, ordered write queue, spool,
/// replay) → live STEP projection → observers (console lines, Prometheus, MLflow, Pushgateway, a caller's own).
/// <c>trainwatt measure</c>, <c>trainwatt experiment run</c> (one pipeline for all its runs, and its idle waits) and
/// .NET callers (samples/dotnet) all run commands through <see cref="Run"/>.
/// </summary>
/// <remarks>
/// <para>The route of one sample: the sampler reads every meter each interval and hands a batch to the pipeline's sink,
/// which gives it to the recorder (queued for the background writer: the sampling thread never waits for the store),
/// then to each observer. The route of one epoch: the detector sees an epoch line, the sampler closes the epoch with a
/// counter read, the pipeline projects the run's total after it (<see cref="LiveProjection"/>), records the epoch and
/// the projection, and hands both to each observer as one <see cref="EpochReport"/>.</para>
/// <para>A store outage is handled in one place, the recorder (<see cref="StoreMeasurementSink"/>): writes are queued,
/// retried and replayed, or spooled after <see cref="MeasureOptions.StoreRetry"/>. Observers never see the store.</para>
/// </remarks>
public sealed class MeasurementPipeline
{
    private readonly IRunStore _store;
    private readonly MeterSetup _meters;
    private readonly HostContext _host;
    private readonly MeasurementConsole _console;
    private readonly IReadOnlyList<IMeasurementObserver> _observers;
    private readonly DistributedJob _job;

    /// <param name="store">The run store (opened by the caller, who also disposes it).</param>
    /// <param name="meters">The opened meters (disposed by the caller).</param>
    /// <param name="host">Clock and environment.</param>
    /// <param name="console">Where output and diagnostics go.</param>
    /// <param name="observers">Who follows each run, in order.</param>
    /// <param name="job">The distributed job this process belongs to; default: from SLURM/torchrun variables.</param>
    public MeasurementPipeline(
        IRunStore store,
        MeterSetup meters,
        HostContext host,
        MeasurementConsole console,
        IReadOnlyList<IMeasurementObserver>? observers = null,
        DistributedJob? job = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(console);
        _store = store;
        _meters = meters;
        _host = host;
        _console = console;
        _observers = observers ?? [];
        _job = job ?? DistributedJob.From(null, host);
    }

    /// <summary>The meters this pipeline reads.</summary>
    public MeterSetup Meters => _meters;

    /// <summary>
    /// Runs the command to completion under measurement and returns the typed result once every write of the run is in
    /// the store (or spooled). Throws <see cref="ArgumentException"/> for invalid options,
    /// <see cref="CommandStartException"/> when the command cannot start (the run is recorded as failed first) and
    /// <see cref="StoreException"/> when the run cannot be created in the store.
    /// </summary>
    public MeasureResult Run(MeasureOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        var say = _console.Say;
        var spooling = new SinkSpooling(
            StoreLocations.WithoutPassword(_store.Location), StoreLocations.SpoolDirectories(_store.Location, _host), say);
        var cpu = new CpuAttributionTracker(_meters.Meters, options.CpuAttribution);
        var recorder = new StoreMeasurementSink(_store, _host, say, _job, spooling) { Probe = options.Probe, Cpu = cpu };
        var projection = new LiveProjection(
            LiveProjectionSetup.WithLearnedPriors(options.Projection, _store, StoreMeasurementSink.CommandLine(options.Command), options.DriftPrior is not null, say),
            _host.Time);
        var observers = new ObserverSet(_observers, say);
        var guard = new ProjectionInputGuard(options.TotalEpochs, options.MaxEpochs, options.EarlyStoppingPatience is not null, options.Interval);
        var sink = new PipelineSink(recorder, recorder.RecordProjection, projection, observers, say, guard, cpu);
        var line = _console.Line;
        var session = _console is { StdoutBytes: { } stdoutBytes, StderrBytes: { } stderrBytes }
            ? new MeasurementSession(
                _meters.Meters, sink, _host.Time, line is { IncludesStdout: true } ? line.Track(stdoutBytes) : stdoutBytes, line?.Track(stderrBytes) ?? stderrBytes, say,
                progress: observers.Progress,
                childStarted: pid => _meters.Process?.Attach(pid))
            : new MeasurementSession(
                _meters.Meters, sink, _host.Time, line is { IncludesStdout: true } ? line.Track(_console.Stdout) : _console.Stdout, line?.Track(_console.Stderr) ?? _console.Stderr, say,
                progress: observers.Progress,
                childStarted: pid => _meters.Process?.Attach(pid));
        var command = options.Command;
        var request = new MeasurementRequest(
            command[0], command.Skip(1).ToArray(),
            SamplerOptions.Default with { Interval = options.Interval, FlushInterval = options.EffectiveFlushInterval, UseSampleBuffers = !options.Poll },
            options.Framework, options.EpochPattern, options.TotalEpochs, options.Idle, options.Tags, options.Environment,
            options.ProgressEvery)
        {
            Stop = options.Stop,
            Segments = observers.OutputLine,
        };

        MeasurementOutcome outcome;
        try
        {
            outcome = session.RunAsync(request, cancellationToken).GetAwaiter().GetResult();
        }
        catch (CommandStartException)
        {
            recorder.Complete(options.StoreRetry); // the failed run is recorded (finished with no exit code) first
            throw;
        }

        // Every write of the run reaches the store, or the spool file when the store is still down after StoreRetry.
        var unwritten = recorder.Complete(options.StoreRetry);
        StoreMeasurementSink.Report(unwritten, _store.Location, outcome.RunId, options.StoreRetry, say);

        var summary = outcome.Summary;
        FootprintResult? footprint = options.Footprint is { } f && summary.Energy.Joules >= 0
            ? FootprintCalculator.Compute(summary.Energy, f.Pue, f.Intensity)
            : null;
        var projectionError = summary.ExitCode is null ? null : LiveProjection.FinalError(projection.History, summary.Energy);

        PreComparison? estimate = null;
        var estimateLines = new List<string>();
        if (options.ComparePre && unwritten is null)
        {
            try
            {
                estimate = MeasurePre.Report(_host, _store, outcome.RunId, estimateLines.Add);
            }
            catch (StoreException e)
            {
                estimateLines.Add($"warning: no PRE comparison: {e.Message}");
            }
        }

        var result = new MeasureResult(
            outcome, summary.ExitCode ?? (int)ExitCode.Software, projection.History, projectionError, footprint, estimate,
            estimateLines, unwritten, _meters.ModelOnly, options.Idle)
        {
            Cpu = cpu.Result,
        };
        observers.Completed(result);
        return result;
    }

    /// <summary>
    /// Measures the idle machine for <paramref name="duration"/> (nothing is stored): mean power per channel, null where
    /// a channel gave nothing. <c>experiment run</c> waits for an idle machine with it.
    /// </summary>
    public IReadOnlyList<TrainWatt.Core.Units.Power?> MeasureIdle(TimeSpan duration, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var session = new MeasurementSession(_meters.Meters, NoSink.Instance, _host.Time, TextWriter.Null, TextWriter.Null, _ => { });
        return session.MeasureIdleAsync(duration, SamplerOptions.Default with { Interval = interval }, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Idle measurement stores nothing (<see cref="MeasurementSession.MeasureIdleAsync"/> never calls its sink).</summary>
    private sealed class NoSink : IMeasurementSink
    {
        public static NoSink Instance { get; } = new();

        public string BeginRun(MeasurementRunInfo run) => "idle";

        public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
        {
        }

        public void RecordEpoch(MeasuredEpoch epoch)
        {
        }

        public void RecordMetric(string name, double value, TimeSpan elapsed)
        {
        }

        public void FinishRun(MeasurementSummary summary)
        {
        }
    }
}

/// <summary>
/// What a measured run gave: the outcome with its totals and epochs, the exit code to return, the live projection
/// history and its final error, the footprint, the PRE comparison, and what could not be stored.
/// </summary>
/// <param name="Outcome">Run id, summary and reading count.</param>
/// <param name="ExitCode">The command's exit code (128+N for signal N); 70 when it never started.</param>
/// <param name="Projections">Every live projection, oldest first (also stored).</param>
/// <param name="ProjectionError">The last projection scored against the measured total; null when none was made.</param>
/// <param name="Footprint">Carbon and PUE when assumptions were given.</param>
/// <param name="Estimate">The PRE estimate next to the measured values, when the run's tags describe it for PRE.</param>
/// <param name="EstimateLines">What the PRE comparison says (or why there is none), to print after the summary.</param>
/// <param name="Unwritten">What the store did not take (spooled), or null when everything is stored.</param>
/// <param name="ModelOnly">True when every channel is a model (no counter, no sampled power).</param>
/// <param name="Idle">How long the idle machine was measured before the command.</param>
public sealed record MeasureResult(
    MeasurementOutcome Outcome,
    int ExitCode,
    IReadOnlyList<ProjectionEntry> Projections,
    ProjectionErrorSummary? ProjectionError,
    FootprintResult? Footprint,
    PreComparison? Estimate,
    IReadOnlyList<string> EstimateLines,
    SpoolOutcome? Unwritten,
    bool ModelOnly,
    TimeSpan Idle)
{
    /// <summary>The run's CPU energy both ways (process share and machine-wide) and which one it is charged; null when no meter attributes CPU energy.</summary>
    public CpuAttributionResult? Cpu { get; init; }

    /// <summary>The run's id in the store.</summary>
    public string RunId => Outcome.RunId;

    /// <summary>Totals, epochs, metrics and notes.</summary>
    public MeasurementSummary Summary => Outcome.Summary;

    /// <summary>The summary document (<c>--summary-json</c>; schema in docs/summary-schema.md).</summary>
    public MeasureSummaryDocument Document() => MeasureSummaryDocument.Create(Outcome, Projections, ProjectionError, Estimate) with { CpuAttribution = CpuAttributionJson.From(Cpu) };

    /// <summary>The summary document as indented JSON with a final newline.</summary>
    public string ToJson() => Document().ToJson();

    /// <summary>The summary as text lines (what <c>measure</c> prints), the final projection error line included.</summary>
    public IReadOnlyList<string> TextLines()
    {
        var lines = MeasureReport.Text(Outcome, Footprint, ModelOnly, Idle).ToList();
        if (Cpu is { } cpu)
        {
            // After the component table and its total (the first lines up to "  total").
            int total = lines.FindIndex(l => l.StartsWith("  total", StringComparison.Ordinal));
            lines.Insert(total < 0 ? lines.Count : total + 1, cpu.Line());
        }

        if (ProjectionError is { } error)
        {
            lines.Add(LiveProjection.ErrorLine(error));
        }

        return lines;
    }
}
