using System.Globalization;
using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation;

/// <summary>How rows are split into training and test parts.</summary>
public enum EvaluationProtocol
{
    /// <summary>
    /// One 70/30 hold-out split of a seeded permutation of the rows (seed 2022), features scaled on the 70 % only. Kept
    /// for parity with the paper: the same configurations land on both sides, so it measures a lookup, not a prediction.
    /// </summary>
    PaperSplit,

    /// <summary>5-fold CV over rows (seed 2022), metrics pooled over all held-out rows (a lookup too, like the paper split).</summary>
    KFold,

    /// <summary>Each architecture held out in turn; metrics pooled.</summary>
    LeaveArchitectureOut,

    /// <summary>Each GPU held out in turn; metrics pooled.</summary>
    LeaveGpuOut,

    /// <summary>
    /// 5-fold CV over configurations (seed 2022): every run of a configuration (architecture, GPU, batch, input, data
    /// set, RAM) is on the same side, so each prediction is for a configuration the model has not seen. The
    /// interpolation measure.
    /// </summary>
    GroupedKFold,

    /// <summary>Each input size held out in turn; metrics pooled.</summary>
    LeaveImageSizeOut,

    /// <summary>Each batch size held out in turn; metrics pooled.</summary>
    LeaveBatchOut,
}

/// <summary>Scores of one group of held-out rows (an architecture, a GPU, an input size, ...).</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Metrics">Scores over the group's held-out rows.</param>
/// <param name="MeanLogError">Mean of ln(predicted / actual): above 0 the model overestimates the group; null when a prediction is not positive.</param>
/// <param name="IntervalCoverage">Share of the group's rows inside the interval calibrated without the group (null without an interval).</param>
public sealed record GroupScores(string Group, RegressionMetrics Metrics, double? MeanLogError, double? IntervalCoverage);

/// <summary>
/// A 90 % interval's calibration and honest coverage under a protocol. <see cref="LogQuantile"/> q is a group-level
/// split-conformal quantile of |ln(actual / predicted)| over the held-out predictions: every calibration group (see
/// <see cref="PreEvaluation.CalibrationGroup"/>) weighs the same however many runs it has. Coverage is measured by
/// leaving each calibration group out of the calibration in turn and counting its rows inside the interval so
/// calibrated (<see cref="GroupCoverage"/> averages the groups, <see cref="RowCoverage"/> pools the rows).
/// </summary>
public sealed record IntervalScores(double Nominal, double LogQuantile, string CalibratedBy, int CalibrationGroups, double GroupCoverage, double RowCoverage)
{
    /// <summary>Percentage points by which the group coverage falls short of the nominal (0 when it does not).</summary>
    public double ShortfallPoints => Math.Max(0, 100 * (Nominal - GroupCoverage));
}

/// <summary>One model's scores under a protocol.</summary>
public sealed record EvaluationResult(string Model, RegressionMetrics Metrics, bool IsBaseline, string Description)
{
    /// <summary>True for the family that <c>estimate</c> uses by default (<see cref="PreModelFamilies.Default"/>).</summary>
    public bool IsDefault { get; init; }

    /// <summary>Scores per group of held-out rows (<see cref="PreEvaluation.ReportingGroup"/>), worst MAPE first.</summary>
    public IReadOnlyList<GroupScores> Groups { get; init; } = [];

    /// <summary>The group with the highest MAPE.</summary>
    public GroupScores? WorstGroup => Groups.Count == 0 ? null : Groups[0];

    /// <summary>The model's 90 % interval under this protocol (null for the baselines, which have none).</summary>
    public IntervalScores? Interval { get; init; }
}

/// <summary>Every result of one protocol, and how much of the held-out data the training parts had already seen.</summary>
/// <param name="Results">One per family, then the baselines.</param>
/// <param name="GroupedBy">What the per-group scores group by.</param>
/// <param name="ConfigurationOverlap">Share of held-out rows whose exact configuration is also in their training part.</param>
/// <param name="Configurations">Distinct configurations in the data.</param>
public sealed record EvaluationRun(IReadOnlyList<EvaluationResult> Results, string GroupedBy, double ConfigurationOverlap, int Configurations);

