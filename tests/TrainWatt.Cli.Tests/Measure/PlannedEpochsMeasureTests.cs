using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// The Hugging Face Trainer's plan reaches the run (issue 14): a command that prints the Trainer's
/// <c>***** Running training *****</c> block (format strings of transformers' trainer.py, see
/// TrainWatt.Core.Tests/Epochs/PlannedEpochsTests) and its log dicts is measured with N from <c>Num Epochs</c>, and
/// <c>--total-epochs</c> still wins.
/// </summary>
public class PlannedEpochsMeasureTests
{
    private const string Trainer =
        "printf '***** Running training *****\\n  Num examples = 600\\n  Num Epochs = 3\\n  Instantaneous batch size per device = 8\\n" +
        "  Total train batch size (w. parallel, distributed & accumulation) = 8\\n  Gradient Accumulation steps = 1\\n  Total optimization steps = 225\\n'; " +
        "for e in 1.0 2.0 3.0; do sleep 0.2; echo \"{'loss': 0.5, 'learning_rate': 1e-05, 'epoch': $e}\"; done";

    [Fact]
    public void Should_Plan_The_Run_From_The_Trainers_Num_Epochs()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--", "bash", "-c", Trainer);
        Assert.True(code == 0, stderr);
        Assert.Contains("trainwatt: epochs (3 of 3 planned):", stderr, StringComparison.Ordinal);
        Assert.Contains("epochs: the Hugging Face Trainer plans 3 epochs (225 optimization steps, 600 examples, batch 8 per device, gradient accumulation 1)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Total_Epochs_Should_Still_Win()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = CliHarness.Run("measure", "--db", dir.File("runs.db"), "--meters", "process", "--total-epochs", "5", "--", "bash", "-c", Trainer);
        Assert.True(code == 0, stderr);
        Assert.Contains("trainwatt: epochs (3 of 5 planned):", stderr, StringComparison.Ordinal);
    }
}
