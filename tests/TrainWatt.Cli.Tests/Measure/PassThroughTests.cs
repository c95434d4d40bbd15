using System.Diagnostics;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 13: the measured command's output reaches ours byte for byte (M1), and a repeated epoch marker costs no epoch
/// and is never taken for a store outage (M3). The byte tests run the built <c>trainwatt</c> as a real process and
/// read its stdout and stderr as bytes: the in-process harness only sees text.
/// </summary>
[Collection(Distributed.ProcessHeavyCollection.Name)]
public class PassThroughTests
{
    [Fact]
    public async Task Should_Pass_Invalid_Utf8_Through_Unchanged()
    {
        // Given: printf of bytes that are not UTF-8 (TrainWatt used to write EF BF BD for each)
        using var dir = new TempDirectory();

        // When
        var (code, stdout, stderr) = await Measure(dir, "printf", "\\xff\\xfe\\x80abc\\xe9\\n");

        // Then
        Assert.True(code == 0, System.Text.Encoding.UTF8.GetString(stderr));
        Assert.Equal(Convert.FromHexString("FFFE80616263E90A"), stdout);
    }

    [Fact]
    public async Task Should_Pass_Five_Megabytes_Of_Random_Bytes_Through_Both_Streams_Unchanged()
    {
        // Given: 5 MB of random bytes (fixed seed), written by the command to its stdout and then to its stderr
        using var dir = new TempDirectory();
        string file = dir.File("random.bin");
        byte[] data = new byte[5 * 1024 * 1024];
        new Random(13).NextBytes(data);
        File.WriteAllBytes(file, data);

        // When
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await Measure(dir, "bash", "-c", "cat \"$0\"; cat \"$0\" >&2", file);
        TestContext.Current.TestOutputHelper?.WriteLine($"measure of 2 x 5 MB took {clock.Elapsed.TotalSeconds:F1} s");

        // Then: stdout is the file exactly; stderr holds it exactly, between TrainWatt's own lines
        Assert.Equal(0, code);
        Assert.Equal(data.Length, stdout.Length);
        Assert.True(data.AsSpan().SequenceEqual(stdout), "stdout differs from the command's bytes");
        int at = stderr.AsSpan().IndexOf(data);
        Assert.True(at >= 0, $"stderr ({stderr.Length} bytes) does not hold the command's bytes unchanged");
        string around = System.Text.Encoding.UTF8.GetString(stderr[..at]) + System.Text.Encoding.UTF8.GetString(stderr[(at + data.Length)..]);
        Assert.All(around.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("trainwatt: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Store_Eleven_Epochs_And_Report_No_Outage_When_A_Start_Marker_Is_Repeated()
    {
        // Given: issue 13 M3, a repeated "epoch-start n=1" (1 epoch was stored instead of 11, and the UNIQUE violation
        // was reported as "the store stopped answering")
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        const string script = "echo '##trainwatt epoch-start n=1'; for i in $(seq 11); do echo \"##trainwatt epoch-start n=$i\"; echo '##trainwatt epoch-end'; done";

        // When
        var (code, _, stderr) = CliHarness.Run("measure", "--db", db, "--meters", "process", "--", "bash", "-c", script);

        // Then
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("stopped answering", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", stderr, StringComparison.Ordinal);
        using var store = SqliteRunStore.Open(db);
        var run = Assert.Single(store.ListRuns());
        Assert.Equal(Enumerable.Range(1, 11), store.GetRun(run.Id)!.Epochs.Select(e => e.Number));
    }

    /// <summary>Runs <c>trainwatt measure</c> (process meters, a store in <paramref name="dir"/>) and reads its output as bytes.</summary>
    private static async Task<(int Code, byte[] Stdout, byte[] Stderr)> Measure(TempDirectory dir, params string[] command)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] args = ["measure", "--db", dir.File("runs.db"), "--meters", "process", "--progress", "quiet", "--", .. command];
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainwatt.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["XDG_DATA_HOME"] = dir.File("data");
        using var process = Process.Start(info)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            using var stdout = new MemoryStream();
            using var stderr = new MemoryStream();
            await Task.WhenAll(
                process.StandardOutput.BaseStream.CopyToAsync(stdout, cts.Token),
                process.StandardError.BaseStream.CopyToAsync(stderr, cts.Token),
                process.WaitForExitAsync(cts.Token));
            return (process.ExitCode, stdout.ToArray(), stderr.ToArray());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
