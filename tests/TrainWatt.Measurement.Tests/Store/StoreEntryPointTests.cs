using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Store;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Import;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Store;

/// <summary>
/// The store entry points of import, runs and export (<see cref="RunImport"/>, <see cref="RunQueries"/>,
/// <see cref="RunExport"/>) on temporary SQLite stores. Energies by hand: a constant P for N one-second rows is P × (N − 1) J.
/// </summary>
public sealed class StoreEntryPointTests : IDisposable
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0);
    private static readonly HostContext Host = new(TimeProvider.System, new Dictionary<string, string?>());
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.File("store.db");

    private string Trace(string name, double watts, int rows = 5)
    {
        string path = _temp.File(name);
        File.WriteAllText(path, SyntheticTraces.NvidiaSmi(Start, rows, _ => watts));
        return path;
    }

    [Fact]
    public void Import_Checks_Every_File_Before_Creating_The_Store()
    {
        var e = Assert.Throws<FileNotFoundException>(() => RunImport.NvidiaSmi([_temp.File("a.csv"), _temp.File("b.csv")], ExistingRunPolicy.Skip, Db, Host));

        Assert.Equal($"{_temp.File("a.csv")}, {_temp.File("b.csv")}: no such files. Give nvidia-smi CSV files (plain or .gz).", e.Message);
        Assert.False(File.Exists(Db));
        Assert.Throws<DirectoryNotFoundException>(() => RunImport.Seaa2023(_temp.File("no-dir"), ExistingRunPolicy.Skip, Db, Host));
    }

    [Fact]
    public void Import_Outcome_Is_Success_Partial_Or_DataError()
    {
        string good = Trace("good.csv", 100);
        string bad = _temp.File("bad.csv");
        File.WriteAllText(bad, "timestamp, power.draw [W]\n");

        var first = RunImport.NvidiaSmi([good], ExistingRunPolicy.Skip, Db, Host);
        var mixed = RunImport.NvidiaSmi([good, bad], ExistingRunPolicy.Replace, Db, Host);
        var onlyBad = RunImport.NvidiaSmi([bad], ExistingRunPolicy.Skip, Db, Host);

        Assert.Equal((ExitCode.Success, Db), (first.Outcome, first.Store));
        Assert.Equal(ExitCode.PartialFailure, mixed.Outcome);
        Assert.Equal(ExitCode.DataError, onlyBad.Outcome);
    }

    [Fact]
    public void Show_Finds_A_Run_By_Id_And_A_Job_By_Its_Id()
    {
        using (var store = SqliteRunStore.Open(Db))
        {
            store.CreateRun(new NewRun("measure", DateTimeOffset.UnixEpoch, JobId: "job-7"));
        }

        var run = RunQueries.Show(Db, "1", Host);
        var job = RunQueries.Show(Db, "job-7", Host);

        Assert.Equal(1, run.Run!.Details.Run.Id);
        Assert.Null(run.Job);
        Assert.Equal("job-7", job.Job!.JobId);
        Assert.Null(job.Run);
        Assert.Single(RunQueries.List(Db, Host).Runs);
    }

    [Theory]
    [InlineData("42", "there is no run 42 in the store")]
    [InlineData("nope", "'nope' is neither a run id nor a job id in the store")]
    public void Show_Of_Something_Not_In_The_Store_Says_How_To_List_Runs(string id, string expected)
    {
        RunQueries.List(Db, Host);

        var e = Assert.Throws<RunNotFoundException>(() => RunQueries.Show(Db, id, Host));

        Assert.Contains(expected, e.Message);
        Assert.EndsWith("List the runs with `trainwatt runs list`.", e.Message);
        Assert.Throws<RunNotFoundException>(() => RunQueries.Merge(Db, "no-job", Host));
    }

    [Fact]
    public void Export_Writes_Samples_To_The_Given_Writer_Or_Appends_Emissions_To_A_File()
    {
        RunImport.NvidiaSmi([Trace("t.csv", 36, rows: 101)], ExistingRunPolicy.Skip, Db, Host); // 36 W × 100 s = 3600 J = 0.001 kWh
        var csv = new StringWriter();
        string emissions = _temp.File("emissions.csv");
        var request = new ExportRequest([1], ExportFormat.CodeCarbon, OutPath: emissions, Carbon: new ExportCarbon(1000, null));

        RunExport.Export(new ExportRequest([1], ExportFormat.Csv), csv, Db, Host);
        RunExport.Export(request, TextWriter.Null, Db, Host);
        RunExport.Export(request, TextWriter.Null, Db, Host);

        Assert.StartsWith(RunExporter.SamplesHeader + "\n", csv.ToString());
        Assert.Equal(102, csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var lines = File.ReadAllLines(emissions);
        Assert.Equal(3, lines.Length); // header + one row per export
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(0.001 * 1.56 * 1000 / 1000, double.Parse(row["emissions"], CultureInfo.InvariantCulture), 12); // kWh × default PUE 1.56 (on-prem average) × g/kWh → kg
    }

    [Fact]
    public void Export_Fails_Clearly_For_A_Missing_Run_A_Foreign_Csv_And_Several_Runs_As_Csv()
    {
        RunImport.NvidiaSmi([Trace("t.csv", 10)], ExistingRunPolicy.Skip, Db, Host);
        string foreign = _temp.File("foreign.csv");
        File.WriteAllText(foreign, "a,b\n1,2\n");

        Assert.Throws<RunNotFoundException>(() => RunExport.Export(new ExportRequest([9], ExportFormat.Json), TextWriter.Null, Db, Host));
        var io = Assert.Throws<IOException>(() => RunExport.Export(new ExportRequest([1], ExportFormat.Emissions, OutPath: foreign, Carbon: new ExportCarbon(100, null)), TextWriter.Null, Db, Host));
        Assert.Contains("exists with other columns than TrainWatt's emissions.csv", io.Message);
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(foreign));
        Assert.Throws<ArgumentException>(() => RunExport.Export(new ExportRequest([1, 1], ExportFormat.Csv), TextWriter.Null, Db, Host));
    }

    [Fact]
    public void Carbon_Settings_Take_The_Given_Intensity_Else_The_Country_Row()
    {
        var given = RunExport.CarbonSettingsFor(new ExportCarbon(400, "DE", 1.5));
        var country = RunExport.CarbonSettingsFor(new ExportCarbon(null, "DE"));

        // Oracle: data/carbon-intensity.csv row DE = 381 gCO2e/kWh (Ember 2023).
        Assert.Equal((400.0, "user-given", 1.5, "Germany", "DEU"), (given.Intensity.GramsPerKilowattHour, given.Source, given.Pue, given.CountryName, given.CountryIsoCode));
        Assert.Equal(381.0, country.Intensity.GramsPerKilowattHour);
        Assert.Throws<ReferenceLookupException>(() => RunExport.CarbonSettingsFor(new ExportCarbon(null, "Germanyy")));
        var defaults = RunExport.CarbonSettingsFor(new ExportCarbon(null, null)); // as measure and carbon: WORLD 481 gCO2e/kWh, PUE 1.56
        Assert.Equal((481.0, 1.56), (defaults.Intensity.GramsPerKilowattHour, defaults.Pue));
        Assert.Contains("[default; pass --country or --carbon-intensity]", defaults.Source, StringComparison.Ordinal);
    }
}
