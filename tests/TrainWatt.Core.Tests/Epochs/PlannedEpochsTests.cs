using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary>
/// The planned number of epochs, read from what the frameworks print (issue 14, "Planned epochs from the log"). No
/// transcript here was captured from a running library (transformers and lightning are not installable on the build
/// machines); each line is the library's own format string applied by hand, and the source is cited:
/// <list type="bullet">
/// <item>Hugging Face: transformers, src/transformers/trainer.py (commit 000945a9b726d87a93e61e873b88ff8f3cd411b5),
/// <c>_inner_training_loop</c>: <c>logger.info("***** Running training *****")</c>, <c>f"  Num examples = {num_examples:,}"</c>,
/// <c>f"  Num Epochs = {num_train_epochs:,}"</c>, <c>f"  Instantaneous batch size per device = {...:,}"</c>,
/// <c>f"  Total train batch size (w. parallel, distributed &amp; accumulation) = {total_train_batch_size:,}"</c>,
/// <c>f"  Gradient Accumulation steps = {args.gradient_accumulation_steps}"</c>, <c>f"  Total optimization steps = {max_steps:,}"</c>,
/// <c>f"  Number of trainable parameters = {...:,}"</c>. Its logger's default handler (src/transformers/utils/logging.py)
/// has no formatter, so the lines appear as the message alone; <c>enable_explicit_format()</c> prefixes
/// <c>"[%(levelname)s|%(filename)s:%(lineno)s] %(asctime)s &gt;&gt; "</c>. For an iterable dataset without a length,
/// <c>num_train_epochs = sys.maxsize</c>.</item>
/// <item>Lightning: src/lightning/pytorch/loops/utilities.py <c>_parse_loop_limits</c>: <c>"`max_epochs` was not set. Setting it
/// to 1000 epochs. To train without an epoch limit, set `max_epochs=-1`."</c> (through <c>warnings</c>: "FILE:LINE: MESSAGE");
/// src/lightning/pytorch/loops/fit_loop.py <c>done</c>: <c>f"`Trainer.fit` stopped: `max_epochs={self.max_epochs!r}` reached."</c>;
/// src/lightning/pytorch/callbacks/progress/rich_progress.py <c>_get_train_description</c>: <c>f"Epoch {current_epoch}"</c> +
/// <c>f"/{self.trainer.max_epochs - 1}"</c> (so <c>max_epochs=-1</c> shows <c>/-2</c>); the default tqdm bar
/// (tqdm_progress.py) sets only <c>f"Epoch {trainer.current_epoch}"</c>.</item>
/// </list>
/// </summary>
public class PlannedEpochsTests
{
    private static (EpochDetector Detector, List<DetectorEvent> Events) Run(string transcript, EpochFramework framework = EpochFramework.Auto)
    {
        var detector = new EpochDetector(framework);
        var events = new List<DetectorEvent>();
        var splitter = new OutputLineSplitter();
        splitter.Append(transcript, (s, e) => events.AddRange(detector.Scan(s, e)));
        splitter.Complete((s, e) => events.AddRange(detector.Scan(s, e)));
        events.AddRange(detector.Complete());
        return (detector, events);
    }

    private static string HuggingFaceBlock(string epochs, string steps, string prefix = "") =>
        $"{prefix}***** Running training *****\n" +
        $"{prefix}  Num examples = 60,000\n" +
        $"{prefix}  Num Epochs = {epochs}\n" +
        $"{prefix}  Instantaneous batch size per device = 16\n" +
        $"{prefix}  Total train batch size (w. parallel, distributed & accumulation) = 32\n" +
        $"{prefix}  Gradient Accumulation steps = 2\n" +
        $"{prefix}  Total optimization steps = {steps}\n" +
        $"{prefix}  Number of trainable parameters = 66,955,010\n";

