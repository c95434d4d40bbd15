namespace TrainWatt.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void Should_Print_Version_To_Stdout()
    {
        var (code, stdout, stderr) = CliHarness.Run("info");
        Assert.Equal(0, code);
        Assert.StartsWith("trainwatt 0.1.0", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Should_Fail_With_A_Usage_Message_On_An_Unknown_Command()
    {
        var (code, _, stderr) = CliHarness.Run("no-such-command");
        Assert.NotEqual(0, code);
        Assert.Contains("no-such-command", stderr);
    }
}
