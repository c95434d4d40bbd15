using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation;

/// <summary>How rows are split into training and test parts.</summary>
public enum EvaluationProtocol
{
    /// <summary>One 70/30 hold-out split of a seeded permutation (seed 2022), features scaled on the 70 % only.</summary>
    PaperSplit,

    /// <summary>5-fold CV (seed 2022), metrics pooled over all held-out rows.</summary>
    KFold,

    /// <summary>Each architecture held out in turn; metrics pooled.</summary>
    LeaveArchitectureOut,

    /// <summary>Each GPU held out in turn; metrics pooled.</summary>
    LeaveGpuOut,
}

/// <summary>One model's scores under a protocol.</summary>
public sealed record EvaluationResult(string Model, RegressionMetrics Metrics, bool IsBaseline, string Description);

/// <summary>
/// Scores every model family (and, for power and epoch energy, the baselines) on the same held-out rows. Every fit
/// — scaler, hyper-parameter search, coefficients — sees only the training part of each split.
/// </summary>
public static class PreEvaluation
{
    /// <summary>Green Algorithms' RAM power, W per GB.</summary>
    public const double GreenAlgorithmsWattsPerGigabyte = 0.3725;

    public static EvaluationProtocol ParseProtocol(string text) => text.Trim().ToLowerInvariant() switch
    {
        "paper-split" => EvaluationProtocol.PaperSplit,
        "kfold" or "k-fold" => EvaluationProtocol.KFold,
        "leave-architecture-out" or "loao" => EvaluationProtocol.LeaveArchitectureOut,
        "leave-gpu-out" or "logo" => EvaluationProtocol.LeaveGpuOut,
        _ => throw new FormatException($"Unknown protocol '{text}'; use paper-split, kfold, leave-architecture-out or leave-gpu-out."),
    };

    public static string Name(this EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.PaperSplit => "paper-split",
        EvaluationProtocol.KFold => "kfold",
        EvaluationProtocol.LeaveArchitectureOut => "leave-architecture-out",
        EvaluationProtocol.LeaveGpuOut => "leave-gpu-out",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
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
            case EvaluationProtocol.LeaveArchitectureOut:
            case EvaluationProtocol.LeaveGpuOut:
                var labels = rows.Select(r => protocol == EvaluationProtocol.LeaveGpuOut ? r.GpuName : r.Architecture).ToList();
                var groups = Folds.LeaveOneGroupOut(labels);
                if (groups.Count < 2)
                {
                    throw new ArgumentException($"{protocol.Name()} needs at least two distinct {(protocol == EvaluationProtocol.LeaveGpuOut ? "GPUs" : "architectures")}; the dataset has {groups.Count}.");
                }

                return groups.Select(g => (g.Train, g.Test)).ToList();
            default:
                throw new ArgumentOutOfRangeException(nameof(protocol));
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

    public static IReadOnlyList<EvaluationResult> Run(
        IReadOnlyList<PreRow> rows, PreTarget target, EvaluationProtocol protocol, IReadOnlyList<PreModelFamily>? families = null, SearchSettings? settings = null)
    {
        families ??= PreModelFamilies.All;
        var splits = Splits(rows, protocol, settings?.Seed ?? 2022);
        var actual = new List<double>();
        var predicted = families.ToDictionary(f => f.Name, _ => new List<double>(), StringComparer.Ordinal);
        var baselines = Baselines(target);
        var baselinePredictions = baselines.ToDictionary(b => b.Name, _ => new List<double>(), StringComparer.Ordinal);
        foreach (var (train, test) in splits)
        {
            var trainRows = train.Select(i => rows[i]).ToArray();
            foreach (int i in test)
            {
                actual.Add(rows[i].Value(target));
            }

            foreach (var family in families)
            {
                var model = family.Fit(trainRows, target, settings);
                foreach (int i in test)
                {
                    predicted[family.Name].Add(model.Predict(rows[i].Run));
                }
            }

            foreach (var b in baselines)
            {
                foreach (int i in test)
                {
                    baselinePredictions[b.Name].Add(b.Predict(rows[i]));
                }
            }
        }

        var results = families.Select(f => new EvaluationResult(f.Name, RegressionMetrics.Compute(actual, predicted[f.Name]), false, f.Description)).ToList();
        results.AddRange(baselines.Select(b => new EvaluationResult(b.Name, RegressionMetrics.Compute(actual, baselinePredictions[b.Name]), true, b.Description)));
        return results;
    }
}