    [Fact]
    public void Should_Take_The_Hugging_Face_Num_Epochs_As_The_Planned_Total_Before_The_First_Epoch_Ends()
    {
        // Given: 60,000 examples / 32 per optimization step = 1,875 steps per epoch; 3 epochs = 5,625 steps (hand)
        string transcript = HuggingFaceBlock("3", "5,625") +
            "  0%|          | 0/5625 [00:00<?, ?it/s]\n" +
            "{'loss': 0.41, 'grad_norm': 3.1, 'learning_rate': 3.3e-05, 'epoch': 1.0}\n" +
            "{'loss': 0.22, 'grad_norm': 2.0, 'learning_rate': 1.7e-05, 'epoch': 2.0}\n" +
            "{'train_runtime': 91.2, 'train_loss': 0.25, 'epoch': 3.0}\n";

        // When
        var (detector, events) = Run(transcript);

        // Then: every epoch carries N = 3 (the tentative start too: the block came before the bar), and the plan is read
        Assert.Equal(new TrainingPlan(60_000, 3, 16, 32, 2, 5_625), detector.Plan);
        Assert.Equal(3, detector.Total);
        Assert.Equal<DetectorEvent>(
            [new EpochStarted(1, 3) { Tentative = true }, new EpochEnded(1, 3, null), new EpochEnded(2, 3, null), new EpochEnded(3, 3, null)],
            events.Where(e => e is EpochStarted or EpochEnded));
        var note = Assert.Single(events.OfType<DetectorNote>(), n => n.Message.Contains("plans 3 epochs", StringComparison.Ordinal));
        Assert.Contains("5,625 optimization steps, 60,000 examples, batch 16 per device, gradient accumulation 2", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Read_The_Block_Behind_The_Explicit_Log_Format_And_Thousands_Separators()
    {
        // Given: enable_explicit_format()'s prefix and a four-digit epoch count ({:,} writes 1,000)
        var (detector, _) = Run(HuggingFaceBlock("1,000", "1,875,000", "[INFO|trainer.py:2414] 2025-01-07 10:00:00,123 >> "));

        // Then
        Assert.Equal(1000, detector.Total);
        Assert.Equal(1_875_000, detector.Plan!.OptimizationSteps);
    }

    [Fact]
    public void Should_Not_Count_The_Last_Epoch_When_Max_Steps_Cuts_It_Short()
    {
        // Given: max_steps = 4,000 with 1,875 steps per epoch: Num Epochs = 4000 // 1875 + 1 = 3 (the Trainer's own
        // rule); 4,000 is not a multiple of 3, so not all 3 epochs are full: epochs 1-2 are, epoch 3 runs 250 steps
        // and its 'epoch' value stops at 2.13, so the detector records 2 epochs (hand: 2 × 1,875 = 3,750 < 4,000).
        string transcript = HuggingFaceBlock("3", "4,000") +
            "{'loss': 0.41, 'epoch': 1.0}\n{'loss': 0.22, 'epoch': 2.0}\n{'train_runtime': 70.0, 'epoch': 2.1333}\n";

        // When
        var (detector, events) = Run(transcript);

        // Then
        Assert.Equal(2, detector.Total);
        Assert.Equal(2, detector.EpochsEnded);
        Assert.Contains(events.OfType<DetectorNote>(), n => n.Message.Contains("not a multiple of 3", StringComparison.Ordinal) && n.Message.Contains("N = 2 full epochs", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Announce_No_Total_For_An_Iterable_Dataset_Without_A_Length()
    {
        // Given: num_train_epochs = sys.maxsize, formatted with {:,}
        var (detector, events) = Run(HuggingFaceBlock("9,223,372,036,854,775,807", "500"));

        // Then: no total (it is not an epoch count), and a note says so
        Assert.Null(detector.Total);
        Assert.Contains(events.OfType<DetectorNote>(), n => n.Message.Contains("is no planned epoch count", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Ignore_Plan_Lines_Outside_A_Running_Training_Block_And_Under_Another_Convention()
    {
        // Given: "Num Epochs = 7" with no header; then a Keras run whose header says 5
        var (loose, _) = Run("  Num Epochs = 7\n");
        var (keras, _) = Run("Epoch 1/5\n***** Running training *****\n  Num Epochs = 7\n4/4 [====] - 1s - loss: 0.9\n");

        // Then
        Assert.Null(loose.Total);
        Assert.Equal(5, keras.Total);
    }

    [Fact]
    public void Should_Take_Lightnings_Default_Max_Epochs_Warning_As_The_Total()
    {
        // Given: the warning, then the tqdm bar (no total in it)
        const string transcript =
            "/usr/lib/python3/dist-packages/lightning/pytorch/loops/utilities.py:72: `max_epochs` was not set. Setting it to 1000 epochs. To train without an epoch limit, set `max_epochs=-1`.\n" +
            "\rEpoch 0: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0]" +
            "\rEpoch 1: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0]\n";

        // When
        var (detector, events) = Run(transcript);

        // Then
        Assert.Equal(EpochFramework.Lightning, detector.Detected);
        Assert.Equal(1000, detector.Total);
        Assert.Equal(new EpochEnded(1, 1000, null), events.OfType<EpochEnded>().First());
    }

    [Fact]
    public void Should_Take_The_Total_From_Lightnings_Stop_Line()
    {
        // Given: the tqdm bar (no total) and the stop line
        const string transcript =
            "\rEpoch 0: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0]" +
            "\rEpoch 1: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0]\n" +
            "`Trainer.fit` stopped: `max_epochs=2` reached.\n";

        // When
        var (detector, events) = Run(transcript);

        // Then: the last epoch ends at the stop line and carries the total
        Assert.Equal(2, detector.Total);
        Assert.Equal(new EpochEnded(2, 2, null), events.OfType<EpochEnded>().Last());
    }

    [Fact]
    public void Should_Follow_A_Rich_Bar_Without_An_Epoch_Limit()
    {
        // Given: max_epochs=-1 shows "Epoch e/-2" (max_epochs - 1); this was not recognised as Lightning at all
        var (detector, events) = Run("Epoch 0/-2 ━━━━━━━━ 3/3 0:00:01 • 0:00:00 3.1it/s v_num: 0\nEpoch 1/-2 ━━━━━━━━ 3/3 0:00:01 • 0:00:00 3.1it/s v_num: 0\n");

        // Then: two epochs, no total
        Assert.Equal(EpochFramework.Lightning, detector.Detected);
        Assert.Null(detector.Total);
        Assert.Equal(2, events.OfType<EpochEnded>().Count());
    }
}
