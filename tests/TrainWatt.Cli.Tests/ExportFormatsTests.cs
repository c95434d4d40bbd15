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

        Assert.Equal(0, code);
        // The one line on stderr states what the export assumed (issue 20: one PUE/grid default, stated in each output).
        Assert.StartsWith("export: assumptions: PUE 1.5 (user-given); FR 2023", stderr, StringComparison.Ordinal);
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

        Assert.Equal(0, code);
        Assert.Contains("[default", stderr, StringComparison.Ordinal); // no --pue: the default PUE, stated
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var task = root.GetProperty("task");
        foreach (string field in (string[])["taskStage", "taskFamily"])
        {
            Assert.False(string.IsNullOrEmpty(task.GetProperty(field).GetString()), field);
        }

        Assert.True(task.GetProperty("algorithms").GetArrayLength() >= 1);
        Assert.True(task.GetProperty("dataset").GetArrayLength() >= 1);
        // Facility energy: 8320 J x the default PUE 1.56 (the on-prem average measure and carbon use) / 3.6e6 kWh.
        Assert.Equal(8320 * 1.56 / 3.6e6, root.GetProperty("measures")[0].GetProperty("powerConsumption").GetDouble(), 15);
        Assert.Equal("other", root.GetProperty("infrastructure").GetProperty("infraType").GetString());
        Assert.Equal(3, root.GetProperty("infrastructure").GetProperty("components").GetArrayLength()); // gpu, cpu, ram
        Assert.Equal("Germany", root.GetProperty("environment").GetProperty("country").GetString());
    }

    [Fact]
    public void Should_Export_A_Model_Card_With_The_Stated_Defaults_When_No_Grid_Is_Given()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var card = CliHarness.Run("export", "1", "--format", "model-card", "--carbon-intensity", "100", "--pue", "1", "--db", Db);
        var defaults = CliHarness.Run("export", "1", "--format", "model-card", "--db", Db);

        Assert.Equal(0, card.ExitCode);
        Assert.StartsWith("export: assumptions: PUE 1", card.Err, StringComparison.Ordinal);
        // 8320 J / 3.6e6 x 100 g/kWh x PUE 1 = 0.23111... g
        Assert.Equal(8320 / 3.6e6 * 100, Grams(card.Out), 12);
        Assert.Contains("## Environmental impact (training)", card.Out, StringComparison.Ordinal);
        // Without a grid: the world average 481 gCO2e/kWh and PUE 1.56, as measure and carbon, each said to be a default.
        Assert.Equal(0, defaults.ExitCode);
        Assert.Contains("[default", defaults.Err, StringComparison.Ordinal);
        Assert.Equal(8320 / 3.6e6 * 1.56 * 481, Grams(defaults.Out), 9);
    }

    private static double Grams(string card)
        => double.Parse(card.Split('\n').Single(l => l.StartsWith("  emissions: ", StringComparison.Ordinal))["  emissions: ".Length..], CultureInfo.InvariantCulture);

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
