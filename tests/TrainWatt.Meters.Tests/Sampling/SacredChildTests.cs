using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Core.Epochs;
using TrainWatt.Meters.Sampling;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Sampling;

/// <summary>
/// Issue 13: the wrapped training job is sacred. Nothing TrainWatt does with the job's output (an absurd epoch value, a
/// backtracking pattern, a slow store, a repeated marker) may stall the job, cut its output or lose its epochs. Real
/// child processes (bash) under a real clock, with a scripted meter.
/// </summary>
public class SacredChildTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static MeasurementRequest Request(string script) => new(
        "bash", ["-c", script], SamplerOptions.Default, EpochFramework.Auto, null, null, TimeSpan.Zero,
        new Dictionary<string, string>(), new Dictionary<string, string?>(), TimeSpan.Zero);

    private static (MeasurementSession Session, StringWriter Out, List<string> Diagnostics) Create(IMeasurementSink sink)
    {
        var meter = new FakeMeter(TimeProvider.System, new FakeChannel("gpu:0", Provenance.Sampled, _ => 100.0));
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var diagnostics = new List<string>();
        var session = new MeasurementSession([meter], sink, TimeProvider.System, stdout, TextWriter.Null, d => { lock (diagnostics) { diagnostics.Add(d); } });
        return (session, stdout, diagnostics);
    }

    private static async Task<MeasurementOutcome> RunWithin(MeasurementSession session, MeasurementRequest request)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit);
        return await session.RunAsync(request, cts.Token);
    }

    [Fact]
    public async Task Should_Pass_Every_Line_After_An_Absurd_Hugging_Face_Epoch_And_Record_No_Epoch()
    {
        // Given: issue 13 H1, 'epoch': 1000000.0 then 3,000 short lines (TrainWatt stored 2,669 empty epochs in 15 s and
        // the child stalled after ~64 KB)
        var sink = new MemorySink();
        var (session, stdout, _) = Create(sink);
        var clock = Stopwatch.StartNew();

        // When
        var outcome = await RunWithin(session, Request("echo \"{'loss': 0.5, 'epoch': 1000000.0}\"; for i in $(seq 3000); do echo \"line $i\"; done"));

        // Then
        TestContext.Current.TestOutputHelper?.WriteLine($"run took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.Empty(outcome.Summary.Epochs);
        Assert.Empty(sink.Epochs);
        Assert.Equal(3001, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Should_Pass_A_Long_Line_Through_A_Backtracking_Epoch_Pattern_And_Finish_The_Run()
    {
        // Given: issue 13 H2, --epoch-pattern '(a+)+$' (the CLI builds it with a 100 ms timeout) and a 50,000-character
        // line of a's that does not end in "a", then 200 KB more output (the pump died on the timeout: 6 KB passed)
        var sink = new MemorySink();
        var (session, stdout, _) = Create(sink);
        var request = Request("head -c 50000 /dev/zero | tr '\\0' a; echo '!'; head -c 200000 /dev/zero | tr '\\0' b; echo; echo done")
            with { EpochPattern = new Regex("(a+)+$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)) };

        // When
        var outcome = await RunWithin(session, request);

        // Then: all output passed, the run finished with the command's code
        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.Same(outcome.Summary, sink.Summary);
        Assert.Equal(50_000 + 2 + 200_000 + 1 + 5, stdout.ToString().Length);
        Assert.EndsWith("b\ndone\n", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Store_Eleven_Distinct_Epochs_When_A_Start_Marker_Is_Repeated()
    {
        // Given: issue 13 M3, "epoch-start n=1" printed twice, then 11 start/end pairs (1 epoch was stored instead of 11)
        var sink = new MemorySink();
        var (session, _, _) = Create(sink);

        // When
        var outcome = await RunWithin(session, Request(
            "echo '##trainwatt epoch-start n=1'; for i in $(seq 11); do echo \"##trainwatt epoch-start n=$i\"; echo step; echo '##trainwatt epoch-end'; done"));

        // Then
        Assert.Equal(Enumerable.Range(1, 11), sink.Epochs.Select(e => e.Number));
        Assert.Equal(Enumerable.Range(1, 11), outcome.Summary.Epochs.Select(e => e.Number));
    }

    [Fact]
    public async Task Should_Not_Delay_The_Commands_Output_While_The_Sink_Takes_Two_Seconds_Over_An_Epoch()
    {
        // Given: a sink whose RecordEpoch sleeps 2 s, and a command that ends an epoch, then writes 1 MB and times that
        // write (a pipe holds 64 KB: if reading the output waited for the sink, the write would take about 2 s)
        var sink = new SlowEpochSink(TimeSpan.FromSeconds(2));
        var (session, stdout, _) = Create(sink);
        using var dir = new TempDirectory();
        string took = dir.File("took");

        // When
        var outcome = await RunWithin(session, Request(
            $"echo '##trainwatt epoch-end n=1'; s=$(date +%s%N); yes | head -c 1048576; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) > {took}"));

        // Then
        double ms = double.Parse(File.ReadAllText(took), CultureInfo.InvariantCulture);
        TestContext.Current.TestOutputHelper?.WriteLine($"writing 1 MB took the command {ms} ms while the sink slept 2 s");
        Assert.True(ms < 1000, $"the command's 1 MB write took {ms} ms");
        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.Equal([1], sink.Epochs);
        Assert.Equal(26 + 1_048_576, stdout.ToString().Length);
    }

    [Fact]
    public async Task Should_Never_Send_The_Sink_An_Epoch_Number_It_Already_Has()
    {
        // Given: the sampler is told twice that epoch 1 ended (the store's epochs are keyed by number)
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sink = new MemorySink();
        var notes = new List<string>();
        var sampler = new EnergySampler([new FakeMeter(time, new FakeChannel("gpu:0", Provenance.Sampled, _ => 100.0))], time, SamplerOptions.Default, sink, notes.Add);
        sampler.Start(runLoop: false);

        // When
        time.Advance(TimeSpan.FromSeconds(1));
        sampler.EpochEnded(1, null, null);
        time.Advance(TimeSpan.FromSeconds(1));
        sampler.EpochEnded(1, null, null);
        time.Advance(TimeSpan.FromSeconds(1));
        sampler.EpochEnded(2, null, null);
        var result = await sampler.StopAsync();

        // Then: the repeat is not recorded, and epoch 2 runs from epoch 1's end (hand: 2 s at 100 W = 200 J)
        Assert.Equal([1, 2], sink.Epochs.Select(e => e.Number));
        Assert.Equal([1, 2], result.Epochs.Select(e => e.Number));
        Assert.Equal(200.0, result.Epochs[1].Energy.Joules, 6);
        Assert.Single(notes, n => n.Contains("epoch 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Pass_Invalid_Utf8_And_Random_Bytes_On_Byte_For_Byte_To_Streams()
    {
        // Given: issue 13 M1, bytes that are not UTF-8, then 1 MB of random bytes (fixed seed) with an epoch marker
        // inside, a session writing to streams
        using var dir = new TempDirectory();
        string file = dir.File("random.bin");
        byte[] random = new byte[1024 * 1024];
        new Random(13).NextBytes(random);
        File.WriteAllBytes(file, random);
        var meter = new FakeMeter(TimeProvider.System, new FakeChannel("gpu:0", Provenance.Sampled, _ => 100.0));
        var sink = new MemorySink();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var session = new MeasurementSession([meter], sink, TimeProvider.System, stdout, stderr, _ => { });

        // When
        var outcome = await RunWithin(session, Request(
            $"printf '\\xff\\xfe\\x80abc\\xe9\\n'; printf '\\n##trainwatt epoch-end n=1\\n'; cat {file}; printf '\\xc3' >&2"));

        // Then: every byte as the command wrote it, and the marker still seen in the copy
        byte[] expected = [.. Convert.FromHexString("FFFE80616263E90A"), .. "\n##trainwatt epoch-end n=1\n"u8, .. random];
        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.True(expected.AsSpan().SequenceEqual(stdout.ToArray()), $"stdout: {stdout.Length} bytes, expected {expected.Length}");
        Assert.Equal([0xC3], stderr.ToArray());
        Assert.Equal([1], sink.Epochs.Select(e => e.Number));
    }

    [Fact]
    public async Task Should_Run_The_Command_And_Warn_Once_When_No_Standby_Relay_Can_Start()
    {
        // Given: issue 13 M8, a session whose relay shell does not exist (as on a system without /bin/sh)
        using var dir = new TempDirectory();
        var sink = new MemorySink();
        var meter = new FakeMeter(TimeProvider.System, new FakeChannel("gpu:0", Provenance.Sampled, _ => 100.0));
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var diagnostics = new List<string>();
        var session = new MeasurementSession([meter], sink, TimeProvider.System, stdout, TextWriter.Null, d => { lock (diagnostics) { diagnostics.Add(d); } })
        {
            RelayShell = dir.File("no-such-sh"),
        };

        // When
        var outcome = await RunWithin(session, Request("echo one; echo two"));

        // Then: the command ran and was measured as before; one warning line names the shell and what is at stake
        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.Equal("one\ntwo\n", stdout.ToString());
        string warning = Assert.Single(diagnostics, d => d.Contains("standby relay", StringComparison.Ordinal));
        Assert.StartsWith($"warning: no standby relay for the command's output: cannot run {dir.File("no-such-sh")} (No such file or directory). ", warning, StringComparison.Ordinal);
        Assert.EndsWith("If TrainWatt is killed or crashes, the command loses its stdout and stderr and may stop at its next write.", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public async Task Should_Pass_The_Output_On_And_Say_Why_When_Epoch_Detection_Throws()
    {
        // Given: a chunk handler with a bug (it throws on the first chunk), and a command that writes 1 MB
        using var stdout = new MemoryStream();
        using var child = TrainWatt.Meters.Processes.WrappedProcess.Start(
            "bash", ["-c", "yes | head -c 1048576"], new Dictionary<string, string?>(), stdout, Stream.Null,
            (_, _) => throw new InvalidOperationException("bug in the handler"));

        // When
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit);
        int code = await child.WaitForExitAsync(TimeSpan.FromSeconds(2), cts.Token);

        // Then: the command ran to its end with all its output passed on; the failure is kept, not thrown
        Assert.Equal(0, code);
        Assert.Equal(1_048_576, stdout.Length);
        Assert.Equal("bug in the handler", child.ScanFailure?.Message);
        Assert.Equal(0, child.UnscannedBytes);
    }

    [Fact]
    public async Task Should_Stop_Working_Through_A_Scan_Backlog_When_Asked_After_The_Command_Exited()
    {
        // Given: a handler that takes 1 s a chunk (a store that answers slowly), and a command that writes 64 chunks at
        // once and exits (without a stop, TrainWatt would go on for about a minute after it)
        using var stdout = new MemoryStream();
        int handled = 0;
        using var child = TrainWatt.Meters.Processes.WrappedProcess.Start(
            "bash", ["-c", "for i in $(seq 64); do head -c 16384 /dev/zero; sleep 0.01; done"], new Dictionary<string, string?>(), stdout, Stream.Null,
            (_, _) =>
            {
                Interlocked.Increment(ref handled);
                Thread.Sleep(1000);
            });

        // When: the stop comes (a SIGTERM after the exit, in MeasurementSession) while the backlog is waiting
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit);
        var clock = Stopwatch.StartNew();
        var exit = child.WaitForExitAsync(TimeSpan.FromSeconds(2), cts.Token);
        await Task.Delay(1500, cts.Token);
        child.StopScanning();
        int code = await exit;

        // Then: the output was all passed on; what was not scanned is counted; the wait ended within the chunk in hand
        TestContext.Current.TestOutputHelper?.WriteLine($"{handled} chunks scanned, {child.UnscannedBytes} bytes skipped, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, code);
        Assert.Equal(64 * 16384, stdout.Length);
        Assert.True(child.UnscannedBytes > 0);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    /// <summary>A sink whose <see cref="RecordEpoch"/> takes a long time, as a store that is slow to answer.</summary>
    private sealed class SlowEpochSink(TimeSpan delay) : IMeasurementSink
    {
        public List<int> Epochs { get; } = [];

        public string BeginRun(MeasurementRunInfo run) => "run-1";

        public void AppendSamples(ReadOnlySpan<ChannelSample> samples)
        {
        }

        public void RecordEpoch(MeasuredEpoch epoch)
        {
            Thread.Sleep(delay);
            Epochs.Add(epoch.Number);
        }

        public void RecordMetric(string name, double value, TimeSpan elapsed)
        {
        }

        public void FinishRun(MeasurementSummary summary)
        {
        }
    }
}