/// <summary>
/// Scores every model family (and, for power and epoch energy, the baselines) on the same held-out rows. Every fit
/// — scaler, hyper-parameter search, coefficients — sees only the training part of each split.
/// </summary>
public static class PreEvaluation
{
    /// <summary>Green Algorithms' RAM power, W per GB.</summary>
    public const double GreenAlgorithmsWattsPerGigabyte = 0.3725;

    /// <summary>The coverage every interval is calibrated to.</summary>
    public const double Coverage = 0.90;

    /// <summary>Every protocol, in the order <c>evaluate pre --help</c> lists them.</summary>
    public static IReadOnlyList<EvaluationProtocol> All { get; } =
    [
        EvaluationProtocol.GroupedKFold, EvaluationProtocol.LeaveArchitectureOut, EvaluationProtocol.LeaveGpuOut, EvaluationProtocol.LeaveImageSizeOut,
        EvaluationProtocol.LeaveBatchOut, EvaluationProtocol.PaperSplit, EvaluationProtocol.KFold,
    ];

    public static EvaluationProtocol ParseProtocol(string text) => text.Trim().ToLowerInvariant() switch
    {
        "paper-split" => EvaluationProtocol.PaperSplit,
        "kfold" or "k-fold" => EvaluationProtocol.KFold,
        "grouped-kfold" or "grouped-k-fold" => EvaluationProtocol.GroupedKFold,
        "leave-architecture-out" or "loao" => EvaluationProtocol.LeaveArchitectureOut,
        "leave-gpu-out" or "logo" => EvaluationProtocol.LeaveGpuOut,
        "leave-image-size-out" => EvaluationProtocol.LeaveImageSizeOut,
        "leave-batch-out" => EvaluationProtocol.LeaveBatchOut,
        _ => throw new FormatException($"Unknown protocol '{text}'; use {string.Join(", ", All.Select(p => p.Name()))}."),
    };

