using System.Text.RegularExpressions;
using TrainWatt.Core.Epochs;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary>
/// Transcripts are written by hand in each framework's output format (Keras <c>Progbar</c>: "Epoch k/N" then
/// "\r"-redrawn "S/T [===>...]" ending in "\n" with the epoch's metrics; Lightning's tqdm bar "Epoch e: P%|...|" and
/// rich bar "Epoch e/M ━━━"; Hugging Face Trainer's printed log dicts). The expected events are derived from the rules
/// documented on <see cref="EpochDetector"/>.
/// </summary>
public class EpochDetectorTests
{
    private static List<DetectorEvent> Run(EpochDetector detector, string transcript, bool complete = true)
    {
        var events = new List<DetectorEvent>();
        var splitter = new OutputLineSplitter();
        splitter.Append(transcript, (s, e) => events.AddRange(detector.Scan(s, e)));
        splitter.Complete((s, e) => events.AddRange(detector.Scan(s, e)));
        if (complete)
        {
            events.AddRange(detector.Complete());
        }

        return events;
    }

    private static List<DetectorEvent> Epochs(List<DetectorEvent> events) => events.Where(e => e is EpochStarted or EpochEnded).ToList();

    public class Keras
    {
        [Fact]
        public void Should_Start_Each_Epoch_At_Its_Header_And_End_It_At_Its_Final_Progress_Line()
        {
            // Given: verbose=1 output (\b backspaces and \r redraws), 3 epochs, a line after training
            const string transcript =
                "Epoch 1/3\n" +
                "\r 1/4 [======>.......................] - ETA: 3s - loss: 2.3" +
                "\b\b\b\b\r 4/4 [==============================] - ETA: 0s - loss: 1.9" +
                "\b\b\b\b\r 4/4 [==============================] - 2s 9ms/step - loss: 1.9 - val_loss: 1.7\n" +
                "Epoch 2/3\n" +
                "\r 4/4 [==============================] - 1s 8ms/step - loss: 1.2 - val_loss: 1.1\n" +
                "Epoch 3/3\n" +
                "4/4 - 1s - loss: 0.9 - 1s/epoch - 8ms/step\n" +
                "Test accuracy: 0.91\n";

            // When
            var events = Epochs(Run(new EpochDetector(EpochFramework.Keras), transcript));

            // Then: the "4/4 ... - ETA" redraw ends no epoch (a \r, not a newline, follows it); the newline-ended ones do
            Assert.Equal<DetectorEvent>(
                [
                    new EpochStarted(1, 3), new EpochEnded(1, 3, null),
                    new EpochStarted(2, 3), new EpochEnded(2, 3, null),
                    new EpochStarted(3, 3), new EpochEnded(3, 3, null),
                ],
                events);
        }

        [Fact]
        public void Should_Make_Epochs_Contiguous_And_End_The_Last_At_Exit_When_There_Are_Only_Headers()
        {
            var events = Epochs(Run(new EpochDetector(EpochFramework.Keras), "Epoch 1/2\nworking\nEpoch 2/2\nworking\n"));
            Assert.Equal<DetectorEvent>(
                [new EpochStarted(1, 2), new EpochEnded(1, 2, null), new EpochStarted(2, 2), new EpochEnded(2, 2, null, AtExit: true)],
                events);
        }

