using System.Globalization;
using System.Text.Json;
using TrainWatt.Storage.Export;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Cli.Tests;

public class StoreCommandsTests : IDisposable
{
    private static readonly DateTime Start = new(2023, 3, 2, 9, 0, 30);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.File("store.db");

    [Fact]
    public void Should_Import_An_Nvidia_Smi_Trace_And_List_And_Show_It_As_Json()
    {
        // Given: 5 rows of 100..140 W one second apart (trapezoid by hand: 105 + 115 + 125 + 135 = 480 J).
        string trace = _temp.File("gpu.csv");
        File.WriteAllText(trace, SyntheticTraces.NvidiaSmi(Start, 5, k => 100 + 10 * k));

        // When
        var import = CliHarness.Run("import", "nvidia-smi", trace, "--db", Db, "--json");
        var list = CliHarness.Run("runs", "list", "--db", Db, "--json");
        var show = CliHarness.Run("runs", "show", "1", "--db", Db, "--json");

        // Then
        Assert.Equal((0, ""), (import.ExitCode, import.Err));
        using var imported = JsonDocument.Parse(import.Out);
        Assert.Equal(1, imported.RootElement.GetProperty("imported")[0].GetProperty("run_id").GetInt64());
        Assert.Equal(0, list.ExitCode);
        using var runs = JsonDocument.Parse(list.Out);
        Assert.Equal(JsonValueKind.Array, runs.RootElement.ValueKind);
        var run = Assert.Single(runs.RootElement.EnumerateArray());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(5, run.GetProperty("samples").GetInt64());
        Assert.Equal(4.0, run.GetProperty("duration_s").GetDouble());
        Assert.Equal(0, show.ExitCode);
        using var details = JsonDocument.Parse(show.Out);
        var device = Assert.Single(details.RootElement.GetProperty("devices").EnumerateArray());
        Assert.Equal(480.0, device.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal("sampled", device.GetProperty("energy_provenance").GetString());
        Assert.Equal(480.0, details.RootElement.GetProperty("energy_j").GetDouble(), 9);
    }

    [Fact]
    public void Should_Say_So_When_Reimporting_The_Same_File()
    {
        string trace = _temp.File("gpu.csv");
        File.WriteAllText(trace, SyntheticTraces.NvidiaSmi(Start, 3, _ => 10));
        CliHarness.Run("import", "nvidia-smi", trace, "--db", Db);

        var again = CliHarness.Run("import", "nvidia-smi", trace, "--db", Db);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Imported 0 runs", again.Out);
        Assert.Contains("Skipped 1 runs already in the store (use --replace to import them again).", again.Out);
    }

    [Fact]
    public void Should_Show_A_Measured_Run_As_Text()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("runs", "show", "1", "--db", Db);

        Assert.Equal((0, ""), (code, stderr));
        // Oracle: StoreFixture's hand-made figures (gpu counter 7200 J, cpu 50 W x 20 s = 1000 J, ram 6 W x 20 s = 120 J; total 8320 J).
        // The gpu's power samples beside its counter: trapezoids (300+310)/2·5 + (310+320)/2·5 + (320+360)/2·5 + (360+400)/2·5 = 6700 J, (6700 − 7200) / 7200 = −6.9 %.
        Approvals.Verify(StoreFixture.Scrub(stdout, _temp.Path));
    }

    [Fact]
    public void Should_Export_Samples_And_Epochs_As_Csv()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var samples = CliHarness.Run("export", "1", "--format", "csv", "--db", Db);
        var epochs = CliHarness.Run("export", "1", "--format", "csv", "--table", "epochs", "--db", Db);

