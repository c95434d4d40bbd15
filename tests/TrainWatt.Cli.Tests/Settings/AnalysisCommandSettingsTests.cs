using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// The thin-CLI contract, in-process: a command's settings report every problem at once (exit 64, one error: line
/// each, nothing on stdout, nothing run), and a library's exception reaches the Failures map as one line with its
/// exit code and no stack trace.
/// </summary>
public sealed class AnalysisCommandSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertProblems(int expected, (int ExitCode, string Out, string Err) result, params string[] mentions)
    {
        Assert.Equal(64, result.ExitCode);
        Assert.Empty(result.Out);
        var lines = Lines(result.Err);
        Assert.Equal(expected, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        foreach (string mention in mentions)
        {
            Assert.Contains(mention, result.Err, StringComparison.Ordinal);
        }
    }

    private static void AssertOneLineFailure(int code, (int ExitCode, string Out, string Err) result, string mention)
    {
        Assert.Equal(code, result.ExitCode);
        Assert.Empty(result.Out);
        var line = Assert.Single(Lines(result.Err));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(mention, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Project_Reports_Every_Problem_Before_Reading_Any_File()
    {
        // The trace and epoch log do not exist: validation comes first, so the answer is the usage errors, not exit 66.
        var result = CliHarness.Run("project", "--trace", _temp.File("nope.csv"), "--epochs", _temp.File("nope-epochs.csv"),
            "--confidence", "1.5", "--after-epoch", "-1", "--min-stable-epochs", "2", "--method", "carbontracker", "--parity", "seaa2023");
        AssertProblems(4, result, "--confidence 1.5", "--after-epoch -1 must be at least 0", "--min-stable-epochs 2", "--parity seaa2023 applies to --method step");
    }

    [Fact]
    public void Simulate_Reports_Count_And_Rate_Together_And_Writes_Nothing()
    {
        string folder = _temp.File("sim");
        AssertProblems(2, CliHarness.Run("simulate", "--out", folder, "--count", "0", "--hz", "-1"), "--count must be from 1 to 10,000", "got 0", "--hz must be a sampling rate from 0.1 to 1000 Hz", "got -1");
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Estimate_Lists_Each_Missing_Option_And_Each_Bad_Number()
    {
        var result = CliHarness.Run(new Dictionary<string, string?> { ["HOME"] = _temp.Path }, "estimate", "--gflops", "-2", "--arch", "vgg16", "--batch-size", "0", "--pue", "0.8");
        // gpu, input, train, val, epochs missing; two model sources; --gflops, --batch-size and --pue out of range.
        AssertProblems(9, result, "Missing --gpu", "Missing --epochs", "exactly one of --arch", "--gflops must be a number > 0", "got -2", "--batch-size must be a number > 0", "--pue must be a finite ratio >= 1.0", "got 0.8");
    }

    [Fact]
    public void Flops_And_Evaluate_Step_And_Report_Report_Several_Problems()
    {
        AssertProblems(3, CliHarness.Run("flops", "--arch", "resnet51", "--batch", "0", "--samples", "-1"), "--arch 'resnet51' is not in the catalog", "--batch must be a positive integer, got 0", "--samples must be 0 or more");
        AssertProblems(2, CliHarness.Run("evaluate", "step", "--seaa2023", _temp.File("nowhere"), "--min-stable-epochs", "2", "--min-epochs-before-projection", "0"), "--min-stable-epochs must be at least 3", "--min-epochs-before-projection must be at least 1");
        AssertProblems(2, CliHarness.Run("report", "--runs", "all", "--out", _temp.File("out")), "--runs is for analyze and recommend", "exactly one of RUN_ID");
        AssertProblems(3, CliHarness.Run("recommend", "--metric", "energy", "--cost", "f1"), "Give the runs to analyse", "--metric must be a quality score", "--cost must be energy-per-sample");
    }

    [Fact]
    public void A_Value_That_Does_Not_Parse_Names_The_Option_The_Choices_And_The_Full_Command()
    {
        var (code, stdout, stderr) = CliHarness.Run("evaluate", "pre", "--dataset", _temp.File("x.csv"), "--target", "watts", "--protocol", "loo");
        Assert.Equal(64, code);
        Assert.Empty(stdout);
        Assert.Contains("--target 'watts' is not one of the choices; use power, epoch-energy or epoch-duration.", stderr, StringComparison.Ordinal);
        Assert.Contains("--protocol 'loo' is not one of the choices; use grouped-kfold, leave-architecture-out, leave-gpu-out, leave-image-size-out, leave-batch-out, paper-split or kfold.", stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'trainwatt evaluate pre --help' for usage.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Choice_Aliases_Still_Parse()
    {
        // Spellings the string options accepted before they became enums.
        string csv = _temp.File("missing.csv");
        Assert.Equal(66, CliHarness.Run("evaluate", "pre", "--dataset", csv, "--target", "ENERGY", "--protocol", "logo").ExitCode);
        Assert.Equal(0, CliHarness.Run("flops", "--arch", "resnet18", "--variant", "pytorch", "--convention", "tf", "--json").ExitCode);
    }

    [Fact]
    public void Estimate_Of_A_Run_Not_In_The_Store_Is_One_Line_Exit_66()
        => AssertOneLineFailure(66, CliHarness.Run(new Dictionary<string, string?> { ["HOME"] = _temp.Path }, "estimate", "--run", "99", "--db", _temp.File("empty.db")), "no run 99 in the store");

    [Fact]
    public void Fit_On_A_Malformed_Dataset_Is_One_Line_Exit_65()
    {
        string csv = _temp.File("bad.csv");
        File.WriteAllText(csv, "batch_size,ram_gb,training_size,validation_size,gflops,image_height,image_width,gpu,avg_gpu_power_w,avg_epoch_energy_kj\n32,16,100,50,1.5,128,128,RTX 3090,abc,1.0\n");
        AssertOneLineFailure(65, CliHarness.Run(new Dictionary<string, string?> { ["HOME"] = _temp.Path }, "fit", "--no-store", "--dataset", csv, "--models-dir", _temp.File("models")), "bad.csv:2");
    }

    [Fact]
    public void Project_Of_A_Missing_Trace_Is_One_Line_Exit_66()
    {
        string epochs = _temp.File("epochs.csv");
        File.WriteAllText(epochs, "epoch,end_time\n0,2026-03-02T09:00:10\n");
        AssertOneLineFailure(66, CliHarness.Run("project", "--trace", _temp.File("gone.csv"), "--epochs", epochs), "gone.csv");
    }

    [Fact]
    public void Analyze_By_A_Key_The_Runs_Lack_Is_One_Line_Exit_64()
    {
        File.WriteAllLines(_temp.File("runs.csv"),
        [
            "training environment,architecture,run,training duration (h),gpu model,energy (MJ),total seen images,f1-score",
            "Cloud,a,0,1,G,1,1000000,0.9", "Cloud,a,1,1,G,2,1000000,0.9", "Cloud,b,0,1,G,4,1000000,0.8", "Cloud,b,1,1,G,5,1000000,0.8",
        ]);
        AssertOneLineFailure(64, CliHarness.Run("analyze", "--seaa2023", _temp.Path, "--by", "colour"), "--by key \"colour\" is not a key of these runs");
    }

    [Fact]
    public void Simulate_Into_A_Path_Under_A_File_Is_One_Line_Exit_73()
    {
        File.WriteAllText(_temp.File("file"), "");
        AssertOneLineFailure(73, CliHarness.Run("simulate", "--out", Path.Combine(_temp.File("file"), "sub")), "cannot write into");
    }

    [Fact]
    public void Report_Of_A_Stored_Run_That_Is_Missing_Is_One_Line_Exit_65()
    {
        string db = _temp.File("runs.db");
        using (var store = SqliteRunStore.Open(db))
        {
            long run = store.CreateRun(new TrainWatt.Storage.NewRun("measure", DateTimeOffset.UnixEpoch));
            store.FinishRun(run, TrainWatt.Storage.RunStatus.Completed, DateTimeOffset.UnixEpoch.AddSeconds(1), 0);
        }

        AssertOneLineFailure(65, CliHarness.Run("report", (7).ToString(CultureInfo.InvariantCulture), "--db", db, "--out", _temp.File("out")), "Run 7 is not in the store");
    }
}
