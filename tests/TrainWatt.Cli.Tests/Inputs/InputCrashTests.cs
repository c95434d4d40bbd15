using System.Diagnostics;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>
/// Issue 13, "crashes with a stack trace": each input that once crashed gives one clear <c>error:</c> line naming the
/// file, line or option and the fix, a documented exit code, and no stack trace.
/// </summary>
public sealed class InputCrashTests
{
    private static string SampleTrace => Path.Combine(SharedData.RepositoryRoot, "samples", "traces", "gpu-power-sample.csv.gz");

    /// <summary>One line on stderr, no stack frame, no "internal error".</summary>
    internal static void AssertOneClearLine(string stderr)
    {
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Project_with_dev_zero_as_epoch_log_is_a_data_error_in_bounded_time()
    {
        Assert.SkipUnless(File.Exists("/dev/zero"), "needs /dev/zero");
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = CliHarness.Run("project", "--trace", SampleTrace, "--epochs", "/dev/zero");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(65, code);
        Assert.StartsWith("error: /dev/zero:1: a record longer than 1,048,576 characters", stderr, StringComparison.Ordinal);
        AssertOneClearLine(stderr);
    }

    [Fact]
    public void Project_with_a_50_MB_epoch_log_without_newline_is_a_data_error_in_bounded_time_and_memory()
    {
        using var dir = new TempDirectory();
        string epochs = dir.File("epochs.csv");
        using (var file = File.Create(epochs))
        {
            var chunk = new byte[1 << 20];
            chunk.AsSpan().Fill((byte)'a');
            for (int i = 0; i < 50; i++)
            {
                file.Write(chunk);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = CliHarness.Run("project", "--trace", SampleTrace, "--epochs", epochs);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        // Streamed with a 1 MiB record bound: far less than the file's 50 MB (and its 100 MB as UTF-16) is allocated.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 40_000_000, "the epoch log was read whole");
        Assert.Equal(65, code);
        Assert.StartsWith($"error: {epochs}:1: a record longer than 1,048,576 characters", stderr, StringComparison.Ordinal);
        AssertOneClearLine(stderr);
    }

    [Fact]
    public void Flops_with_a_negative_sample_count_is_a_usage_error()
    {
        var (code, _, stderr) = CliHarness.Run("flops", "--arch", "vgg16", "--samples", "-1");
        Assert.Equal(64, code);
        Assert.Equal("error: --samples must be 0 or more training samples per epoch, got -1.\n", stderr);
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("recommend")]
    public void A_duplicate_runs_csv_column_is_a_data_error_naming_the_column(string command)
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("runs.csv"),
        [
            "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score,f1-score",
            "Cloud,a,0,1,G,1,1000000,0.9,0.9",
        ]);
        var (code, _, stderr) = CliHarness.Run(command, "--seaa2023", dir.Path, "--by", "architecture");
        Assert.Equal(65, code);
        Assert.Contains("runs.csv:1: column 'f1-score' appears twice (columns 8 and 9); rename one.", stderr, StringComparison.Ordinal);
        AssertOneClearLine(stderr);
    }

    [Fact]
    public void Energy_with_an_idle_power_beyond_any_gpu_is_a_usage_error_not_an_overflow()
    {
        // 1e308 W x the trace's duration overflows to an infinite idle energy (was an AggregateException, exit 70).
        var (code, stdout, stderr) = CliHarness.Run("energy", SampleTrace, "--idle", "1e308W");
        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("--idle: '1e308W' is not an idle power from 0 to 100,000 W", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
