using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TrainWatt.Architecture.Counting;
using TrainWatt.Core.Projection;
using TrainWatt.Estimation;
using TrainWatt.Measurement.Evaluation;
using TrainWatt.Measurement.Pre;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// The <c>--json</c> documents of flops, estimate, fit, evaluate and project as typed records, written by System.Text.Json
/// source generation with snake_case names. Keys and value formats are a contract with scripts: add, never rename.
/// Members that are absent (not null) when they do not apply are marked <see cref="JsonIgnoreCondition.WhenWritingNull"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(FlopsJson))]
[JsonSerializable(typeof(EstimateJson))]
[JsonSerializable(typeof(ProbeJson))]
[JsonSerializable(typeof(FitJson))]
[JsonSerializable(typeof(PreEvaluationJson))]
[JsonSerializable(typeof(StepEvaluationJson))]
[JsonSerializable(typeof(ProjectJson))]
internal sealed partial class TypedJsonContext : JsonSerializerContext
{
    /// <summary>One JSON document and a newline; indented for <c>flops</c>, compact elsewhere as before.</summary>
    public static string Write<T>(T value, JsonTypeInfo<T> type, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}

internal sealed record FlopsJson(
    string Model, long Params, long TrainableParams, long Macs, long Flops, long ActivationBytes, long WeightBytes,
    IReadOnlyDictionary<string, long> WeightBytesByDtype, long Batch, string Convention, double TrainingFlopsPerSample,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Samples,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TrainingFlopsPerEpoch,
    bool Partial, IReadOnlyList<string> UnknownOps, IReadOnlyList<string> Warnings, IReadOnlyList<string> Assumptions, IReadOnlyList<FlopsSubgraphJson> Subgraphs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FlopsNodeJson>? Nodes)
{
    public static FlopsJson From(FlopsReport report, bool perNode, long? samples)
    {
        var r = report.Result;
        return new(
            report.Source, r.Params, r.TrainableParams, r.Macs, r.Flops, r.ActivationBytes, r.WeightBytes, r.WeightBytesByType, r.BatchSize,
            FlopsCommand.ConventionName(r.Convention), r.TrainingFlopsPerSample, samples, samples is { } n ? r.TrainingFlopsPerEpoch(n) : null,
            r.Partial, r.UnknownOps, r.Warnings, r.Assumptions,
            r.Subgraphs.Select(s => new FlopsSubgraphJson(s.Path, s.OwnerOpType, s.Nodes, s.Macs, s.Flops, s.Note)).ToArray(),
            perNode ? r.Nodes.Select(n => new FlopsNodeJson(n.Graph, n.Name, n.OpType, n.OutputShape, n.Params, n.Macs, n.Flops, n.ActivationBytes, n.Counted, n.Note)).ToArray() : null);
    }
}

internal sealed record FlopsSubgraphJson(string Path, string OpType, int Nodes, long Macs, long Flops, string Note);

internal sealed record FlopsNodeJson(
    string Graph, string Name, string OpType, IReadOnlyList<long>? OutputShape, long Params, long Macs, long Flops, long ActivationBytes, bool Counted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note);

internal sealed record EstimateJson(
    double EnergyJ, double LowerJ, double UpperJ, double AvgPowerW, double EpochEnergyJ, double EpochDurationS, double DurationS, double Epochs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EpochsMin,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EpochsMax,
    string Interval, IReadOnlyDictionary<string, BoundsJson> Intervals, IReadOnlyDictionary<string, double> Baselines,
    ModelJson Model, EstimateRunJson Run, FootprintJson Footprint,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IntervalProtocol,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? IntervalCoverage,
    IReadOnlyList<string> Warnings)
{
    public static EstimateJson From(PreEstimateReport report)
    {
        var (e, epochs, run, f) = (report.Estimate, report.Epochs, report.Run, report.Footprint);
        return new(
            e.Total(epochs.Midpoint).Joules, e.Lower(epochs.Min).Joules, e.Upper(epochs.Max).Joules, e.AveragePower.Watts, e.EpochEnergy.Joules,
            e.EpochDuration.TotalSeconds, e.EpochDuration.TotalSeconds * epochs.Midpoint, epochs.Midpoint,
            epochs.IsRange ? epochs.Min : null, epochs.IsRange ? epochs.Max : null, e.IntervalNote,
            e.Alternatives.ToDictionary(a => a.Protocol, a => new BoundsJson(e.Total(epochs.Min).Joules * a.LowFactor, e.Total(epochs.Max).Joules * a.HighFactor)),
            report.Baselines.ToDictionary(b => b.Name + "_j", b => b.Energy.Joules),
            new ModelJson(report.Model.Name, report.Model.Description),
            new EstimateRunJson(run.Gflops, report.GflopsSource, run.Gpu.Name, run.BatchSize, run.ImageHeight, run.ImageWidth, run.TrainSamples, run.ValidationSamples, run.RamGigabytes, run.Layers),
            new FootprintJson(f.FacilityEnergy.Joules, f.Pue.Pue.Ratio, f.Emissions?.Grams, f.Cost?.Amount, f.Cost?.Currency, f.Assumptions),
            e.IntervalProtocol, e.IntervalCoverage, e.Warnings);
    }
}

internal sealed record BoundsJson(double LowerJ, double UpperJ);

internal sealed record ModelJson(string Name, string Description);

internal sealed record EstimateRunJson(
    double Gflops, string GflopsSource, string Gpu, int BatchSize, int ImageHeight, int ImageWidth, int TrainSamples, int ValSamples, double RamGb,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Layers);

internal sealed record FootprintJson(
    double FacilityEnergyJ, double Pue, double? EmissionsG,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Cost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Currency,
    IReadOnlyList<string> Assumptions);

internal sealed record FitJson(string Path, int Version, int NRows, string FittedOn, IReadOnlyDictionary<string, HeldOutJson> HeldOut)
{
    public static FitJson From(PreFitReport report) => new(
        report.Path, report.Model.Version, report.Model.Rows, report.Model.FittedOn,
        report.Model.Models.OrderBy(kv => kv.Key).ToDictionary(
            kv => kv.Key.Name(),
            kv => new HeldOutJson(kv.Value.Scores.Protocol, kv.Value.Scores.Metrics.R2, kv.Value.Scores.Metrics.MapePercent, kv.Value.Scores.Metrics.Rmse, kv.Value.Scores.Metrics.Count)));
}

internal sealed record HeldOutJson(string Protocol, double R2, double Mape, double Rmse, int N);

internal sealed record PreEvaluationJson(
    string Protocol, string Target, string Unit, int NRows, string MapeUnit, IReadOnlyList<PreResultJson> Results, string Meaning, string GroupedBy,
    double ConfigurationOverlap, int Configurations)
{
    public static PreEvaluationJson From(PreEvaluationReport r) => new(
        r.Protocol.Name(), r.Target.Name(), r.Target.Unit(), r.Rows, "percent",
        r.Results.Select(x => new PreResultJson(
            x.Model, x.IsBaseline, x.Metrics.R2, x.Metrics.MapePercent, x.Metrics.Rmse, x.Metrics.Mae, x.Metrics.Count, x.Description, x.IsDefault,
            x.Groups.Select(PreGroupJson.From).ToArray(), x.WorstGroup is { } w ? PreGroupJson.From(w) : null,
            x.Interval is { } i ? new PreIntervalJson(i.Nominal, Finite(i.LogQuantile), i.CalibratedBy, i.CalibrationGroups, i.GroupCoverage, i.RowCoverage, i.ShortfallPoints) : null)).ToArray(),
        r.Protocol.Meaning(), r.GroupedBy, r.ConfigurationOverlap, r.Configurations);

    /// <summary>An infinite quantile (a non-positive prediction) is written as null: JSON has no infinity.</summary>
    internal static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

internal sealed record PreResultJson(
    string Model, bool Baseline, double R2, double Mape, double Rmse, double Mae, int NTest, string Description, bool Default,
    IReadOnlyList<PreGroupJson> Groups, PreGroupJson? WorstGroup, PreIntervalJson? Interval);

internal sealed record PreGroupJson(string Group, int N, double Mape, double Rmse, double Mae, double R2, double? MeanLogError, double? IntervalCoverage)
{
    public static PreGroupJson From(GroupScores g) => new(g.Group, g.Metrics.Count, g.Metrics.MapePercent, g.Metrics.Rmse, g.Metrics.Mae, g.Metrics.R2, g.MeanLogError, g.IntervalCoverage);
}

internal sealed record PreIntervalJson(double Nominal, double? LogQ90, string CalibratedBy, int CalibrationGroups, double Coverage, double RowCoverage, double ShortfallPoints);

internal sealed record StepEvaluationJson(
    int Runs, string EpochsSource, IReadOnlyDictionary<string, double> RmseKj, IReadOnlyDictionary<string, double> Mape, double StepRmseVsGreenAlgorithms,
    int StepFallbacks, double StepIntervalCoverage, double StepMedianProjectionEpoch, int LostTailRuns, int FailedRuns,
    bool Live, double? DriftPrior, string? DriftPriorSource, IReadOnlyList<ExcludedRunJson> ExcludedRuns, IReadOnlyList<FractionScoreJson> ByFraction)
{
    public static StepEvaluationJson From(StepEvaluationReport r) => new(
        r.Summary!.Runs, r.EpochSourceName,
        r.Summary.RmseKilojoules.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
        r.Summary.Mape.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 6)),
        Math.Round(r.StepRmseVsGreenAlgorithms, 6), r.StepFallbacks, Math.Round(r.StepIntervalCoverage, 4), r.StepMedianProjectionEpoch, r.LostTailRuns, r.Failures.Count,
        r.Live, r.Drift?.RelativeSd, r.Drift?.Source,
        r.Excluded.Select(e => new ExcludedRunJson(e.Id, e.Reason)).ToArray(),
        r.ByFraction.Select(f => new FractionScoreJson(f.Fraction, f.Projected, R(f.LiveRmseKilojoules, 4), R(f.LiveMape, 6), R(f.LiveCoverage, 4), R(f.PaperRmseKilojoules, 4), R(f.PaperMape, 6), Math.Round(f.PaperRmseAllKilojoules, 4))).ToArray());

