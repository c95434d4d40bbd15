using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrainWatt.Core;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;

namespace TrainWatt.Estimation.Llm;

/// <summary>What to estimate: a model, its training data and the GPUs it runs on.</summary>
/// <param name="Model">Parameters (total and active), layers and width.</param>
/// <param name="Tokens">Training tokens D.</param>
/// <param name="SequenceLength">Tokens per sequence.</param>
/// <param name="Gpu">The GPU model (its dense FP16/BF16 peak and TDP).</param>
/// <param name="GpuCount">GPUs training together.</param>
public sealed record LlmEstimateRequest(LlmModel Model, double Tokens, int SequenceLength, GpuSpec Gpu, int GpuCount)
{
    /// <summary>Share of TDP a GPU draws while training, by default (stated in every report).</summary>
    public const double DefaultLoadFactor = 1.0;

    /// <summary>The host's (CPUs, memory, network) share of the power, as a fraction of the GPUs' power.</summary>
    public const double HostShare = 0.10;

    public LlmTraining Training { get; init; } = LlmTraining.Full;

    /// <summary>LoRA: the adapters' trainable parameters.</summary>
    public double? TrainableParameters { get; init; }

    /// <summary>An MFU the user measured or expects; replaces the prior's point (the prior's interval is kept).</summary>
    public double? Mfu { get; init; }

    /// <summary>GPU power while training as a share of TDP.</summary>
    public double LoadFactor { get; init; } = DefaultLoadFactor;

    /// <summary>What <c>estimate --llm</c> misses before a request can be made: the model's size, the tokens, the GPU.</summary>
    public static IReadOnlyList<string> MissingOptions(bool config, bool parameters, bool tokens, bool gpu)
    {
        var problems = new List<string>();
        if (config == parameters)
        {
            problems.Add("Give exactly one of --params N (e.g. --params 7B) or --config FILE (a config.json, or an ONNX model whose parameters are counted) to say how large the model is.");
        }

        if (!tokens || !gpu)
        {
            problems.Add("--llm needs --tokens N (e.g. --tokens 2T) and --gpu NAME (e.g. --gpu \"H100 SXM5\").");
        }

        return problems;
    }

    /// <summary>Every rule the request breaks, each naming the option and the fix; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (GpuCount <= 0)
        {
            problems.Add($"--gpu-count must be a whole number > 0 (GPUs training together), got {GpuCount}.");
        }

        if (SequenceLength <= 0)
        {
            problems.Add($"--seq-len must be > 0 (tokens per sequence, e.g. --seq-len 4096), got {SequenceLength}.");
        }

        if (Mfu is double m && !(m > 0 && m <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--mfu must be a fraction in (0, 1] of the GPU's dense FP16/BF16 peak (e.g. --mfu 0.4), got {m}."));
        }

        if (!(LoadFactor > 0 && LoadFactor <= 1.5))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--load-factor must be in (0, 1.5] (GPU power while training / TDP), got {LoadFactor}."));
        }

        if (Training == LlmTraining.Lora && TrainableParameters is null)
        {
            problems.Add("--finetune lora needs --trainable-params N: the adapters' parameters (e.g. --trainable-params 40M).");
        }

        if (Training == LlmTraining.Full && TrainableParameters is not null)
        {
            problems.Add("--trainable-params applies to --finetune lora (full training trains every parameter): add --finetune lora or drop it.");
        }

        if (Model.ActiveParameters > Model.Parameters)
        {
            problems.Add("--active-params must not exceed --params (the active parameters of a mixture-of-experts model are part of its total).");
        }

        return problems;
    }
}

/// <summary>
/// An LLM training estimate, provenance <c>model</c>: FLOPs (<see cref="LlmTrainingFlops"/>), time = FLOPs / (GPUs ×
/// peak × MFU), energy = time × GPUs × TDP × load factor × (1 + host share), with the 90 % interval of the MFU prior.
/// </summary>
public sealed record LlmEstimate(
    LlmEstimateRequest Request, LlmTrainingFlops Flops, double PeakFlopsPerGpu, LlmMfuPrior Mfu, double Hours, double HoursLower, double HoursUpper,
    Power PowerPerGpu, Energy ItEnergy, Energy ItLower, Energy ItUpper)
{
    public Provenance Provenance => Provenance.Model;

    /// <summary>What the estimate cannot vouch for, one sentence each.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = new List<string>();
            if (Request.Mfu is null && Request.GpuCount < 64)
            {
                warnings.Add($"the MFU prior comes from published pre-training runs on hundreds to thousands of GPUs; a job on {Request.GpuCount} GPU(s) can reach a quite different share of the peak (small batches, offloading, no fused kernels): pass --mfu if you measured yours");
            }

            if (!Flops.HasAttention)
            {
                warnings.Add("the attention term (6 x layers x sequence x width per token) is left out: give --layers and --hidden, or --config; it adds 1-13 % for the published runs");
            }

            return warnings;
        }
    }

    public double GpuHours => Hours * Request.GpuCount;

    public double GpuHoursLower => HoursLower * Request.GpuCount;

    public double GpuHoursUpper => HoursUpper * Request.GpuCount;

    /// <summary>How the power per GPU was set.</summary>
    public string PowerNote => string.Create(CultureInfo.InvariantCulture,
        $"TDP {Request.Gpu.ThermalDesignPower.Watts:0} W x load factor {Request.LoadFactor:0.##}{(Request.LoadFactor == LlmEstimateRequest.DefaultLoadFactor ? " [default: large LLM runs hold GPUs at their power limit; Meta's and BigScience's published figures use TDP]" : " [given]")} x (1 + host share {LlmEstimateRequest.HostShare:0.##} [Patterson et al. 2021 measured 330 W per 300 W V100 with its share of the server])");
}

