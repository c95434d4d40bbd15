namespace TrainWatt.Cli.Tests;

public class VersionTests
{
    [Fact]
    public void Should_Print_The_Same_Version_Through_The_Command_Tree_As_The_Fast_Path()
    {
        // The fast path in Program.cs prints VersionText.Informational; System.CommandLine's own --version must agree.
        var (code, stdout, _) = CliHarness.Run("--version");
        Assert.Equal(0, code);
        Assert.Equal(VersionText.Informational, stdout.Trim());
        Assert.DoesNotContain('+', stdout);
    }
}
