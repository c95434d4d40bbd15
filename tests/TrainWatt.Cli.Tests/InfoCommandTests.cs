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

public class UsageErrorTests
{
    [Fact]
    public void Should_Exit_64_And_Name_The_Bad_Option()
    {
        // sysexits.h EX_USAGE = 64 (ExitCode.Usage).
        var (code, stdout, stderr) = CliHarness.Run("energy", "--no-such-option", "x.csv");
        Assert.Equal(64, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--no-such-option", stderr);
        Assert.Contains("Run 'trainwatt energy --help' for usage.", stderr);
    }

    [Fact]
    public void Should_Register_Every_Command_Name_Once()
    {
        var root = TrainWattApp.Build(new CliContext(
            new Spectre.Console.Testing.TestConsole(), new Spectre.Console.Testing.TestConsole(), TimeProvider.System,
            new Dictionary<string, string?>()));
        var names = root.Subcommands.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
