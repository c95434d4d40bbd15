using System.Globalization;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// What <c>analyze --json</c> and <c>recommend --json</c> print, byte for byte, for small SEAA-style runs.csv files
/// (golden files under Golden/, captured from the hand-written Utf8JsonWriter code before the typed records replaced
/// it). Run under de-DE to prove the numbers stay invariant.
/// </summary>
public sealed class AnalyzeJsonGoldenTests
{
    private const string Header = "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score";

    private static readonly string[] Rows =
    [
        "Cloud,vgg16,0,1.5,A100,10.5,1000000,0.931", "Cloud,vgg16,1,1.6,A100,11.25,1000000,0.94", "Cloud,vgg16,2,1.55,A100,10.9,1000000,0.935",
        "Cloud,mobilenet_v2,0,0.5,A100,2.1,1000000,0.92", "Cloud,mobilenet_v2,1,0.52,A100,2.3,1000000,0.915", "Cloud,mobilenet_v2,2,0.49,A100,2.05,1000000,0.925",
        "Local ML Engineer/Gamer,vgg16,0,3.1,RTX 3070,8.4,1000000,0.93", "Local ML Engineer/Gamer,vgg16,1,3.2,RTX 3070,8.9,1000000,0.936", "Local ML Engineer/Gamer,vgg16,2,3.0,RTX 3070,8.1,1000000,0.928",
        "Local ML Engineer/Gamer,mobilenet_v2,0,1.1,RTX 3070,1.6,1000000,0.918", "Local ML Engineer/Gamer,mobilenet_v2,1,1.0,RTX 3070,1.5,1000000,0.921", "Local ML Engineer/Gamer,mobilenet_v2,2,1.2,RTX 3070,1.75,1000000,0.913",
        "Local ML Engineer/Gamer,resnet50,0,2.0,RTX 3070,4.4,1000000,0.95",
    ];

    private static string Document(string name)
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("runs.csv"), [Header, .. Rows]);
        File.WriteAllText(dir.File("predicted.json"), """{"configurations":[{"key":{"architecture":"efficientnet","environment":"Cloud"},"cost":1.25,"score":0.939}]}""");
        string[] args = name switch
        {
            "analyze-cli-two-keys.json" => ["analyze", "--seaa2023", dir.Path, "--by", "architecture,environment", "--metric", "energy-per-sample", "--json"],
            "analyze-cli-correlate.json" => ["analyze", "--seaa2023", dir.Path, "--by", "architecture", "--metric", "energy", "--correlate", "f1", "--within", "environment", "--json"],
            "recommend-cli.json" => ["recommend", "--seaa2023", dir.Path, "--metric", "f1", "--max-loss", "0.02", "--json"],
            "recommend-cli-predicted.json" => ["recommend", "--seaa2023", dir.Path, "--metric", "f1", "--max-loss", "0.01", "--predicted", dir.File("predicted.json"), "--json"],
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        var (code, stdout, stderr) = CliHarness.Run(args);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    [Theory]
    [InlineData("analyze-cli-two-keys.json")]
    [InlineData("analyze-cli-correlate.json")]
    [InlineData("recommend-cli.json")]
    [InlineData("recommend-cli-predicted.json")]
    public void Json_Is_Byte_For_Byte_The_Golden_Document(string name)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            GoldenFile.Verify(Document(name), name);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
