using System.Diagnostics;
using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary>
/// <see cref="StepProgressParser"/> on lines as the frameworks print them (oracle: the numbers in the lines themselves;
/// the formats are Keras 2 and 3 <c>Progbar</c>, tqdm, Lightning's tqdm and rich bars, the Hugging Face Trainer's log).
/// </summary>
public class StepProgressParserTests
{
    [Theory]
    [InlineData(" 12/469 [>.............................] - ETA: 1:05 - loss: 2.2871 - accuracy: 0.1458", 12, 469)]
    [InlineData("469/469 [==============================] - 9s 18ms/step - loss: 0.3055", 469, 469)]
    [InlineData("\u001b[1m 45/100\u001b[0m \u001b[32m━━━━━━━━━\u001b[0m\u001b[37m━━━━━━━━━━━\u001b[0m \u001b[1m4s\u001b[0m 83ms/step - loss: 0.5", 45, 100)]
    [InlineData("##trainwatt step n=120 total=469", 120, 469)]
    public void Should_Read_Steps_Of_The_Epoch_In_Progress(string line, long step, long total)
    {
        var progress = new StepProgressParser().Scan(line);

        Assert.Equal(new StepProgress(step, total, ProgressScope.Epoch), progress);
    }

    [Fact]
    public void Should_Read_Lightning_Bars_With_Their_Zero_Based_Epoch()
    {
        var parser = new StepProgressParser();

        // tqdm bar "Epoch 2:" is the third epoch; the rich bar "Epoch 4/9" the fifth
        Assert.Equal(new StepProgress(45, 100, ProgressScope.Epoch, 3), parser.Scan("Epoch 2:  45%|████▌     | 45/100 [00:10<00:12,  4.50it/s, v_num=0, train_loss=0.512]"));
        Assert.Equal(new StepProgress(45, 100, ProgressScope.Epoch, 5), parser.Scan("Epoch 4/9  ━━━━━━━━━━━━━━━━━━━━ 45/100 0:00:10 • 0:00:12 4.50it/s v_num: 0"));
    }

    [Fact]
    public void Should_Ignore_Validation_Bars_And_Bars_Of_Another_Total()
    {
        var parser = new StepProgressParser();

        Assert.Null(parser.Scan("Validation DataLoader 0:  50%|█████     | 5/10 [00:00<00:00, 12.1it/s]"));
        Assert.Equal(new StepProgress(30, 469, ProgressScope.Epoch), parser.Scan(" 6%|▋         | 30/469 [00:01<00:22, 19.6it/s]"));
        Assert.Null(parser.Scan(" 50%|█████     | 40/79 [00:01<00:01, 33.0it/s]")); // the evaluation loop's bar
    }

    [Fact]
    public void Should_Count_The_Hugging_Face_Bar_As_The_Runs_Steps_Once_The_Total_Is_Planned()
    {
        var parser = new StepProgressParser();
        Assert.Null(parser.Scan("  Num Epochs = 3"));
        Assert.Null(parser.Scan("  Total optimization steps = 1,500"));

        var progress = parser.Scan(" 10%|█         | 150/1500 [00:30<04:30,  5.00it/s]");

        Assert.Equal(1500, parser.PlannedSteps);
        Assert.Equal(3, parser.PlannedEpochs);
        Assert.Equal(new StepProgress(150, 1500, ProgressScope.Run), progress);
    }

    [Theory]
    [InlineData("Epoch 3/40")]
    [InlineData("3/4 of the data loaded")]
    [InlineData("##trainwatt epoch-end n=3 total=40")]
    [InlineData("##trainwatt step n=5")]
    [InlineData("##trainwatt step n=50 total=40")]
    [InlineData("")]
    public void Should_Find_No_Progress_In_Other_Lines(string line)
        => Assert.Null(new StepProgressParser().Scan(line));

    [Fact]
    public void Should_Accept_The_Step_Marker_In_The_Epoch_Detector_Without_A_Note()
    {
        var detector = new EpochDetector();

        Assert.Empty(detector.Scan(TrainWattMarker.FormatStep(12, 469), endsLine: true));
        Assert.Equal("##trainwatt step n=12 total=469", TrainWattMarker.FormatStep(12, 469));
    }

    [Fact]
    public void Should_Run_Every_Pattern_In_Linear_Time_On_Megabyte_Lines()
    {
        string[] lines =
        [
            "0%|" + string.Concat(Enumerable.Repeat("| 1", 333_333)),
            string.Concat(Enumerable.Repeat("9%|", 333_333)),
            new string('1', 1_000_000) + "/",
            "Epoch 1/1 " + string.Concat(Enumerable.Repeat("x ", 500_000)),
            string.Concat(Enumerable.Repeat("Total optimization steps = 1", 35_000)),
        ];

        var clock = Stopwatch.StartNew();
        foreach (var pattern in StepProgressParser.Patterns)
        {
            foreach (string line in lines)
            {
                _ = pattern.Matches(line).Count;
            }
        }

        // A generous bound for a loaded machine: a backtracking blow-up takes minutes on these lines
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
