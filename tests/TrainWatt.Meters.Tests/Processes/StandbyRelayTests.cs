using System.Diagnostics;
using System.Globalization;
using TrainWatt.Meters.Processes;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Processes;

/// <summary>
/// Issue 13 M8: the standby relay of <see cref="WrappedProcess"/> while TrainWatt lives. It must hold the command's own
/// pipes (so that a dead TrainWatt leaves the command a reader), read nothing (the output is unchanged), and be gone
/// once the output has ended; where it cannot start, the command runs as before and the reason is given. What happens
/// when TrainWatt is killed is tested on the real CLI (TrainWatt.Cli.Tests, KillTrainWattTests).
/// </summary>
public class StandbyRelayTests
{
    /// <summary>Hang guard only: every wait below ends as soon as its condition holds.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static WrappedProcess Start(string script, StringWriter stdout, string relayShell = StandbyRelay.Shell) =>
        WrappedProcess.Start(
            "bash", ["-c", script], new Dictionary<string, string?>(), new TextWriterStream(stdout), new TextWriterStream(TextWriter.Null),
            (_, _) => { }, relayShell);

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Limit, $"{what} within {Limit.TotalSeconds} s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>What /proc/PID/fd/FD points to ("pipe:[1234]"), or null when the process or descriptor is gone.</summary>
    private static string? Link(int pid, int fd)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists and is not a zombie (its stat state is not Z).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Should_Hold_The_Commands_Own_Pipes_Pass_Every_Byte_And_End_When_The_Output_Ends()
    {
        // Given: a command that prints, waits for a file, prints again; its pid comes first
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the relay opens the pipes through /proc");
        using var dir = new TempDirectory();
        string go = dir.File("go");
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var child = Start($"echo $$; while [ ! -e {go} ]; do sleep 0.02; done; echo done", stdout);
        await WaitUntil(() => stdout.ToString().Contains('\n', StringComparison.Ordinal), "the command printed its pid");
        int pid = int.Parse(stdout.ToString().TrimEnd(), CultureInfo.InvariantCulture);

        // Then: a relay runs, and its fds 3 and 4 are the very pipes the command writes to (its fds 1 and 2)
        Assert.Null(child.RelayProblem);
        int relay = Assert.NotNull(child.RelayId);
        Assert.StartsWith("pipe:", Link(pid, 1), StringComparison.Ordinal);
        Assert.Equal(Link(pid, 1), Link(relay, 3));
        Assert.Equal(Link(pid, 2), Link(relay, 4));

        // When: the command ends
        File.WriteAllText(go, "");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit);
        int code = await child.WaitForExitAsync(TimeSpan.FromSeconds(10), cts.Token);

        // Then: the output is exactly what the command wrote (the relay read none of it) and the relay is gone (reaped)
        Assert.Equal(0, code);
        Assert.Equal($"{pid}\ndone\n", stdout.ToString());
        Assert.False(Alive(relay), $"relay {relay} still runs after the output ended");
    }

    [Fact]
    public async Task Should_Keep_The_Relay_While_A_Grandchild_Holds_The_Pipes_And_End_It_With_Them()
    {
        // Given: a command that leaves a background grandchild holding its output, which prints once a file exists
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the relay opens the pipes through /proc");
        using var dir = new TempDirectory();
        string go = dir.File("go");
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var child = Start($"(while [ ! -e {go} ]; do sleep 0.02; done; echo late) & echo parent", stdout);

        // When: the command exits and the drain wait (0.2 s) gives up on the grandchild
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit);
        int code = await child.WaitForExitAsync(TimeSpan.FromMilliseconds(200), cts.Token);

        // Then: the relay still stands by (if this process died now, it would pass "late" on)
        Assert.Equal(0, code);
        int relay = Assert.NotNull(child.RelayId);
        Assert.True(Alive(relay), "the relay ended while a grandchild still held the command's pipes");

        // When: the grandchild prints and exits
        File.WriteAllText(go, "");

        // Then: its line is passed on here, and the relay ends with the pipes
        await WaitUntil(() => !Alive(relay), "the relay ended after the grandchild closed the pipes");
        Assert.Equal("parent\nlate\n", stdout.ToString());
    }

    [Fact]
    public async Task Should_Run_The_Command_Unchanged_And_Say_Why_When_The_Relay_Cannot_Start()
    {
        // Given: no shell where the relay's shell should be
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the relay opens the pipes through /proc");
        using var dir = new TempDirectory();
        string missing = dir.File("no-such-sh");
        var stdout = new StringWriter(CultureInfo.InvariantCulture);

        // When
        using var child = Start("echo one; echo two", stdout, relayShell: missing);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Limit);
        int code = await child.WaitForExitAsync(TimeSpan.FromSeconds(10), cts.Token);

        // Then: the command ran as before, and the reason is one line naming the shell
        Assert.Equal(0, code);
        Assert.Equal("one\ntwo\n", stdout.ToString());
        Assert.Null(child.RelayId);
        string problem = Assert.IsType<string>(child.RelayProblem);
        Assert.StartsWith($"cannot run {missing} (", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void Should_End_With_Status_2_And_Print_Nothing_When_The_Pipes_Cannot_Be_Opened()
    {
        // Given: the relay script pointed at a process that cannot exist (pid above Linux's maximum, 2^22)
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the relay opens the pipes through /proc");
        var info = new ProcessStartInfo(StandbyRelay.Shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["-c", StandbyRelay.Script, "trainwatt-relay", "99999999", "3", "4", "5"])
        {
            info.ArgumentList.Add(argument);
        }

        // When
        using var relay = Process.Start(info)!;
        string stdout = relay.StandardOutput.ReadToEnd();
        string stderr = relay.StandardError.ReadToEnd();
        Assert.True(relay.WaitForExit(Limit), "the relay did not end");

        // Then: status 2 (a failed redirection ends a non-interactive sh, POSIX 2.8.1), and no shell message on the
        // user's stderr: TrainWatt gives the one-line reason
        Assert.Equal(2, relay.ExitCode);
        Assert.Equal("", stdout);
        Assert.Equal("", stderr);
    }
}
