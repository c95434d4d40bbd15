using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Import;

/// <summary>Tests that must not share the process or the cores with parallel tests: they measure memory, or run an import for seconds.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StreamingImportCollection
{
    public const string Name = "streaming import";
}

/// <summary>
/// Issues 13 and 21: <c>import</c> and <c>project</c> stream. A long trace is imported, or projected from, in memory that
/// does not grow with its length, with the energy <c>trainwatt energy</c> reports; and a store being imported into stays
/// usable by <c>measure</c> and <c>runs list</c>, the import's run reading as running until it completes.
/// </summary>
[Collection(StreamingImportCollection.Name)]
public sealed class StreamingImportTests : IDisposable
{
    private static readonly DateTime Start = new(2024, 1, 1);
    private readonly TempDirectory _temp = new("trainwatt-stream");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Should_Import_A_Long_Trace_In_Bounded_Memory_With_The_Energy_Trainwatt_Energy_Reports()
    {
        // Given: 300,000 one-second rows alternating 100 W and 150 W (11 MB). Held in lists, as before streaming, its
        // samples alone keep about 60 MB alive (300,000 x (96 B parsed + 120 B stored record)) until the write ends.
        const int Rows = 300_000;
        string trace = WriteAlternatingTrace(Rows);
        string db = _temp.File("store.db");

        // When: imported while another thread keeps measuring the live managed heap (after a full collection)
        var (import, growth, measurements) = HeapGrowthDuring(() => CliHarness.Run("import", "nvidia-smi", trace, "--db", db, "--json"));

        // Then: the whole trace is stored, and the heap never held more than a bound that does not depend on the
        // number of lines (the parse queue and one write batch: a few MB; 24 MiB leaves room for the runtime's own)
        Assert.Equal((0, ""), (import.ExitCode, import.Err));
        using (var report = JsonDocument.Parse(import.Out))
        {
            Assert.Equal(Rows, report.RootElement.GetProperty("imported")[0].GetProperty("samples").GetInt64());
        }

        Assert.True(measurements >= 2, $"the heap was measured {measurements} time(s)");
        Assert.True(growth < 24L * 1024 * 1024, $"the managed heap grew by {growth / (1024.0 * 1024):F1} MiB during the import of {Rows} lines ({measurements} measurements)");

        // And: the stored energy is trainwatt energy's on the same file, and the hand derivation: every 1 s interval
        // is (100 + 150) / 2 W, so 125 J x (Rows - 1).
        var energy = CliHarness.Run("energy", trace, "--json");
        var show = CliHarness.Run("runs", "show", "1", "--db", db, "--json");
        Assert.Equal(0, energy.ExitCode);
        Assert.Equal(0, show.ExitCode);
        using var energyJson = JsonDocument.Parse(energy.Out);
        using var showJson = JsonDocument.Parse(show.Out);
        double fromEnergy = Assert.Single(energyJson.RootElement.EnumerateArray()).GetProperty("energy_j").GetDouble();
        double stored = showJson.RootElement.GetProperty("energy_j").GetDouble();
        Assert.Equal(125.0 * (Rows - 1), fromEnergy, 6);
        Assert.Equal(fromEnergy, stored, 6);
        Assert.Equal("completed", showJson.RootElement.GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public void Should_Project_From_A_Long_Trace_In_Bounded_Memory_With_Epoch_Energies_By_Hand()
    {
        // Given: the same 300,000 rows (read whole, as before streaming, they alone keep about 30 MB alive) and an
        // epoch log of 10 epochs of 30,000 s each (rows 30,000 k .. 30,000 (k + 1) fall in epoch k)
        const int Rows = 300_000;
        string trace = WriteAlternatingTrace(Rows);
        string epochs = _temp.File("epochs.csv");
        File.WriteAllText(epochs, "epoch,end_time\n" + string.Concat(Enumerable.Range(0, 10).Select(k =>
            string.Create(CultureInfo.InvariantCulture, $"{k},{Start.AddSeconds(30_000.0 * (k + 1) - 0.5):yyyy-MM-ddTHH:mm:ss.fff}\n"))));

        // When
        var (project, growth, measurements) = HeapGrowthDuring(() => CliHarness.Run("project", "--trace", trace, "--epochs", epochs, "--json"));

        // Then: by hand, every 1 s interval is 125 J: epoch 0 spans rows 0..29,999 (29,999 intervals), every later epoch
        // 30,000 intervals (the carried last point of the previous epoch starts it); the last ends 0.5 s after row
        // 299,999, so the total is all 299,999 intervals: 37,499,875 J measured.
        Assert.True(project.ExitCode == 0, project.Err);
        Assert.True(growth < 24L * 1024 * 1024, $"the managed heap grew by {growth / (1024.0 * 1024):F1} MiB projecting from {Rows} lines ({measurements} measurements)");
        using var json = JsonDocument.Parse(project.Out);
        Assert.Equal(125.0 * (Rows - 1), json.RootElement.GetProperty("measured_energy_j").GetDouble(), 6);
        Assert.Equal(10, json.RootElement.GetProperty("epochs_used").GetInt32());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Should_Let_Measure_And_Runs_List_Use_The_Store_While_An_Import_Is_Writing_To_It()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "named pipes (mkfifo) are used to keep the import running.");

        // Given: the real CLI importing a named pipe that this test keeps feeding constant 100 W rows as fast as the
        // import takes them, so the import is writing to the store for as long as the test needs it to
        string fifo = _temp.File("gpu.csv");
        string db = _temp.File("same.db");
        KillDuringImportTests.MakeFifo(fifo);
        using var child = KillDuringImportTests.StartCli(["import", "nvidia-smi", fifo, "--db", db]);
        using var feeding = new CancellationTokenSource();
        long written = 0;
        var feeder = Task.Run(() =>
        {
            using var writer = new StreamWriter(fifo, append: false, new UTF8Encoding(false));
            writer.Write(SyntheticTraces.NvidiaSmiHeader + "\n");
            while (!feeding.IsCancellationRequested)
            {
                writer.Write(SyntheticTraces.NvidiaSmiRow(Start.AddSeconds(written), 0, "NVIDIA Test GPU", 50, 1000, 100, 40) + "\n");
                written++;
            }
        }, TestContext.Current.CancellationToken);

        (int ExitCode, string Out, string Err) measure, list;
        bool importStillRunning;
        try
        {
            // And: its run visible as running, without a source key, with samples already stored. (Before streaming, no
            // run could be seen until the whole input was read and written in one transaction.)
            var running = WaitFor(db, child, r => r.Status == "running" && r.Samples >= 20_000, TimeSpan.FromSeconds(120));
            Assert.Null(running.SourceKey);

            // When: a measure and a runs list on the same store, while the import goes on
            measure = CliHarness.Run("measure", "--db", db, "--meters", "process", "--", "true");
            list = CliHarness.Run("runs", "list", "--db", db, "--json");
            importStillRunning = !child.HasExited;
        }
        finally
        {
            await feeding.CancelAsync();
            if (!child.WaitForExit(TimeSpan.FromSeconds(300)))
            {
                child.Kill(); // a hung import must not outlive the test
            }
        }

        if (await Task.WhenAny(feeder, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)) != feeder)
        {
            // The import died before opening the pipe: open it here so the feeder's open returns and it can stop.
            using var unblock = new FileStream(fifo, FileMode.Open, FileAccess.Read);
        }

        await feeder;
        Assert.True(child.HasExited, "the import did not end after its input did");

        // Then: both worked while the import was running
        Assert.True(importStillRunning, "the import ended before measure and runs list were done, so they did not overlap it");
        Assert.True(measure.ExitCode == 0, $"measure exited {measure.ExitCode}: {measure.Err}");
        Assert.True(list.ExitCode == 0, $"runs list exited {list.ExitCode}: {list.Err}");
        using (var runs = JsonDocument.Parse(list.Out))
        {
            var statuses = runs.RootElement.EnumerateArray().Select(r => (r.GetProperty("source").GetString(), r.GetProperty("status").GetString())).ToList();
            Assert.Contains(("import:nvidia-smi", "running"), statuses);
            Assert.Contains(("measure", "completed"), statuses);
        }

        // And: the import completed with every row fed, under its source key; hand derivation: 100 W for written - 1 s
        Assert.Equal(0, child.ExitCode);
        var imported = ImportRun(db)!.Value;
        Assert.Equal(("completed", written), (imported.Status, imported.Samples));
        Assert.EndsWith("gpu.csv#0", imported.SourceKey);
        var show = CliHarness.Run("runs", "show", imported.Id.ToString(CultureInfo.InvariantCulture), "--db", db, "--json");
        using var details = JsonDocument.Parse(show.Out);
        Assert.Equal(100.0 * (written - 1), details.RootElement.GetProperty("energy_j").GetDouble(), 6);
    }

