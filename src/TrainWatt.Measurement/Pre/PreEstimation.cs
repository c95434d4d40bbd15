using TrainWatt.Core.Footprint;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Pre;

/// <summary>
/// A run to estimate before it starts. What is trained is exactly one of <see cref="Gflops"/>, a catalog
/// <see cref="Architecture"/> (the paper's configuration for the paper's models) or an <see cref="OnnxModel"/> file.
/// </summary>
public sealed record PreEstimateRequest(
    double? Gflops,
    string? Architecture,
    string? OnnxModel,
    GpuSpec Gpu,
    int BatchSize,
    ImageSize Input,
    int TrainSamples,
    int ValidationSamples,
    EpochRange Epochs)
{
    /// <summary>Host RAM allocated to the run when not given, GB.</summary>
    public const double DefaultRamGigabytes = 16;

    public double RamGigabytes { get; init; } = DefaultRamGigabytes;

    /// <summary>The model; null: the newest fitted one, else the shipped default.</summary>
    public PreModelChoice? Model { get; init; }

    /// <summary>The paper's KRR arrays (model-params); default <c>TRAINWATT_PAPER_MODELS</c>.</summary>
    public string? PaperModelsDirectory { get; init; }

    /// <summary>Folder of fitted models (<see cref="PreModels.ModelsDirectory"/>).</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Grid for emissions; default the world average.</summary>
    public CarbonIntensityEntry? Grid { get; init; }

    /// <summary>PUE; default the on-prem average preset.</summary>
    public double? Pue { get; init; }

    public ElectricityPrice? Price { get; init; }
}

/// <summary>A baseline's energy for the same run, with its formula.</summary>
public sealed record PreBaseline(string Name, Energy Energy, string Formula);

/// <summary>A PRE estimate with everything a report shows: the run, how its GFLOPs were found, the model, the baselines and the footprint.</summary>
public sealed record PreEstimateReport(
    RunDescription Run,
    EpochRange Epochs,
    string GflopsSource,
    IPreEstimator Model,
    PreEstimate Estimate,
    IReadOnlyList<PreBaseline> Baselines,
    FootprintResult Footprint);

/// <summary><c>trainwatt estimate</c> as library calls: a new run (<see cref="Estimate"/>) or a stored one against what was measured (<see cref="EstimateStoredRun"/>).</summary>
public static class PreEstimation
{
    /// <summary>
    /// Estimates the run with the chosen model, at the middle of the epoch range with an interval from its shortest
    /// to its longest end, with the baselines and the footprint. Throws <see cref="PreModels.InputException"/> for a
    /// request that cannot be estimated (the message names the option and the fix), <see cref="PreModelException"/>
    /// for a model that cannot be loaded.
    /// </summary>
    public static PreEstimateReport Estimate(PreEstimateRequest request, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(host);
        var (height, width) = (request.Input.Height, request.Input.Width);
        var (gflops, gflopsSource, layers) = PreModels.ResolveNetwork(request.Gflops, request.Architecture, request.OnnxModel, height, width);
        if (PaperGflopsFeature.ForPaperModel(request.Model, request.Architecture, height, width, gflops) is { } paper)
        {
            (gflops, gflopsSource) = paper; // the paper's KRR was fitted on the paper's own GFLOPs values
        }

        RunDescription run;
        try
        {
            run = new RunDescription(gflops, request.Gpu, request.BatchSize, height, width, request.TrainSamples, request.ValidationSamples, request.RamGigabytes)
            {
                Layers = layers,
                Architecture = request.Architecture is { } a ? Architecture.Catalog.ModelCatalog.Find(a)?.Name ?? a : null,
            }.Validated();
        }
        catch (ArgumentException ex)
        {
            throw new PreModels.InputException(ex.Message);
        }

        var model = PreModelChoice.Resolve(request.Model, request.PaperModelsDirectory, request.ModelsDirectory, host);
        var estimate = model.Estimate(run);
        double epochs = request.Epochs.Midpoint;
        var footprint = FootprintCalculator.Compute(
            estimate.Total(epochs),
            request.Pue is { } pue ? PueAssumption.Given(pue) : PueAssumption.Default(),
            IntensityAssumption.From(request.Grid ?? CarbonIntensityTable.Default.World),
            request.Price);
        return new PreEstimateReport(run, request.Epochs, gflopsSource, model, estimate, Baselines(run, estimate, epochs), footprint);
    }

    /// <summary>
    /// The baselines for the same run. They need a time, which they cannot predict themselves: all use the estimate's
    /// predicted epoch duration × epochs. FLOPs/TDP: time = 3 × GFLOPs × train + GFLOPs × val per epoch at FP32 peak.
    /// </summary>
    public static IReadOnlyList<PreBaseline> Baselines(RunDescription run, PreEstimate estimate, double epochs)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(estimate);
        double seconds = estimate.EpochDuration.TotalSeconds * epochs;
        double tdp = run.Gpu.ThermalDesignPower.Watts;
        double flopsPerEpoch = run.Gflops * 1e9 * (3.0 * run.TrainSamples + run.ValidationSamples);
        double peakSeconds = flopsPerEpoch * epochs / (run.Gpu.Fp32Teraflops * 1e12);
        return
        [
            new("green_algorithms", Energy.FromJoules((tdp * 1.0 + PreEvaluation.GreenAlgorithmsWattsPerGigabyte * run.RamGigabytes) * seconds),
                "(TDP x 1.0 + 0.3725 W/GB x RAM) x predicted duration"),
            new("ml_co2_impact", Energy.FromJoules(tdp * seconds), "TDP x predicted duration"),
            new("flops_tdp", Energy.FromJoules(tdp * peakSeconds), "TDP x (3 x GFLOPs x train + GFLOPs x val) x epochs / FP32 peak"),
        ];
    }

    /// <summary>
    /// Estimates a stored run from its PRE metadata with the chosen model and compares with what was measured: energy
    /// over its recorded epochs, average GPU power, epoch energy and duration. Throws <see cref="RunNotFoundException"/>
    /// for an unknown run, <see cref="InvalidDataException"/> when the run lacks what PRE needs (the message lists it).
    /// </summary>
    public static PreComparison EstimateStoredRun(IRunStore store, long runId, PreModelChoice? model, string? paperModelsDirectory, string? modelsDirectory, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(store);
        var record = store.ListRuns().FirstOrDefault(r => r.Id == runId) ?? throw new RunNotFoundException(store.Location, $"no run {runId} in the store; list runs with `trainwatt runs list`.", runId);
        var (row, epochs, reason) = PreStoreRows.ReadOne(store, record);
        if (row is null)
        {
            throw new InvalidDataException($"run {runId} cannot be estimated: {reason}. PRE needs gflops (or a catalog architecture), gpu (or a named GPU device in the run), batch_size, input, train_samples, val_samples and ram_gb in the run's metadata or tags (docs/pre.md).");
        }

        return PreComparison.Compute(runId, row, epochs, PreModelChoice.Resolve(model, paperModelsDirectory, modelsDirectory, host));
    }
}
