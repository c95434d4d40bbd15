using TrainWatt.Estimation;

namespace TrainWatt.Measurement.Evaluation;

/// <summary>What <c>evaluate pre</c> scores: model families on one PRE dataset under one protocol.</summary>
public sealed record PreEvaluationRequest(string Dataset, PreTarget Target, EvaluationProtocol Protocol)
{
    /// <summary>Families to score; null: all (<see cref="PreModelFamilies.All"/>).</summary>
    public IReadOnlyList<PreModelFamily>? Families { get; init; }

    /// <summary>Seed of the split and the CV folds.</summary>
    public int Seed { get; init; } = 2022;
}

/// <summary>Every family's and baseline's scores on the same held-out rows (MAPE in per cent).</summary>
public sealed record PreEvaluationReport(EvaluationProtocol Protocol, PreTarget Target, int Rows, IReadOnlyList<EvaluationResult> Results);

/// <summary><c>trainwatt evaluate pre</c> as a library call.</summary>
public static class PreDatasetEvaluation
{
    /// <summary>Loads the dataset and scores it; throws <see cref="FileNotFoundException"/> or <see cref="PreDatasetException"/> (file and line) for the dataset.</summary>
    public static PreEvaluationReport Run(PreEvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rows = PreDataset.Load(request.Dataset);
        var results = PreEvaluation.Run(rows, request.Target, request.Protocol, request.Families ?? PreModelFamilies.All, new SearchSettings(Seed: request.Seed));
        return new PreEvaluationReport(request.Protocol, request.Target, rows.Count, results);
    }
}
