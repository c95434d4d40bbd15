using System.Runtime.InteropServices;
using TrainWatt.Core.Epochs;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Processes;

namespace TrainWatt.Meters.Sampling;

/// <summary>
/// Runs one command under measurement: optional idle baseline, sampler, wrapped process with epoch detection on its
/// output, signal forwarding, and the final summary. The CLI's <c>measure</c> command is a thin layer over this.
/// </summary>
/// <remarks>
/// <para>Signals: while the command runs, SIGINT, SIGTERM and SIGHUP sent to TrainWatt do not stop TrainWatt; they are
/// forwarded to the command, which decides when to exit; TrainWatt then records the run and exits with the command's
/// code. One exception avoids a double interrupt: when TrainWatt runs in the foreground of a terminal, Ctrl+C already
/// reaches the command (same process group), so the first SIGINT is not forwarded; a second one is. A signal that comes
/// after the command exited, while TrainWatt still works through a backlog of epoch bookkeeping, ends that work (the
/// rest of the output stays unscanned, a note says how much) and TrainWatt records the run.</para>
/// <para>The command gets <c>TRAINWATT_RUN_ID</c> in its environment.</para>
/// <para>A kill or crash of TrainWatt does not end the command: <see cref="WrappedProcess"/>'s standby relay passes the
/// rest of its output on, and the run, never finished, reads as incomplete with the samples stored until then (at least
/// every second). Where the relay cannot start, one warning says so.</para>
/// <para>The command's output is passed on byte for byte when the session is given streams (the CLI gives its own
/// stdout and stderr), and never waits for the epoch bookkeeping: the detector, the sampler's epoch readings and the
/// sink run on <see cref="WrappedProcess"/>'s scanner thread, off the threads that read the output.</para>
/// </remarks>
public sealed class MeasurementSession
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Detector notes shown per run; the rest are counted (a command can print a million bad markers).</summary>
    private const int MaxDetectorNotes = 20;

    private readonly IReadOnlyList<IMeter> _meters;
    private readonly IMeasurementSink _sink;
    private readonly TimeProvider _time;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly Action<string> _diagnostic;
    private readonly Action<SamplerSnapshot>? _progress;
    private readonly Action<int>? _childStarted;

    /// <summary>A session whose command's output goes on to two text writers (decoded as UTF-8: not byte for byte).</summary>
    /// <param name="meters">Meters to read (already opened).</param>
    /// <param name="sink">Where the run is recorded.</param>
    /// <param name="time">Clock.</param>
    /// <param name="stdout">Where the command's stdout goes on to.</param>
    /// <param name="stderr">Where the command's stderr goes on to.</param>
    /// <param name="diagnostic">One-line diagnostics from TrainWatt (prefix them when printing).</param>
    /// <param name="progress">Called every <see cref="MeasurementRequest.ProgressInterval"/> with the live state.</param>
    /// <param name="childStarted">Called with the command's process id right after it starts (to attach a process meter).</param>
    public MeasurementSession(
        IReadOnlyList<IMeter> meters,
        IMeasurementSink sink,
        TimeProvider time,
        TextWriter stdout,
        TextWriter stderr,
        Action<string> diagnostic,
        Action<SamplerSnapshot>? progress = null,
        Action<int>? childStarted = null)
        : this(meters, sink, time, new TextWriterStream(stdout), new TextWriterStream(stderr), diagnostic, progress, childStarted)
    {
    }

    /// <summary>A session whose command's output goes on to two streams, byte for byte.</summary>
    /// <param name="meters">Meters to read (already opened).</param>
    /// <param name="sink">Where the run is recorded.</param>
    /// <param name="time">Clock.</param>
    /// <param name="stdout">Where the command's stdout goes on to, unchanged.</param>
    /// <param name="stderr">Where the command's stderr goes on to, unchanged.</param>
    /// <param name="diagnostic">One-line diagnostics from TrainWatt (prefix them when printing).</param>
    /// <param name="progress">Called every <see cref="MeasurementRequest.ProgressInterval"/> with the live state.</param>
    /// <param name="childStarted">Called with the command's process id right after it starts (to attach a process meter).</param>
    public MeasurementSession(
        IReadOnlyList<IMeter> meters,
        IMeasurementSink sink,
        TimeProvider time,
        Stream stdout,
        Stream stderr,
        Action<string> diagnostic,
        Action<SamplerSnapshot>? progress = null,
        Action<int>? childStarted = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        _meters = meters;
        _sink = sink;
        _time = time;
        _stdout = stdout;
        _stderr = stderr;
        _diagnostic = diagnostic;
        _progress = progress;
        _childStarted = childStarted;
    }

    /// <summary>The shell that runs the standby relay (tests: a missing one, to see the warning).</summary>
    internal string RelayShell { get; init; } = StandbyRelay.Shell;

    /// <summary>Measures the idle machine for <paramref name="duration"/>: mean power per channel (null where a channel gave nothing).</summary>
    public async Task<IReadOnlyList<Power?>> MeasureIdleAsync(TimeSpan duration, SamplerOptions options, CancellationToken cancellationToken = default)
    {
        var sampler = new EnergySampler(_meters, _time, options, sink: null, report: _diagnostic);
        await using (sampler.ConfigureAwait(false))
        {
            sampler.Start();
            await Task.Delay(duration, _time, cancellationToken).ConfigureAwait(false);
            var result = await sampler.StopAsync().ConfigureAwait(false);
            var powers = new Power?[result.Channels.Count];
            for (int i = 0; i < powers.Length; i++)
            {
                var total = result.Channels[i];
                powers[i] = total.Valid && result.Duration > TimeSpan.Zero ? total.Energy / result.Duration : null;
            }

            return powers;
        }
    }

    /// <summary>
    /// Runs the command to completion under measurement. Throws <see cref="CommandStartException"/> when the command
    /// cannot be started (the run is then finished in the sink with no exit code).
    /// </summary>
    public async Task<MeasurementOutcome> RunAsync(MeasurementRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<Power?>? idle = null;
        if (request.Idle > TimeSpan.Zero)
        {
            _diagnostic($"measuring the idle machine for {request.Idle.TotalSeconds:0.#} s before starting the command...");
            idle = await MeasureIdleAsync(request.Idle, request.Sampling, cancellationToken).ConfigureAwait(false);
        }

        var detector = new EpochDetector(request.EpochPattern is null ? request.Framework : EpochFramework.Custom, request.EpochPattern);
        EpochDetector.Prepare(detector.Framework, request.EpochPattern); // the first line is stamped when it arrives, not after the patterns compile
        var sampler = new EnergySampler(_meters, _time, request.Sampling, _sink, _diagnostic);
        await using var samplerScope = sampler.ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var notes = new List<string>();
        var scanGate = new Lock();
        var splitOut = new OutputLineSplitter();
        var splitErr = new OutputLineSplitter();
        int detectorNotes = 0;

        // First reading, then the run (so it starts at that reading's instant), then the interval loop.
        sampler.Start(runLoop: false);
        string runId = _sink.BeginRun(new MeasurementRunInfo(
            sampler.StartedAt, [request.Command, .. request.Arguments], request.Tags, sampler.Channels,
            request.Sampling.Interval, idle, idle is null ? TimeSpan.Zero : request.Idle, request.TotalEpochs));
        sampler.StartLoop();

        void Handle(IReadOnlyList<DetectorEvent> events)
        {
            foreach (var e in events)
            {
                switch (e)
                {
                    case EpochStarted s:
                        sampler.EpochStarted(s.Number, request.TotalEpochs ?? s.Total, s.Tentative);
                        break;
                    case EpochEnded end:
                        sampler.EpochEnded(end.Number, request.TotalEpochs ?? end.Total, end.Samples, end.AtExit);
                        break;
                    case MetricReported m:
                        metrics[m.Name] = m.Value;
                        sampler.RecordMetric(m.Name, m.Value);
                        break;
                    case DetectorNote note when detectorNotes++ < MaxDetectorNotes:
                        notes.Add(note.Message);
                        _diagnostic(note.Message);
                        break;
                }
            }
        }

        void OnSegment(string segment, bool endsLine)
        {
            // Before the detector: a step line that ends an epoch (Keras' "45/45") still belongs to that epoch.
            request.Segments?.Invoke(segment, sampler.Elapsed);
            Handle(detector.Scan(segment, endsLine));
        }

        void OnChunk(ReadOnlySpan<char> chunk, bool fromStderr)
        {
            lock (scanGate)
            {
                (fromStderr ? splitErr : splitOut).Append(chunk, OnSegment);
            }
        }

        var environment = new Dictionary<string, string?>(request.Environment, StringComparer.Ordinal)
        {
            ["TRAINWATT_RUN_ID"] = runId,
        };

        // The signal handlers are in place before the command starts: a signal that arrives while it is starting (on a
        // busy machine the command can be running, even printing, before TrainWatt's next line executes) is forwarded as
        // soon as it runs, instead of stopping TrainWatt with the default action and leaving the command unmeasured.
        WrappedProcess? running = null;
        List<PosixSignal>? early = [];
        var signalGate = new Lock();
        int interrupts = 0;
        void Forward(PosixSignalContext context)
        {
            context.Cancel = true; // TrainWatt keeps running until the command exits, then records the run
            if (context.Signal == PosixSignal.SIGINT && Interlocked.Increment(ref interrupts) == 1 && CommandSharesTerminal())
            {
                return; // Ctrl+C from the terminal already reached the command (same foreground process group)
            }

            WrappedProcess? target;
            lock (signalGate)
            {
                target = running;
                if (target is null)
                {
                    early?.Add(context.Signal); // the command is not started yet: it gets the signal once it is
                    return;
                }
            }

            if (!target.Signal(context.Signal))
            {
                // The command has exited and TrainWatt is finishing its epoch bookkeeping: stop that and record the run.
                target.StopScanning();
            }
        }

        PosixSignalRegistration[] registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Forward),
        ];

        void Unregister()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }

        WrappedProcess child;
        try
        {
            child = WrappedProcess.Start(request.Command, request.Arguments, environment, _stdout, _stderr, OnChunk, RelayShell);
        }
        catch (CommandStartException ex)
        {
            Unregister();
            var failed = await sampler.StopAsync().ConfigureAwait(false);
            _sink.FinishRun(Summarize(failed, null, idle, metrics, [.. notes, ex.Message], request.TotalEpochs));
            throw;
        }

        int exitCode;
        using (child)
        {
            try
            {
                _childStarted?.Invoke(child.Id);
                foreach (var gpu in _meters.OfType<IGpuAttribution>())
                {
                    gpu.AttachRun(child.Id);
                }

                if (child.RelayProblem is { } relayProblem)
                {
                    _diagnostic($"warning: no standby relay for the command's output: {relayProblem}. If TrainWatt is killed or crashes, the command loses its stdout and stderr and may stop at its next write.");
                }

                request.Stop?.Attach(child.Id);
                PosixSignal[] pending;
                lock (signalGate)
                {
                    running = child;
                    pending = [.. early!];
                    early = null;
                }

                foreach (var signal in pending)
                {
                    child.Signal(signal);
                }

                using var progressStop = new CancellationTokenSource();
                var progress = ProgressLoopAsync(sampler, request.ProgressInterval, progressStop.Token);
                exitCode = await child.WaitForExitAsync(DrainTimeout, cancellationToken).ConfigureAwait(false);
                request.Stop?.CommandExited(); // a stopped command's tree is ended before the run is summed up
                await progressStop.CancelAsync().ConfigureAwait(false);
                await progress.ConfigureAwait(false);
            }
            finally
            {
                Unregister();
            }
        }

        lock (scanGate)
        {
            splitOut.Complete(OnSegment);
            splitErr.Complete(OnSegment);
            foreach (string note in ScanNotes(child, detectorNotes - MaxDetectorNotes))
            {
                notes.Add(note);
                _diagnostic(note);
            }

            var atExit = detector.Complete();
            if (exitCode == 0)
            {
                Handle(atExit);
            }
            else
            {
                // A failed command's open epoch was cut short: recording it would put a partial epoch among whole ones.
                foreach (var open in atExit.OfType<EpochEnded>())
                {
                    string note = $"epoch {open.Number} was still running when the command exited with code {exitCode}; it is not recorded as an epoch.";
                    notes.Add(note);
                    _diagnostic(note);
                }
            }
        }

        var result = await sampler.StopAsync().ConfigureAwait(false);
        var summary = Summarize(result, exitCode, idle, metrics, notes, request.TotalEpochs ?? detector.Total ?? result.TotalEpochs,
            [.. _meters.OfType<IGpuAttribution>().SelectMany(m => m.Attribution)]);
        _sink.FinishRun(summary);
        return new MeasurementOutcome(runId, summary, result.Readings);
    }

    /// <summary>What went unscanned: notes past the limit, output beyond the scan queue, a bug in the scanning.</summary>
    private static IEnumerable<string> ScanNotes(WrappedProcess child, int notesLeftOut)
    {
        if (notesLeftOut > 0)
        {
            yield return $"epochs: {notesLeftOut} more notes about the command's output were left out (the first {MaxDetectorNotes} are shown).";
        }

        if (child.UnscannedBytes > 0)
        {
            yield return $"epochs: {child.UnscannedBytes} bytes of the command's output came faster than epoch detection could read them; they were passed on but not scanned, so epochs may be missing.";
        }

        if (child.ScanFailure is { } failure)
        {
            yield return $"epochs: epoch detection stopped after an internal error ({failure.GetType().Name}: {failure.Message}); the output was passed on and the energy measured, but later epochs were not detected.";
        }
    }

    private static MeasurementSummary Summarize(
        SamplerResult result,
        int? exitCode,
        IReadOnlyList<Power?>? idle,
        Dictionary<string, double> metrics,
        List<string> notes,
        int? totalEpochs,
        IReadOnlyList<GpuAttribution>? attribution = null)
    {
        var channels = new ChannelTotal[result.Channels.Count];
        for (int i = 0; i < channels.Length; i++)
        {
            var shared = attribution?.FirstOrDefault(a => a.ChannelId == result.Channels[i].Channel.Id);
            channels[i] = result.Channels[i] with { IdlePower = idle is not null && i < idle.Count ? idle[i] : null, Attribution = shared };
            if (shared is not null && result.Channels[i].Valid)
            {
                notes.Add(shared.Note(result.Channels[i].Energy));
            }
        }

        return new MeasurementSummary(
            exitCode, result.Duration, channels, result.Epochs, new Dictionary<string, double>(metrics, StringComparer.Ordinal),
            totalEpochs, [.. result.Notes, .. notes]);
    }

    private async Task ProgressLoopAsync(EnergySampler sampler, TimeSpan interval, CancellationToken cancellationToken)
    {
        if (_progress is null || interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                _progress(sampler.Snapshot());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The command exited.
        }
    }

    private static bool CommandSharesTerminal()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        // tcgetpgrp(fd) is -1 when fd is not a terminal, else the terminal's foreground process group: when that is our
        // group, Ctrl+C on that terminal signals the command too. Any of stdin, stdout, stderr may be the terminal.
        int ours = NativeMethods.getpgrp();
        for (int fd = 0; fd <= 2; fd++)
        {
            int foreground = NativeMethods.tcgetpgrp(fd);
            if (foreground > 0)
            {
                return foreground == ours;
            }
        }

        return false;
    }
}
