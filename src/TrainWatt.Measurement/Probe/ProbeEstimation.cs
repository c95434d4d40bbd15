using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters.Processes;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Probe;

/// <summary>A probe to run: the command and how it is measured, how long to watch it, and how to project it.</summary>
/// <param name="Measure">The command and the measurement options (as for <c>measure</c>); its <see cref="MeasureOptions.Probe"/> and <see cref="MeasureOptions.Stop"/> are set by the probe.</param>
/// <param name="Length">How long the command runs before it is stopped (from its start, warm-up included).</param>
/// <param name="Settings">Planned totals given by the user, the band, the validation share.</param>
/// <param name="InterruptGrace">How long the command has after SIGINT before SIGTERM.</param>
/// <param name="TerminateGrace">How long it has after SIGTERM before SIGKILL.</param>
public sealed record ProbeRequest(MeasureOptions Measure, TimeSpan Length, ProbeSettings Settings, TimeSpan InterruptGrace, TimeSpan TerminateGrace)
{
    /// <summary>SIGINT → SIGTERM when not given.</summary>
    public static readonly TimeSpan DefaultInterruptGrace = TimeSpan.FromSeconds(10);

    /// <summary>SIGTERM → SIGKILL.</summary>
    public static readonly TimeSpan DefaultTerminateGrace = TimeSpan.FromSeconds(5);
}