    /// <summary>Rows one second apart from <see cref="Start"/>, alternating 100 W and 150 W, written line by line.</summary>
    private string WriteAlternatingTrace(int rows)
    {
        string trace = _temp.File("gpu.csv");
        using var writer = new StreamWriter(trace, append: false, new UTF8Encoding(false));
        writer.Write(SyntheticTraces.NvidiaSmiHeader + "\n");
        for (int k = 0; k < rows; k++)
        {
            writer.Write(SyntheticTraces.NvidiaSmiRow(Start.AddSeconds(k), 0, "NVIDIA Test GPU", k % 100, 1000, k % 2 == 0 ? 100 : 150, 40) + "\n");
        }

        return trace;
    }

    /// <summary>
    /// Runs <paramref name="action"/> while another thread measures the live managed heap (after a full collection) every
    /// 20 ms; returns its result, the largest growth over the heap before it, and how many measurements were taken.
    /// </summary>
    private static (T Result, long Growth, int Measurements) HeapGrowthDuring<T>(Func<T> action)
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        int measurements = 0;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                measurements++;
            }
            while (!done.Wait(20));
        }) { IsBackground = true };
        sampler.Start();
        T result = action();
        done.Set();
        sampler.Join();
        return (result, peak - baseline, measurements);
    }

    private static ImportRunRow WaitFor(string db, System.Diagnostics.Process child, Func<ImportRunRow, bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            Assert.False(child.HasExited, $"the import exited (code {(child.HasExited ? child.ExitCode : 0)}) while its input was still open");
            if (File.Exists(db) && TryImportRun(db) is { } run && condition(run))
            {
                return run;
            }

            Thread.Sleep(20);
        }

        Assert.Fail($"the import's run did not show up as running with stored samples within {timeout.TotalSeconds} s");
        return default;
    }

    private static ImportRunRow? TryImportRun(string db)
    {
        try
        {
            return ImportRun(db);
        }
        catch (SqliteException)
        {
            return null; // the schema is not created yet
        }
    }

    private static ImportRunRow? ImportRun(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.id, r.status, r.source_key, (SELECT COALESCE(SUM(c.n), 0) FROM sample_chunks c JOIN devices d ON d.id = c.device_id WHERE d.run_id = r.id)
            FROM runs r WHERE r.source = 'import:nvidia-smi'
            """;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ImportRunRow(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3)) : null;
    }

    private readonly record struct ImportRunRow(long Id, string Status, string? SourceKey, long Samples);
}
