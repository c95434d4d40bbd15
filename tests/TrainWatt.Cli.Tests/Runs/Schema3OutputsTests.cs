using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Runs;

/// <summary>
/// Every reader gives the same numbers after the schema-4 migration: `runs show --json` (with its phases, from
/// StoredRunPhases), `export --format json` and `export --format csv` of the three runs of the schema-3 store the
/// previous TrainWatt wrote (tests/TrainWatt.Storage.Tests/Fixtures, made by make-schema3-fixtures.sh with main at
/// e9f28ce) print, byte for byte, what that TrainWatt printed for them.
/// </summary>
public class Schema3OutputsTests
{
    private static string Fixture(string name) => Path.Combine(SharedData.RepositoryRoot, "tests", "TrainWatt.Storage.Tests", "Fixtures", name);

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3")]
    public void Runs_Show_And_Export_Print_What_The_Schema_3_TrainWatt_Printed(string run)
    {
        using var dir = new TempDirectory();
        string db = dir.File("schema3.db");
        File.Copy(Fixture("schema3.db"), db);

        foreach (var (args, expected) in new[]
        {
            (new[] { "runs", "show", run, "--json" }, $"schema3-runs-show-{run}.json"),
            (new[] { "export", run, "--format", "json" }, $"schema3-export-{run}.json"),
            (new[] { "export", run, "--format", "csv" }, $"schema3-export-{run}.csv"),
        })
        {
            var (code, stdout, stderr) = CliHarness.Run([.. args, "--db", db]);
            Assert.True(code == 0, stderr);
            Assert.Equal(File.ReadAllText(Fixture(expected)), stdout);
        }
    }
}
