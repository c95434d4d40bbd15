using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt project --trace GPU_TRACE.csv[.gz] --epochs EPOCHS.csv [...]</c>: projects a run's total energy from
/// its first epochs (offline STEP), with an interval, or says why it cannot yet.
/// </summary>
internal static class ProjectCommand
{
    public static Command Create(CliContext context)
    {
        var trace = new Option<string>("--trace") { Description = "nvidia-smi CSV trace (plain or .gz) of the run.", Required = true };
        var epochs = new Option<string>("--epochs") { Description = "Epoch log: header epoch,end_time; 0-based epochs; ISO-8601 end times in the trace's clock.", Required = true };
        var afterEpoch = new Option<int?>("--after-epoch") { Description = "Use only data up to the end of epoch K (0-based), as a live projection would have (default: all epochs)." };
        var total = new Option<int?>("--total-epochs") { Description = "The run's total number of epochs N, when known." };
        var patience = new Option<int?>("--early-stopping-patience") { Description = "Early-stopping patience P: the run has at least P + 1 epochs." };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Maximum epochs M (Keras 'Epoch k/M'): the upper bound of N under early stopping." };
        var minEpochs = new Option<int?>("--min-epochs") { Description = "A lower bound of N, when known (e.g. from earlier runs)." };
        var method = new Option<string>("--method") { Description = "step (epoch energy, default), step-power (sample power × duration) or carbontracker (first epoch × N).", DefaultValueFactory = _ => "step" };
        method.AcceptOnlyFromAmong("step", "step-power", "carbontracker");
        var parity = new Option<string?>("--parity") { Description = "seaa2023: the paper's exact formulas (s = 10, w = 5, last 3 samples dropped)." };
        parity.AcceptOnlyFromAmong("seaa2023");
        var confidence = new Option<double>("--confidence") { Description = "Two-sided confidence of the interval (default 0.9).", DefaultValueFactory = _ => 0.9 };
        var minStable = new Option<int>("--min-stable-epochs") { Description = "Epochs needed after the last detected change (default 5).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("project", "Project a run's total energy from its stable epochs (STEP), with an interval.");
        foreach (var option in new Option[] { trace, epochs, afterEpoch, total, patience, maxEpochs, minEpochs, method, parity, confidence, minStable, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(context, new Arguments(
            parse.GetValue(trace)!,
            parse.GetValue(epochs)!,
            parse.GetValue(afterEpoch),
            parse.GetValue(total),
            parse.GetValue(patience),
            parse.GetValue(maxEpochs),
            parse.GetValue(minEpochs),
            parse.GetValue(method) switch { "step-power" => ProjectionMethod.StepPower, "carbontracker" => ProjectionMethod.Carbontracker, _ => ProjectionMethod.Step },
            parse.GetValue(parity) is not null,
            parse.GetValue(confidence),
            parse.GetValue(minStable),
            parse.GetValue(json))));
        return command;
    }

    private sealed record Arguments(
        string Trace, string Epochs, int? AfterEpoch, int? Total, int? Patience, int? MaxEpochs, int? MinEpochs,
        ProjectionMethod Method, bool Parity, double Confidence, int MinStable, bool Json);

    /// <summary>Samples the paper's pipeline drops at the end of a trace (pandas skipfooter = 3; paper-notes 1.4).</summary>
    private const int ParityDroppedTailSamples = 3;

    private static int Run(CliContext context, Arguments a)
    {
        if (!(a.Confidence > 0 && a.Confidence < 1))
        {
            return Fail(context, ExitCode.Usage, $"--confidence {a.Confidence.ToString(CultureInfo.InvariantCulture)} must be strictly between 0 and 1 (e.g. 0.9).");
        }

        foreach (var (name, value, min) in new[] { ("--after-epoch", a.AfterEpoch, 0), ("--total-epochs", a.Total, 1), ("--early-stopping-patience", a.Patience, 0), ("--max-epochs", a.MaxEpochs, 1), ("--min-epochs", a.MinEpochs, 1) })
        {
            if (value < min)
            {
                return Fail(context, ExitCode.Usage, $"{name} {value} must be at least {min}.");
            }
        }

        if (a.MinStable < 3)
        {
            return Fail(context, ExitCode.Usage, $"--min-stable-epochs {a.MinStable} must be at least 3.");
        }

        if (a.Parity && a.Method == ProjectionMethod.Carbontracker)
        {
            return Fail(context, ExitCode.Usage, "--parity seaa2023 applies to --method step and step-power only (the paper has no Carbontracker code).");
        }

        var log = EpochLog.ReadFile(a.Epochs);
        if (log.IsFatal)
        {
            return Fail(context, File.Exists(a.Epochs) ? ExitCode.DataError : ExitCode.NoInput, log.Faults[0].ToString());
        }

        var read = NvidiaSmiCsv.ReadFile(a.Trace);
        if (read.IsFatal || read.Devices.Count == 0)
        {
            string why = read.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)?.ToString() ?? $"{a.Trace}: no GPU samples.";
            return Fail(context, File.Exists(a.Trace) ? ExitCode.DataError : ExitCode.NoInput, why);
        }

        foreach (var fault in read.Faults.Take(5))
        {
            context.Diagnostic("warning: " + fault);
        }

        var ends = log.Epochs.Select(e => e.End).ToArray();
        int lastEpoch = ends.Length - 1;
        if (a.AfterEpoch > lastEpoch)
        {
            return Fail(context, ExitCode.Usage, $"--after-epoch {a.AfterEpoch} is beyond the last epoch in {a.Epochs} (epoch {lastEpoch}).");
        }

        // Per device epoch split (the paper's rule), then summed over devices.
        EpochMeasurement[]? sum = null;
        DateTime firstSample = DateTime.MaxValue;
        foreach (var device in read.Devices)
        {
            var samples = device.Samples;
            if (a.Parity)
            {
                samples = samples.Take(Math.Max(0, samples.Count - ParityDroppedTailSamples)).ToArray();
            }

            var split = EpochEnergies.Split(samples, ends);
            if (split.Error is not null)
            {
                return Fail(context, ExitCode.DataError, $"{a.Trace} (GPU {device.Device}) with {a.Epochs}: {split.Error}");
            }

            foreach (string warning in split.Warnings)
            {
                context.Diagnostic($"warning: {a.Trace} (GPU {device.Device}): {warning}");
            }

            firstSample = samples.Count > 0 && samples[0].Timestamp < firstSample ? samples[0].Timestamp : firstSample;
            sum = sum is null
                ? split.Epochs.ToArray()
                : sum.Zip(split.Epochs, (x, y) => x with { Energy = x.Energy + y.Energy, MeanSamplePower = x.MeanSamplePower + y.MeanSamplePower, SampleCount = Math.Min(x.SampleCount, y.SampleCount) }).ToArray();
        }

        int used = (a.AfterEpoch ?? lastEpoch) + 1;
        bool finished = used == ends.Length;
        var seen = sum!.Take(used).ToArray();
        var (horizon, horizonError) = EpochHorizon.Infer(used, finished, a.Total, a.MaxEpochs, a.MinEpochs, a.Patience);
        if (horizon is null && horizonError is not null && a.Total is not null)
        {
            return Fail(context, ExitCode.Usage, horizonError);
        }

        TimeSpan? totalDuration = finished ? ends[^1] - firstSample : null;
        var result = EnergyProjector.Project(
            seen,
            new ChangePointStabilityDetector(new ChangePointOptions(MinStableEpochs: a.MinStable)),
            new ProjectionRequest(a.Method, horizon, a.Confidence, a.Parity, totalDuration));
        if (horizon is null && result.Stability.IsStable && result.Estimate is null && !(a.Parity && a.Method == ProjectionMethod.StepPower))
        {
            result = result with { Reason = horizonError };
        }

        context.WriteData(a.Json ? ToJson(result) : ToText(result));
        return (int)ExitCode.Success;
    }

    internal static string ToJson(ProjectionResult r) => JsonOutput.Object(w =>
    {
        w.WriteString("method", r.MethodName);
        if (r.Parity is not null)
        {
            w.WriteString("parity", r.Parity);
        }

        w.NumberOrNull("stable_from_epoch", r.Stability.StableFromIndex);
        w.WriteNumber("epochs_used", r.EpochsUsed);
        w.WriteNumber("stable_epochs", r.Stability.StableEpochs);
        w.NumberOrNull("projected_energy_j", r.Estimate?.Joules);
        w.NumberOrNull("lower_j", r.Lower?.Joules);
        w.NumberOrNull("upper_j", r.Upper?.Joules);
        w.WriteNumber("confidence", r.Confidence);
        w.WriteNumber("measured_energy_j", r.Measured.Joules);
        w.NumberOrNull("total_epochs_assumed", r.Horizon?.Assumed);
        w.NumberOrNull("total_epochs_min", r.Horizon?.Min);
        w.NumberOrNull("total_epochs_max", r.Horizon?.Max);
        if (r.Reason is not null)
        {
            w.WriteString("reason", r.Reason);
        }
    });

    internal static string ToText(ProjectionResult r)
    {
        var text = new StringBuilder();
        string method = r.MethodName + (r.Parity is null ? string.Empty : $" (parity {r.Parity})");
        if (r.Estimate is { } estimate)
        {
            string n = r.Horizon is { IsExact: true } h ? $"{h.Min}" : $"{r.Horizon!.Min}-{r.Horizon.Max}";
            text.Append(CultureInfo.InvariantCulture, $"projected total  {Format(estimate)}  ({r.Confidence:P0} interval {Format(r.Lower!.Value)} to {Format(r.Upper!.Value)})\n");
            text.Append(CultureInfo.InvariantCulture, $"method           {method}, stable from epoch {r.Stability.StableFromIndex} ({r.Stability.StableEpochs} stable epochs)\n");
            text.Append(CultureInfo.InvariantCulture, $"epochs           {r.EpochsUsed} measured of {n} assumed\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"no projection    {r.Reason}\n");
            text.Append(CultureInfo.InvariantCulture, $"method           {method}\n");
            text.Append(CultureInfo.InvariantCulture, $"epochs           {r.EpochsUsed} measured\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"measured so far  {Format(r.Measured)}\n");
        if (r.Estimate is not null && r.Reason is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"note             {r.Reason}\n");
        }

        return text.ToString();
    }

    private static string Format(Energy e) => e.ToString("kJ:F1", CultureInfo.InvariantCulture);

    private static int Fail(CliContext context, ExitCode code, string message)
    {
        context.Diagnostic("error: " + message);
        return (int)code;
    }
}
