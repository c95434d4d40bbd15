using Spectre.Console.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>Runs the CLI in-process against Spectre test consoles and returns exit code, stdout and stderr.</summary>
internal static class CliHarness
{
    public static (int ExitCode, string Out, string Err) Run(params string[] args)
        => Run(new Dictionary<string, string?>(), args);

    public static (int ExitCode, string Out, string Err) Run(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var stdout = new TestConsole();
        var stderr = new TestConsole();
        stdout.Profile.Width = 200;
        stderr.Profile.Width = 200;
        var context = new CliContext(stdout, stderr, TimeProvider.System, env);
        int code = TrainWattApp.Run(args, context);
        return (code, stdout.Output, stderr.Output);
    }
}
