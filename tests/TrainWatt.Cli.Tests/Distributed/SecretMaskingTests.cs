using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>
/// Issue 13, H3: a PostgreSQL password (in the URL's user info or as a <c>password=</c> query key, libpq's two forms)
/// never reaches stdout, stderr or a file, on every output path that prints the store. The test server trusts every
/// login, so it accepts (and ignores) the passwords.
/// </summary>
[Collection(ProcessHeavyCollection.Name)]
public partial class SecretMaskingTests(PostgresServer server)
{
    private const string UserInfoSecret = "ui-s3cr3t-77";
    private const string QuerySecret = "qs-s3cr3t-88";

    /// <summary>The URL with both forms of password (the test server ignores them).</summary>
    private string SecretUrl(string url, string extra = "")
        => url.Replace("postgres@", $"postgres:{UserInfoSecret}@", StringComparison.Ordinal) + $"?password={QuerySecret}{extra}";

    private static void AssertNoSecret(params string[] outputs)
    {
        foreach (string output in outputs)
        {
            Assert.DoesNotContain(UserInfoSecret, output, StringComparison.Ordinal);
            Assert.DoesNotContain(QuerySecret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Db_Migrate_And_Check_Print_The_Store_Without_Its_Password()
    {
        string url = SecretUrl(server.CreateDatabase());

        var migrate = CliHarness.Run("db", "migrate", "--db", url);
        var check = CliHarness.Run("db", "check", "--db", url);

        Assert.True(migrate.ExitCode == 0, migrate.Err);
        Assert.True(check.ExitCode == 0, check.Err);
        Assert.Contains("?password=***: ok, schema version 4, 0 runs", check.Out, StringComparison.Ordinal);
        AssertNoSecret(migrate.Out, migrate.Err, check.Out, check.Err);
    }

    [Fact]
    public void Sync_Prints_The_Target_Without_Its_Password()
    {
        using var dir = new TempDirectory();
        string local = dir.File("local.db");
        using (var store = SqliteRunStore.Open(local))
        {
            long run = store.CreateRun(new NewRun("measure", new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero)));
            store.FinishRun(run, RunStatus.Completed, new DateTimeOffset(2026, 11, 24, 6, 1, 0, TimeSpan.Zero), 0);
        }

        var sync = CliHarness.Run("sync", "--from", local, "--to", SecretUrl(server.CreateDatabase()));

        Assert.True(sync.ExitCode == 0, sync.Err);
        Assert.Contains("synced 1 runs", sync.Out, StringComparison.Ordinal);
        AssertNoSecret(sync.Out, sync.Err);
    }

    [Fact]
    public void An_Ssl_Error_Names_The_Store_Without_Its_Password()
    {
        // The test server has no SSL: sslmode=require fails while connecting.
        var (code, stdout, stderr) = CliHarness.Run("runs", "list", "--db", SecretUrl(server.CreateDatabase(), "&sslmode=require"));

        Assert.Equal(73, code);
        Assert.Contains("?password=***&sslmode=require", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Refused_Connection_Names_The_Store_Without_Its_Password()
    {
        // Port 1 on loopback: nobody listens, the connection is refused at once (no server needed).
        var (code, stdout, stderr) = CliHarness.Run("runs", "list", "--db", $"postgres://tw:{UserInfoSecret}@127.0.0.1:1/runs?password={QuerySecret}&sslpassword={QuerySecret}");

        Assert.Equal(73, code);
        Assert.Contains("postgres://tw:***@127.0.0.1:1/runs?password=***&sslpassword=***", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
    }

    [Theory]
    [InlineData("doctor", "--db", "postgres://tw:" + UserInfoSecret + "@db.example/runs?password=" + QuerySecret)]
    [InlineData("runs", "list", "--no-such-option", "postgres://tw:" + UserInfoSecret + "@db.example/runs?password=" + QuerySecret)]
    [InlineData("runs", "list", "--db=postgres://tw:" + UserInfoSecret + "@db.example/runs?password=" + QuerySecret, "--bogus")]
    public void A_Parse_Error_Does_Not_Echo_The_Password(params string[] args)
    {
        var (code, stdout, stderr) = CliHarness.Run(args);

        Assert.Equal(64, code);
        AssertNoSecret(stdout, stderr);
    }

    [Fact]
    public void A_Parse_Error_Does_Not_Echo_A_Short_Password_In_The_Url()
    {
        var (code, _, stderr) = CliHarness.Run("doctor", "--db", "postgres://tw:pw@db.example/runs");

        Assert.Equal(64, code);
        Assert.DoesNotContain("tw:pw@", stderr, StringComparison.Ordinal);
        Assert.Contains("postgres://tw:***@db.example/runs", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Failure_Message_Is_Scrubbed_Of_The_Secrets_Of_The_Command_Line()
    {
        // A driver message that names the password itself (not in a URL): Failures.Report knows the command line.
        var stdout = new Spectre.Console.Testing.TestConsole();
        var stderr = new Spectre.Console.Testing.TestConsole();
        var context = new CliContext(stdout, stderr, TimeProvider.System, new Dictionary<string, string?>());

        int code = Failures.Run(context, () => throw new StoreException("postgres://tw:***@db/runs", $"server said: password '{UserInfoSecret}' or '{QuerySecret}' is wrong"),
            commandLine: ["runs", "list", "--db", $"postgres://tw:{UserInfoSecret}@db/runs?password={QuerySecret}"]);

        Assert.Equal(73, code);
        Assert.Contains("server said: password '***' or '***' is wrong", stderr.Output, StringComparison.Ordinal);
        AssertNoSecret(stderr.Output);
    }

    /// <summary>
    /// measure's "recording to" line, the store-down warning, the spool file (its target and its mode) and
    /// <c>sync --spool</c>'s output. The store goes down without stopping the shared server: the database stops accepting
    /// connections and measure's connection is cut (pg_terminate_backend), so every retry fails until it is allowed again.
    /// </summary>
    [Fact]
    public async Task Measure_The_Store_Down_Warning_The_Spool_File_And_Sync_Spool_Never_Hold_The_Password()
    {
        string plain = server.CreateDatabase();
        string url = SecretUrl(plain, "&sslmode=disable");
        string database = new Uri(plain).AbsolutePath.TrimStart('/');
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = dir.File("data"), ["HOME"] = dir.File("home") };

        // When: measure runs a 3 s command; once its run exists, the database goes away for good
        var measure = Task.Run(() => CliHarness.Run(env, new ConstantSource(100), null,
            "measure", "--db", url, "--progress", "quiet", "--store-retry", "0", "--", "sleep", "3"), TestContext.Current.CancellationToken);
        await WaitForRun(plain);
        await Task.Delay(TimeSpan.FromSeconds(0.5), TestContext.Current.CancellationToken);
        Admin($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        Admin($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()");
        var (code, stdout, stderr) = await measure;

        // Then: the run went on, the warnings name the store masked, and the spool file holds no password and is private
        Assert.True(code == 0, stderr);
        Assert.Contains("recording to postgres://postgres:***@127.0.0.1:", stderr, StringComparison.Ordinal);
        Assert.Contains("warning: the store stopped answering", stderr, StringComparison.Ordinal);
        AssertNoSecret(stdout, stderr);
        string spool = Assert.Single(Regex.Matches(stderr, @"^trainwatt:   trainwatt sync --spool (?<file>\S+)$", RegexOptions.Multiline)).Groups["file"].Value;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spool));
        }

        AssertNoSecret(File.ReadAllText(spool, System.Text.Encoding.Latin1));
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={spool};Mode=ReadOnly;Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM spool WHERE key = 'target'";
            string target = (string)command.ExecuteScalar()!;
            Assert.Equal(plain + "?sslmode=disable", target); // usable: the password comes from TRAINWATT_DB, PGPASSWORD or ~/.pgpass
        }

        // When: the database is back and the printed command runs with the password-carrying URL in TRAINWATT_DB
        Admin($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        var sync = CliHarness.Run(new Dictionary<string, string?> { ["TRAINWATT_DB"] = url }, "sync", "--spool", spool);

        Assert.True(sync.ExitCode == 0, sync.Err);
        Assert.Contains("replayed", sync.Out, StringComparison.Ordinal);
        AssertNoSecret(sync.Out, sync.Err);
    }

    private void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private async Task WaitForRun(string url)
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString(new Uri(url).AbsolutePath.TrimStart('/')));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Open();
                using var command = new NpgsqlCommand("SELECT COUNT(*) FROM devices", connection);
                if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    return;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // not migrated yet
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("measure did not create its run within a minute");
    }

    private sealed class ConstantSource(double watts) : IMeterSource
    {
        public MeterSetup Open(MeterSelection selection, HostContext host) => new([new ConstantMeter(watts, host.Time)]);
    }

    private sealed class ConstantMeter(double watts, TimeProvider time) : IMeter
    {
        private readonly long _start = time.GetTimestamp();

        public string Name => "constant";

        public IReadOnlyList<MeterChannel> Channels { get; } = [new MeterChannel("gpu:0", "gpu", "Constant GPU", Provenance.Sampled)];

        public MeterReading Read() => new(time.GetUtcNow(), time.GetElapsedTime(_start), [new ChannelReading("gpu:0", Power.FromWatts(watts), null)]);

        public void Dispose()
        {
        }
    }
}
