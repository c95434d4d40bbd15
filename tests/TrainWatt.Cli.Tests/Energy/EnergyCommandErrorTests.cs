using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Energy;

/// <summary>
/// Malformed inputs: each gives one clear message naming the file, a non-zero exit and no stack trace, while good
/// files given alongside are still reported. Oracle: ExitCode (DataError = 65, NoInput = 66) and the wording.
/// </summary>
public class EnergyCommandErrorTests
{
    private const string Good = "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10 W\n2024/01/01 00:00:01.000, 10 W\n";

    public static TheoryData<string, string> MalformedInputs => new()
    {
        { "empty", "is empty" },
        { "header-only", "header but no data lines" },
        { "binary", "not a text CSV file" },
        { "truncated-gzip", "truncated or corrupt gzip" },
        { "wrong-columns", "no power.draw [W] column" },
    };

    private static void WriteMalformed(string kind, string path)
    {
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "header-only":
                File.WriteAllText(path, "timestamp, power.draw [W]\n");
                break;
            case "binary":
                var bytes = new byte[2048];
                new Random(7).NextBytes(bytes);
                bytes[0] = 0x00;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncated-gzip":
                var ms = new MemoryStream();
                using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
                {
                    var text = new StringBuilder("timestamp, power.draw [W]\n");
                    for (int i = 0; i < 200; i++)
                    {
                        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"2024/01/01 00:{i / 60:00}:{i % 60:00}.000, {i}.5 W\n");
                    }

                    gz.Write(Encoding.UTF8.GetBytes(text.ToString()));
                }

                File.WriteAllBytes(path, ms.ToArray()[..^6]);
                break;
            case "wrong-columns":
                File.WriteAllText(path, "timestamp, utilization.gpu [%]\n2024/01/01 00:00:00.000, 5 %\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Should_Give_One_Clear_Message_And_Exit_65_For_A_Malformed_File(string kind, string expected)
    {
        using var dir = new TempDirectory();
        string bad = dir.File($"gpu-power-{kind}.csv.gz");
        WriteMalformed(kind, bad);

        var (code, stdout, stderr) = CliHarness.Run("energy", bad, "--json");

        Assert.Equal((int)ExitCode.DataError, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(bad, line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public void Should_Still_Report_Good_Files_Next_To_A_Bad_One()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("gpu-power-1-good.csv"), Good);
        WriteMalformed("header-only", dir.File("gpu-power-2-bad.csv"));

        var (code, stdout, stderr) = CliHarness.Run("energy", dir.Path, "--json");

        Assert.Equal((int)ExitCode.DataError, code);
        using var doc = JsonDocument.Parse(stdout);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.EndsWith("gpu-power-1-good.csv", row.GetProperty("file").GetString());
        Assert.Equal(10.0, row.GetProperty("energy_j").GetDouble(), 12); // 1 s at 10 W
        Assert.Contains("gpu-power-2-bad.csv", stderr);
    }

    [Fact]
    public void Should_Exit_66_For_A_Missing_Path()
    {
        var (code, _, stderr) = CliHarness.Run("energy", "no/such/trace.csv");

        Assert.Equal((int)ExitCode.NoInput, code);
        Assert.Contains("no/such/trace.csv: no such file or directory", stderr);
    }

    [Fact]
    public void Should_Exit_66_For_A_Directory_Without_Traces()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.csv"), Good);

        var (code, _, stderr) = CliHarness.Run("energy", dir.Path);

        Assert.Equal((int)ExitCode.NoInput, code);
        Assert.Contains("no gpu-power-*.csv", stderr);
    }

    [Fact]
    public void Should_Read_An_Explicitly_Named_File_Of_Any_Name()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.csv"), Good);

        var (code, stdout, _) = CliHarness.Run("energy", dir.File("notes.csv"), "--json");

        Assert.Equal(0, code);
        Assert.Contains("\"energy_j\": 10", stdout);
    }

    [Theory]
    [InlineData("--gap-threshold", "soon", "not a positive duration")]
    [InlineData("--gap-threshold", "0s", "not a positive duration")]
    [InlineData("--idle", "lots", "--idle")]
    [InlineData("--method", "simpson", "simpson")]
    public void Should_Reject_Bad_Options_With_A_Usage_Message(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("gpu-power-o.csv"), Good);

        var (code, _, stderr) = CliHarness.Run("energy", dir.File("gpu-power-o.csv"), option, value);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Should_Reject_Parity_With_Another_Method()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("gpu-power-o.csv"), Good);

        var (code, _, stderr) = CliHarness.Run("energy", dir.File("gpu-power-o.csv"), "--parity", "seaa2023", "--method", "left");

        Assert.NotEqual(0, code);
        Assert.Contains("--parity seaa2023 fixes the integration", stderr);
    }
}
