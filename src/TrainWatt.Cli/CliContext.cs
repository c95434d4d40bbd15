using Spectre.Console;
using TrainWatt.Measurement;

namespace TrainWatt.Cli;

/// <summary>
/// Everything a command handler may touch from the outside world: data goes to <see cref="Out"/> (stdout),
/// diagnostics to <see cref="Error"/> (stderr), time comes from <see cref="Time"/>. Tests pass Spectre's
/// <c>TestConsole</c> and a fake <see cref="TimeProvider"/>.
/// </summary>
public sealed record CliContext(IAnsiConsole Out, IAnsiConsole Error, TimeProvider Time, IReadOnlyDictionary<string, string?> Environment)
{
    public static CliContext FromProcess()
    {
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var env = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        return new CliContext(stdout, stderr, TimeProvider.System, env)
        {
            StdoutBytes = Console.OpenStandardOutput(),
            StderrBytes = Console.OpenStandardError(),
            ErrorIsTerminal = !Console.IsErrorRedirected,
        };
    }

    /// <summary>The process's own stdout as bytes (null with test consoles): a measured command's output goes here unchanged.</summary>
    public Stream? StdoutBytes { get; init; }

    /// <summary>True when stderr is a terminal (not redirected to a file or pipe): progress lines are shown only then.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The process's own stderr as bytes (null with test consoles).</summary>
    public Stream? StderrBytes { get; init; }

    /// <summary>Where <c>measure</c>, <c>experiment run</c> and <c>doctor</c> get their meters: the hardware, or a fake in tests.</summary>
    public IMeterSource Meters { get; init; } = HardwareMeterSource.Instance;

    /// <summary>The clock and environment as the application layer takes them.</summary>
    public HostContext Host => _host ??= new HostContext(Time, Environment);

    private HostContext? _host;

    /// <summary>Library entry points take the host part only.</summary>
    public static implicit operator HostContext(CliContext context) => context.Host;

    public string? Env(string name) => Environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    /// <summary>Writes raw text to stdout without Spectre markup processing (JSON, CSV).</summary>
    public void WriteData(string text) => Out.Profile.Out.Writer.Write(text);

    /// <summary>
    /// Writes one diagnostic line to stderr as plain text: no markup, no wrapping at the console width (a file path
    /// in an error message must stay copy-pasteable).
    /// </summary>
    public void Diagnostic(string message) => Error.Profile.Out.Writer.WriteLine(message);
}
