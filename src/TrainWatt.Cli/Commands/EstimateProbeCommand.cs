using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Epochs;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Measurement.Pre;
using TrainWatt.Measurement.Probe;
using TrainWatt.Meters;
using TrainWatt.Storage;

namespace TrainWatt.Cli.Commands;

/// <summary><c>estimate --probe</c>'s own options, typed: the probe, how the command is measured, the planned steps.</summary>
internal sealed record ProbeCommandSettings(
    TimeSpan? Length, IReadOnlyList<string> Command, long? Steps, bool Steady, TimeSpan StopGrace, TimeSpan Interval, MeterKinds Meters, string? Gpus,
    double? CpuTdp, EpochFramework Framework, string? EpochPattern, IReadOnlyList<string> Tags, CpuAttribution CpuAttribution = CpuAttribution.Process)
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Length is null)
        {
            if (Command.Count > 0)
            {
                problems.Add($"A command after -- ({Command[0]}) is only run with --probe DURATION (e.g. --probe 45s); without it, estimate uses the description options alone.");
            }

            if (Steps is not null || Steady)
            {
                problems.Add("--steps and --steady apply to a probe: add --probe DURATION and the command after --.");
            }

            return problems;
        }

        problems.AddRange(Tags.Where(t => t.IndexOf('=', StringComparison.Ordinal) <= 0).Select(t => $"--tag \"{t}\" must look like key=value (example: --tag model=resnet50)."));
        if (CpuTdp is double tdp && !(tdp > 0 && tdp <= 2000))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--cpu-tdp must be a power in watts between 0 and 2000, but was {tdp}."));
        }

        if (EpochPattern is not null && Pattern() is null)
        {
            problems.Add($"--epoch-pattern \"{EpochPattern}\" is not a valid regular expression; e.g. --epoch-pattern \"^epoch (?<n>\\d+) done\".");
            return problems;
        }

        if (Command.Count == 0)
        {
            problems.Add("--probe needs the training command after -- (e.g. trainwatt estimate --probe 45s -- python train.py).");
        }

        if (Steps is <= 0)
        {
            problems.Add($"--steps must be a positive number of optimisation steps, but was {Steps}.");
        }

        if (StopGrace > TimeSpan.FromHours(1))
        {
            problems.Add($"--stop-grace {StopGrace.TotalSeconds:0.#} s is more than 1h; e.g. --stop-grace 30s.");
        }

        problems.AddRange(Measure(null).Validate());
        return problems;
    }

    /// <summary>--epoch-pattern as a regular expression with measure's 100 ms match timeout; null when absent or invalid.</summary>
    private System.Text.RegularExpressions.Regex? Pattern()
    {
        try
        {
            return EpochPattern is null ? null : new(EpochPattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The pipeline's options for the probe (the length and the stop are added by <see cref="ProbeEstimation"/>).</summary>
    public MeasureOptions Measure(EpochRange? epochs)
    {
        var tags = Tags.Select(t => t.Split('=', 2)).Where(kv => kv.Length == 2 && kv[0].Length > 0).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        return new MeasureOptions(Command)
        {
            Interval = Interval,
            Framework = Framework,
            EpochPattern = Pattern(),
            TotalEpochs = epochs is { IsRange: false } e && e.Min == Math.Floor(e.Min) && e.Min is >= 1 and <= int.MaxValue ? (int)e.Min : null,
            Tags = tags,
            Probe = Length,
            CpuAttribution = CpuAttribution,
        };
    }
}

/// <summary>
/// <c>trainwatt estimate --probe DURATION [estimate options] -- COMMAND [ARGS...]</c>: runs the training command through
/// the measurement pipeline, stops it after DURATION and projects the whole run with a 90 % interval, beside the
/// descriptor-only estimate (when the description options are given) and the baselines (<see cref="ProbeEstimation"/>).
/// The command's output goes to stderr with TrainWatt's lines, so stdout holds only the estimate.
/// </summary>
internal sealed class EstimateProbeCommand
{
    private readonly Option<TimeSpan?> _length = OptionParsers.OptionalDuration("--probe", "Run the training command after -- for this long (e.g. 45s, 2m; warm-up included), stop it, and project the whole run from it (docs/pre.md, Probe).", "30s, 2m");
    private readonly Option<long?> _steps = new("--steps") { Description = "Probe: planned optimisation steps of the whole run, when the log does not print them.", HelpName = "N" };
    private readonly Option<bool> _steady = new("--steady") { Description = "Probe: the job keeps one regime to its end (no unfreezing, no schedule change); the interval allows for drift only." };
    private readonly Option<TimeSpan> _grace = OptionParsers.Duration("--stop-grace", "Probe: how long the command has after SIGINT before SIGTERM (SIGKILL follows 5 s later).", ProbeRequest.DefaultInterruptGrace, "10s, 30s");
    private readonly Option<TimeSpan> _interval = OptionParsers.Duration("--interval", "Probe: sampling interval (default 100ms).", TimeSpan.FromMilliseconds(100), "100ms, 0.5s, 1s");
    private readonly Option<MeterKinds> _meters = MeasureOptionSet.MetersOption();
    private readonly Option<string?> _gpus = new("--gpus") { Description = "Probe: GPUs to measure (indices or UUIDs); default: CUDA_VISIBLE_DEVICES, else all.", HelpName = "LIST" };
    private readonly Option<double?> _cpuTdp = new("--cpu-tdp") { Description = "Probe: CPU TDP in watts for the CPUs we may use, for the CPU model when RAPL is unavailable (default: this CPU's row of data/cpus.csv scaled to our share, else 85 W; see doctor).", HelpName = "WATTS" };
    private readonly Option<EpochFramework> _framework = MeasureOptionSet.FrameworkOption();
    private readonly Option<CpuAttribution> _cpuAttribution = MeasureOptionSet.CpuAttributionOption();
    private readonly Option<string?> _pattern = new("--epoch-pattern") { Description = "Probe: a regular expression; every output line matching it ends an epoch.", HelpName = "REGEX" };
    private readonly Option<string[]> _tags = new("--tag") { Description = "Probe: tag the stored probe run (k=v); repeatable.", HelpName = "K=V", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
    private readonly Argument<string[]> _command = new("command") { Description = "With --probe: the training command and its arguments, after --.", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _length, _steps, _steady, _grace, _interval, _meters, _gpus, _cpuTdp, _cpuAttribution, _framework, _pattern, _tags })
        {
            command.Options.Add(o);
        }

        command.Arguments.Add(_command);
    }

    public ProbeCommandSettings Read(ParseResult parse) => new(
        parse.GetValue(_length), parse.GetValue(_command) ?? [], parse.GetValue(_steps), parse.GetValue(_steady), parse.GetValue(_grace), parse.GetValue(_interval),
        parse.GetValue(_meters), parse.GetValue(_gpus), parse.GetValue(_cpuTdp), parse.GetValue(_framework), parse.GetValue(_pattern), parse.GetValue(_tags) ?? [], parse.GetValue(_cpuAttribution));

    /// <summary>Runs the probe and prints the estimate; the exit code is <see cref="ProbeResult.ExitCode"/>.</summary>
    public static int Execute(CliContext context, EstimateSettings s, ProbeCommandSettings p)
    {
        var stderr = TextWriter.Synchronized(context.Error.Profile.Out.Writer);
        void Say(string message) => stderr.Write("trainwatt: " + message + "\n");

        // The descriptor-only estimate first: a bad description fails before the command runs.
        var descriptor = s.HasDescription ? PreEstimation.Estimate(s.ToRequest(), context) : null;
        using var store = RunStoreFactory.Open(StoreLocation.Resolve(s.Db, context), context.Time);
        using var meters = context.Meters.Open(new MeterSelection(p.Meters, p.Gpus, p.CpuTdp is double w ? Power.FromWatts(w) : null, p.Interval), context);
        foreach (string note in meters.Notes)
        {
            Say(note);
        }

        Say($"probing for {p.Length!.Value.TotalSeconds:0.#} s, recording to {store.Location} with {meters.Describe()}");
        var settings = new ProbeSettings(s.Epochs?.Min, s.Epochs?.Max, p.Steps, p.Steady ? ProbeBand.Steady : ProbeBand.Phases,
            s.TrainSamples is int train && s.ValSamples is int val ? val / 3.0 / train : null);
        var request = new ProbeRequest(p.Measure(s.Epochs), p.Length.Value, settings, p.StopGrace, ProbeRequest.DefaultTerminateGrace);

        // The command's output goes to stderr: stdout is the estimate alone (a JSON document with --json).
        var console = new MeasurementConsole(stderr, stderr, Say) { StdoutBytes = context.StderrBytes, StderrBytes = context.StderrBytes };
        var result = ProbeEstimation.Run(store, meters, context, console, request);
        Say($"the probe is stored as run {result.Measured.RunId} (source probe): trainwatt runs show {result.Measured.RunId}");
        if (result.Problem(request.Length) is { } problem)
        {
            Say("error: " + problem);
        }

        if (result.Projection is null && !result.FinishedWithinProbe)
        {
            return result.ExitCode; // nothing to report: the line above says what to add or change
        }

        var (energy, duration) = result.Projection is { } pr ? (pr.Energy, pr.Duration) : result.MeasuredTotals;
        var baselines = s.Gpu is { } gpu
            ? ProbeBaselines.For(gpu, s.RamGb ?? PreEstimateRequest.DefaultRamGigabytes, duration, descriptor?.Run, result.Projection?.Unit == ProbeUnit.Epoch ? result.Projection.PlannedMin / 2 + result.Projection.PlannedMax / 2 : null)
            : [];
        var footprint = FootprintCalculator.Compute(energy, s.Pue is { } pue ? PueAssumption.Given(pue) : PueAssumption.Default(),
            IntensityAssumption.From(s.Country ?? CarbonIntensityTable.Default.World), s.Price);
        context.WriteData(s.Json
            ? TypedJsonContext.Write(ProbeJson.From(result, request, baselines, footprint, descriptor), TypedJsonContext.Default.ProbeJson)
            : Text(result, request, baselines, footprint, descriptor, s.Gpu is null));
        return result.ExitCode;
    }

    private static string Text(ProbeResult result, ProbeRequest request, IReadOnlyList<PreBaseline> baselines, FootprintResult footprint, PreEstimateReport? descriptor, bool noGpu)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string provenance = ProvenanceText.Name(result.Provenance);
        if (result.Projection is not { } p)
        {
            var (e, d) = result.MeasuredTotals;
            sb.AppendLine(ci, $"Finished:   the command ended by itself after {d.TotalSeconds:0.#} s, within the {request.Length.TotalSeconds:0.#} s probe: measured, not projected (run {result.Measured.RunId})");
            sb.AppendLine(ci, $"Energy:     {e} ({EstimateCommand.Kwh(e)} kWh), measured from {provenance} power");
            sb.AppendLine(ci, $"Duration:   {d.TotalSeconds:0.#} s");
        }
        else
        {
            string unit = ProbeProjector.Name(p.Unit), one = unit.TrimEnd('s');
            string planned = p.PlannedMin == p.PlannedMax ? $"{p.PlannedMin:0.##}" : $"{p.PlannedMin:0.##}-{p.PlannedMax:0.##}";
            sb.AppendLine(ci, $"Probe:      {request.Length.TotalSeconds:0.#} s, then the command was stopped ({Signal(result.StopSignal)}); run {result.Measured.RunId}, source probe");
            sb.AppendLine(ci, $"Warm-up:    {p.WarmupRule}; steady window {p.WarmupEnd.TotalSeconds:0.0}-{p.WindowEnd.TotalSeconds:0.0} s: {p.ProgressAtEnd - p.ProgressAtWarmup:0.##} {unit} in {p.Batches} batches");
            sb.AppendLine(ci, $"Steady:     {p.SecondsPerUnit:0.####} s and {Energy.FromJoules(p.JoulesPerUnit)} per {one}; {p.SteadyPower.Watts:0.#} W ({provenance})");
            sb.AppendLine(ci, $"Planned:    {planned} {unit} (from {p.PlannedSource})");
            sb.AppendLine(ci, $"Energy:     {p.Energy} [{p.EnergyLower} .. {p.EnergyUpper}] ({EstimateCommand.Kwh(p.Energy)} kWh), projected from {provenance} power, 90 % interval");
            sb.AppendLine(ci, $"Duration:   {p.Duration.TotalSeconds:0.#} s [{p.DurationLower.TotalSeconds:0.#} .. {p.DurationUpper.TotalSeconds:0.#}]");
            var parts = p.Parts;
            sb.AppendLine(ci, $"Interval:   probe spread ±{parts.EnergySpread:0.#%} energy, ±{parts.DurationSpread:0.#%} time; {(parts.Band == ProbeBand.Steady ? "drift (--steady)" : "drift and later phases")} x{parts.BandLow:0.###}..x{parts.BandHigh:0.###} (SEAA traces); unseen validation +{parts.Validation:0.#%}");
        }

        if (descriptor is { } d2)
        {
            var est = d2.Estimate;
            double mid = d2.Epochs.Midpoint;
            sb.AppendLine(ci, $"Descriptor: {EstimateCommand.Kwh(est.Total(mid))} kWh [{EstimateCommand.Kwh(est.Lower(d2.Epochs.Min))} .. {EstimateCommand.Kwh(est.Upper(d2.Epochs.Max))}] for {mid:0.##} epochs, without running ({d2.Model.Description})");
        }

        sb.AppendLine(baselines.Count == 0 ? (noGpu ? "Baselines:  give --gpu NAME for the TDP baselines on the probe's duration" : "Baselines:  none") : "Baselines (the probe's projected duration):");
        foreach (var b in baselines)
        {
            sb.AppendLine(ci, $"  {b.Name,-17} {EstimateCommand.Kwh(b.Energy)} kWh  ({b.Formula})");
        }

        sb.AppendLine(ci, $"Facility:   {EstimateCommand.Kwh(footprint.FacilityEnergy)} kWh (PUE {footprint.Pue.Pue.Ratio:0.###})");
        if (footprint.Emissions is { } em)
        {
            sb.AppendLine(ci, $"Emissions:  {em.Grams:0.##} gCO2e");
        }

        if (footprint.Cost is { } cost)
        {
            sb.AppendLine(ci, $"Cost:       {cost}");
        }

        return sb.ToString();
    }

    private static string Signal(int? signal) => signal switch
    {
        2 => "SIGINT",
        15 => "SIGTERM",
        9 => "SIGKILL",
        _ => "not signalled",
    };
}
