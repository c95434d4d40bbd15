using System.CommandLine;
using TrainWatt.Storage;
using TrainWatt.Measurement;

namespace TrainWatt.Cli;

/// <summary>
/// The one rule every command uses to find the store: <c>--db PATH</c>, else <c>TRAINWATT_DB</c>, else
/// <c>$XDG_DATA_HOME/trainwatt/trainwatt.db</c> (XDG base-directory spec: only an absolute XDG_DATA_HOME counts), else
/// <c>~/.local/share/trainwatt/trainwatt.db</c>; on Windows <c>%LOCALAPPDATA%\TrainWatt\trainwatt.db</c>.
/// </summary>
internal static class StoreLocation
{
    public const string EnvironmentVariable = StoreLocations.EnvironmentVariable;

    /// <summary>The <c>--db</c> option; each store command adds its own instance.</summary>
    public static Option<string?> CreateOption() => new("--db")
    {
        Description = $"The run store: an SQLite file, or postgres://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass). Default: ${EnvironmentVariable}, else $XDG_DATA_HOME/trainwatt/trainwatt.db (~/.local/share/trainwatt/trainwatt.db).",
        HelpName = "PATH",
    };

    public static string Resolve(string? dbOption, CliContext context) => StoreLocations.Resolve(dbOption, context.Host);

    public static string SpoolDirectory(string location, CliContext context) => StoreLocations.SpoolDirectory(location, context.Host);

    public static string WithoutPassword(string location) => StoreLocations.WithoutPassword(location);

    /// <summary>
    /// Opens the store named by <paramref name="dbOption"/> and the rule above, runs <paramref name="work"/> and turns
    /// store failures into one clear message on stderr and exit code 73 (no stack trace).
    /// </summary>
    public static int WithStore(CliContext context, string? dbOption, Func<IRunStore, int> work)
    {
        string location = Resolve(dbOption, context);
        try
        {
            using var store = RunStoreFactory.Open(location, context.Time);
            return work(store);
        }
        catch (StoreException e)
        {
            DiagnosticRaw(context, "error: " + Failures.Redact(context, e.Message));
            return (int)ExitCode.CannotCreate;
        }
    }

    /// <summary>Writes one diagnostic line to stderr as is (no markup, no wrapping of long paths).</summary>
    public static void DiagnosticRaw(CliContext context, string message) => context.Error.Profile.Out.Writer.Write(message + "\n");
}
