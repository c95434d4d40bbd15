using System.CommandLine;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;

namespace TrainWatt.Cli;

/// <summary>
/// The one rule every command uses to find the store: <c>--db PATH</c>, else <c>TRAINWATT_DB</c>, else
/// <c>$XDG_DATA_HOME/trainwatt/trainwatt.db</c> (XDG base-directory spec: only an absolute XDG_DATA_HOME counts), else
/// <c>~/.local/share/trainwatt/trainwatt.db</c>; on Windows <c>%LOCALAPPDATA%\TrainWatt\trainwatt.db</c>.
/// </summary>
internal static class StoreLocation
{
    public const string EnvironmentVariable = "TRAINWATT_DB";

    /// <summary>The <c>--db</c> option; each store command adds its own instance.</summary>
    public static Option<string?> CreateOption() => new("--db")
    {
        Description = $"The run store: an SQLite file, or postgres://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass). Default: ${EnvironmentVariable}, else $XDG_DATA_HOME/trainwatt/trainwatt.db (~/.local/share/trainwatt/trainwatt.db).",
        HelpName = "PATH",
    };

    public static string Resolve(string? dbOption, CliContext context)
    {
        if (!string.IsNullOrWhiteSpace(dbOption))
        {
            return dbOption;
        }

        if (context.Env(EnvironmentVariable) is { } fromEnv)
        {
            return fromEnv;
        }

        return DefaultPath(context);
    }

    /// <summary>
    /// Where <c>measure</c> spools the writes a store outage kept from the store: <c>spool/</c> beside an SQLite store,
    /// and for a PostgreSQL store in the TrainWatt data folder (beside the default local store).
    /// </summary>
    public static string SpoolDirectory(string location, CliContext context)
        => Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(PostgresConnectionString.IsPostgres(location) ? DefaultPath(context) : location))!,
            "spool");

    /// <summary>The store's location with no password (what a spool file records).</summary>
    public static string WithoutPassword(string location)
        => PostgresConnectionString.IsPostgres(location) ? PostgresConnectionString.WithoutPassword(location) : Path.GetFullPath(location);

    private static string DefaultPath(CliContext context)
    {
        if (OperatingSystem.IsWindows())
        {
            string local = context.Env("LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(local, "TrainWatt", "trainwatt.db");
        }

        if (context.Env("XDG_DATA_HOME") is { } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "trainwatt", "trainwatt.db");
        }

        string home = context.Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "trainwatt", "trainwatt.db");
    }

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
            DiagnosticRaw(context, "error: " + e.Message);
            return (int)ExitCode.CannotCreate;
        }
    }

    /// <summary>Writes one diagnostic line to stderr as is (no markup, no wrapping of long paths).</summary>
    public static void DiagnosticRaw(CliContext context, string message) => context.Error.Profile.Out.Writer.Write(message + "\n");
}
