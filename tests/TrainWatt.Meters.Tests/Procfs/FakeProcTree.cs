using System.Globalization;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Procfs;

/// <summary>A minimal /proc in a temp folder: <c>stat</c> and <c>PID/stat</c> files in the proc(5) format.</summary>
internal sealed class FakeProcTree : IDisposable
{
    private readonly TempDirectory _dir = new("trainwatt-proc");

    public string Root => _dir.Path;

    /// <summary>Writes /proc/stat with an aggregate line "cpu user nice system idle iowait irq softirq steal 0 0" and <paramref name="cpus"/> per-CPU lines.</summary>
    public FakeProcTree System(long user, long nice, long system, long idle, long iowait = 0, long irq = 0, long softirq = 0, long steal = 0, int cpus = 4)
    {
        var lines = new List<string> { Invariant($"cpu  {user} {nice} {system} {idle} {iowait} {irq} {softirq} {steal} 0 0") };
        for (int i = 0; i < cpus; i++)
        {
            lines.Add($"cpu{i} 1 1 1 1 1 1 1 1 0 0");
        }

        lines.Add("intr 12345");
        lines.Add("ctxt 999");
        File.WriteAllText(Path.Combine(Root, "stat"), string.Join('\n', lines) + "\n");
        return this;
    }

    /// <summary>Writes /proc/PID/stat with the given ppid, times (ticks) and RSS (pages); other fields are plausible constants.</summary>
    public FakeProcTree Process(int pid, int ppid, long utime, long stime, long rssPages, long cutime = 0, long cstime = 0, string comm = "python")
    {
        string dir = Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);

        // Fields 1..24 of proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss ...
        string line = Invariant($"{pid} ({comm}) S {ppid} {pid} {pid} 0 -1 4194304 100 0 0 0 {utime} {stime} {cutime} {cstime} 20 0 4 0 12345 1000000000 {rssPages} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0");
        File.WriteAllText(Path.Combine(dir, "stat"), line + "\n");
        return this;
    }

    public void Remove(int pid) => Directory.Delete(Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture)), true);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _dir.Dispose();
}
