using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// The thin-CLI contract, in process: a command's settings report every problem at once (one <c>error:</c> line each,
/// exit 64, nothing on stdout, nothing opened), and a library exception reaches the one exception → exit code map
/// (Failures) as one line without a stack trace. Oracle: ExitCode (Usage 64, DataError 65, NoInput 66) and the
/// rules each option states in its help.
/// </summary>
public sealed class StoreCommandSettingsTests : IDisposable
{
    private const string Good = "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10 W\n2024/01/01 00:00:01.000, 10 W\n";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.File("store.db");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertOneLineWithoutStackTrace(string stderr, string expected)
    {
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }

    [Fact]
    public void Energy_Reports_Every_Bad_Option_At_Once_With_Exit_64()
    {
        File.WriteAllText(_temp.File("gpu-power-a.csv"), Good);

        var (code, stdout, stderr) = CliHarness.Run("energy", _temp.File("gpu-power-a.csv"), "--parity", "seaa2023", "--method", "left", "--gap-threshold", "0s");

        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        var lines = Lines(stderr);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("error: ", l));
        Assert.Contains("--parity seaa2023 fixes the integration to the trapezoid rule; leave out --method left.", lines[0]);
        Assert.Contains("--gap-threshold: 0 s is not a positive duration", lines[1]);
    }

    [Fact]
    public void Export_Reports_Every_Bad_Option_At_Once_Before_Opening_The_Store()
    {
        var (code, stdout, stderr) = CliHarness.Run("export", "1", "2", "--format", "csv", "--pue", "0.5", "--carbon-intensity", "-3", "--db", Db);

        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            [
                "error: --format csv exports one run; got 2 ids. Run the command once per run, or use --format codecarbon for one row per run.",
                "error: --pue must be at least 1.0 (facility energy / IT energy); got 0.5.",
                "error: --carbon-intensity must be a non-negative number of gCO2e/kWh; got -3.",
            ],
            Lines(stderr));
        Assert.False(File.Exists(Db), "a usage error must not create the store");
    }

    [Fact]
    public void Carbon_Reports_Every_Bad_Option_At_Once_As_Bare_Lines()
    {
        var (code, stdout, stderr) = CliHarness.Run("carbon", "--energy-kwh", "-1", "--country", "ES", "--intensity", "-5", "--pue", "0.9", "--price", "0,25EUR");

        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        // carbon prints its messages without "error:" (its scripts and tests match the bare text).
        Assert.Equal(
            [
                "--energy-kwh must be a finite number >= 0; got -1.",
                "Give either --country or --intensity, not both.",
                "--intensity must be a finite number >= 0 gCO2e/kWh; got -5.",
                "--pue: PUE must be a finite number >= 1.0 (facility energy / IT energy; 1.0 means no overhead); got 0.9.",
                "\"0,25EUR\" is not an electricity price; write the price per kWh and an ISO 4217 currency code, e.g. 0.25EUR.",
            ],
            Lines(stderr));
    }

    [Fact]
    public void Sync_Names_The_Target_It_Got_When_It_Is_Not_Postgres()
    {
        var (code, _, stderr) = CliHarness.Run(new Dictionary<string, string?> { ["TRAINWATT_DB"] = _temp.File("local.db") }, "sync", "--from", Db);

        Assert.Equal(64, code);
        AssertOneLineWithoutStackTrace(stderr, $"--to must be a PostgreSQL store URL (postgres://USER@HOST:PORT/DATABASE; password from PGPASSWORD or ~/.pgpass); got {_temp.File("local.db")} (from TRAINWATT_DB).");
    }

    [Fact]
    public void A_Missing_Job_Reaches_The_Failure_Map_As_One_Line_With_Exit_66()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("runs", "merge", "no-such-job", "--db", Db);

        Assert.Equal(66, code);
        Assert.Equal(string.Empty, stdout);
        AssertOneLineWithoutStackTrace(stderr, $"no run in the store {Db} has job id 'no-such-job'");
    }

    [Fact]
    public void An_Unknown_Export_Country_Reaches_The_Failure_Map_As_One_Line_With_Exit_64()
    {
        StoreFixture.CreateMeasuredRun(Db);

        var (code, stdout, stderr) = CliHarness.Run("export", "1", "--format", "codecarbon", "--country", "Germanyy", "--db", Db);

        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        AssertOneLineWithoutStackTrace(stderr, "Unknown country \"Germanyy\" in the carbon-intensity table. Closest: DE (Germany)");
    }

    [Fact]
    public void Missing_Import_Files_Are_One_Line_With_Exit_66_And_Create_No_Store()
    {
        var (code, _, stderr) = CliHarness.Run("import", "nvidia-smi", _temp.File("a.csv"), _temp.File("b.csv"), "--db", Db);

        Assert.Equal(66, code);
        AssertOneLineWithoutStackTrace(stderr, $"{_temp.File("a.csv")}, {_temp.File("b.csv")}: no such files. Give nvidia-smi CSV files (plain or .gz).");
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public void A_Missing_Store_Is_One_Line_With_Exit_66_In_Db_Check()
    {
        var (code, stdout, stderr) = CliHarness.Run("db", "check", "--db", Db);

        Assert.Equal(66, code);
        Assert.Equal(string.Empty, stdout);
        AssertOneLineWithoutStackTrace(stderr, $"there is no store at {Db}. Create it with `trainwatt db migrate --db {Db}`");
    }

    [Fact]
    public void A_File_That_Is_Not_A_Spool_Is_One_Line_With_Exit_65()
    {
        File.WriteAllText(_temp.File("not-a-spool.db"), Good);

        var (code, _, stderr) = CliHarness.Run("sync", "--spool", _temp.File("not-a-spool.db"));

        Assert.Equal(65, code);
        AssertOneLineWithoutStackTrace(stderr, $"{_temp.File("not-a-spool.db")} is not a TrainWatt spool file");
    }

    [Fact]
    public void A_Usage_Error_Opens_No_Store_In_Sync_Or_Runs()
    {
        var sync = CliHarness.Run("sync", "--from", Db, "--spool", _temp.File("x"));
        var show = CliHarness.Run("runs", "show", " ", "--db", Db);

        Assert.Equal((64, 64), (sync.ExitCode, show.ExitCode));
        AssertOneLineWithoutStackTrace(sync.Err, "give either --from PATH (copy a local store's runs) or --spool FILE (complete a run from a measure spool file), not both.");
        AssertOneLineWithoutStackTrace(show.Err, "ID: ' ' is empty");
        Assert.False(File.Exists(Db));
    }
}
