using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

/// <summary>
/// Issue 13 M8: a kill -9 (or crash) of TrainWatt must never end the training job. The real CLI (trainwatt.dll) runs in
/// a session of its own (setsid), its stdout and stderr on files as in a batch job, measuring a bash command that prints
/// a numbered line to each stream every 50 ms. Before the fix the command died at its first print after the kill
/// (EPIPE: the pipes had lost their only reader). Every wait is a hang guard that ends as soon as its condition holds;
/// nothing here depends on how fast the machine is.
/// </summary>
public class KillTrainWattTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>How long to wait for the relay's handshake before going on without one (it takes milliseconds).</summary>
    private static readonly TimeSpan RelayPatience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Prints "line i" to stdout and "err i" to stderr every 50 ms; once the file go exists, prints 20 more pairs and
    /// writes "0 N" (its exit status and the last number) to the file status. A print that fails ends it as it ends a
    /// Python job (BrokenPipeError), with "1 i" in status. Its pid goes to child.pid first.
    /// </summary>
    private const string NumberedPrinter =
        "echo $$ > \"$D/child.pid\"; i=0; after=-1; " +
        "while :; do i=$((i+1)); " +
        "{ echo \"line $i\" && echo \"err $i\" >&2; } || { echo \"1 $i\" > \"$D/status\"; exit 1; }; " +
        "if [ $after -lt 0 ] && [ -e \"$D/go\" ]; then after=$i; fi; " +
        "if [ $after -ge 0 ] && [ $i -ge $((after+20)) ]; then break; fi; sleep 0.05; done; " +
        "echo \"0 $i\" > \"$D/status\"";

    /// <summary>Prints "line i" every 50 ms until a signal ends it.</summary>
    private const string EndlessPrinter = "echo $$ > \"$D/child.pid\"; i=0; while :; do i=$((i+1)); echo \"line $i\"; sleep 0.05; done";

    [Fact]
    public async Task Should_Keep_The_Command_Running_With_Every_Line_Once_And_Leave_An_Incomplete_Run_When_TrainWatt_Is_Killed()
    {
        // Given: trainwatt measuring the numbered printer, with samples stored and the command printing
        Assert.SkipUnless(OperatingSystem.IsLinux() && Setsid() is not null, "process sessions and /proc (Linux, util-linux setsid)");
        using var dir = new TempDirectory("trainwatt-kill9");
        string db = dir.File("runs.db");
        using var tree = Tree.Start(dir, db, NumberedPrinter);
        try
        {
            await tree.WaitForSamplesAndRelay(db);

            // When: SIGKILL to trainwatt alone, then the command is told to finish (20 more lines after the kill)
            tree.TrainWatt.Kill();
            Assert.True(tree.TrainWatt.WaitForExit(Limit), "trainwatt did not die of SIGKILL");
            File.WriteAllText(dir.File("go"), "");

            // Then: the command finished with status 0 and nothing of the tree is left (the relay ended with the output)
            await WaitUntil(() => File.Exists(dir.File("status")) || !Alive(tree.ChildPid), "the command finished", tree);
            await WaitUntil(() => tree.Members().Count == 0, "every process of trainwatt's session ended", tree);
            string[] status = File.Exists(dir.File("status")) ? File.ReadAllText(dir.File("status")).Split() : ["(none: the command was killed)"];
            Assert.True(status[0] == "0", $"command status {string.Join(' ', status)}; stderr:\n{tree.Stderr}");
            int last = int.Parse(status[1], CultureInfo.InvariantCulture);

            // And: every numbered line, on both streams, exactly once and in order (none lost, none doubled)
            Assert.Equal(Numbered("line", last), File.ReadAllLines(dir.File("out")));
            Assert.Equal(Numbered("err", last), File.ReadAllLines(dir.File("err")).Where(l => l.StartsWith("err ", StringComparison.Ordinal)));
        }
        finally
        {
            File.WriteAllText(dir.File("go"), "");
            tree.KillAll();
        }

        // And: the run reads as incomplete, with its samples and the reason
        var (code, json, _) = CliHarness.Run("runs", "list", "--db", db, "--json");
        Assert.Equal(0, code);
        var run = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal("incomplete", run.GetProperty("status").GetString());
        Assert.Equal("running", run.GetProperty("stored_status").GetString());
        Assert.True(run.GetProperty("samples").GetInt64() > 0, json);
        var (showCode, show, _) = CliHarness.Run("runs", "show", run.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), "--db", db);
        Assert.Equal(0, showCode);
        Assert.Contains("status    incomplete (left running by a process that no longer exists)", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_End_TrainWatt_The_Command_And_The_Relay_On_A_Ctrl_C_To_The_Process_Group()
    {
        // Given: trainwatt measuring a command that prints until interrupted
        Assert.SkipUnless(OperatingSystem.IsLinux() && Setsid() is not null, "process sessions and /proc (Linux, util-linux setsid)");
        using var dir = new TempDirectory("trainwatt-ctrlc");
        string db = dir.File("runs.db");
        using var tree = Tree.Start(dir, db, EndlessPrinter);
        try
        {
            await tree.WaitForSamplesAndRelay(db);

            // When: SIGINT to the whole process group, as Ctrl+C on a terminal sends it
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", "--", "-" + tree.TrainWatt.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                Assert.True(kill.WaitForExit(Limit) && kill.ExitCode == 0, "kill -INT failed");
            }

            // Then: as before the relay existed: the command ends (128 + 2), trainwatt records it and exits with its
            // code, and nothing is left (the relay ignored the SIGINT and was stopped by trainwatt)
            Assert.True(tree.TrainWatt.WaitForExit(Limit), $"trainwatt still runs after SIGINT; stderr:\n{tree.Stderr}");
            Assert.True(tree.TrainWatt.ExitCode == 130, $"exit {tree.TrainWatt.ExitCode}; stderr:\n{tree.Stderr}");
            await WaitUntil(() => tree.Members().Count == 0, "every process of trainwatt's session ended", tree);
        }
        finally
        {
            tree.KillAll();
        }

        var (code, json, _) = CliHarness.Run("runs", "list", "--db", db, "--json");
        Assert.Equal(0, code);
        var run = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.True(run.GetProperty("status").GetString() == "completed", $"{json}\ntrainwatt stderr:\n{tree.Stderr}");
        Assert.Equal(130, run.GetProperty("exit_code").GetInt32());
    }

    private static string[] Numbered(string prefix, int last) =>
        [.. Enumerable.Range(1, last).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix} {i}"))];

    private static string? Setsid() => new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private static async Task WaitUntil(Func<bool> condition, string what, Tree tree)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Limit, $"not within {Limit.TotalSeconds} s: {what}; trainwatt stderr:\n{tree.Stderr}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The process's stat fields after the command name: [0] state, [1] ppid, [2] pgrp, [3] session; null once gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    private static bool Alive(int pid) => Stat(pid) is { } fields && fields[0] != "Z";

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

    /// <summary>trainwatt in a new session (its pid is the session id), output on files, and the processes it leads.</summary>
    private sealed class Tree : IDisposable
    {
        private readonly TempDirectory _dir;

        private Tree(Process trainwatt, TempDirectory dir)
        {
            TrainWatt = trainwatt;
            _dir = dir;
        }

        public Process TrainWatt { get; }

        public int ChildPid => int.Parse(File.ReadAllText(_dir.File("child.pid")).Trim(), CultureInfo.InvariantCulture);

        /// <summary>trainwatt's own stderr lines (the command's numbered lines left out).</summary>
        public string Stderr => (File.Exists(_dir.File("err"))
            ? string.Join('\n', File.ReadAllLines(_dir.File("err")).Where(l => !l.StartsWith("err ", StringComparison.Ordinal)))
            : "(no stderr file)") + "\n" + Dispositions;

        /// <summary>The signal masks of trainwatt and the command as last seen (SigIgn, SigCgt), for failure messages.</summary>
        public string Dispositions { get; private set; } = "";

        public static Tree Start(TempDirectory dir, string db, string script)
        {
            // setsid execs sh, which execs dotnet: one pid, the new session's id. stdin is /dev/null (not a terminal).
            var info = new ProcessStartInfo(Setsid()!) { UseShellExecute = false };
            foreach (string argument in (string[])[
                "/bin/sh", "-c", "exec \"$0\" \"$@\" >\"$D/out\" 2>\"$D/err\" </dev/null",
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "trainwatt.dll"),
                "measure", "--db", db, "--meters", "process", "--", "bash", "-c", script])
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["D"] = dir.Path;

            // SIGINT at its default disposition for trainwatt and its command, as from an interactive shell: through env
            // whenever it can reset it, whatever this process's own disposition looks like at this instant.
            if (SigintDisposition.EnvCanResetSigint)
            {
                info.ArgumentList.Insert(0, info.FileName);
                info.ArgumentList.Insert(0, "--default-signal=INT");
                info.FileName = "env";
            }
            else
            {
                info = info.WithDefaultSigint();
            }

            var process = Process.Start(info)!;
            return new Tree(process, dir);
        }

        /// <summary>Live (not zombie) processes of the session, trainwatt included while it runs.</summary>
        public List<int> Members()
        {
            string session = TrainWatt.Id.ToString(CultureInfo.InvariantCulture);
            var members = new List<int>();
            foreach (string entry in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && Stat(pid) is { } fields && fields[3] == session && fields[0] != "Z")
                {
                    members.Add(pid);
                }
            }

            return members;
        }

        /// <summary>
        /// Waits until the command has printed and the store holds samples, then (at most <see cref="RelayPatience"/>)
        /// until a relay of the session holds the command's own stdout and stderr pipes, so that a kill cannot come
        /// before its handshake. Whether one came is not asserted here: the tests assert what happens to the command.
        /// </summary>
        public async Task WaitForSamplesAndRelay(string db)
        {
            await WaitUntil(() => File.Exists(_dir.File("child.pid")) && File.ReadAllText(_dir.File("out")).Contains("line 3\n", StringComparison.Ordinal), "the command printed 3 lines", this);
            await WaitUntil(() => Samples(db) > 0, "the store holds samples", this);
            int child = ChildPid;
            Dispositions = $"trainwatt {Masks(TrainWatt.Id)}; command {Masks(child)}";
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < RelayPatience && !Members().Any(pid => Cmdline(pid).Contains("trainwatt-relay", StringComparison.Ordinal)
                && Link(pid, 3) is { } stdout && stdout == Link(child, 1)
                && Link(pid, 4) is { } stderr && stderr == Link(child, 2)))
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        /// <summary>Hang cleanup: SIGKILL to whatever of the session still runs, each by its pid.</summary>
        public void KillAll()
        {
            foreach (int pid in Members())
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // It ended meanwhile.
                }
            }
        }

        public void Dispose()
        {
            KillAll();
            TrainWatt.WaitForExit(Limit);
            TrainWatt.Dispose();
        }

        private static string Masks(int pid)
        {
            try
            {
                return string.Join(' ', File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("SigIgn", StringComparison.Ordinal) || l.StartsWith("SigCgt", StringComparison.Ordinal)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "(gone)";
            }
        }

        private static string Cmdline(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "";
            }
        }

        private static long Samples(string db) => (long)LiveStoreQuery.Scalar(db, "SELECT COALESCE(SUM(n), 0) FROM sample_chunks");
    }
}
