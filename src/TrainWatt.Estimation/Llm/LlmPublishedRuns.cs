using TrainWatt.Core.Reference;
using TrainWatt.Core.Text;

namespace TrainWatt.Estimation.Llm;

/// <summary>One published LLM training run (a row of <c>data/llm-published-runs.csv</c>), each figure with its source.</summary>
/// <param name="Run">Model name, e.g. "Llama 2 7B".</param>
/// <param name="Gpu">The GPU it ran on (a row of <c>data/gpus.csv</c>: its dense FP16/BF16 tensor peak).</param>
/// <param name="Model">Nominal parameters, layers and width as published.</param>
/// <param name="Tokens">Training tokens.</param>
/// <param name="SequenceLength">Training sequence length.</param>
/// <param name="GpuHours">Published GPU-hours (GPT-3: GPUs × days × 24).</param>
/// <param name="PowerWatts">The power per GPU the publication used for its energy.</param>
/// <param name="EnergyKilowattHours">The publication's energy, or GPU-hours × its power where it gave only those.</param>
/// <param name="EnergyBasis">How that energy was obtained (published, or derived from the published figures).</param>
/// <param name="Year">Year of the run.</param>
/// <param name="Source">Paper, table or section, model card.</param>
public sealed record LlmPublishedRun(
    string Run, GpuSpec Gpu, LlmModel Model, double Tokens, int SequenceLength, double GpuHours, double PowerWatts, double EnergyKilowattHours,
    string EnergyBasis, int Year, string Source)
{
    /// <summary>Training FLOPs of the run by <see cref="LlmTrainingFlops"/> (full training, attention term included).</summary>
    public LlmTrainingFlops Flops => LlmTrainingFlops.Compute(Model, Tokens, SequenceLength, LlmTraining.Full);

    /// <summary>Implied model FLOPs utilisation: FLOPs / (GPU-hours × 3600 × dense FP16/BF16 peak).</summary>
    public double ImpliedMfu => Flops.Total / (GpuHours * 3600 * LlmPeak.FlopsPerSecond(Gpu));
}

/// <summary>The dense FP16/BF16 tensor peak of a GPU, the denominator of MFU.</summary>
public static class LlmPeak
{
    /// <summary>Dense FP16/BF16 tensor FLOP/s from <c>data/gpus.csv</c>; FP32 where the GPU has no FP16 tensor rate.</summary>
    public static double FlopsPerSecond(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return (gpu.Fp16Kind == "tensor" && gpu.Fp16Teraflops is double t ? t : gpu.Fp32Teraflops) * 1e12;
    }

    /// <summary>Which peak <see cref="FlopsPerSecond"/> used, for reports.</summary>
    public static string Describe(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return gpu.Fp16Kind == "tensor" && gpu.Fp16Teraflops is double t
            ? $"{t:0.#} TFLOPS dense FP16/BF16 tensor peak ({gpu.Source})"
            : $"{gpu.Fp32Teraflops:0.#} TFLOPS FP32 peak, no FP16 tensor rate published ({gpu.Source})";
    }
}

/// <summary>The published runs TrainWatt's MFU prior is derived from and validated on (<c>data/llm-published-runs.csv</c>).</summary>
public sealed class LlmPublishedRuns
{
    internal static readonly string[] Columns = ["run", "gpu", "parameters", "tokens", "seq_len", "layers", "hidden", "gpu_hours", "power_w", "energy_kwh", "energy_basis", "year", "source"];

    private static readonly Lazy<LlmPublishedRuns> Shipped = new(() =>
    {
        using var stream = typeof(LlmPublishedRuns).Assembly.GetManifestResourceStream("TrainWatt.Estimation.llm-published-runs.csv")
            ?? throw new InvalidOperationException("The embedded llm-published-runs.csv is missing from TrainWatt.Estimation (a build error).");
        using var reader = new StreamReader(stream);
        return Parse(reader, "llm-published-runs.csv");
    });

    public LlmPublishedRuns(IReadOnlyList<LlmPublishedRun> runs) => Runs = runs;

    /// <summary>The table shipped with TrainWatt (embedded from <c>data/llm-published-runs.csv</c>).</summary>
    public static LlmPublishedRuns Default => Shipped.Value;

    public IReadOnlyList<LlmPublishedRun> Runs { get; }

