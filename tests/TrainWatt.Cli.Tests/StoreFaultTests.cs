using Microsoft.Data.Sqlite;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// Issue 13, "store faults": a damaged SQLite store is one line naming the file and the fix, exit 73 (the store's code,
/// <see cref="ExitCode.CannotCreate"/>, as for every other store problem), never a stack trace or an internal error.
/// </summary>
public class StoreFaultTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A valid store with one run of 4 × 50,000 samples (over 100 pages of sample chunks), then one page in
    /// the middle of the file overwritten with 0xFF: no b-tree page starts with 0xFF, so SQLite reports it as corrupt
    /// whenever it reads that page.
    /// </summary>
    private string CorruptedStore()
    {
        string db = ValidStore("damaged.db");
        long pages = new FileInfo(db).Length / 4096;
        Assert.True(pages > 100, $"{pages} pages");
        using (var file = File.OpenWrite(db))
        {
            file.Position = pages / 2 * 4096;
            file.Write(Enumerable.Repeat((byte)0xFF, 4096).ToArray());
        }

        return db;
    }

    /// <summary>The store of <see cref="CorruptedStore"/> before the damage.</summary>
    private string ValidStore(string name)
    {
        string db = _temp.File(name);
        using (var store = SqliteRunStore.Open(db))
        {
            long run = store.CreateRun(new NewRun("measure", T0));
            for (int d = 0; d < 4; d++)
            {
                // Power that jumps pseudo-randomly (i × 7919 mod 1000 tenths of a watt): hard to compress, so the chunks fill pages
                long gpu = store.RegisterDevice(run, new DeviceRegistration($"gpu:{d}", "gpu", "GPU", Provenance.Counter));
                store.AppendSamples(run, [.. Enumerable.Range(0, 50_000).Select(i => new SampleRecord(
                    gpu, T0.AddSeconds(i * 0.1), Power.FromWatts(200 + (i * 7919 % 1000 / 10.0)), Core.Units.Energy.FromJoules(20 * i), 50, 1024, 60, Provenance.Counter))]);
            }

            store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(2000), 0);
        }

        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(db + "-wal") && new FileInfo(db + "-wal").Length > 0, "the WAL should be checkpointed on close");
        return db;
    }

    [Theory]
    [InlineData("runs", "show", "1")]
    [InlineData("export", "1", "--format", "csv")]
    [InlineData("export", "1", "--format", "json")]
    public void A_Corrupted_Page_Is_One_Line_With_The_File_And_The_Fix_And_Exit_73(params string[] command)
    {
        string db = CorruptedStore();

        var (code, _, stderr) = CliHarness.Run([.. command, "--db", db]);

        Assert.Equal(73, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(db, line, StringComparison.Ordinal);
        Assert.Contains("damaged", line, StringComparison.Ordinal);
        Assert.Contains($"sqlite3 {db} .recover", line, StringComparison.Ordinal);
        Assert.Contains("backup", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Db_Check_Reports_The_Corruption_And_Exits_73()
    {
        string db = CorruptedStore();

        var (code, stdout, stderr) = CliHarness.Run("db", "check", "--db", db);

        Assert.Equal(73, code);
        Assert.Equal("", stdout);
        Assert.Contains(db, stderr, StringComparison.Ordinal);
        Assert.Contains("integrity check", stderr, StringComparison.Ordinal);
        Assert.Contains($"sqlite3 {db} .recover", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs", "list")]
    [InlineData("runs", "show", "1")]
    [InlineData("db", "check")]
    public void A_Store_Whose_Schema_Version_Says_1_But_Whose_Tables_Are_Missing_Is_A_Clear_Message_And_Exit_73(params string[] command)
    {
        // Given: an SQLite file with TrainWatt's schema_version table saying 1, and none of the tables of version 1
        string db = _temp.File("hollow.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
                INSERT INTO schema_version VALUES (1, 'runs, devices, samples, epochs, annotations', '2026-01-01T00:00:00Z');
                """;
            create.ExecuteNonQuery();
        }

        var (code, _, stderr) = CliHarness.Run([.. command, "--db", db]);

        Assert.Equal(73, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(db, line, StringComparison.Ordinal);
        Assert.Contains("schema version 1", line, StringComparison.Ordinal);
        Assert.Contains("runs", line, StringComparison.Ordinal); // a missing table is named
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs", "show", "1")]
    [InlineData("export", "1", "--format", "json")]
    [InlineData("db", "check")]
    public void A_Sample_Time_Outside_The_Years_1_To_9999_Is_One_Line_With_The_Table_And_The_Fix_And_Exit_73(params string[] command)
    {
        // Given: a valid store whose first sample chunk's first time was set to 2^63 - 1 µs (SQLite's integrity check
        // cannot see inside a chunk; in schema 3 a REAL t of 1e300 read back silently as 1969-12-31T23:59:59.999999Z)
        string db = ValidStore("far-future.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT id, data FROM sample_chunks ORDER BY id LIMIT 1";
            long id;
            byte[] data;
            using (var reader = read.ExecuteReader())
            {
                Assert.True(reader.Read());
                id = reader.GetInt64(0);
                data = reader.GetFieldValue<byte[]>(1);
            }

            // The chunk layout (SampleChunkCodec): a format byte, the first sample's shape (1 + 8 bits), its time (64 bits).
            for (int i = 0; i < 64; i++)
            {
                int bit = 8 + 9 + i;
                data[bit >> 3] = (byte)(i == 0 ? data[bit >> 3] & ~(0x80 >> (bit & 7)) : data[bit >> 3] | (0x80 >> (bit & 7)));
            }

            using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE sample_chunks SET data = $data WHERE id = $id";
            edit.Parameters.AddWithValue("$data", data);
            edit.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        var (code, stdout, stderr) = CliHarness.Run([.. command, "--db", db]);

        Assert.Equal(73, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: The store {db} holds a sample_chunks row TrainWatt cannot read (the time 9223372036854775807 µs since 1970-01-01 is not a date between the years 1 and 9999)", line, StringComparison.Ordinal);
        Assert.Contains($"sqlite3 {db} .recover", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Db_Check_Reports_A_Page_Copied_Over_An_Index_And_Exits_73()
    {
        // Given: page 47 (sample chunks) copied over page 4 (an index of the runs table), the damage of fuzz case 22 of
        // seed 13009, on whose store PRAGMA integrity_check stopped with SQLITE_CORRUPT and `db check` threw
        string db = ValidStore("page-copy.db");
        byte[] bytes = File.ReadAllBytes(db);
        bytes.AsSpan(46 * 4096, 4096).CopyTo(bytes.AsSpan(3 * 4096, 4096));
        File.WriteAllBytes(db, bytes);

        var (code, stdout, stderr) = CliHarness.Run("db", "check", "--db", db);

        Assert.Equal(73, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: The store {db} is damaged: it fails SQLite's integrity check (", line, StringComparison.Ordinal);
        Assert.Contains($"sqlite3 {db} .recover", line, StringComparison.Ordinal);
    }
}
