using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using TrainWatt.Core.Epochs;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Epochs;

/// <summary>
/// Output that a training job may print by accident (issue 13: "the wrapped training job is sacred"): epoch values that
/// are absurd, patterns that backtrack, very long lines, repeated markers. The detector must stay quick and bounded on
/// every line, whatever it contains, and never report the same epoch twice.
/// </summary>
public class HostileOutputTests
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

    private static List<int> Ended(List<DetectorEvent> events) => events.OfType<EpochEnded>().Select(e => e.Number).ToList();

    private static List<string> Notes(List<DetectorEvent> events) => events.OfType<DetectorNote>().Select(n => n.Message).ToList();

    public class EpochValues
    {
        [Fact]
        public void Should_Not_Follow_A_Hugging_Face_Epoch_Value_A_Million_Epochs_Ahead()
        {
            // Given: issue 13 H1, a dict with 'epoch': 1000000.0 before any other epoch (TrainWatt used to end 999,999
            // empty epochs for this one line), then ordinary Hugging Face logs
            var detector = new EpochDetector();

            // When
            var first = Run(detector, "{'loss': 0.5, 'epoch': 1000000.0}\n", complete: false);
            var later = Run(detector, "{'loss': 0.4, 'epoch': 0.5}\n{'loss': 0.3, 'epoch': 1.0}\n");

            // Then: the absurd value ends nothing and says why, once; the real logs still count
            Assert.Empty(Ended(first));
            Assert.Contains(Notes(first), n => n.Contains("1000000", StringComparison.Ordinal) && n.Contains("ignored", StringComparison.Ordinal));
            Assert.Equal([1], Ended(later));
        }

        [Theory]
        [InlineData("1e400")] // parses as +Infinity
        [InlineData("1e308")] // finite, beyond every int: used to overflow the epoch counter and loop for ever
        [InlineData("2147483647.5")]
        [InlineData("nan")]
        public void Should_Ignore_An_Epoch_Value_That_Is_Not_A_Plausible_Finite_Number(string value)
        {
            var detector = new EpochDetector(EpochFramework.HuggingFace);
            var events = Run(detector, $"{{'loss': 0.5, 'epoch': {value}}}\n{{'loss': 0.5, 'epoch': 1.0}}\n");
            Assert.Equal([1], Ended(events));
        }

        [Fact]
        public void Should_Still_End_The_Epochs_A_Sparse_Log_Skipped_Over()
        {
            // logging_steps larger than an epoch: one log line moves 'epoch' from 0.5 to 3.25, so epochs 1 to 3 end
            var events = Run(new EpochDetector(EpochFramework.HuggingFace), "{'loss': 0.5, 'epoch': 0.5}\n{'loss': 0.4, 'epoch': 3.25}\n");
            Assert.Equal([1, 2, 3], Ended(events));
        }

        [Fact]
        public void Should_Bound_How_Many_Epochs_One_Line_Can_End()
        {
            // Given: a value far beyond the last epoch, after real epochs (a garbled or mistyped log line)
            var detector = new EpochDetector(EpochFramework.HuggingFace);
            var events = Run(detector, "{'epoch': 1.0}\n{'epoch': 5000.0}\n{'epoch': 2.0}\n");

            // Then: the jump is ignored; counting goes on from the last real value
            Assert.Equal([1, 2], Ended(events));
        }

        [Fact]
        public void Should_Count_On_From_A_Resumed_Run_Once_Two_Lines_Agree()
        {
            // A Hugging Face run resumed at epoch 150 logs 'epoch': 150.2, 150.6, 151.0 ...: one far value alone is
            // ignored, a second one that continues it means the run really is there.
            var events = Run(new EpochDetector(EpochFramework.HuggingFace), "{'epoch': 150.2}\n{'epoch': 150.6}\n{'epoch': 151.0}\n{'epoch': 152.0}\n");
            Assert.Equal([151, 152], Ended(events));
        }
    }

    public class RepeatedMarkers
    {
        [Fact]
        public void Should_Ignore_A_Repeated_Epoch_Start_And_Give_Eleven_Distinct_Epochs()
        {
            // Given: issue 13 M3, a script that prints "epoch-start n=1" twice, then 11 epochs with start and end markers
            var text = new StringBuilder("##trainwatt epoch-start n=1\n");
            for (int n = 1; n <= 11; n++)
            {
                text.Append("##trainwatt epoch-start n=").Append(n).Append('\n').Append("step\n##trainwatt epoch-end\n");
            }

            // When
            var events = Run(new EpochDetector(), text.ToString());

            // Then: every epoch once, in order, and one note for the repeat
            Assert.Equal(Enumerable.Range(1, 11), Ended(events));
            Assert.Equal(Enumerable.Range(1, 11), events.OfType<EpochStarted>().Select(e => e.Number));
            Assert.Single(Notes(events), n => n.Contains("epoch-start", StringComparison.Ordinal) && n.Contains("already", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Not_Start_An_Epoch_That_Has_Already_Ended()
        {
            var events = Run(new EpochDetector(), "##trainwatt epoch-end n=1\n##trainwatt epoch-end n=2\n##trainwatt epoch-start n=1\n##trainwatt epoch-start n=3\n##trainwatt epoch-end\n");
            Assert.Equal([1, 2, 3], Ended(events));
        }
    }

    public class Patterns
    {
        [Fact]
        public void Should_Treat_A_Timed_Out_Custom_Match_As_No_Match_With_One_Note()
        {
            // Given: issue 13 H2, a backtracking pattern (the back-reference keeps it off the linear engine) with the
            // CLI's 100 ms match timeout, and lines on which it backtracks exponentially
            var pattern = new Regex(@"^(?<n>\d+)(a+)+\1$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            var detector = new EpochDetector(EpochFramework.Custom, pattern);
            string hostile = "1" + new string('a', 40) + "!";

            // When
            var events = Run(detector, hostile + "\n" + hostile + "\n" + "2aa\n");

            // Then: no exception, no epoch from the hostile lines, one note, and the pattern still works afterwards
            Assert.Equal([2], Ended(events));
            Assert.Single(Notes(events), n => n.Contains("timed out", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Match_An_Ordinary_Pattern_On_A_Long_Line_Without_Timing_Out()
        {
            // Given: issue 13 H2, 'Epoch (?<n>\d+).*loss.*val_acc' (quadratic when nothing follows "loss") on a 42 KB line
            var pattern = new Regex(@"Epoch (?<n>\d+).*loss.*val_acc", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            var detector = new EpochDetector(EpochFramework.Custom, pattern);
            string longLine = "Epoch 1 " + string.Concat(Enumerable.Repeat("loss ", 42_000 / 5));

            // When
            var events = Run(detector, longLine + "\nEpoch 2 loss 0.1 val_acc 0.9\n");

            // Then
            Assert.Equal([2], Ended(events));
        }

        [Fact]
        public void Should_Scan_Lines_Of_Repeated_Epoch_Keys_In_Linear_Time()
        {
            // Given: issue 13 M2, one line of repeated "{'epoch': " (200 KB took 14.6 s on the quadratic pattern).
            // 200 KB first: on a quadratic pattern it fails in seconds instead of running for minutes at 1 MB.
            foreach (int size in new[] { 200_000, 1_000_000 })
            {
                string line = string.Concat(Enumerable.Repeat("{'epoch': ", size / 10));
                foreach (var framework in new[] { EpochFramework.Auto, EpochFramework.HuggingFace })
                {
                    var detector = new EpochDetector(framework);

                    // When
                    var cpu = ThreadCpuClock.StartNew();
                    var events = Run(detector, line + "\n");
                    var used = cpu.Elapsed;

                    // Then (the thread's own CPU time, so a loaded machine does not inflate it; the time is printed)
                    TestContext.Current.TestOutputHelper?.WriteLine($"{framework}, {size / 1000} KB line: {used.TotalMilliseconds:F1} ms CPU");
                    Assert.Empty(Ended(events));
                    Assert.True(used < TimeSpan.FromSeconds(5), $"{size} chars took {used} of CPU");
                }
            }
        }

        [Fact]
        public void Should_Run_Every_Built_In_Pattern_In_Linear_Time_On_Megabyte_Lines()
        {
            // Given: 1 MB lines built to make a backtracking engine try every start and every split point
            string[] lines =
            [
                string.Concat(Enumerable.Repeat("{'epoch': ", 100_000)),
                "{" + string.Concat(Enumerable.Repeat("'epoch':x", 111_111)),
                "0%|" + string.Concat(Enumerable.Repeat("| 1", 333_333)),
                string.Concat(Enumerable.Repeat("\u001b[000", 200_000)),
                string.Concat(Enumerable.Repeat("\u001b]x", 333_333)),
                "Epoch 1" + new string('9', 1_000_000),
                new string('1', 1_000_000) + "/",
            ];

            // When: each built-in pattern on each line
            var clock = ThreadCpuClock.StartNew();
            foreach (var pattern in EpochDetector.BuiltInPatterns)
            {
                var one = ThreadCpuClock.StartNew();
                foreach (string line in lines)
                {
                    _ = pattern.Matches(line).Count;
                }

                TestContext.Current.TestOutputHelper?.WriteLine($"{one.Elapsed.TotalMilliseconds,8:F1} ms CPU  {pattern}");
            }

            // Then (the thread's own CPU time: a quadratic pattern needs minutes of it at 1 MB, a loaded machine adds
            // none; wall time here reached 7.5 s at load average 40 on 2 cores; the times are printed)
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} of CPU");
        }

        [Fact]
        public void Should_Cut_A_Long_Line_To_The_Scanned_Length_And_Mark_The_Cut()
        {
            // A 1 MB line then a marker: the splitter keeps the first 4,096 characters and "…", the marker is whole
            var segments = new List<string>();
            var splitter = new OutputLineSplitter();
            string big = new('x', 1_000_000);
            for (int i = 0; i < big.Length; i += 16_384)
            {
                splitter.Append(big.AsSpan(i, Math.Min(16_384, big.Length - i)), (s, _) => segments.Add(s));
            }

            splitter.Append("\n##trainwatt epoch-end\n" + big + "\n", (s, _) => segments.Add(s));
            Assert.Equal([new string('x', EpochDetector.MaxScannedLength) + "\u2026", "##trainwatt epoch-end", new string('x', EpochDetector.MaxScannedLength) + "\u2026"], segments);
        }
    }
}
