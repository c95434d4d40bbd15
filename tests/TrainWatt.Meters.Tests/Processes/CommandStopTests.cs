using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Epochs;
using TrainWatt.Meters.Processes;
using TrainWatt.Meters.Sampling;
using TrainWatt.Meters.Tests.Sampling;

namespace TrainWatt.Meters.Tests.ProcessStop;

/// <summary>
/// <see cref="CommandStop"/> through a real <see cref="MeasurementSession"/> and real bash process trees: the escalation
/// SIGINT → SIGTERM → SIGKILL, and no process of the tree left afterwards (checked in /proc by pid and start time).
/// </summary>
public class CommandStopTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static MeasurementRequest Request(string script, CommandStop stop, Action<string, TimeSpan>? segments = null) => new(
        "bash", ["-c", script], SamplerOptions.Default, EpochFramework.Auto, null, null, TimeSpan.Zero,
        new Dictionary<string, string>(), new Dictionary<string, string?>(), TimeSpan.Zero)
    {
        Stop = stop,
        Segments = segments,
    };

    private static async Task<MeasurementOutcome> Run(MeasurementRequest request, StringWriter stdout)
    {
        var meter = new FakeMeter(TimeProvider.System, new FakeChannel("gpu:0", Provenance.Sampled, _ => 100.0));
        var session = new MeasurementSession([meter], new MemorySink(), TimeProvider.System, stdout, TextWriter.Null, _ => { });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit); // a hang guard only
        return await session.RunAsync(request, cts.Token);
    }

    private static IEnumerable<int> Pids(string output, string label)
        => output.Split('\n').Where(l => l.StartsWith(label + " ", StringComparison.Ordinal)).Select(l => int.Parse(l[(label.Length + 1)..], CultureInfo.InvariantCulture));

    private static bool Running(int pid) => ProcessTree.Read("/proc", pid) is { IsZombie: false };

    [Fact]
    public async Task Should_Escalate_To_Sigkill_For_A_Tree_That_Ignores_Sigint_And_Sigterm_And_Leave_No_Process()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "procfs is Linux only");

        // Given: a command and its background child that both ignore SIGINT and SIGTERM; the stop is asked for as soon
        // as the child's pid is printed; graces of 0.3 s
        var stop = new CommandStop(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300));
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        string script = "trap '' INT TERM; (trap '' INT TERM; while :; do sleep 0.1; done) >/dev/null 2>&1 & echo \"child $!\"; echo \"root $$\"; while :; do sleep 0.1; done";
        var request = Request(script, stop, (line, _) =>
        {
            if (line.StartsWith("root ", StringComparison.Ordinal))
            {
                stop.Request("test");
            }
        });

        // When
        var outcome = await Run(request, stdout);

        // Then: SIGKILL was needed (exit 128 + 9), and neither the root nor its child runs any more
        Assert.Equal(137, outcome.Summary.ExitCode);
        Assert.Equal(9, stop.StrongestSignal);
        // The SIGKILL goes to every process of the tree seen at that instant; the background child is ended then, or,
        // when the walk missed it (it was between two sleeps, re-forking), after the root exits as a leftover: 0 to 3
        // leftovers (0 seen in CI's run of the merged tree); what must hold is that none survives (below)
        Assert.InRange(stop.LeftoversEnded, 0, 3);
        int child = Assert.Single(Pids(stdout.ToString(), "child"));
        int root = Assert.Single(Pids(stdout.ToString(), "root"));
        Assert.False(Running(child), $"child {child} still runs");
        Assert.False(Running(root), $"root {root} still runs");
    }

    [Fact]
    public async Task Should_Stop_A_Command_That_Honours_Sigint_With_Sigint_Alone_Even_When_Asked_Before_It_Starts()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "procfs is Linux only");

        // Given: the stop is asked for before the command starts (it applies when it starts)
        var stop = new CommandStop(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        stop.Request("test");

        // When: bash runs sleep in the foreground; both get SIGINT, sleep dies of it and bash follows
        var outcome = await Run(Request("sleep 30; echo 'not reached'", stop), new StringWriter(CultureInfo.InvariantCulture));

        // Then: 128 + 2, no SIGTERM, nothing left over
        Assert.Equal(130, outcome.Summary.ExitCode);
        Assert.Equal(2, stop.StrongestSignal);
        Assert.Equal(0, stop.LeftoversEnded);
    }

    [Fact]
    public async Task Should_Leave_A_Command_That_Ends_Before_The_Stop_Alone()
    {
        var stop = new CommandStop(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var outcome = await Run(Request("echo done", stop), new StringWriter(CultureInfo.InvariantCulture));
        stop.Request("too late");
        stop.CommandExited();

        Assert.Equal(0, outcome.Summary.ExitCode);
        Assert.Null(stop.StrongestSignal);
    }

    [Fact]
    public void Should_Parse_A_Stat_Line_Whose_Command_Name_Holds_Spaces_And_Parentheses()
    {
        // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime priority nice num_threads itrealvalue starttime ...
        const string line = "4242 (a (b)) c) S 17 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 200\n";

        Assert.True(ProcessEntry.TryParse(line, out var entry));

        Assert.Equal(new ProcessEntry(4242, 'S', 17, 4242, 987654), entry);
        Assert.False(entry.IsZombie);
        Assert.False(ProcessEntry.TryParse("4242 (x) S 1", out _));
    }

    [Fact]
    public void Should_Find_Descendants_And_Members_Of_Groups_They_Lead()
    {
        // Given: 10 → 11 → 12; 13 is an orphan (parent 1) in group 11 (a daemon that left the tree); 20 is unrelated
        ProcessEntry[] all =
        [
            new(1, 'S', 0, 1, 1), new(10, 'S', 1, 5, 100), new(11, 'S', 10, 11, 101), new(12, 'S', 11, 11, 102),
            new(13, 'S', 1, 11, 103), new(20, 'S', 1, 20, 104),
        ];

        var tree = ProcessTree.Of(10, all).Select(e => e.Pid).ToList();

        Assert.Equal([10, 11, 12, 13], tree.Order());
        Assert.Equal(10, tree[0]);
    }
}
