using System.Diagnostics;
using System.Globalization;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// Starts a process that a test sends SIGINT to with SIGINT at its default disposition, whatever the test process
/// inherited. A command started as <c>cmd &amp;</c> by a non-interactive shell (a CI step, a nohup-style runner) gets
/// SIGINT and SIGQUIT ignored, every descendant inherits that, and neither .NET nor bash handles a signal ignored on
/// entry: trainwatt would never see the test's SIGINT and the test would time out or run to the end.
/// </summary>
internal static class SigintDisposition
{
    private static readonly Lazy<bool> EnvCanReset = new(() =>
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { UseShellExecute = false })!;
            return probe.WaitForExit(TimeSpan.FromSeconds(30)) && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>True when <c>env --default-signal=INT</c> works here (GNU coreutils 8.31+).</summary>
    public static bool EnvCanResetSigint => EnvCanReset.Value;

    /// <summary>True when this process runs with SIGINT ignored (bit 2 of SigIgn in /proc/self/status).</summary>
    public static bool IgnoredHere()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (2 - 1))) != 0;
    }

    /// <summary>
    /// When SIGINT is ignored here, runs <paramref name="info"/>'s program through <c>env --default-signal=INT</c>
    /// (GNU coreutils 8.31+; env execs the program, so the pid is the same); skips the test when that is not possible.
    /// </summary>
    public static ProcessStartInfo WithDefaultSigint(this ProcessStartInfo info)
    {
        if (!IgnoredHere())
        {
            return info;
        }

        Assert.SkipUnless(EnvCanReset.Value, "SIGINT is ignored in the test process and `env --default-signal` is not available to restore it for the child.");
        info.ArgumentList.Insert(0, info.FileName);
        info.ArgumentList.Insert(0, "--default-signal=INT");
        info.FileName = "env";
        return info;
    }
}