    private static double? R(double? value, int digits) => value is double v ? Math.Round(v, digits) : null;
}

internal sealed record ExcludedRunJson(string Run, string Reason);

internal sealed record FractionScoreJson(
    double Fraction, int Projected, double? LiveRmseKj, double? LiveMape, double? LiveCoverage, double? PaperRmseKj, double? PaperMape, double PaperRmseAllKj);

internal sealed record ProjectJson(
    string Method,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parity,
    int? StableFromEpoch, int EpochsUsed, int StableEpochs, double? ProjectedEnergyJ, double? LowerJ, double? UpperJ, double Confidence, double MeasuredEnergyJ,
    double? TotalEpochsAssumed, int? TotalEpochsMin, int? TotalEpochsMax,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DriftPrior = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DriftPriorSource = null)
{
    public static ProjectJson From(ProjectionResult r) => new(
        r.MethodName, r.Parity, r.Stability.StableFromIndex, r.EpochsUsed, r.Stability.StableEpochs, r.Estimate?.Joules, r.Lower?.Joules, r.Upper?.Joules,
        r.Confidence, r.Measured.Joules, r.Horizon?.Assumed, r.Horizon?.Min, r.Horizon?.Max, r.Reason, r.Drift?.RelativeSd, r.Drift?.Source);
}
