using System.Text;
using TrainWatt.Analysis.Data;
using TrainWatt.Testing;

namespace TrainWatt.Fuzz.Tests;

/// <summary>
/// The analysis input table, SEAA 2023's runs.csv (<see cref="Seaa2023Runs.Load(string)"/>, as <c>trainwatt analyze
/// --seaa2023 DIR</c> reads it): a bad file is an <see cref="AnalysisDataException"/> naming the file, line and
/// column; nothing else may escape.
/// </summary>
public sealed class AnalysisCsvFuzzTests : IDisposable
{
    public const int Cases = 1_000;
    private const int Seed = 13_008;

    private static readonly byte[][] Seeds =
    [
        Encoding.UTF8.GetBytes(
            "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score\n" +
            "Cloud,vgg16,0,1.25,A100,3.5,1200000,0.91\nCloud,vgg16,1,1.5,A100,3.75,1200000,0.92\n" +
            "\"Local ML Engineer/Gamer\",resnet50,0,2.0,RTX 3070,1.2,600000,0.88\n"),
        Encoding.UTF8.GetBytes(
            "\uFEFFarchitecture,training environment,run,energy (MJ),training duration (h),total seen images,f1-score,accuracy,precision,recall,AUC\r\n" +
            "mobilenet_v2,Cloud,0,0.5,0.25,100000,0.5,0.6,0.7,0.8,0.9\r\nmobilenet_v2,Cloud,1,0.55,0.3,100000,0.51,0.61,0.71,0.81,0.91\r\n"),
    ];

    private static readonly byte[][] Tokens =
    [
        .. new[] { "Cloud", "Local ML Engineer/Gamer", "1e300", "-1e300", "1e-300", "9.2e18", "9.3e18", "1e19", "-1e19", "0.0", "energy (MJ)", "gpu model" }
            .Select(Encoding.UTF8.GetBytes),
    ];

    private readonly TempDirectory _dir = new("trainwatt-fuzz-seaa");

    public void Dispose() => _dir.Dispose();

    internal static FuzzCase Generate(int index, Random rng)
    {
        var seed = Seeds[rng.Next(Seeds.Length)];
        byte[] data = rng.Next(5) == 0 ? Mutator.MutateLines(seed, rng, out string how) : Mutator.Mutate(seed, rng, out how, Seeds, Tokens);
        return new FuzzCase(index, how, data);
    }

    private void Check(FuzzCase fuzz)
    {
        File.WriteAllBytes(_dir.File("runs.csv"), fuzz.Input);
        var runs = Seaa2023Runs.Load(_dir.Path);
        Assert.NotEmpty(runs);
    }

    [Theory]
    [InlineData("1e19")]
    [InlineData("-1e19")]
    public void Bug_A_Duration_Past_The_TimeSpan_Range_Is_An_AnalysisDataException(string hours)
    {
        File.WriteAllText(_dir.File("runs.csv"), "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score\n" +
            $"Cloud,vgg16,0,{hours},A100,3.5,1200000,0.91\n");
        var e = Assert.Throws<AnalysisDataException>(() => Seaa2023Runs.Load(_dir.Path));
        Assert.Contains("runs.csv:2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_Runs_Tables_Load_Or_Fail_With_AnalysisDataException()
    {
        FuzzHarness.RunAndAssert(
            new FuzzSpec("analysis CSV (SEAA 2023 runs.csv)", Seed, Cases) { Documented = e => e is AnalysisDataException },
            Generate,
            Check,
            minAccepted: Cases / 20,
            minRejected: Cases / 4);
    }
}