        Assert.Equal((0, ""), (samples.ExitCode, samples.Err));
        Assert.Equal((0, ""), (epochs.ExitCode, epochs.Err));
        // Oracle: StoreFixture's samples and epochs, written by hand there; t_s = 1767323045 is 2026-01-02T03:04:05Z in Unix seconds.
        Approvals.Verify(samples.Out, "samples");
        Approvals.Verify(epochs.Out, "epochs");
    }

    [Fact]
    public void Should_Export_Everything_As_One_Json_Object()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, _) = CliHarness.Run("export", "1", "--format", "json", "--db", Db);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(RunJson.FormatVersion, json.RootElement.GetProperty("format_version").GetInt32());
        Assert.Equal(15, json.RootElement.GetProperty("samples").GetArrayLength()); // 3 devices x 5 samples
        Assert.Equal(2, json.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal(8320.0, json.RootElement.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal("counter", json.RootElement.GetProperty("devices")[0].GetProperty("energy_provenance").GetString());
    }

    [Fact]
    public void Should_Export_The_Live_Projection_History_As_Csv_And_In_The_Json()
    {
        // Given: the measured run with two live projections stored after epochs 1 and 2 (values chosen by hand)
        StoreFixture.CreateMeasuredRun(Db);
        using (var store = TrainWatt.Storage.Sqlite.SqliteRunStore.Open(Db))
        {
            store.AddProjection(1, new TrainWatt.Core.Projection.ProjectionEntry(1, TrainWatt.Core.Units.Energy.FromJoules(9000), TrainWatt.Core.Units.Energy.FromJoules(8000.5), TrainWatt.Core.Units.Energy.FromJoules(10000), 0.9, "step", null, 4, 4, StoreFixture.T0.AddSeconds(10)));
            store.AddProjection(1, new TrainWatt.Core.Projection.ProjectionEntry(2, TrainWatt.Core.Units.Energy.FromJoules(8400), TrainWatt.Core.Units.Energy.FromJoules(8100), TrainWatt.Core.Units.Energy.FromJoules(8700), 0.9, "step", 1, 3, 5, StoreFixture.T0.AddSeconds(20)));
        }

        // When
        var csv = CliHarness.Run("export", "1", "--format", "csv", "--table", "projections", "--db", Db);
        var json = CliHarness.Run("export", "1", "--format", "json", "--db", Db);

        // Then: one row per stored projection, in order, unknown values empty (oracle: the entries above; T0 = 2026-01-02T03:04:05Z)
        Assert.Equal((0, ""), (csv.ExitCode, csv.Err));
        Assert.Equal(
            RunExporter.ProjectionsHeader + "\n" +
            "1,1,9000,8000.5,10000,0.9,step,,4,4,2026-01-02T03:04:15+00:00\n" +
            "1,2,8400,8100,8700,0.9,step,1,3,5,2026-01-02T03:04:25+00:00\n",
            csv.Out);
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        var projections = document.RootElement.GetProperty("projections").EnumerateArray().ToList();
        Assert.Equal([9000.0, 8400.0], projections.Select(p => p.GetProperty("projected_energy_j").GetDouble()));
        Assert.Equal(JsonValueKind.Null, projections[0].GetProperty("stable_from_epoch").ValueKind);
        Assert.Equal(1, projections[1].GetProperty("stable_from_epoch").GetInt32());

        // And `runs show --json` writes the same objects (one writer for both)
        var show = CliHarness.Run("runs", "show", "1", "--json", "--db", Db);
        using var shown = JsonDocument.Parse(show.Out);
        Assert.Equal(document.RootElement.GetProperty("projections").GetRawText(), shown.RootElement.GetProperty("projections").GetRawText());
    }

    [Fact]
    public void Should_Export_A_CodeCarbon_Compatible_Emissions_Row()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("export", "1", "--format", "codecarbon", "--carbon-intensity", "400", "--pue", "1.5", "--db", Db);

        Assert.Equal(0, code);
        Assert.StartsWith("export: assumptions: PUE 1.5 (user-given); 400", stderr, StringComparison.Ordinal); // the assumptions, stated
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(CodeCarbonExporter.Header, lines[0]);
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        double Value(string column) => double.Parse(row[column], CultureInfo.InvariantCulture);
        // Hand derivation: gpu 7200 J = 0.002 kWh; cpu 1000 J; ram 120 J; IT 8320 J; x PUE 1.5 = 12480 J = 0.0034667 kWh;
        // emissions = 0.0034667 kWh x 400 g/kWh = 1.38667 g = 0.00138667 kg; rate = / 20 s; powers = IT energy / 20 s.
        // Components are facility energies (x PUE), as CodeCarbon 3.x writes them: cpu + gpu + ram = energy_consumed.
        Assert.Equal(0.002 * 1.5, Value("gpu_energy"), 12);
        Assert.Equal(1000.0 * 1.5 / 3.6e6, Value("cpu_energy"), 12);
        Assert.Equal(120.0 * 1.5 / 3.6e6, Value("ram_energy"), 12);
        Assert.Equal(12480.0 / 3.6e6, Value("energy_consumed"), 12);
        Assert.Equal(8320.0 / 3.6e6, Value("it_energy_kwh"), 12);
        Assert.Equal(12480.0 / 3.6e6 * 400 / 1000, Value("emissions"), 12);
        Assert.Equal(12480.0 / 3.6e6 * 400 / 1000 / 20, Value("emissions_rate"), 15);
        Assert.Equal(360.0, Value("gpu_power"), 9);
        Assert.Equal(50.0, Value("cpu_power"), 9);
        Assert.Equal(6.0, Value("ram_power"), 9);
        Assert.Equal(20.0, Value("duration"));
        Assert.Equal("demo", row["project_name"]);
        Assert.Equal("1 x NVIDIA H100 80GB HBM3", row["gpu_model"]);
        Assert.Equal(("counter", "sampled", "model"), (row["gpu_energy_provenance"], row["cpu_energy_provenance"], row["ram_energy_provenance"]));
        Approvals.Verify(StoreFixture.Scrub(stdout, _temp.Path));
    }

    [Fact]
    public void Should_Take_The_Carbon_Intensity_From_The_Country_Table()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, _) = CliHarness.Run("export", "1", "--format", "emissions", "--country", "DE", "--db", Db);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd('\n').Split('\n');
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        // Oracle: data/carbon-intensity.csv row DE = 381 gCO2e/kWh (Ember 2023); CodeCarbon writes ISO alpha-3 codes.
        Assert.Equal("381", row["carbon_intensity_g_per_kwh"]);
        Assert.Equal(("Germany", "DEU"), (row["country_name"], row["country_iso_code"]));
        // No --pue: the on-prem average 1.56 (data/cloud-regions.csv preset:on-prem-average), the default of measure and carbon too.
        Assert.Equal(8320.0 * 1.56 / 3.6e6 * 381 / 1000, double.Parse(row["emissions"], CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void Should_Append_Rows_To_An_Existing_Emissions_File_As_CodeCarbon_Does()
    {
        StoreFixture.CreateMeasuredRun(Db);
        string output = _temp.File("emissions.csv");

        CliHarness.Run("export", "1", "--format", "codecarbon", "--carbon-intensity", "100", "--out", output, "--db", Db);
        var second = CliHarness.Run("export", "1", "--format", "codecarbon", "--carbon-intensity", "100", "--out", output, "--db", Db);

        Assert.Equal(0, second.ExitCode);
        var lines = File.ReadAllLines(output);
        Assert.Equal(3, lines.Length); // header + one row per export
        Assert.Equal(CodeCarbonExporter.Header, lines[0]);
        Assert.Equal(lines[1], lines[2]);
    }

    [Fact]
    public void Emissions_Default_To_The_World_Grid_And_The_On_Prem_Pue_Like_Measure_And_Carbon_And_Say_So()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("export", "1", "--format", "codecarbon", "--db", Db);
        var carbon = CliHarness.Run("carbon", "--energy-kwh", "1", "--json");

        // Oracle: data/carbon-intensity.csv WORLD 2023 = 481 gCO2e/kWh; data/cloud-regions.csv preset:on-prem-average PUE 1.56:
        // IT 8320 J x 1.56 = 12979.2 J = 0.0036053 kWh; x 481 g/kWh = 1.7342 g. `carbon` without options assumes the same two.
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd('\n').Split('\n');
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal("481", row["carbon_intensity_g_per_kwh"]);
        Assert.Equal(8320.0 * 1.56 / 3.6e6, double.Parse(row["energy_consumed"], CultureInfo.InvariantCulture), 12);
        Assert.Equal(8320.0 * 1.56 / 3.6e6 * 481 / 1000, double.Parse(row["emissions"], CultureInfo.InvariantCulture), 12);
        Assert.Contains("PUE 1.56", stderr, StringComparison.Ordinal);
        Assert.Contains("[default; pass --pue to change it]", stderr, StringComparison.Ordinal);
        Assert.Contains("[default; pass --country or --carbon-intensity]", stderr, StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(carbon.Out);
        Assert.Contains("1.56", doc.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("481", doc.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Explain_A_Missing_Run()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, _, stderr) = CliHarness.Run("runs", "show", "42", "--db", Db);

        Assert.Equal(66, code);
        Assert.Contains("there is no run 42 in the store", stderr);
        Assert.Contains("trainwatt runs list", stderr);
    }

    [Fact]
    public void Should_Explain_An_Unwritable_Store_Without_A_Stack_Trace()
    {
        File.WriteAllText(_temp.File("a-file"), "x");
        string db = Path.Combine(_temp.File("a-file"), "sub", "trainwatt.db");

        var (code, _, stderr) = CliHarness.Run("runs", "list", "--db", db);

        Assert.Equal(73, code);
        Assert.Contains("Cannot create the folder", stderr);
        Assert.Contains("--db PATH (or set TRAINWATT_DB)", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Should_Refuse_A_Store_Written_By_A_Newer_TrainWatt()
    {
        CliHarness.Run("runs", "list", "--db", Db);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', '2030-01-01')";
            command.ExecuteNonQuery();
        }

        var (code, stdout, stderr) = CliHarness.Run("runs", "list", "--db", Db);

        Assert.Equal(73, code);
        Assert.Equal("", stdout);
        Assert.Contains("has schema version 99", stderr);
        Assert.Contains("upgrade TrainWatt", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Should_Report_A_Missing_Import_File()
    {
        var (code, _, stderr) = CliHarness.Run("import", "nvidia-smi", _temp.File("nope.csv"), "--db", Db);

        Assert.Equal(66, code);
        Assert.Contains("nope.csv: no such file", stderr);
    }

    [Fact]
    public void Should_Print_An_Empty_Json_Array_For_An_Empty_Store()
    {
        var (code, stdout, _) = CliHarness.Run("runs", "list", "--json", "--db", Db);

        Assert.Equal(0, code);
        Assert.Equal("[]\n", stdout);
    }
}