    /// <summary>Reads a table in the shipped format; a bad cell is a <see cref="CsvFormatException"/> naming file, line and column.</summary>
    public static LlmPublishedRuns Parse(TextReader reader, string file)
    {
        using var csv = CsvReader.Create(reader, file, new CsvReaderOptions { RequiredColumns = Columns }, leaveOpen: true);
        var runs = new List<LlmPublishedRun>();
        foreach (var row in csv.ReadRows())
        {
            string gpuName = row.GetRequiredString("gpu");
            if (!GpuSpecTable.Default.TryFind(gpuName, out var gpu))
            {
                throw row.Error("gpu", $"'{gpuName}' is not a GPU of data/gpus.csv; use its name (trainwatt gpus).");
            }

            double parameters = Positive(row, "parameters");
            var model = new LlmModel(parameters, parameters, row.GetInt32("layers"), row.GetInt32("hidden"), "published");
            runs.Add(new LlmPublishedRun(
                row.GetRequiredString("run"), gpu, model, Positive(row, "tokens"), row.GetInt32("seq_len"), Positive(row, "gpu_hours"), Positive(row, "power_w"),
                Positive(row, "energy_kwh"), row.GetRequiredString("energy_basis"), row.GetInt32("year"), row.GetRequiredString("source")));
        }

        return runs.Count >= 2 ? new LlmPublishedRuns(runs) : throw new InvalidDataException($"{file}: needs at least two runs to derive an MFU prior; found {runs.Count}.");
    }

    /// <summary>The same table without run <paramref name="index"/> (leave-one-out).</summary>
    public LlmPublishedRuns Without(int index) => new([.. Runs.Where((_, i) => i != index)]);

    /// <summary>
    /// The MFU prior for <paramref name="gpu"/>: point = the median implied MFU of the runs on GPUs of the same
    /// architecture (Volta, Ampere, Hopper...) when there are at least two, else of all runs; 90 % interval = the 5th to
    /// 95th percentile of a log-normal fitted to the implied MFU of all runs (exp(mean ± 1.645 sd) of ln MFU), widened to
    /// hold the point. Per-architecture points because the runs show it: Hopper's peak is 3.2 × Ampere's while memory
    /// and network grew less, and its runs reach a lower share of the peak.
    /// </summary>
    public LlmMfuPrior PriorFor(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var all = Runs.Select(r => r.ImpliedMfu).ToArray();
        var same = Runs.Where(r => r.Gpu.Architecture == gpu.Architecture).Select(r => r.ImpliedMfu).ToArray();
        bool byArchitecture = same.Length >= 2;
        double point = Median(byArchitecture ? same : all);
        var logs = all.Select(m => Math.Log(m)).ToArray();
        double mean = logs.Average();
        double sd = Math.Sqrt(logs.Sum(x => (x - mean) * (x - mean)) / (logs.Length - 1));
        double low = Math.Min(point, Math.Exp(mean - 1.645 * sd));
        double high = Math.Max(point, Math.Exp(mean + 1.645 * sd));
        string basis = byArchitecture
            ? $"median implied MFU of the {same.Length} published {gpu.Architecture} runs"
            : $"median implied MFU of all {all.Length} published runs (fewer than two on {gpu.Architecture})";
        return new LlmMfuPrior(point, low, high, $"{basis}; 90 % interval: log-normal fit to all {all.Length} runs (data/llm-published-runs.csv)");
    }

    /// <summary>
    /// Leave-one-out validation: every run predicted with the prior derived from the other runs only, its GPU-hours
    /// and energy (at the publication's own power per GPU, so only the time model is tested) against the published ones.
    /// </summary>
    public IReadOnlyList<LlmValidationRow> LeaveOneOut()
    {
        var rows = new List<LlmValidationRow>();
        for (int i = 0; i < Runs.Count; i++)
        {
            var run = Runs[i];
            var prior = Without(i).PriorFor(run.Gpu);
            double ideal = run.Flops.Total / LlmPeak.FlopsPerSecond(run.Gpu) / 3600;
            rows.Add(new LlmValidationRow(run, prior, ideal / prior.Point, ideal / prior.High, ideal / prior.Low));
        }

        return rows;
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static double Positive(CsvRow row, string column)
        => row.GetDouble(column) is > 0 and var v ? v : throw row.Error(column, "must be > 0.");
}

/// <summary>A model FLOPs utilisation prior: point and 90 % interval, with how it was derived.</summary>
public sealed record LlmMfuPrior(double Point, double Low, double High, string Basis);

/// <summary>One run of the leave-one-out validation.</summary>
/// <param name="Run">The published run.</param>
/// <param name="Prior">The MFU prior derived without it.</param>
/// <param name="PredictedGpuHours">FLOPs / (peak × prior point) / 3600.</param>
/// <param name="LowerGpuHours">At the prior's high MFU.</param>
/// <param name="UpperGpuHours">At the prior's low MFU.</param>
public sealed record LlmValidationRow(LlmPublishedRun Run, LlmMfuPrior Prior, double PredictedGpuHours, double LowerGpuHours, double UpperGpuHours)
{
    /// <summary>(predicted − published) / published GPU-hours.</summary>
    public double Error => (PredictedGpuHours - Run.GpuHours) / Run.GpuHours;

    /// <summary>True when the 90 % interval holds the published GPU-hours.</summary>
    public bool Holds => LowerGpuHours <= Run.GpuHours && Run.GpuHours <= UpperGpuHours;

    /// <summary>Predicted energy at the publication's power per GPU (and its PUE, for GPT-3: the ratio of its energy to GPU-hours × power).</summary>
    public double PredictedEnergyKilowattHours => PredictedGpuHours * Run.EnergyKilowattHours / Run.GpuHours;
}
