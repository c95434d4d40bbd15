using System.Diagnostics;
using TrainWatt.Core;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests;

public class LocalProcessLivenessTests
{
    [Fact]
    public void Should_See_A_Killed_Process_As_Gone_And_Other_Hosts_As_Unknown()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses /bin/sleep and /proc");
        using var sleeper = Process.Start("/bin/sleep", "60");
        var liveness = LocalProcessLiveness.Instance;

        Assert.True(liveness.IsAlive(Environment.MachineName, sleeper.Id));
        sleeper.Kill();
        sleeper.WaitForExit();

        Assert.False(liveness.IsAlive(Environment.MachineName, sleeper.Id));
        Assert.Null(liveness.IsAlive("another-host", sleeper.Id));
        Assert.True(liveness.IsAlive(Environment.MachineName, Environment.ProcessId));
    }

    [Fact]
    public void Should_Read_Runs_Of_This_Process_As_Running_Through_The_Default_Liveness()
    {
        using var temp = new TempDirectory();
        using var store = SqliteRunStore.Open(temp.File("s.db"));
        long id = store.CreateRun(new NewRun("measure", DateTimeOffset.UtcNow));
        store.RegisterDevice(id, new DeviceRegistration("gpu:0", "gpu", null, Provenance.Counter));

        var run = store.GetRun(id)!.Run;

        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal(Environment.ProcessId, run.ProcessId);
        Assert.Equal(Environment.MachineName, run.Host);
    }
}
