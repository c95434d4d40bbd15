using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Storage.Export;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>Issue 19: <c>export --format codecarbon|boamps|model-card</c> through the CLI.</summary>
public class ExportFormatsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.File("store.db");

    [Fact]
    public void Should_Export_CodeCarbon_3_Rows_For_France_With_Pue()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("export", "1", "--format", "codecarbon", "--country", "FR", "--pue", "1.5", "--db", Db);

        Assert.Equal((0, ""), (code, stderr));
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(CodeCarbonExporter.Header, lines[0]);
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        double Value(string column) => double.Parse(row[column], CultureInfo.InvariantCulture);
        // Hand derivation (StoreFixture): gpu 7200 J, cpu 1000 J, ram 120 J, each x 1.5 / 3.6e6 kWh.
        Assert.Equal(8320 * 1.5 / 3.6e6, Value("cpu_energy") + Value("gpu_energy") + Value("ram_energy"), 15);
        Assert.Equal(8320 * 1.5 / 3.6e6, Value("energy_consumed"), 15);
        Assert.Contains(row["on_cloud"], (string[])["Y", "N"]);
        Assert.Equal(("France", "FRA"), (row["country_name"], row["country_iso_code"]));
    }

    [Fact]
    public void Should_Load_The_Export_In_CodeCarbons_Dashboard_Code_Path()
    {
        // Oracle: scripts/check_codecarbon_csv.py, which follows codecarbon 3.3.0's viz (pandas.read_csv, the project's
        // records, the summary, country_iso_code.upper(), on_cloud). Needs /usr/bin/python3 with pandas (apt python3-pandas).
        Assert.SkipUnless(HasPandas(), "needs /usr/bin/python3 with pandas (apt-get install python3-pandas)");
        StoreFixture.CreateMeasuredRun(Db);
        string csv = _temp.File("emissions.csv");
        CliHarness.Run("export", "1", "--format", "codecarbon", "--country", "FR", "--pue", "1.5", "--out", csv, "--db", Db);
        CliHarness.Run("export", "1", "--format", "codecarbon", "--country", "FR", "--pue", "1.5", "--out", csv, "--db", Db);

        var (exit, output, error) = Python(Path.Combine(SharedData.RepositoryRoot, "scripts", "check_codecarbon_csv.py"), csv);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(2 * 8320 * 1.5 / 3.6e6, json.RootElement.GetProperty("summary").GetProperty("total").GetProperty("energy_consumed").GetDouble(), 15);
    }

    [Fact]
    public void Should_Export_A_BoAmps_Report()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("export", "1", "--format", "boamps", "--country", "DE", "--db", Db);

        Assert.Equal((0, ""), (code, stderr));
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var task = root.GetProperty("task");
        foreach (string field in (string[])["taskStage", "taskFamily"])
        {
            Assert.False(string.IsNullOrEmpty(task.GetProperty(field).GetString()), field);
        }

        Assert.True(task.GetProperty("algorithms").GetArrayLength() >= 1);
        Assert.True(task.GetProperty("dataset").GetArrayLength() >= 1);
        Assert.Equal(8320 / 3.6e6, root.GetProperty("measures")[0].GetProperty("powerConsumption").GetDouble(), 15);
        Assert.Equal("other", root.GetProperty("infrastructure").GetProperty("infraType").GetString());
        Assert.Equal(3, root.GetProperty("infrastructure").GetProperty("components").GetArrayLength()); // gpu, cpu, ram
        Assert.Equal("Germany", root.GetProperty("environment").GetProperty("country").GetString());
    }

    [Fact]
    public void Should_Export_A_Model_Card_And_Require_A_Carbon_Intensity_For_It()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var card = CliHarness.Run("export", "1", "--format", "model-card", "--carbon-intensity", "100", "--db", Db);
        var missing = CliHarness.Run("export", "1", "--format", "model-card", "--db", Db);

        Assert.Equal((0, ""), (card.ExitCode, card.Err));
        // 8320 J / 3.6e6 x 100 g/kWh = 0.23111... g
        string grams = card.Out.Split('\n').Single(l => l.StartsWith("  emissions: ", StringComparison.Ordinal))["  emissions: ".Length..];
        Assert.Equal(8320 / 3.6e6 * 100, double.Parse(grams, CultureInfo.InvariantCulture), 12);
        Assert.Contains("## Environmental impact (training)", card.Out, StringComparison.Ordinal);
        Assert.Equal(64, missing.ExitCode);
        Assert.Contains("pass --country ISO", missing.Err, StringComparison.Ordinal);
    }

    private static bool HasPandas() => File.Exists("/usr/bin/python3") && Python("-c", "import pandas").Exit == 0;

    private static (int Exit, string Out, string Err) Python(params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "python3 did not finish within 120 s");
        return (process.ExitCode, output, err.Result);
    }
}
