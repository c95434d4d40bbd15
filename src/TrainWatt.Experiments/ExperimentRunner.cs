using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Core.Epochs;
using TrainWatt.Meters.Processes;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

namespace TrainWatt.Experiments;

/// <summary>
/// Runs an experiment plan: every pending run in the plan's shuffled order, each measured by the one
/// <see cref="MeasurementPipeline"/> (the same object <c>trainwatt measure</c> runs its command through) and tagged experiment, config, rep and one tag per
/// variable. A run counts as done when it completed with exit code 0; done runs are skipped, so running the plan again
/// resumes it. SIGINT/SIGTERM stop the experiment after the current run (which the session forwards the signal to).
/// </summary>
public sealed class ExperimentRunner(HostContext context, IRunStore store, MeasurementPipeline pipeline, Action<string> say)
{
    public const int InterruptedExitCode = 130;

    public static bool IsDone(RunRecord run, string experiment) =>
        run.Tags.TryGetValue("experiment", out var e) && e == experiment && run.Status == RunStatus.Completed && run.ExitCode == 0;

    /// <summary>(config, rep) pairs already done in the store.</summary>
    public static HashSet<(string Config, int Rep)> Done(IRunStore store, string experiment) =>
        store.ListRuns().Where(r => IsDone(r, experiment))
            .Select(r => (r.Tags.GetValueOrDefault("config") ?? string.Empty, int.TryParse(r.Tags.GetValueOrDefault("rep"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int rep) ? rep : 0))
            .ToHashSet();

    public int Run(ExperimentPlan plan)
    {
        var schedule = plan.Schedule();
        var done = Done(store, plan.Name);
        var pending = schedule.Where(p => !done.Contains((p.Configuration.Label, p.Repetition))).ToArray();
        say($"experiment {plan}: {schedule.Count - pending.Length} of {schedule.Count} runs already done, {pending.Length} to go (order seed {plan.Seed}).");
        if (pending.Length == 0)
        {
            return (int)ExitCode.Success;
        }

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            if (!stop.IsCancellationRequested)
            {
                say("interrupted: stopping after the current run; run the plan again to resume.");
                stop.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        if (plan.WarmupCommand is { } warmup)
        {
            Warmup(warmup, plan.WarmupDuration, stop.Token);
        }

        int failures = 0;
        for (int i = 0; i < pending.Length && !stop.IsCancellationRequested; i++)
        {
            var planned = pending[i];
            if (i > 0 && plan.Cooldown > TimeSpan.Zero)
            {
                say($"cooling down for {plan.Cooldown.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s...");
                if (!Delay(plan.Cooldown, stop.Token))
                {
                    break;
                }
            }

            if (plan.WaitUntilIdle is { } idle && !WaitUntilIdle(idle, plan.Interval, stop.Token))
            {
                break;
            }

            var tags = new Dictionary<string, string>(plan.Tags, StringComparer.Ordinal)
            {
                ["experiment"] = plan.Name,
                ["config"] = planned.Configuration.Label,
                ["rep"] = planned.Repetition.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (k, v) in planned.Configuration.Values)
            {
                tags[k] = v;
            }

            var command = plan.CommandFor(planned.Configuration);
            say($"run {planned.Position}/{schedule.Count}: {planned.Configuration.Label} rep {planned.Repetition}: {Show(command)}");
            var options = new MeasureOptions(command)
            {
                Interval = plan.Interval,
                FlushInterval = TimeSpan.FromSeconds(1),
                Framework = plan.Framework,
                CpuAttribution = plan.CpuAttribution,
                Tags = tags,
                Environment = new Dictionary<string, string?> { ["TRAINWATT_EXPERIMENT"] = plan.Name, ["TRAINWATT_CONFIG"] = planned.Configuration.Label, ["TRAINWATT_REP"] = tags["rep"] },
            };
            try
            {
                // The pipeline returns once the run is in the store (or spooled): the next run, a summary, or closing
                // the store never races the background writer.
                var result = pipeline.Run(options);
                var s = result.Summary;
                string metrics = s.Metrics.Count == 0 ? string.Empty : "; " + string.Join(", ", s.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:G6}")));
                say(string.Create(CultureInfo.InvariantCulture, $"run {result.RunId}: exit {s.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}, {s.Duration.TotalSeconds:F1} s, {s.Energy.Joules:F1} J{metrics}"));
                if (s.ExitCode != 0)
                {
                    failures++;
                }
            }
            catch (CommandStartException e)
            {
                say("error: " + e.Message);
                return (int)(e.NotFound ? ExitCode.CommandNotFound : ExitCode.CommandNotExecutable);
            }
        }

        if (stop.IsCancellationRequested)
        {
            return InterruptedExitCode;
        }

        return failures == 0 ? (int)ExitCode.Success : (int)ExitCode.PartialFailure;
    }

    /// <summary>The command on one line: multi-line or long arguments (inline scripts) are abbreviated.</summary>
    private static string Show(IReadOnlyList<string> command) =>
        string.Join(' ', command.Select(a => a.Contains('\n', StringComparison.Ordinal) || a.Length > 60 ? "'" + a.Split('\n')[0][..Math.Min(a.Split('\n')[0].Length, 40)] + "...'" : a));

    private bool Delay(TimeSpan duration, CancellationToken token)
    {
        try
        {
            Task.Delay(duration, context.Time, token).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool WaitUntilIdle(IdleWait idle, TimeSpan interval, CancellationToken token)
    {
        // Idle readings are not stored (the pipeline's idle measurement has no sink).
        var deadline = context.Time.GetUtcNow() + idle.Timeout;
        while (!token.IsCancellationRequested)
        {
            IReadOnlyList<TrainWatt.Core.Units.Power?> powers;
            try
            {
                powers = pipeline.MeasureIdle(TimeSpan.FromSeconds(1), interval, token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            double watts = powers.Where(p => p is not null).Sum(p => p!.Value.Watts);
            if (watts <= idle.MaxPowerWatts)
            {
                return true;
            }

            if (context.Time.GetUtcNow() >= deadline)
            {
                say(string.Create(CultureInfo.InvariantCulture, $"still at {watts:F0} W after {idle.Timeout.TotalSeconds:0} s (idle limit {idle.MaxPowerWatts:F0} W): starting anyway."));
                return true;
            }
        }

        return false;
    }

    private void Warmup(IReadOnlyList<string> command, TimeSpan? duration, CancellationToken token)
    {
        say($"warm-up: {string.Join(' ', command)}{(duration is { } d ? string.Create(CultureInfo.InvariantCulture, $" (at most {d.TotalSeconds:0.#} s)") : string.Empty)}");
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        Process? started;
        try
        {
            started = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TrainWatt.Analysis.Data.AnalysisDataException($"the plan's warm-up command \"{command[0]}\" cannot be started: {e.Message}. Fix \"warmup\".\"command\" in the plan.", e);
        }

        using var process = started ?? throw new TrainWatt.Analysis.Data.AnalysisDataException($"the plan's warm-up command \"{command[0]}\" did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = duration is { } max ? new CancellationTokenSource(max) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, token);
        try
        {
            process.WaitForExitAsync(linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }
}
