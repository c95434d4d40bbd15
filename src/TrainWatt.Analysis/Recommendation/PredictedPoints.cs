using System.Text.Json;
using TrainWatt.Analysis.Data;

namespace TrainWatt.Analysis.Recommendation;

/// <summary>
/// Reads predicted configurations for <c>recommend --predicted FILE.json</c>:
/// <c>{"configurations":[{"key":{"architecture":"resnet50","environment":"Cloud"},"cost":0.21,"score":0.97}]}</c>,
/// where cost is in the unit of the cost metric (J per sample by default) and score in the unit of --metric.
/// </summary>
public static class PredictedPoints
{
    private const string Shape = "{\"configurations\":[{\"key\":{...},\"cost\":x,\"score\":y}]}";

    public static IReadOnlyList<PredictedPoint> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new AnalysisDataException($"--predicted {path}: no such file.");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("configurations", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new AnalysisDataException($"{path}: expected {Shape}.");
            }

            var points = new List<PredictedPoint>();
            int i = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("cost", out var cost) || cost.ValueKind != JsonValueKind.Number
                    || !item.TryGetProperty("score", out var score) || score.ValueKind != JsonValueKind.Number)
                {
                    throw new AnalysisDataException($"{path}: configurations[{i}] needs \"key\" (object), \"cost\" and \"score\" (numbers); expected {Shape}.");
                }

                if (!cost.TryGetDouble(out double costValue) || !double.IsFinite(costValue) || !score.TryGetDouble(out double scoreValue) || !double.IsFinite(scoreValue))
                {
                    throw new AnalysisDataException($"{path}: configurations[{i}]: \"cost\" {cost.GetRawText()} and \"score\" {score.GetRawText()} must be finite numbers; expected {Shape}.");
                }

                var keys = key.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
                if (!(costValue > 0))
                {
                    throw new AnalysisDataException($"{path}: configurations[{i}].cost must be > 0.");
                }

                points.Add(new PredictedPoint(keys, costValue, scoreValue));
                i++;
            }

            return points;
        }
        catch (JsonException ex)
        {
            throw new AnalysisDataException($"{path}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
    }
}