        [Fact]
        public void Should_Keep_Counting_When_A_Second_Fit_Restarts_At_Epoch_1()
        {
            var events = Run(new EpochDetector(), "Epoch 1/2\nEpoch 2/2\nEpoch 1/1\n");
            Assert.Equal([1, 2, 3], events.OfType<EpochStarted>().Select(e => e.Number));
            Assert.Contains(events, e => e is DetectorNote n && n.Message.Contains("numbering restarted", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Recognise_Headers_Wrapped_In_Ansi_Colours()
        {
            var detector = new EpochDetector();
            var events = Epochs(Run(detector, "\u001b[1mEpoch 1/4\u001b[0m\n"));
            Assert.Equal(EpochFramework.Keras, detector.Detected);
            Assert.Equal(4, detector.Total);
            Assert.Equal<DetectorEvent>([new EpochStarted(1, 4), new EpochEnded(1, 4, null, AtExit: true)], events);
        }
    }

    public class Lightning
    {
        [Fact]
        public void Should_Start_Epoch_e_Plus_1_When_The_Tqdm_Description_Changes_And_End_The_Last_When_Fit_Stops()
        {
            // Given: Lightning's tqdm bar counts epochs from 0 and redraws with \r; validation bars in between
            const string transcript =
                "Sanity Checking DataLoader 0: 100%|##########| 2/2 [00:00<00:00, 50.00it/s]\n" +
                "\rEpoch 0:   0%|          | 0/10 [00:00<?, ?it/s]" +
                "\rEpoch 0:  50%|#####     | 5/10 [00:01<00:01,  4.90it/s, v_num=0]" +
                "\rValidation DataLoader 0:  50%|#####     | 1/2 [00:00<00:00]" +
                "\rEpoch 0: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0, val_loss=0.5]" +
                "\rEpoch 1:   0%|          | 0/10 [00:00<?, ?it/s, v_num=0]" +
                "\rEpoch 1: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0, val_loss=0.4]" +
                "\rEpoch 2: 100%|##########| 10/10 [00:02<00:00,  4.90it/s, v_num=0, val_loss=0.3]\n" +
                "`Trainer.fit` stopped: `max_epochs=3` reached.\n" +
                "Testing DataLoader 0: 100%|##########| 5/5\n";

            // When
            var detector = new EpochDetector();
            var events = Epochs(Run(detector, transcript));

            // Then: the stop line names max_epochs=3, so the last epoch (ended there) carries the total
            Assert.Equal(EpochFramework.Lightning, detector.Detected);
            Assert.Equal<DetectorEvent>(
                [
                    new EpochStarted(1, null), new EpochEnded(1, null, null),
                    new EpochStarted(2, null), new EpochEnded(2, null, null),
                    new EpochStarted(3, null), new EpochEnded(3, 3, null),
                ],
                events);
        }

        [Fact]
        public void Should_Read_The_Total_From_The_Rich_Bar()
        {
            // RichProgressBar shows "Epoch e/max_epochs-1": "Epoch 0/1" means 2 epochs.
            var detector = new EpochDetector();
            var events = Epochs(Run(detector, "Epoch 0/1 ━━━━━━━━ 3/3 0:00:01 • 0:00:00 3.1it/s v_num: 0\nEpoch 1/1 ━━━━━━━━ 3/3 0:00:01 • 0:00:00 3.1it/s v_num: 0\n"));
            Assert.Equal(EpochFramework.Lightning, detector.Detected);
            Assert.Equal(2, detector.Total);
            Assert.Equal<DetectorEvent>(
                [new EpochStarted(1, 2), new EpochEnded(1, 2, null), new EpochStarted(2, 2), new EpochEnded(2, 2, null, AtExit: true)],
                events);
        }
    }

    public class HuggingFace
    {
        [Fact]
        public void Should_End_Epoch_n_At_The_First_Log_Whose_Epoch_Reaches_n()
        {
            // Given: a bare tqdm bar (training loop), logs at fractional epochs, eval logs at whole epochs, the final
            // train_runtime dict, and float noise (1.9999999 counts as 2)
            const string transcript =
                "Map: 100%|##########| 100/100 [00:00<00:00]\n" +
                "  0%|          | 0/30 [00:00<?, ?it/s]" +
                "\r 17%|#6        | 5/30 [00:01<00:05,  4.50it/s]\n" +
                "{'loss': 0.69, 'grad_norm': 2.4, 'learning_rate': 4.2e-05, 'epoch': 0.5}\n" +
                "{'eval_loss': 0.61, 'eval_runtime': 0.3, 'epoch': 1.0}\n" +
                "{'loss': 0.52, 'grad_norm': 2.1, 'learning_rate': 2.5e-05, 'epoch': 1.5}\n" +
                "{'loss': 0.44, 'grad_norm': 1.9, 'learning_rate': 1e-06, 'epoch': 1.9999999}\n" +
                "{'train_runtime': 9.1, 'train_samples_per_second': 33.0, 'train_loss': 0.55, 'epoch': 3.0}\n";

            // When
            var detector = new EpochDetector();
            var events = Epochs(Run(detector, transcript));

            // Then: "Map:" has a description so it is not the training bar; the bare bar starts epoch 1 tentatively
            Assert.Equal(EpochFramework.HuggingFace, detector.Detected);
            Assert.Equal<DetectorEvent>(
                [new EpochStarted(1, null) { Tentative = true }, new EpochEnded(1, null, null), new EpochEnded(2, null, null), new EpochEnded(3, null, null)],
                events);
        }

        [Fact]
        public void Should_Leave_A_Partial_Epoch_Unrecorded_At_Exit()
        {
            // max_steps stopped training at epoch 1.5: only epoch 1 is complete.
            var events = Epochs(Run(new EpochDetector(EpochFramework.HuggingFace), "{'loss': 1.0, 'epoch': 1.0}\n{'train_runtime': 3.0, 'epoch': 1.5}\n"));
            Assert.Equal<DetectorEvent>([new EpochEnded(1, null, null)], events);
        }
    }

    public class Marker
    {
        [Fact]
        public void Should_End_Epochs_With_Numbers_Totals_And_Samples_From_The_Marker()
        {
            var detector = new EpochDetector();
            var events = Run(detector, "setup\n##trainwatt epoch-end n=1 total=3 samples=23807\n  ##trainwatt epoch-end\n##trainwatt metric f1=0.97 loss=1e-3\n");
            Assert.Equal(EpochFramework.Marker, detector.Detected);
            Assert.Equal<DetectorEvent>([new EpochEnded(1, 3, 23807), new EpochEnded(2, 3, null)], Epochs(events));
            Assert.Equal([new MetricReported("f1", 0.97), new MetricReported("loss", 0.001)], events.OfType<MetricReported>());
        }

        [Fact]
        public void Should_Honour_An_Explicit_Start_And_Not_Invent_An_Epoch_After_The_Last_End()
        {
            var events = Epochs(Run(new EpochDetector(EpochFramework.Marker), "##trainwatt epoch-start n=1\n##trainwatt epoch-end n=1\nsaving\n"));
            Assert.Equal<DetectorEvent>([new EpochStarted(1, null), new EpochEnded(1, null, null)], events);
        }

        [Fact]
        public void Should_Ignore_A_Repeated_End_With_A_Note()
        {
            var events = Run(new EpochDetector(), "##trainwatt epoch-end n=2\n##trainwatt epoch-end n=2\n");
            Assert.Single(Epochs(events));
            Assert.Contains(events, e => e is DetectorNote n && n.Message.Contains("already ended", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Report_A_Malformed_Metric_Instead_Of_Recording_A_Wrong_Value()
        {
            // "0,97" is a comma-decimal number; it must not become 0 or 97.
            var events = Run(new EpochDetector(), "##trainwatt metric f1=0,97\n");
            Assert.Empty(events.OfType<MetricReported>());
            Assert.Contains(events, e => e is DetectorNote n && n.Message.Contains("f1=0,97", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Read_What_TrainWattMarker_Writes()
        {
            // Round trip between the .NET helper and the detector.
            string text = TrainWattMarker.FormatEpochStart(4, 50) + "\n" + TrainWattMarker.FormatEpochEnd(4, 50, 1000) + "\n"
                + TrainWattMarker.FormatMetric("val/acc", 0.1 + 0.2) + "\n";
            var events = Run(new EpochDetector(), text);
            Assert.Equal<DetectorEvent>([new EpochStarted(4, 50), new EpochEnded(4, 50, 1000)], Epochs(events));
            Assert.Equal(0.1 + 0.2, Assert.Single(events.OfType<MetricReported>()).Value);
        }
    }

    public class AutoMode
    {
        [Fact]
        public void Should_Keep_The_First_Convention_And_Ignore_Markers_After_Keras_With_One_Note()
        {
            var events = Run(new EpochDetector(), "Epoch 1/2\n##trainwatt epoch-end\nEpoch 2/2\n##trainwatt epoch-end\n");
            Assert.Equal(2, events.OfType<EpochEnded>().Count());
            Assert.Single(events, e => e is DetectorNote n && n.Message.Contains("--framework marker", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Ignore_Keras_Lines_When_Markers_Came_First()
        {
            var events = Epochs(Run(new EpochDetector(), "##trainwatt epoch-end\nEpoch 2/2\n"));
            Assert.Equal<DetectorEvent>([new EpochEnded(1, null, null)], events);
        }

        [Fact]
        public void Should_Read_Metrics_In_Every_Mode()
        {
            var events = Run(new EpochDetector(EpochFramework.Keras), "##trainwatt metric acc=0.5\n");
            Assert.Equal(new MetricReported("acc", 0.5), Assert.Single(events.OfType<MetricReported>()));
        }

        [Fact]
        public void Should_Find_No_Epochs_In_Plain_Output()
        {
            Assert.Empty(Epochs(Run(new EpochDetector(), "loading\nstep 1 loss 0.3\nEpoch one done\ndone\n")));
        }
    }

    public class Custom
    {
        [Fact]
        public void Should_End_An_Epoch_At_Every_Match_Using_Named_Groups()
        {
            var pattern = new Regex(@"^=== finished (?<n>\d+) of (?<total>\d+)", RegexOptions.CultureInvariant);
            var detector = new EpochDetector(EpochFramework.Custom, pattern);
            var events = Epochs(Run(detector, "=== finished 1 of 2\nEpoch 9/9\n=== finished 2 of 2\n"));
            Assert.Equal<DetectorEvent>([new EpochEnded(1, 2, null), new EpochEnded(2, 2, null)], events);
        }

        [Fact]
        public void Should_Count_Matches_When_The_Pattern_Has_No_Number()
        {
            var detector = new EpochDetector(EpochFramework.Auto, new Regex("epoch done"));
            Assert.Equal(EpochFramework.Custom, detector.Framework);
            Assert.Equal([1, 2], Epochs(Run(detector, "epoch done\nx\nepoch done\n")).OfType<EpochEnded>().Select(e => e.Number));
        }
    }
}
