using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Pre;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt estimate</c>'s options, typed. Without <see cref="Run"/>: exactly one of <see cref="Gflops"/>,
/// <see cref="Arch"/> and <see cref="Model"/>, and every run option; with it, the stored run's metadata replaces them.
/// </summary>
internal sealed record EstimateSettings(
    string? Arch, string? Model, double? Gflops, GpuSpec? Gpu, int? BatchSize, ImageSize? Input, int? TrainSamples, int? ValSamples, EpochRange? Epochs,
    double? RamGb, PreModelChoice? PreModel, string? PreModelDir, string? ModelsDir, CarbonIntensityEntry? Country, double? Pue, ElectricityPrice? Price,
    bool Json, long? Run, string? Db, ProbeCommandSettings? Probe = null) : ICommandSettings
{
    /// <summary>True when any option describing what is trained was given (then all of them are needed).</summary>
    public bool HasDescription => Arch is not null || Model is not null || Gflops is not null || BatchSize is not null || Input is not null || TrainSamples is not null || ValSamples is not null;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Probe?.Validate() ?? []);
        if (Run is not null)
        {
            return Probe?.Length is null ? problems : [.. problems, "--run estimates a stored run and --probe runs a new one: give one of them."];
        }

        if (Probe?.Length is not null && !HasDescription)
        {
            // A probe needs no description; --gpu alone gives the TDP baselines, --epochs the planned total.
            Positive(problems, "--ram-gb", RamGb, "the host RAM allocated to the run in GB");
            PueProblems(problems);
            return problems;
        }

        foreach (var (name, given, example) in new[]
        {
            ("--gpu", Gpu is not null, "--gpu \"RTX 3090\""), ("--batch-size", BatchSize is not null, "--batch-size 32"), ("--input", Input is not null, "--input 128x128"),
            ("--train-samples", TrainSamples is not null, "--train-samples 23807"), ("--val-samples", ValSamples is not null, "--val-samples 10203"), ("--epochs", Epochs is not null, "--epochs 80"),
        })
        {
            if (!given)
            {
                problems.Add(name == "--gpu"
                    ? "Missing --gpu: PRE predicts the energy of training on a GPU (e.g. --gpu \"RTX 3090\"; see `trainwatt gpus`); it does not cover CPU-only training. For a CPU run, measure it (`trainwatt measure -- COMMAND`) or project it from a short run (`trainwatt estimate --probe 2m -- COMMAND`)."
                    : $"Missing {name}: a new run needs it (e.g. {example}), or give --run ID to estimate a stored run.");
            }
        }

        if ((Gflops is null ? 0 : 1) + (Arch is null ? 0 : 1) + (Model is null ? 0 : 1) != 1)
        {
            problems.Add("Give exactly one of --arch NAME, --model FILE.onnx or --gflops X to say what is trained.");
        }

        Positive(problems, "--gflops", Gflops, "the forward-pass GFLOPs per sample");
        Positive(problems, "--batch-size", BatchSize, "the samples per step");
        Positive(problems, "--train-samples", TrainSamples, "the training samples per epoch");
        Positive(problems, "--val-samples", ValSamples, "the validation samples per epoch");
        Positive(problems, "--ram-gb", RamGb, "the host RAM allocated to the run in GB");
        PueProblems(problems);
        return problems;
    }

    private void PueProblems(List<string> problems)
    {
        if (Pue is { } pue && !(pue >= 1 && double.IsFinite(pue)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--pue must be a finite ratio >= 1.0 (facility energy / IT energy), got {pue}; e.g. --pue 1.2, or leave it out for the on-prem average."));
        }
        else if (Pue is { } high && !Core.Footprint.PowerUsageEffectiveness.TryFromRatio(high, out _, out string? rule))
        {
            problems.Add("--pue: " + rule);
        }
    }

    private static void Positive(List<string> problems, string name, double? value, string what)
    {
        if (value is { } v && !(double.IsFinite(v) && v > 0))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number > 0 ({what}), got {v}."));
        }
    }

    public PreEstimateRequest ToRequest() => new(Gflops, Arch, Model, Gpu!, BatchSize!.Value, Input!.Value, TrainSamples!.Value, ValSamples!.Value, Epochs!.Value)
    {
        RamGigabytes = RamGb ?? PreEstimateRequest.DefaultRamGigabytes, Model = PreModel, PaperModelsDirectory = PreModelDir, ModelsDirectory = ModelsDir,
        Grid = Country, Pue = Pue, Price = Price,
    };
}