    public static string Name(this EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.PaperSplit => "paper-split",
        EvaluationProtocol.KFold => "kfold",
        EvaluationProtocol.GroupedKFold => "grouped-kfold",
        EvaluationProtocol.LeaveArchitectureOut => "leave-architecture-out",
        EvaluationProtocol.LeaveGpuOut => "leave-gpu-out",
        EvaluationProtocol.LeaveImageSizeOut => "leave-image-size-out",
        EvaluationProtocol.LeaveBatchOut => "leave-batch-out",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    /// <summary>One line on what the protocol measures, for reports.</summary>
    public static string Meaning(this EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.PaperSplit => "paper parity only: a random 70/30 split of runs, so the test configurations are in the training part (a lookup, not a prediction)",
        EvaluationProtocol.KFold => "5-fold CV over runs: like the paper split, the test configurations are in the training part",
        EvaluationProtocol.GroupedKFold => "5-fold CV over configurations: each test configuration is unseen, its architecture and GPU usually seen (interpolation)",
        EvaluationProtocol.LeaveArchitectureOut => "each architecture held out in turn: a network the model has never seen",
        EvaluationProtocol.LeaveGpuOut => "each GPU held out in turn: a GPU the model has never seen",
        EvaluationProtocol.LeaveImageSizeOut => "each input size held out in turn",
        EvaluationProtocol.LeaveBatchOut => "each batch size held out in turn",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    /// <summary>A run's configuration: everything PRE knows before it starts (runs that share it are repetitions).</summary>
    public static string Configuration(PreRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Architecture}|{r.GpuName}|b{r.Run.BatchSize}|{r.Run.ImageHeight}x{r.Run.ImageWidth}|{r.Run.TrainSamples}/{r.Run.ValidationSamples}|{r.Run.RamGigabytes:R} GB|{r.Run.Gflops:R}");

    /// <summary>The group a leave-one-group-out protocol holds out, or null for the fold protocols.</summary>
    public static string? HeldOutGroup(EvaluationProtocol protocol, PreRow r) => protocol switch
    {
        EvaluationProtocol.LeaveArchitectureOut => r.Architecture,
        EvaluationProtocol.LeaveGpuOut => r.GpuName,
        EvaluationProtocol.LeaveImageSizeOut => string.Create(CultureInfo.InvariantCulture, $"{r.Run.ImageHeight}x{r.Run.ImageWidth}"),
        EvaluationProtocol.LeaveBatchOut => string.Create(CultureInfo.InvariantCulture, $"batch {r.Run.BatchSize}"),
        _ => null,
    };

    /// <summary>What per-group scores group by: the held-out group, or architecture on GPU for the fold protocols.</summary>
    public static string ReportingGroup(EvaluationProtocol protocol, PreRow r) => HeldOutGroup(protocol, r) ?? $"{r.Architecture} on {r.GpuName}";

    /// <summary>Name of <see cref="ReportingGroup"/>'s grouping.</summary>
    public static string ReportingGroupName(EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.LeaveArchitectureOut => "architecture",
        EvaluationProtocol.LeaveGpuOut => "gpu",
        EvaluationProtocol.LeaveImageSizeOut => "image size",
        EvaluationProtocol.LeaveBatchOut => "batch size",
        _ => "architecture on gpu",
    };

    /// <summary>
    /// The unit an interval is calibrated over, each weighing the same: the held-out group of a leave-one-group-out
    /// protocol, else the configuration (so that a configuration with 30 repetitions counts once, not 30 times).
    /// </summary>
    public static string CalibrationGroup(EvaluationProtocol protocol, PreRow r) => HeldOutGroup(protocol, r) ?? Configuration(r);

    /// <summary>Name of <see cref="CalibrationGroup"/>'s grouping.</summary>
    public static string CalibrationGroupName(EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.LeaveArchitectureOut or EvaluationProtocol.LeaveGpuOut or EvaluationProtocol.LeaveImageSizeOut or EvaluationProtocol.LeaveBatchOut => ReportingGroupName(protocol),
        _ => "configuration",
    };

    /// <summary>The (train, test) index splits of a protocol.</summary>
    public static IReadOnlyList<(int[] Train, int[] Test)> Splits(IReadOnlyList<PreRow> rows, EvaluationProtocol protocol, int seed = 2022)
    {
        switch (protocol)
        {
            case EvaluationProtocol.PaperSplit:
                return [Folds.HoldOut(rows.Count, 0.30, seed)];
            case EvaluationProtocol.KFold:
                return Folds.KFold(rows.Count, 5, seed);
            case EvaluationProtocol.GroupedKFold:
                var configurations = rows.Select(Configuration).ToList();
                int distinct = configurations.Distinct(StringComparer.Ordinal).Count();
                if (distinct < 2)
                {
                    throw new ArgumentException($"grouped-kfold needs at least two distinct configurations; the dataset has {distinct}.");
                }

                return Folds.GroupKFold(configurations, Math.Min(5, distinct), seed);
            default:
                var labels = rows.Select(r => HeldOutGroup(protocol, r)!).ToList();
                var groups = Folds.LeaveOneGroupOut(labels);
                if (groups.Count < 2)
                {
                    throw new ArgumentException($"{protocol.Name()} needs at least two distinct groups ({ReportingGroupName(protocol)}); the dataset has {groups.Count}.");
                }

                return groups.Select(g => (g.Train, g.Test)).ToList();
        }
    }

    /// <summary>Baseline predictions for a row, or null for the epoch-duration target (the baselines take the time as given).</summary>
    public static IReadOnlyList<(string Name, string Description, Func<PreRow, double> Predict)> Baselines(PreTarget target)
    {
        if (target == PreTarget.EpochDuration)
        {
            return [];
        }

        double Time(PreRow r) => target == PreTarget.Power ? 1.0 : r.EpochDuration.TotalSeconds;
        return
        [
            ("ml_co2_impact", "ML CO2 Impact: power = TDP (energy = TDP x the measured epoch time)", r => r.Run.Gpu.ThermalDesignPower.Watts * Time(r)),
            ("green_algorithms", "Green Algorithms: power = TDP x 1.0 + 0.3725 W/GB x RAM (energy x the measured epoch time)",
                r => (r.Run.Gpu.ThermalDesignPower.Watts + GreenAlgorithmsWattsPerGigabyte * r.Run.RamGigabytes) * Time(r)),
        ];
    }

    /// <summary>Scores of every family and baseline (<see cref="Evaluate"/>'s results).</summary>
    public static IReadOnlyList<EvaluationResult> Run(
        IReadOnlyList<PreRow> rows, PreTarget target, EvaluationProtocol protocol, IReadOnlyList<PreModelFamily>? families = null, SearchSettings? settings = null)
        => Evaluate(rows, target, protocol, families, settings).Results;

    /// <summary>
    /// Fits every family on each split's training part, predicts its test part, and scores the pooled held-out rows:
    /// overall, per group, and the 90 % interval's calibration and coverage.
    /// </summary>
    public static EvaluationRun Evaluate(
        IReadOnlyList<PreRow> rows, PreTarget target, EvaluationProtocol protocol, IReadOnlyList<PreModelFamily>? families = null, SearchSettings? settings = null,
        Action<int, int>? progress = null)
    {
        families ??= PreModelFamilies.All;
        var splits = Splits(rows, protocol, settings?.Seed ?? 2022);
        var order = new List<int>();
        var predicted = families.ToDictionary(f => f.Name, _ => new List<double>(), StringComparer.Ordinal);
        var baselines = Baselines(target);
        var baselinePredictions = baselines.ToDictionary(b => b.Name, _ => new List<double>(), StringComparer.Ordinal);
        int overlapping = 0, fitted = 0;
        foreach (var (train, test) in splits)
        {
            var trainRows = train.Select(i => rows[i]).ToArray();
            var seen = trainRows.Select(Configuration).ToHashSet(StringComparer.Ordinal);
            overlapping += test.Count(i => seen.Contains(Configuration(rows[i])));
            order.AddRange(test);
            foreach (var family in families)
            {
                var model = family.Fit(trainRows, target, settings);
                predicted[family.Name].AddRange(test.Select(i => model.Predict(rows[i].Run)));
                progress?.Invoke(++fitted, splits.Count * families.Count);
            }

            foreach (var b in baselines)
            {
                baselinePredictions[b.Name].AddRange(test.Select(i => b.Predict(rows[i])));
            }
        }

        var heldOut = order.Select(i => rows[i]).ToArray();
        var actual = heldOut.Select(r => r.Value(target)).ToArray();
        EvaluationResult Score(string name, IReadOnlyList<double> p, bool baseline, string description)
        {
            (IntervalScores Scores, bool[] Covered)? interval = baseline ? null : Intervals(heldOut, actual, p, protocol);
            return new EvaluationResult(name, RegressionMetrics.Compute(actual, p), baseline, description)
            {
                IsDefault = !baseline && name == PreModelFamilies.Default.Name,
                Groups = GroupScoresOf(heldOut, actual, p, protocol, interval?.Covered),
                Interval = interval?.Scores,
            };
        }

        var results = families.Select(f => Score(f.Name, predicted[f.Name], false, f.Description)).ToList();
        results.AddRange(baselines.Select(b => Score(b.Name, baselinePredictions[b.Name], true, b.Description)));
        return new EvaluationRun(results, ReportingGroupName(protocol), overlapping / (double)order.Count, rows.Select(Configuration).Distinct(StringComparer.Ordinal).Count());
    }

    private static List<GroupScores> GroupScoresOf(IReadOnlyList<PreRow> rows, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, EvaluationProtocol protocol, bool[]? covered)
    {
        return Enumerable.Range(0, rows.Count).GroupBy(i => ReportingGroup(protocol, rows[i]), StringComparer.Ordinal).Select(g =>
        {
            var idx = g.ToArray();
            double? bias = idx.All(i => predicted[i] > 0 && actual[i] > 0) ? idx.Average(i => Math.Log(predicted[i] / actual[i])) : null;
            return new GroupScores(
                g.Key, RegressionMetrics.Compute(idx.Select(i => actual[i]).ToArray(), idx.Select(i => predicted[i]).ToArray()), bias,
                covered is null ? null : idx.Count(i => covered[i]) / (double)idx.Length);
        }).OrderByDescending(s => s.Metrics.MapePercent).ThenBy(s => s.Group, StringComparer.Ordinal).ToList();
    }

    private static (IntervalScores Scores, bool[] Covered) Intervals(IReadOnlyList<PreRow> rows, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, EvaluationProtocol protocol)
    {
        var groups = rows.Select(r => CalibrationGroup(protocol, r)).ToArray();
        var c = GroupConformal.Calibrate(actual, predicted, groups, Coverage);
        return (new IntervalScores(Coverage, c.LogQuantile, CalibrationGroupName(protocol), c.Groups, c.GroupCoverage, c.RowCoverage), c.Covered);
    }
}
