using TrainWatt.Analysis.Data;
using TrainWatt.Measurement.Comparisons;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Comparisons;

/// <summary><see cref="RunComparisons"/>: loading the selected runs and the usage errors a request the runs contradict gives.</summary>
public sealed class RunComparisonsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public RunComparisonsTests()
    {
        // Hand derivation: a = {1,2,3} J/image, b = {4,5,6} -> medians 2 and 5, H = 3.857142857 (see GroupAnalysisTests).
        File.WriteAllLines(_dir.File("runs.csv"),
        [
            "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score",
            "Cloud,a,0,1,G,1,1000000,0.9", "Cloud,a,1,1,G,2,1000000,0.9", "Cloud,a,2,1,G,3,1000000,0.9",
            "Cloud,b,0,1,G,4,1000000,0.8", "Cloud,b,1,1,G,5,1000000,0.8", "Cloud,b,2,1,G,6,1000000,0.8",
        ]);
    }

    public void Dispose() => _dir.Dispose();

    private RunSelection Seaa(params string[] filters) => new() { Seaa2023Directory = _dir.Path, Filters = filters };

    [Fact]
    public void Analyze_Gives_The_Hand_Derived_Medians_And_H()
    {
        var result = RunComparisons.Analyze(new AnalyzeRequest(Seaa(), ["architecture"], Metric.EnergyPerSample), null);
        Assert.Equal([2.0, 5.0], result.Groups.Select(g => g.Median));
        Assert.Equal(3.857142857, result.KruskalWallis!.H, 1e-9);
    }

    [Fact]
    public void A_Request_The_Runs_Contradict_Is_A_Usage_Error()
    {
        Assert.Contains("--by key \"colour\"", Assert.Throws<ComparisonRequestException>(() => RunComparisons.Analyze(new AnalyzeRequest(Seaa(), ["colour"], Metric.Energy), null)).Message, StringComparison.Ordinal);
        Assert.Contains("environment: Cloud", Assert.Throws<ComparisonRequestException>(() => RunComparisons.Load(Seaa("environment=Moon"), null)).Message, StringComparison.Ordinal);
        Assert.Contains("--within key \"gpu2\"", Assert.Throws<ComparisonRequestException>(() => RunComparisons.Analyze(new AnalyzeRequest(Seaa(), ["architecture"], Metric.Energy) { Correlate = Metric.Parse("f1"), Within = "gpu2" }, null)).Message, StringComparison.Ordinal);
        Assert.Throws<ComparisonRequestException>(() => RunComparisons.Load(new RunSelection(), null));
        Assert.Throws<ArgumentException>(() => RunComparisons.Recommend(new RecommendRequest(Seaa(), ["architecture"], Metric.Parse("f1"), 0.02, Metric.Parse("f1")), null));
    }

    [Fact]
    public void Bad_Or_Missing_Data_Is_A_Data_Error()
    {
        Assert.Throws<AnalysisDataException>(() => RunComparisons.Load(new RunSelection { Seaa2023Directory = _dir.File("nowhere") }, null));
        using var store = SqliteRunStore.Open(_dir.File("empty.db"));
        Assert.Contains("no completed runs", Assert.Throws<AnalysisDataException>(() => RunComparisons.Load(new RunSelection { StoredTags = [] }, store)).Message, StringComparison.Ordinal);
        Assert.Throws<AnalysisDataException>(() => RunComparisons.Experiment(store, "demo"));
    }
}