/// <summary>The estimate with its facility energy, carbon and cost (the footprint of the point and of both bounds).</summary>
public sealed record LlmEstimateReport(LlmEstimate Estimate, FootprintResult Footprint, Energy FacilityLower, Energy FacilityUpper)
{
    /// <summary>The report as text lines (invariant culture).</summary>
    public IReadOnlyList<string> TextLines()
    {
        var (e, r, f) = (Estimate, Estimate.Request, Footprint);
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(ci, $"Model:      {r.Model.Parameters:0.###e+0} parameters{(r.Model.IsMixtureOfExperts ? string.Create(ci, $", {r.Model.ActiveParameters:0.###e+0} active per token (MoE)") : "")}{(r.Model.Layers is int l ? $", {l} layers x {r.Model.Hidden} wide" : "")} ({r.Model.Source})"),
            string.Create(ci, $"Training:   {(r.Training == LlmTraining.Full ? "full (every weight trained)" : string.Create(ci, $"LoRA (base frozen, {r.TrainableParameters:0.###e+0} adapter parameters trained)"))}, {r.Tokens:0.###e+0} tokens, sequence {r.SequenceLength}"),
            string.Create(ci, $"FLOPs:      {e.Flops.Total:0.###e+0} = {e.Flops.Formula}"),
            string.Create(ci, $"GPUs:       {r.GpuCount} x {r.Gpu.Name}, {LlmPeak.Describe(r.Gpu)}"),
            string.Create(ci, $"MFU:        {e.Mfu.Point:0.###} [{e.Mfu.Low:0.###} .. {e.Mfu.High:0.###}] ({e.Mfu.Basis})"),
            string.Create(ci, $"Time:       {Days(e.Hours)} [{Days(e.HoursLower)} .. {Days(e.HoursUpper)}], {e.GpuHours:0.###e+0} GPU-hours [{e.GpuHoursLower:0.###e+0} .. {e.GpuHoursUpper:0.###e+0}] (model, 90 % interval)"),
            string.Create(ci, $"Energy:     {Kwh(e.ItEnergy)} kWh [{Kwh(e.ItLower)} .. {Kwh(e.ItUpper)}] IT energy (model, 90 % interval); {e.PowerPerGpu.Watts:0} W per GPU = {e.PowerNote}"),
            string.Create(ci, $"Facility:   {Kwh(f.FacilityEnergy)} kWh [{Kwh(FacilityLower)} .. {Kwh(FacilityUpper)}] (PUE {f.Pue.Pue.Ratio:0.###})"),
        };
        if (f.Emissions is { } em)
        {
            lines.Add(em.Tonnes >= 1 ? string.Create(ci, $"Emissions:  {em.Tonnes:0.###} tCO2e") : string.Create(ci, $"Emissions:  {em.Kilograms:0.###} kgCO2e"));
        }

        if (f.Cost is { } cost)
        {
            lines.Add($"Cost:       {cost}");
        }

        lines.AddRange(f.Assumptions.Select(a => "  assumption: " + a));
        lines.AddRange(r.Model.Notes.Select(n => "  model: " + n));
        lines.AddRange(e.Warnings.Select(w => "  warning: " + w));
        return lines;
    }

    /// <summary>The <c>--json</c> document (snake_case keys; energies in joules; a contract: add, never rename).</summary>
    public string ToJson() => JsonSerializer.Serialize(LlmEstimateJson.From(this), LlmJsonContext.Default.LlmEstimateJson) + "\n";

    private static string Days(double hours) => hours >= 48
        ? (hours / 24).ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : hours.ToString("0.##", CultureInfo.InvariantCulture) + " h";

    private static string Kwh(Energy e) => e.KilowattHours.ToString(e.KilowattHours switch { >= 100 => "0", >= 0.01 => "0.###", _ => "0.###E+0" }, CultureInfo.InvariantCulture);
}

/// <summary>Computes <see cref="LlmEstimateReport"/>s.</summary>
public static class LlmEstimation
{
    /// <summary>Estimates <paramref name="request"/> with the MFU prior of <paramref name="runs"/> (default: the shipped published runs).</summary>
    /// <exception cref="ArgumentException">The request breaks a rule of <see cref="LlmEstimateRequest.Validate"/> (all problems in one message).</exception>
    public static LlmEstimate Estimate(LlmEstimateRequest request, LlmPublishedRuns? runs = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(request));
        }

        var flops = LlmTrainingFlops.Compute(request.Model, request.Tokens, request.SequenceLength, request.Training, request.TrainableParameters);
        var prior = (runs ?? LlmPublishedRuns.Default).PriorFor(request.Gpu);
        if (request.Mfu is double given)
        {
            prior = new LlmMfuPrior(given, Math.Min(given, prior.Low), Math.Max(given, prior.High), $"given; interval: the prior's ({prior.Basis})");
        }

        double peak = LlmPeak.FlopsPerSecond(request.Gpu);
        double Hours(double mfu) => flops.Total / (request.GpuCount * peak * mfu) / 3600;
        var power = request.Gpu.ThermalDesignPower * (request.LoadFactor * (1 + LlmEstimateRequest.HostShare));
        Energy It(double hours) => Energy.FromKilowattHours(power.Watts / 1000 * hours * request.GpuCount);
        double hours = Hours(prior.Point), lower = Hours(prior.High), upper = Hours(prior.Low);
        return new LlmEstimate(request, flops, peak, prior, hours, lower, upper, power, It(hours), It(lower), It(upper));
    }

    /// <summary>The estimate and its footprint: facility energy (× PUE), emissions and cost, for the point and both bounds.</summary>
    public static LlmEstimateReport Report(LlmEstimate estimate, PueAssumption pue, IntensityAssumption? intensity, ElectricityPrice? price)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(pue);
        var footprint = FootprintCalculator.Compute(estimate.ItEnergy, pue, intensity, price);
        return new LlmEstimateReport(estimate, footprint, estimate.ItLower * pue.Pue, estimate.ItUpper * pue.Pue);
    }
}

/// <summary>The <c>estimate --llm --json</c> document.</summary>
public sealed record LlmEstimateJson(
    string Provenance, double Parameters, double ActiveParameters, int? Layers, int? Hidden, string ModelSource, string Training,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TrainableParameters,
    double Tokens, int SeqLen, double Flops, double FlopsPerToken, bool AttentionTerm, string FlopsFormula, string Gpu, int GpuCount, double PeakFlopsPerGpu,
    LlmBoundsJson Mfu, string MfuBasis, LlmBoundsJson DurationS, LlmBoundsJson GpuHours, double PowerPerGpuW, string PowerBasis,
    LlmBoundsJson EnergyJ, LlmBoundsJson FacilityEnergyJ, double Pue, double? EmissionsG, decimal? Cost, string? Currency,
    IReadOnlyList<string> Assumptions, IReadOnlyList<string> ModelNotes, IReadOnlyList<string> Warnings)
{
    public static LlmEstimateJson From(LlmEstimateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (e, f) = (report.Estimate, report.Footprint);
        var r = e.Request;
        return new(
            ProvenanceText.Name(e.Provenance), r.Model.Parameters, r.Model.ActiveParameters, r.Model.Layers, r.Model.Hidden, r.Model.Source,
            r.Training == LlmTraining.Full ? "full" : "lora", r.TrainableParameters, r.Tokens, r.SequenceLength, e.Flops.Total, e.Flops.PerToken,
            e.Flops.HasAttention, e.Flops.Formula, r.Gpu.Name, r.GpuCount, e.PeakFlopsPerGpu, new(e.Mfu.Point, e.Mfu.Low, e.Mfu.High), e.Mfu.Basis,
            new(e.Hours * 3600, e.HoursLower * 3600, e.HoursUpper * 3600), new(e.GpuHours, e.GpuHoursLower, e.GpuHoursUpper), e.PowerPerGpu.Watts, e.PowerNote,
            new(e.ItEnergy.Joules, e.ItLower.Joules, e.ItUpper.Joules), new(f.FacilityEnergy.Joules, report.FacilityLower.Joules, report.FacilityUpper.Joules),
            f.Pue.Pue.Ratio, f.Emissions?.Grams, f.Cost?.Amount, f.Cost?.Currency, f.Assumptions, r.Model.Notes, e.Warnings);
    }
}

/// <summary>A point with its 90 % interval.</summary>
public sealed record LlmBoundsJson(double Value, double Lower, double Upper);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(LlmEstimateJson))]
internal sealed partial class LlmJsonContext : JsonSerializerContext;
