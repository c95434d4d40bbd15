using Spectre.Console.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>Runs the CLI in-process against Spectre test consoles and returns exit code, stdout and stderr.</summary>
internal static class CliHarness
{
    public static (int ExitCode, string Out, string Err) Run(params string[] args)
        => Run(new Dictionary<string, string?>(), args);

    public static (int ExitCode, string Out, string Err) Run(IReadOnlyDictionary<string, string?> env, params string[] args)
        => Run(env, meters: null, time: null, args);

    /// <summary>Runs with an injected meter source and clock (no hardware, no real time where the point is not the process).</summary>
    public static (int ExitCode, string Out, string Err) Run(IReadOnlyDictionary<string, string?> env, TrainWatt.Measurement.IMeterSource? meters, TimeProvider? time, params string[] args)
    {
        var stdout = new TestConsole();
        var stderr = new TestConsole();
        stdout.Profile.Width = 200;
        stderr.Profile.Width = 200;
        var context = new CliContext(stdout, stderr, time ?? TimeProvider.System, env);
        if (meters is not null)
        {
            context = context with { Meters = meters };
        }

        int code = TrainWattApp.Run(args, context);
        return (code, stdout.Output, stderr.Output);
    }
}