/// <summary>
/// <c>trainwatt estimate (--arch NAME | --model FILE.onnx | --gflops X) --gpu NAME --batch-size N --input HxW
/// --train-samples N --val-samples N --epochs N [--ram-gb 16] [--pre-model paper|latest|default|FILE] [--country ES]
/// [--pue X] [--price 0.25EUR] [--json]</c>: PRE energy estimate before training, with an interval, the baselines,
/// carbon and cost (<see cref="PreEstimation"/>); <c>--run ID</c> compares a stored run's estimate with what it measured;
/// <c>--probe DURATION -- COMMAND</c> runs the command for a while and projects the whole run (<see cref="EstimateProbeCommand"/>).
/// </summary>
internal static class EstimateCommand
{
    public static Command Create(CliContext context)
    {
        var arch = new Option<string?>("--arch") { Description = "A catalog architecture (e.g. vgg16, mobilenetv2); the paper's configuration is used for the paper's models." };
        var model = new Option<string?>("--model") { Description = "An ONNX model file; its forward GFLOPs per sample are counted." };
        var gflops = new Option<double?>("--gflops") { Description = "Forward-pass GFLOPs per sample, given directly." };
        var gpu = TypedOptions.Parsed("--gpu", "GPU name as in `trainwatt gpus` (e.g. \"RTX 3090\", A100). Required unless --run.", GpuSpecTable.Default.Find);
        var batch = new Option<int?>("--batch-size") { Description = "Samples per step. Required unless --run." };
        var input = TypedOptions.ParsedValue("--input", "Input image size HEIGHTxWIDTH, e.g. 128x128. Required unless --run.", ImageSize.Parse);
        var train = new Option<int?>("--train-samples") { Description = "Training samples per epoch. Required unless --run." };
        var val = new Option<int?>("--val-samples") { Description = "Validation samples per epoch. Required unless --run." };
        var epochs = TypedOptions.ParsedValue("--epochs", "Number of epochs, or a range MIN-MAX such as 60-100 (the interval then spans both ends). Required unless --run.", EpochRange.Parse);
        var runId = new Option<long?>("--run") { Description = "Estimate a measured run of the store from its metadata (see docs/pre.md) and show the estimate-vs-actual error." };
        var db = StoreLocation.CreateOption();
        var ram = new Option<double?>("--ram-gb") { Description = $"Host RAM allocated to the run, GB (default {PreEstimateRequest.DefaultRamGigabytes})." };
        var preModel = TypedOptions.Parsed("--pre-model", "paper (the paper's KRR; needs --pre-model-dir), latest (newest `trainwatt fit`), default (shipped), or a model FILE. Default: latest if any, else default.", PreModelChoice.Parse);
        var preModelDir = new Option<string?>("--pre-model-dir") { Description = $"Folder with the paper's KRR arrays (model-params); default ${PreModels.PaperModelsVariable}." };
        var modelsDir = new Option<string?>("--models-dir") { Description = $"Folder of fitted models; default ${PreModels.ModelsVariable}, else $XDG_DATA_HOME/trainwatt/models." };
        var country = TypedOptions.Parsed("--country", "Grid country for emissions (ISO code or name); default WORLD.", CarbonIntensityTable.Default.Find);
        var pue = new Option<double?>("--pue") { Description = "PUE >= 1.0; default the on-prem average preset." };
        var price = TypedOptions.Parsed("--price", "Electricity price per kWh with currency, e.g. 0.25EUR.", ElectricityPrice.Parse);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("estimate", "Estimate a training run's energy before it starts (PRE), with an interval, baselines, carbon and cost; with --probe, from a short run of the real command.");
        foreach (Option o in new Option[] { arch, model, gflops, gpu, batch, input, train, val, epochs, ram, preModel, preModelDir, modelsDir, country, pue, price, json, runId, db })
        {
            command.Options.Add(o);
        }

        var probe = new EstimateProbeCommand();
        probe.AddTo(command);
        var llm = new LlmEstimateOptions();
        llm.AddTo(command);

        command.SetAction(parse =>
        {
            if (llm.Requested(parse))
            {
                return llm.Execute(context, parse, parse.GetValue(gpu), parse.GetValue(country), parse.GetValue(pue), parse.GetValue(price), parse.GetValue(json));
            }

            var s = new EstimateSettings(
                parse.GetValue(arch), parse.GetValue(model), parse.GetValue(gflops), parse.GetValue(gpu), parse.GetValue(batch), parse.GetValue(input),
                parse.GetValue(train), parse.GetValue(val), parse.GetValue(epochs), parse.GetValue(ram), parse.GetValue(preModel), parse.GetValue(preModelDir),
                parse.GetValue(modelsDir), parse.GetValue(country), parse.GetValue(pue), parse.GetValue(price), parse.GetValue(json), parse.GetValue(runId),
                parse.GetValue(db), probe.Read(parse)).ThrowIfInvalid();
            if (parse.GetResult(gpu)?.Tokens is [{ } typed] && s.Gpu is { } spec && GpuSpecTable.MatchNote(typed.Value, spec) is { } matched)
            {
                context.Diagnostic("note: " + matched);
            }

            if (s.Probe is { Length: not null } probing)
            {
                return EstimateProbeCommand.Execute(context, s, probing);
            }

            if (s.Run is { } id)
            {
                return StoreLocation.WithStore(context, s.Db, store =>
                {
                    var comparison = PreEstimation.EstimateStoredRun(store, id, s.PreModel, s.PreModelDir, s.ModelsDir, context);
                    context.WriteData(s.Json ? JsonOutput.Object(comparison.WriteProperties) : ToText(comparison));
                    return (int)ExitCode.Success;
                });
            }

            var report = PreEstimation.Estimate(s.ToRequest(), context);
            foreach (string warning in report.Estimate.Warnings)
            {
                context.Diagnostic("warning: " + warning);
            }

            context.WriteData(s.Json ? TypedJsonContext.Write(EstimateJson.From(report), TypedJsonContext.Default.EstimateJson) : ToText(report));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static string ToText(PreComparison comparison)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Run {comparison.RunId}: {comparison.Row.Run}, {comparison.Epochs} epochs");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Model: {comparison.Model.Description}");
        foreach (string line in comparison.TextLines())
        {
            sb.AppendLine(line);
        }

        return sb.ToString();
    }

    private static string ToText(PreEstimateReport report)
    {
        var ci = CultureInfo.InvariantCulture;
        var (e, run, footprint, (minEpochs, maxEpochs)) = (report.Estimate, report.Run, report.Footprint, report.Epochs);
        double epochs = report.Epochs.Midpoint;
        string epochText = report.Epochs.IsRange ? $"{minEpochs:0.##}-{maxEpochs:0.##} epochs (point estimate at {epochs:0.##})" : $"{epochs:0.##} epochs";
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"Run:        {run}");
        sb.AppendLine(ci, $"GFLOPs:     {run.Gflops:0.####} ({report.GflopsSource})");
        sb.AppendLine(ci, $"Model:      {report.Model.Description}");
        sb.AppendLine(ci, $"Energy:     {Kwh(e.Total(epochs))} kWh  [{Kwh(e.Lower(minEpochs))} .. {Kwh(e.Upper(maxEpochs))}] for {epochText}");
        sb.AppendLine(ci, $"            {e.IntervalNote}");
        foreach (var alt in e.Alternatives.Where(a => !e.IntervalNote.Contains(a.Protocol, StringComparison.Ordinal)))
        {
            sb.AppendLine(ci, $"            if the run is like held-out rows of {alt.Protocol}: [{Kwh(e.Total(minEpochs) * alt.LowFactor)} .. {Kwh(e.Total(maxEpochs) * alt.HighFactor)}] kWh");
        }

        sb.AppendLine(ci, $"Per epoch:  {Small(e.EpochEnergy.Joules / 1000, "0.###")} kJ, {Small(e.EpochDuration.TotalSeconds, "0.#")} s; average GPU power {e.AveragePower.Watts:0.#} W");
        sb.AppendLine("Baselines (same run, predicted duration):");
        foreach (var b in report.Baselines)
        {
            sb.AppendLine(ci, $"  {b.Name,-17} {Kwh(b.Energy)} kWh  ({b.Formula})");
        }

        sb.AppendLine(ci, $"Facility:   {Kwh(footprint.FacilityEnergy)} kWh (PUE {footprint.Pue.Pue.Ratio:0.###})");
        if (footprint.Emissions is { } em)
        {
            sb.AppendLine(ci, $"Emissions:  {Small(em.Grams, "0.#")} gCO2e");
        }

        if (footprint.Cost is { } cost)
        {
            sb.AppendLine(ci, $"Cost:       {cost}");
        }

        foreach (string a in footprint.Assumptions)
        {
            sb.AppendLine(ci, $"  assumption: {a}");
        }

        return sb.ToString();
    }

    /// <summary>Below 1, three significant digits (a 0.114 s epoch is not "0 s", 0.0021 g not "0 g"); else <paramref name="format"/>.</summary>
    private static string Small(double value, string format) =>
        value.ToString(value is > 0 and < 1 ? "G3" : format, CultureInfo.InvariantCulture);

    internal static string Kwh(Energy e) => Math.Abs(e.KilowattHours) >= 0.01 || e.KilowattHours == 0
        ? e.KilowattHours.ToString("0.####", CultureInfo.InvariantCulture)
        : e.KilowattHours.ToString("0.###E+0", CultureInfo.InvariantCulture);
}
