using TrainWatt.Analysis.Data;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Onnx;
using TrainWatt.Cli.Commands;
using TrainWatt.Core.Reference;
using TrainWatt.Estimation;
using TrainWatt.Meters;
using TrainWatt.Meters.Nvml;
using TrainWatt.Meters.Processes;
using TrainWatt.Storage;

namespace TrainWatt.Cli;

/// <summary>
/// The one map from a library exception to TrainWatt's exit code (<see cref="ExitCode"/>, documented in README.md):
/// every handler runs inside <see cref="Run"/>, so no failure reaches the user as a stack trace. Messages are the
/// libraries' own (they name the file, line, option or device and the fix); the map only adds "error: " and the code.
/// </summary>
internal static class Failures
{
    /// <summary>The arguments of the command being run (see <see cref="Run"/>), for <see cref="Redact"/>.</summary>
    private static readonly AsyncLocal<IReadOnlyList<string>?> CommandLine = new();

    /// <summary>The exit code for <paramref name="e"/>; <see cref="ExitCode.Software"/> for anything unexpected (a bug).</summary>
    public static ExitCode CodeFor(Exception e) => e switch
    {
        SettingsException or PreModels.InputException or ArgumentException or ReferenceLookupException => ExitCode.Usage,
        RunNotFoundException => ExitCode.NoInput,
        StoreException => ExitCode.CannotCreate,
        MeterUnavailableException or NvmlException => ExitCode.Unavailable,
        CommandStartException start => start.NotFound ? ExitCode.CommandNotFound : ExitCode.CommandNotExecutable,
        FileNotFoundException or DirectoryNotFoundException => ExitCode.NoInput,
        UnauthorizedAccessException => ExitCode.NoPermission,
        AnalysisDataException or PreDatasetException or PreModelException or OnnxFormatException or GraphStructureException
            or ReferenceDataException or InvalidDataException or FormatException => ExitCode.DataError,
        IOException => ExitCode.CannotCreate,
        _ => ExitCode.Software,
    };

    /// <summary>
    /// Runs a handler: a known failure becomes one <c>error:</c> line on stderr and its exit code; an unexpected one
    /// (a bug) a one-line report request with exit code 70, never a stack trace (set TRAINWATT_DEBUG=1 to see it).
    /// <paramref name="prefix"/> starts each line: "error: ", or "" for the commands whose bare messages scripts match (carbon, gpus).
    /// <paramref name="commandLine"/>: the program's arguments (<see cref="TrainWattApp.Run"/> passes them); every message
    /// printed while the handler runs, here or in a nested <see cref="Run"/>, is scrubbed of the secrets they carry.
    /// </summary>
    public static int Run(CliContext context, Func<int> handler, string prefix = "error: ", IReadOnlyList<string>? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);
        var outer = CommandLine.Value;
        if (commandLine is not null)
        {
            CommandLine.Value = commandLine;
        }

        try
        {
            return handler();
        }
        catch (Exception e)
        {
            // Cancellations too: nothing in the CLI cancels on purpose, so one that reaches here (a timeout inside a
            // library) is reported as a bug rather than left to the runtime, which would print a stack trace.
            return Report(context, e, prefix);
        }
        finally
        {
            CommandLine.Value = outer;
        }
    }

    /// <summary>
    /// <paramref name="message"/> without any secret (<see cref="StoreUrl.Scrub(string, IEnumerable{string})"/>): those of
    /// <paramref name="commandLine"/> (default: the command being run) and of TRAINWATT_DB, and any URL password or
    /// secret-named parameter it shows.
    /// </summary>
    public static string Redact(CliContext context, string message, IReadOnlyList<string>? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        IEnumerable<string> sources = commandLine ?? CommandLine.Value ?? [];
        if (context.Env(StoreLocation.EnvironmentVariable) is { } store)
        {
            sources = sources.Append(store);
        }

        return StoreUrl.Scrub(message, sources);
    }

    /// <summary>Prints <paramref name="e"/> as one line and returns its exit code.</summary>
    public static int Report(CliContext context, Exception e, string prefix = "error: ")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(e);
        var code = CodeFor(e);
        if (e is SettingsException settings)
        {
            foreach (string problem in settings.Problems)
            {
                context.Diagnostic(prefix + OneLine(Redact(context, problem)));
            }

            return (int)code;
        }

        string message = e is MeterUnavailableException meter
            ? $"meter {meter.Meter} is unavailable: {meter.Message}" + (meter.Fix is null ? string.Empty : $" Fix: {meter.Fix}")
            : code == ExitCode.Software
            ? $"internal error ({e.GetType().Name}: {e.Message}). This is a bug in TrainWatt: please report it with the command line."
            : e.Message;
        context.Diagnostic(prefix + OneLine(Redact(context, message)));
        if (code == ExitCode.Software && context.Env("TRAINWATT_DEBUG") is not null)
        {
            context.Diagnostic(Redact(context, e.ToString()));
        }

        return (int)code;
    }

    /// <summary>A message on one line: .NET's argument exceptions add "\nActual value was ..." on a line of their own.</summary>
    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
