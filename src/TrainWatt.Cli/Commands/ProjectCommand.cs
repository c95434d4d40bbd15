using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt project</c>'s options, typed.</summary>
internal sealed record ProjectSettings(
    string Trace, string Epochs, int? AfterEpoch, int? Total, int? Patience, int? MaxEpochs, int? MinEpochs,
    ProjectionMethod Method, bool Parity, double Confidence, int MinStable, bool Json, double? DriftPrior = null) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(Confidence > 0 && Confidence < 1))
        {
            problems.Add($"--confidence {Confidence.ToString(CultureInfo.InvariantCulture)} must be strictly between 0 and 1 (e.g. 0.9).");
        }

        foreach (var (name, value, min) in new[] { ("--after-epoch", AfterEpoch, 0), ("--total-epochs", Total, 1), ("--early-stopping-patience", Patience, 0), ("--max-epochs", MaxEpochs, 1), ("--min-epochs", MinEpochs, 1) })
        {
            if (value < min)
            {
                problems.Add($"{name} {value} must be at least {min}.");
            }
        }

        if (MinStable < 3)
        {
            problems.Add($"--min-stable-epochs {MinStable} must be at least 3.");
        }

        if (DriftPrior is double tau && !(tau >= 0 && tau <= 1))
        {
            problems.Add($"--drift-prior {tau.ToString(CultureInfo.InvariantCulture)} must be a relative standard deviation from 0 to 1 (e.g. 0.01 for 1 % over the run).");
        }

        if (Parity && Method == ProjectionMethod.Carbontracker)
        {
            problems.Add("--parity seaa2023 applies to --method step and step-power only (the paper has no Carbontracker code).");
        }

        return problems;
    }

    public TraceProjectionRequest ToRequest() => new(Trace, Epochs)
    {
        Method = Method, Seaa2023Parity = Parity, AfterEpoch = AfterEpoch, TotalEpochs = Total, Patience = Patience, MaxEpochs = MaxEpochs,
        MinEpochs = MinEpochs, Confidence = Confidence, MinStableEpochs = MinStable,
        Drift = DriftPrior is double tau ? Core.Projection.DriftPrior.Given(tau) : Core.Projection.DriftPrior.Default,
    };
}

/// <summary>The papers <c>--parity</c> can reproduce.</summary>
internal enum PaperParity
{
    Seaa2023,
}

/// <summary>
/// <c>trainwatt project --trace GPU_TRACE.csv[.gz] --epochs EPOCHS.csv [...]</c>: projects a run's total energy from
/// its first epochs (offline STEP, <see cref="TraceProjection"/>), with an interval, or says why it cannot yet.
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
        var method = TypedOptions.Choice(
            "--method", "step (epoch energy, default), step-power (sample power × duration) or carbontracker (first epoch × N).", ProjectionMethod.Step,
            ("step", ProjectionMethod.Step), ("step-power", ProjectionMethod.StepPower), ("carbontracker", ProjectionMethod.Carbontracker));
        var parity = TypedOptions.OptionalChoice(
            "--parity", "seaa2023: the paper's exact formulas (s = 10, w = 5, last 3 samples dropped; 2 after a half-written last line, as pandas read it).",
            (Seaa2023Parity.Name, PaperParity.Seaa2023));
        var confidence = new Option<double>("--confidence") { Description = "Two-sided confidence of the interval (default 0.9).", DefaultValueFactory = _ => 0.9 };
        var minStable = new Option<int>("--min-stable-epochs") { Description = "Epochs needed after the last detected change (default 5).", DefaultValueFactory = _ => 5 };
        var drift = new Option<double?>("--drift-prior") { Description = "Slow-drift prior of the interval: standard deviation of the level's relative change over the run (default 0.01).", HelpName = "TAU" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout." };
        var command = new Command("project", "Project a run's total energy from its stable epochs (STEP), with an interval.");
        foreach (var option in new Option[] { trace, epochs, afterEpoch, total, patience, maxEpochs, minEpochs, method, parity, confidence, minStable, drift, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = new ProjectSettings(
                parse.GetValue(trace)!, parse.GetValue(epochs)!, parse.GetValue(afterEpoch), parse.GetValue(total), parse.GetValue(patience),
                parse.GetValue(maxEpochs), parse.GetValue(minEpochs), parse.GetValue(method).Value, parse.GetValue(parity) is not null,
                parse.GetValue(confidence), parse.GetValue(minStable), parse.GetValue(json), parse.GetValue(drift)).ThrowIfInvalid();
            var result = TraceProjection.Project(s.ToRequest());
            foreach (string warning in result.Warnings)
            {
                context.Diagnostic("warning: " + warning);
            }

            context.WriteData(s.Json ? TypedJsonContext.Write(ProjectJson.From(result.Projection), TypedJsonContext.Default.ProjectJson) : ToText(result.Projection));
            return (int)ExitCode.Success;
        });
        return command;
    }

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
            if (r.Drift is { } drift)
            {
                text.Append(CultureInfo.InvariantCulture, $"drift prior      {drift}\n");
            }
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
}