/// <summary>What a probe gave: the measured (stopped) run, and the projection or why there is none.</summary>
/// <param name="Measured">The run as measured through the pipeline (stored as a probe).</param>
/// <param name="Projection">The projected whole run; null when it finished within the probe or could not be projected.</param>
/// <param name="Failure">Why there is no projection; null otherwise.</param>
/// <param name="Stopped">True when the probe stopped the command (false: it ended on its own first).</param>
/// <param name="StopSignal">The strongest signal the command needed (2 SIGINT, 15 SIGTERM, 9 SIGKILL); null when not stopped.</param>
/// <param name="LeftoversEnded">Processes of the command's tree ended after it exited.</param>
/// <param name="Provenance">The weakest provenance among the channels (model beats sampled beats counter).</param>
public sealed record ProbeResult(
    MeasureResult Measured, ProbeProjection? Projection, ProbeFailure? Failure, bool Stopped, int? StopSignal, int LeftoversEnded, Provenance Provenance)
{
    /// <summary>The command ended by itself before the probe did: the measured run is the answer.</summary>
    public bool FinishedWithinProbe => !Stopped;

    /// <summary>
    /// 0 with a projection or a whole run that succeeded; the command's own code when it failed by itself; 65 with no
    /// progress or no planned total; 75 when the probe ended during the warm-up.
    /// </summary>
    public int ExitCode => FinishedWithinProbe
        ? Measured.ExitCode
        : Failure?.Kind switch
        {
            null => (int)Measurement.ExitCode.Success,
            ProbeFailureKind.WarmupNotOver => (int)Measurement.ExitCode.TryAgain,
            _ => (int)Measurement.ExitCode.DataError,
        };

    /// <summary>
    /// Why there is no projection, in one line with the fix (the flag or the marker line to add); null when there is a
    /// projection or a whole run.
    /// </summary>
    public string? Problem(TimeSpan length)
    {
        if (FinishedWithinProbe)
        {
            return Measured.ExitCode == 0 ? null : $"the command exited with code {Measured.ExitCode} after {Measured.Summary.Duration.TotalSeconds:0.#} s, before the probe ended; the measured run is shown, there is nothing to project.";
        }

        string probe = $"{length.TotalSeconds:0.#} s";
        return Failure switch
        {
            null => null,
            { Kind: ProbeFailureKind.NoProgress } f =>
                $"no progress in the {probe} probe ({f.Detail}). TrainWatt reads Keras \"Epoch k/N\" and \"12/45 [===\" lines, tqdm and Lightning bars, Hugging Face logs and ##trainwatt markers. "
                + "Print \"##trainwatt epoch-end n=EPOCH total=EPOCHS\" after each epoch (samples/python/trainwatt_marker.py: epoch_end(n=epoch, total=epochs)) "
                + "and, for epochs longer than the probe, \"##trainwatt step n=STEP total=STEPS\" every few seconds (step(n, total)); or give --epoch-pattern REGEX for your own epoch line. "
                + "If the job was still starting up, give a longer --probe.",
            { Kind: ProbeFailureKind.NoPlannedTotal } f =>
                $"the output shows progress ({f.Detail}) but not how much is planned: give --epochs N (or --steps N), or print it (Keras \"Epoch k/N\", total= in the ##trainwatt epoch-end marker).",
            { Kind: ProbeFailureKind.PlannedBelowProgress } f => $"{f.Detail}: give the planned --epochs (or --steps).",
            { Kind: ProbeFailureKind.WarmupNotOver } f =>
                $"the {probe} probe ended during the warm-up ({f.Detail}{(f.FirstProgress is { } first ? $"; first progress at {first.TotalSeconds:0.#} s" : "")}): "
                + $"it needs two progress steps after the first epoch (or after the first 10 % of the steps). Give a longer probe, e.g. --probe {Suggest(length, f.FirstProgress)}.",
            { } other => other.Detail,
        };
    }

    private static string Suggest(TimeSpan length, TimeSpan? firstProgress)
    {
        double seconds = Math.Max(2 * length.TotalSeconds, 3 * (firstProgress?.TotalSeconds ?? 0));
        return seconds >= 120 ? $"{Math.Ceiling(seconds / 60):0}m" : $"{Math.Ceiling(seconds / 10) * 10:0}s";
    }

    /// <summary>The run's measured energy (gross, all channels) and duration.</summary>
    public (Energy Energy, TimeSpan Duration) MeasuredTotals => (Measured.Summary.Energy, Measured.Summary.Duration);
}

/// <summary>
/// <c>trainwatt estimate --probe</c> as a library call: runs the command through the one <see cref="MeasurementPipeline"/>
/// (the same as <c>measure</c>), stops it after the probe's length (SIGINT, SIGTERM, SIGKILL, its whole process tree),
/// and projects the whole run with <see cref="ProbeProjector"/>. The run is stored with source "probe" and the result
/// as a <see cref="AnnotationKind"/> annotation.
/// </summary>
public static class ProbeEstimation
{
    /// <summary>The annotation kind of a probe's result (a JSON object: energy_j, lower_j, upper_j, duration_s...).</summary>
    public const string AnnotationKind = "probe_estimate";

    /// <summary>
    /// Runs the probe. Throws as <see cref="MeasurementPipeline.Run"/> does (invalid options, a command that cannot start,
    /// a store that cannot create the run).
    /// </summary>
    public static ProbeResult Run(
        IRunStore store, MeterSetup meters, HostContext host, MeasurementConsole console, ProbeRequest request, IReadOnlyList<IMeasurementObserver>? observers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(request);
        var stop = new CommandStop(request.InterruptGrace, request.TerminateGrace, console.Say);
        ITimer? timer = null;
        var timerGate = new Lock();
        string reason = string.Create(CultureInfo.InvariantCulture, $"probe of {request.Length.TotalSeconds:0.#} s over");
        var observer = new ProbeObserver(() =>
        {
            lock (timerGate)
            {
                timer ??= host.Time.CreateTimer(_ => stop.Request(reason), null, request.Length, Timeout.InfiniteTimeSpan);
            }
        });
        var pipeline = new MeasurementPipeline(store, meters, host, console, [observer, .. observers ?? []]);
        MeasureResult measured;
        try
        {
            measured = pipeline.Run(request.Measure with { Probe = request.Length, Stop = stop, ComparePre = false });
        }
        finally
        {
            lock (timerGate)
            {
                timer?.Dispose();
            }
        }

        var summary = measured.Summary;
        var provenance = summary.Channels.Select(c => c.Channel.Provenance).Where(p => p != Provenance.UserGiven).DefaultIfEmpty(Provenance.Model).Max();
        bool stopped = stop.StrongestSignal is not null;
        ProbeProjection? projection = null;
        ProbeFailure? failure = null;
        if (stopped)
        {
            (projection, failure) = ProbeProjector.Project(observer.Complete(summary.TotalEpochs), request.Settings);
        }

        var result = new ProbeResult(measured, projection, failure, stopped, stop.StrongestSignal, stop.LeftoversEnded, provenance);
        Store(store, result, console.Say);
        return result;
    }

    /// <summary>Keeps the result with the run (an annotation); a store that fails here is reported, not fatal.</summary>
    private static void Store(IRunStore store, ProbeResult result, Action<string> say)
    {
        if (result.Measured.Unwritten is not null || !long.TryParse(result.Measured.RunId, NumberStyles.None, CultureInfo.InvariantCulture, out long runId))
        {
            return;
        }

        try
        {
            store.AddAnnotation(runId, new AnnotationRecord(AnnotationKind, ToJson(result)));
        }
        catch (StoreException e)
        {
            say($"warning: the probe's result could not be stored with run {runId}: {e.Message}");
        }
    }

    /// <summary>The result as one compact JSON object (the stored annotation).</summary>
    public static string ToJson(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (result.Projection is { } p)
            {
                json.WriteNumber("energy_j", p.Energy.Joules);
                json.WriteNumber("lower_j", p.EnergyLower.Joules);
                json.WriteNumber("upper_j", p.EnergyUpper.Joules);
                json.WriteNumber("duration_s", p.Duration.TotalSeconds);
                json.WriteNumber("duration_lower_s", p.DurationLower.TotalSeconds);
                json.WriteNumber("duration_upper_s", p.DurationUpper.TotalSeconds);
                json.WriteString("unit", ProbeProjector.Name(p.Unit));
                json.WriteNumber("planned_min", p.PlannedMin);
                json.WriteNumber("planned_max", p.PlannedMax);
            }
            else if (result.FinishedWithinProbe)
            {
                json.WriteNumber("energy_j", result.MeasuredTotals.Energy.Joules);
                json.WriteNumber("duration_s", result.MeasuredTotals.Duration.TotalSeconds);
                json.WriteBoolean("finished_within_probe", true);
            }
            else
            {
                json.WriteString("failure", result.Failure!.Kind.ToString());
                json.WriteString("detail", result.Failure.Detail);
            }

            json.WriteString("provenance", ProvenanceText.Name(result.Provenance));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
