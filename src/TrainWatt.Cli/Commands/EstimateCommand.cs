using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt estimate (--arch NAME | --model FILE.onnx | --gflops X) --gpu NAME --batch-size N --input HxW
/// --train-samples N --val-samples N --epochs N [--ram-gb 16] [--pre-model paper|latest|default|FILE] [--country ES]
/// [--pue X] [--price 0.25EUR] [--json]</c>: PRE energy estimate before training, with an interval, the baselines,
/// carbon and cost.
/// </summary>
internal static class EstimateCommand
{
    public const double DefaultRamGigabytes = 16;

    public static Command Create(CliContext context)
    {
        var arch = new Option<string?>("--arch") { Description = "A catalog architecture (e.g. vgg16, mobilenetv2); the paper's configuration is used for the paper's models." };
        var model = new Option<string?>("--model") { Description = "An ONNX model file; its forward GFLOPs per sample are counted." };
        var gflops = new Option<double?>("--gflops") { Description = "Forward-pass GFLOPs per sample, given directly." };
        var gpu = new Option<string?>("--gpu") { Description = "GPU name as in `trainwatt gpus` (e.g. \"RTX 3090\", A100). Required unless --run." };
        var batch = new Option<int?>("--batch-size") { Description = "Samples per step. Required unless --run." };
        var input = new Option<string?>("--input") { Description = "Input image size HEIGHTxWIDTH, e.g. 128x128. Required unless --run." };
        var train = new Option<int?>("--train-samples") { Description = "Training samples per epoch. Required unless --run." };
        var val = new Option<int?>("--val-samples") { Description = "Validation samples per epoch. Required unless --run." };
        var epochs = new Option<string?>("--epochs") { Description = "Number of epochs, or a range MIN-MAX such as 60-100 (the interval then spans both ends). Required unless --run." };
        var runId = new Option<long?>("--run") { Description = "Estimate a measured run of the store from its metadata (see docs/pre.md) and show the estimate-vs-actual error." };
        var db = StoreLocation.CreateOption();
        var ram = new Option<double?>("--ram-gb") { Description = $"Host RAM allocated to the run, GB (default {DefaultRamGigabytes})." };
        var preModel = new Option<string?>("--pre-model") { Description = "paper (the paper's KRR; needs --pre-model-dir), latest (newest `trainwatt fit`), default (shipped), or a model FILE. Default: latest if any, else default." };
        var preModelDir = new Option<string?>("--pre-model-dir") { Description = $"Folder with the paper's KRR arrays (model-params); default ${PreModels.PaperModelsVariable}." };
        var modelsDir = new Option<string?>("--models-dir") { Description = $"Folder of fitted models; default ${PreModels.ModelsVariable}, else $XDG_DATA_HOME/trainwatt/models." };
        var country = new Option<string?>("--country") { Description = "Grid country for emissions (ISO code or name); default WORLD." };
        var pue = new Option<double?>("--pue") { Description = "PUE >= 1.0; default the on-prem average preset." };
        var price = new Option<string?>("--price") { Description = "Electricity price per kWh with currency, e.g. 0.25EUR." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("estimate", "Estimate a training run's energy before it starts (PRE), with an interval, baselines, carbon and cost.");
        foreach (Option o in new Option[] { arch, model, gflops, gpu, batch, input, train, val, epochs, ram, preModel, preModelDir, modelsDir, country, pue, price, json, runId, db })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            if (parse.GetValue(runId) is { } id)
            {
                return StoreLocation.WithStore(context, parse.GetValue(db), store => EstimateStoredRun(context, parse, store, id, preModel, preModelDir, modelsDir, json));
            }

            try
            {
                var missing = new (Option Option, bool Given)[]
                {
                    (gpu, parse.GetValue(gpu) is not null), (batch, parse.GetValue(batch) is not null), (input, parse.GetValue(input) is not null),
                    (train, parse.GetValue(train) is not null), (val, parse.GetValue(val) is not null), (epochs, parse.GetValue(epochs) is not null),
                }.Where(t => !t.Given).Select(t => t.Option.Name).ToList();
                if (missing.Count > 0)
                {
                    throw new PreModels.InputException($"Missing {string.Join(", ", missing)} (or give --run ID to estimate a stored run).");
                }

                var (h, w) = PreModels.ParseInput(parse.GetValue(input)!);
                var spec = GpuSpecTable.Default.Find(parse.GetValue(gpu)!);
                var (g, gflopsSource) = PreModels.ResolveGflops(parse.GetValue(gflops), parse.GetValue(arch), parse.GetValue(model), h, w);
                if (PaperGflopsFeature.ForPaperModel(parse.GetValue(preModel), parse.GetValue(arch), h, w, g) is { } paperGflops)
                {
                    (g, gflopsSource) = paperGflops; // the paper's KRR was fitted on the paper's own GFLOPs values
                }

                double ramGb = parse.GetValue(ram) ?? DefaultRamGigabytes;
                var (minEpochs, maxEpochs) = PreModels.ParseEpochs(parse.GetValue(epochs)!);
                double nEpochs = (minEpochs + maxEpochs) / 2;

                RunDescription run;
                try
                {
                    run = new RunDescription(g, spec, parse.GetValue(batch)!.Value, h, w, parse.GetValue(train)!.Value, parse.GetValue(val)!.Value, ramGb).Validated();
                }
                catch (ArgumentException ex)
                {
                    throw new PreModels.InputException(ex.Message);
                }

                var estimator = PreModels.ResolveModel(parse.GetValue(preModel), parse.GetValue(preModelDir), parse.GetValue(modelsDir), context);
                var estimate = estimator.Estimate(run);
                var pueAssumption = parse.GetValue(pue) is { } p ? PueAssumption.Given(p) : PueAssumption.Default();
                var intensity = parse.GetValue(country) is { } c
                    ? IntensityAssumption.From(CarbonIntensityTable.Default.Find(c))
                    : IntensityAssumption.From(CarbonIntensityTable.Default.World);
                var electricity = parse.GetValue(price) is { } pr ? ElectricityPrice.Parse(pr) : null;
                var footprint = FootprintCalculator.Compute(estimate.Total(nEpochs), pueAssumption, intensity, electricity);
                var baselines = Baselines(run, estimate, nEpochs);
                context.WriteData(parse.GetValue(json)
                    ? ToJson(run, minEpochs, maxEpochs, gflopsSource, estimator, estimate, baselines, footprint)
                    : ToText(run, minEpochs, maxEpochs, gflopsSource, estimator, estimate, baselines, footprint));
                return (int)ExitCode.Success;
            }
            catch (Exception ex) when (ex is PreModels.InputException or ReferenceLookupException or FormatException or ArgumentOutOfRangeException)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.Usage;
            }
            catch (PreModelException ex)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.DataError;
            }
        });
        return command;
    }

    /// <summary>
    /// Estimates a stored run from its PRE metadata with the chosen model and compares with what was measured: energy
    /// over its recorded epochs, average GPU power, epoch energy and duration. Signed errors are (estimate − measured) / measured.
    /// </summary>
    private static int EstimateStoredRun(CliContext context, ParseResult parse, Storage.IRunStore store, long id, Option<string?> preModel, Option<string?> preModelDir, Option<string?> modelsDir, Option<bool> json)
    {
        var record = store.ListRuns().FirstOrDefault(r => r.Id == id);
        if (record is null)
        {
            context.Diagnostic($"error: no run {id} in the store; list runs with `trainwatt runs list`.");
            return (int)ExitCode.NoInput;
        }

        var (row, nEpochs, reason) = PreStoreRows.ReadOne(store, record);
        if (row is null)
        {
            context.Diagnostic($"error: run {id} cannot be estimated: {reason}. PRE needs gflops (or a catalog architecture), gpu (or a named GPU device in the run), batch_size, input, train_samples, val_samples and ram_gb in the run's metadata or tags (docs/pre.md).");
            return (int)ExitCode.DataError;
        }

        IPreEstimator estimator;
        try
        {
            estimator = PreModels.ResolveModel(parse.GetValue(preModel), parse.GetValue(preModelDir), parse.GetValue(modelsDir), context);
        }
        catch (PreModels.InputException ex)
        {
            context.Diagnostic("error: " + ex.Message);
            return (int)ExitCode.Usage;
        }
        catch (PreModelException ex)
        {
            context.Diagnostic("error: " + ex.Message);
            return (int)ExitCode.DataError;
        }

        var comparison = PreComparison.Compute(id, row, nEpochs, estimator);
        if (parse.GetValue(json))
        {
            context.WriteData(JsonOutput.Object(comparison.WriteProperties));
        }
        else
        {
            var sb = new StringBuilder();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Run {id}: {row.Run}, {nEpochs} epochs");
            sb.AppendLine(CultureInfo.InvariantCulture, $"Model: {estimator.Description}");
            foreach (string line in comparison.TextLines())
            {
                sb.AppendLine(line);
            }

            context.WriteData(sb.ToString());
        }

        return (int)ExitCode.Success;
    }

    /// <summary>
    /// The baselines for the same run. They need a time, which they cannot predict themselves: all use the estimate's
    /// predicted epoch duration × epochs. FLOPs/TDP: time = 3 × GFLOPs × train + GFLOPs × val per epoch at FP32 peak.
    /// </summary>
    internal static IReadOnlyList<(string Name, Energy Energy, string Formula)> Baselines(RunDescription run, PreEstimate estimate, double epochs)
    {
        double seconds = estimate.EpochDuration.TotalSeconds * epochs;
        double tdp = run.Gpu.ThermalDesignPower.Watts;
        double flopsPerEpoch = run.Gflops * 1e9 * (3.0 * run.TrainSamples + run.ValidationSamples);
        double peakSeconds = flopsPerEpoch * epochs / (run.Gpu.Fp32Teraflops * 1e12);
        return
        [
            ("green_algorithms", Energy.FromJoules((tdp * 1.0 + PreEvaluation.GreenAlgorithmsWattsPerGigabyte * run.RamGigabytes) * seconds),
                "(TDP x 1.0 + 0.3725 W/GB x RAM) x predicted duration"),
            ("ml_co2_impact", Energy.FromJoules(tdp * seconds), "TDP x predicted duration"),
            ("flops_tdp", Energy.FromJoules(tdp * peakSeconds), "TDP x (3 x GFLOPs x train + GFLOPs x val) x epochs / FP32 peak"),
        ];
    }

    private static string ToJson(RunDescription run, double minEpochs, double maxEpochs, string gflopsSource, IPreEstimator estimator, PreEstimate e, IReadOnlyList<(string Name, Energy Energy, string Formula)> baselines, FootprintResult footprint)
        => JsonOutput.Object(w =>
        {
            double epochs = (minEpochs + maxEpochs) / 2;
            w.WriteNumber("energy_j", e.Total(epochs).Joules);
            w.WriteNumber("lower_j", e.Lower(minEpochs).Joules);
            w.WriteNumber("upper_j", e.Upper(maxEpochs).Joules);
            w.WriteNumber("avg_power_w", e.AveragePower.Watts);
            w.WriteNumber("epoch_energy_j", e.EpochEnergy.Joules);
            w.WriteNumber("epoch_duration_s", e.EpochDuration.TotalSeconds);
            w.WriteNumber("duration_s", e.EpochDuration.TotalSeconds * epochs);
            w.WriteNumber("epochs", epochs);
            if (maxEpochs > minEpochs)
            {
                w.WriteNumber("epochs_min", minEpochs);
                w.WriteNumber("epochs_max", maxEpochs);
            }

            w.WriteString("interval", e.IntervalNote);
            w.WriteStartObject("intervals");
            foreach (var alt in e.Alternatives)
            {
                w.WriteStartObject(alt.Protocol);
                w.WriteNumber("lower_j", e.Total(minEpochs).Joules * alt.LowFactor);
                w.WriteNumber("upper_j", e.Total(maxEpochs).Joules * alt.HighFactor);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("baselines");
            foreach (var b in baselines)
            {
                w.WriteNumber(b.Name + "_j", b.Energy.Joules);
            }

            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("name", estimator.Name);
            w.WriteString("description", estimator.Description);
            w.WriteEndObject();
            w.WriteStartObject("run");
            w.WriteNumber("gflops", run.Gflops);
            w.WriteString("gflops_source", gflopsSource);
            w.WriteString("gpu", run.Gpu.Name);
            w.WriteNumber("batch_size", run.BatchSize);
            w.WriteNumber("image_height", run.ImageHeight);
            w.WriteNumber("image_width", run.ImageWidth);
            w.WriteNumber("train_samples", run.TrainSamples);
            w.WriteNumber("val_samples", run.ValidationSamples);
            w.WriteNumber("ram_gb", run.RamGigabytes);
            w.WriteEndObject();
            w.WriteStartObject("footprint");
            w.WriteNumber("facility_energy_j", footprint.FacilityEnergy.Joules);
            w.WriteNumber("pue", footprint.Pue.Pue.Ratio);
            w.NumberOrNull("emissions_g", footprint.Emissions?.Grams);
            if (footprint.Cost is { } cost)
            {
                w.WriteNumber("cost", cost.Amount);
                w.WriteString("currency", cost.Currency);
            }

            w.WriteStartArray("assumptions");
            foreach (string a in footprint.Assumptions)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static string ToText(RunDescription run, double minEpochs, double maxEpochs, string gflopsSource, IPreEstimator estimator, PreEstimate e, IReadOnlyList<(string Name, Energy Energy, string Formula)> baselines, FootprintResult footprint)
    {
        var ci = CultureInfo.InvariantCulture;
        double epochs = (minEpochs + maxEpochs) / 2;
        string epochText = maxEpochs > minEpochs ? $"{minEpochs:0.##}-{maxEpochs:0.##} epochs (point estimate at {epochs:0.##})" : $"{epochs:0.##} epochs";
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"Run:        {run}");
        sb.AppendLine(ci, $"GFLOPs:     {run.Gflops:0.####} ({gflopsSource})");
        sb.AppendLine(ci, $"Model:      {estimator.Description}");
        sb.AppendLine(ci, $"Energy:     {Kwh(e.Total(epochs))} kWh  [{Kwh(e.Lower(minEpochs))} .. {Kwh(e.Upper(maxEpochs))}] for {epochText}");
        sb.AppendLine(ci, $"            {e.IntervalNote}");
        foreach (var alt in e.Alternatives.Where(a => !e.IntervalNote.Contains(a.Protocol, StringComparison.Ordinal)))
        {
            sb.AppendLine(ci, $"            if the run is like held-out rows of {alt.Protocol}: [{Kwh(e.Total(minEpochs) * alt.LowFactor)} .. {Kwh(e.Total(maxEpochs) * alt.HighFactor)}] kWh");
        }

        sb.AppendLine(ci, $"Per epoch:  {e.EpochEnergy.Joules / 1000:0.###} kJ, {e.EpochDuration.TotalSeconds:0.#} s; average GPU power {e.AveragePower.Watts:0.#} W");
        sb.AppendLine("Baselines (same run, predicted duration):");
        foreach (var b in baselines)
        {
            sb.AppendLine(ci, $"  {b.Name,-17} {Kwh(b.Energy)} kWh  ({b.Formula})");
        }

        sb.AppendLine(ci, $"Facility:   {Kwh(footprint.FacilityEnergy)} kWh (PUE {footprint.Pue.Pue.Ratio:0.###})");
        if (footprint.Emissions is { } em)
        {
            sb.AppendLine(ci, $"Emissions:  {em.Grams:0.#} gCO2e");
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

    private static string Kwh(Energy e) => Math.Abs(e.KilowattHours) >= 0.01 || e.KilowattHours == 0
        ? e.KilowattHours.ToString("0.####", CultureInfo.InvariantCulture)
        : e.KilowattHours.ToString("0.###E+0", CultureInfo.InvariantCulture);
}
