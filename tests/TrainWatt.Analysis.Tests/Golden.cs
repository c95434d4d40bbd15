using System.Text.Json;

namespace TrainWatt.Analysis.Tests;

/// <summary>Reads the committed golden files made by Golden/generate_golden.py (scipy 1.10, statsmodels 0.13, R 4.2).</summary>
internal static class Golden
{
    private static readonly Lazy<JsonElement> StatisticsJson = new(() => Load("statistics.json"));

    public static JsonElement Statistics => StatisticsJson.Value;

    public static JsonElement Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", name);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static IReadOnlyList<double>[] Groups(this JsonElement e) => e.EnumerateArray().Select(g => (IReadOnlyList<double>)g.Doubles()).ToArray();

    public static double D(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    /// <summary>Asserts |actual - expected| &lt;= rel * |expected| (plus a tiny absolute floor for values at 0).</summary>
    public static void Close(double expected, double actual, double rel, string what)
    {
        double tolerance = (rel * Math.Abs(expected)) + 1e-300;
        Assert.True(
            Math.Abs(actual - expected) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (relative difference {Math.Abs(actual - expected) / Math.Abs(expected):E2}, allowed {rel:E1}).");
    }
}
