using TrainWatt.Estimation;

namespace TrainWatt.Measurement.Evaluation;

/// <summary>What <c>evaluate pre</c> scores: model families on one PRE dataset under one protocol.</summary>
public sealed record PreEvaluationRequest(string Dataset, PreTarget Target, EvaluationProtocol Protocol)
{
    /// <summary>Families to score; null: all (<see cref="PreModelFamilies.All"/>).</summary>
    public IReadOnlyList<PreModelFamily>? Families { get; init; }

    /// <summary>Seed of the split and the CV folds.</summary>
    public int Seed { get; init; } = 2022;

    /// <summary>Called after each model fit with (fits done, fits in all): the progress of a long evaluation.</summary>
    public Action<int, int>? Progress { get; init; }
}

/// <summary>Every family's and baseline's scores on the same held-out rows (MAPE in per cent), per group and with interval coverage.</summary>
public sealed record PreEvaluationReport(EvaluationProtocol Protocol, PreTarget Target, int Rows, IReadOnlyList<EvaluationResult> Results)
{
    /// <summary>What the per-group scores group by (architecture, gpu, image size, batch size, or architecture on gpu).</summary>
    public string GroupedBy { get; init; } = "";

    /// <summary>Share of held-out rows whose exact configuration was also in their training part (1 = a lookup).</summary>
    public double ConfigurationOverlap { get; init; }

    /// <summary>Distinct configurations in the data set.</summary>
    public int Configurations { get; init; }
}

/// <summary><c>trainwatt evaluate pre</c> as a library call.</summary>
public static class PreDatasetEvaluation
{
    /// <summary>Loads the dataset and scores it; throws <see cref="FileNotFoundException"/> or <see cref="PreDatasetException"/> (file and line) for the dataset.</summary>
    public static PreEvaluationReport Run(PreEvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rows = PreModels.LoadDataset(request.Dataset);
        var run = PreEvaluation.Evaluate(rows, request.Target, request.Protocol, request.Families ?? PreModelFamilies.All, new SearchSettings(Seed: request.Seed), request.Progress);
        return new PreEvaluationReport(request.Protocol, request.Target, rows.Count, run.Results)
        {
            GroupedBy = run.GroupedBy, ConfigurationOverlap = run.ConfigurationOverlap, Configurations = run.Configurations,
        };
    }
}
