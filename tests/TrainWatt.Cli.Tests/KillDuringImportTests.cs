using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// Issue 2 acceptance: "the tool killed with SIGKILL during an import leaves a store that opens and passes an integrity
/// check"; issue 21: a run does not read as completed before its import finished. Runs the real CLI (trainwatt.dll) as a child process on a synthetic trace set large enough to take seconds,
/// kills it with SIGKILL as soon as the first runs are committed, then checks the store.
/// </summary>
public class KillDuringImportTests
{
    private const int Files = 60;
    private const int Rows = 10_000;

    [Fact]
    [Trait("Category", "Slow")]
    public void Should_Leave_An_Intact_Store_With_Only_Whole_Completed_Runs_When_Killed_Mid_Import()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGKILL semantics are tested on Unix (Process.Kill sends SIGKILL there).");

        // Given: 60 traces of 10,000 one-second rows each (about 48 MB); file i draws a constant 100 + i W. The last one
        // is a named pipe that nobody writes to yet: the import blocks on it, so however fast the machine (the whole set
        // takes about 2 s on two cores) and however late this test's polling thread runs, the kill cannot come after
        // the import has finished. The pipe becomes the real file before the import is run again.
        using var temp = new TempDirectory("trainwatt-kill");
        var files = new List<string>();
        string Trace(int i) => SyntheticTraces.NvidiaSmi(new DateTime(2024, 1, 1).AddDays(i), Rows, _ => 100 + i);
        for (int i = 0; i < Files; i++)
        {
            string file = temp.File($"gpu-{i:00}.csv");
            if (i < Files - 1)
            {
                File.WriteAllText(file, Trace(i));
            }
            else
            {
                MakeFifo(file);
            }

            files.Add(file);
        }

        string db = temp.File("store.db");

        // When: the real CLI imports them and is SIGKILLed once at least two runs are completed.
        using var child = StartCli(["import", "nvidia-smi", .. files, "--db", db]);
        int committed = WaitForCompletedRuns(db, child, minimum: 2, TimeSpan.FromSeconds(120));
        child.Kill(); // SIGKILL on Unix
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(30)), "the killed child did not exit");

        // Then: the store opens (migrations see a current schema) and passes integrity_check. Every completed run is
        // whole; the one run being written when the kill came (samples are stored in batches) reads as incomplete and
        // holds no source key, so it never passes for an imported file: no ghost completed run.
        int survivors;
        int left;
        using (var store = SqliteRunStore.Open(db))
        {
            Assert.Equal("ok", store.CheckIntegrity());
            var runs = store.ListRuns();
            var completed = runs.Where(r => r.Status == RunStatus.Completed).ToList();
            survivors = completed.Count;
            Assert.True(survivors >= committed, $"{survivors} completed runs after the kill, but {committed} were seen completed before it");
            Assert.True(survivors < Files, $"all {Files} runs were imported before the kill, so the kill did not interrupt the import");
            foreach (var run in completed)
            {
                var details = store.GetRun(run.Id)!;
                int i = files.IndexOf(details.Run.SourceKey!.Split('#')[0]["nvidia-smi:".Length..]);
                Assert.Equal(Rows, details.Run.SampleCount);
                // Hand derivation: constant (100 + i) W over Rows - 1 seconds.
                Assert.Equal((100.0 + i) * (Rows - 1), details.TotalEnergy!.Value.Joules, 6);
            }

            var interrupted = runs.Where(r => r.Status != RunStatus.Completed).ToList();
            Assert.True(interrupted.Count <= 1, $"{interrupted.Count} runs were left unfinished; one writer has at most one run in flight");
            Assert.All(interrupted, r => Assert.Equal((RunStatus.Incomplete, (string?)null), (r.Status, r.SourceKey)));
            Assert.All(interrupted, r => Assert.True(r.SampleCount < Rows, $"the interrupted run holds {r.SampleCount} samples"));
            left = interrupted.Count;
        }

        // And: importing again completes the set, skipping exactly the runs that were completed.
        File.Delete(files[^1]);
        File.WriteAllText(files[^1], Trace(Files - 1));
        var (code, stdout, _) = CliHarness.Run(["import", "nvidia-smi", .. files, "--db", db]);
        Assert.Equal(0, code);
        Assert.Contains($"Imported {Files - survivors} runs", stdout);
        Assert.Contains($"Skipped {survivors} runs already in the store", stdout);
        Assert.Equal(Files, CountRuns(db, "WHERE status = 'completed' AND source_key IS NOT NULL"));

        // And: the partial run the kill left is gone with it (one run per file, none incomplete), and the output says so.
        Assert.Equal(Files, CountRuns(db, ""));
        Assert.Equal(left == 1, stdout.Contains("Removed 1 incomplete runs an interrupted import of the same input had left.", StringComparison.Ordinal));
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        Assert.True(mkfifo.WaitForExit(TimeSpan.FromSeconds(30)) && mkfifo.ExitCode == 0, $"mkfifo {path} failed");
    }

    internal static Process StartCli(IEnumerable<string> args)
    {
        string dll = typeof(TrainWattApp).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int WaitForCompletedRuns(string db, Process child, int minimum, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            Assert.False(child.HasExited, $"the import exited (code {(child.HasExited ? child.ExitCode : 0)}) before it could be killed");
            int runs = File.Exists(db) ? TryCountRuns(db, "WHERE status = 'completed'") : 0;
            if (runs >= minimum)
            {
                return runs;
            }

            Thread.Sleep(10);
        }

        Assert.Fail($"no {minimum} runs were committed within {timeout.TotalSeconds} s");
        return 0;
    }

    private static int TryCountRuns(string db, string where)
    {
        try
        {
            return CountRuns(db, where);
        }
        catch (SqliteException)
        {
            return 0; // the schema is not created yet, or the file is being set up
        }
    }

    private static int CountRuns(string db, string where)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM runs " + where;
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
