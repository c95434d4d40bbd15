using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// The one rule every command and .NET caller uses to find the store: an explicit location, else <c>TRAINWATT_DB</c>,
/// else <c>$XDG_DATA_HOME/trainwatt/trainwatt.db</c> (XDG base-directory spec: only an absolute XDG_DATA_HOME counts),
/// else <c>~/.local/share/trainwatt/trainwatt.db</c>; on Windows <c>%LOCALAPPDATA%\TrainWatt\trainwatt.db</c>.
/// </summary>
public static class StoreLocations
{
    public const string EnvironmentVariable = "TRAINWATT_DB";

    /// <summary>The store location: <paramref name="given"/> when set, else the rule above.</summary>
    public static string Resolve(string? given, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        return host.Env(EnvironmentVariable) ?? DefaultPath(host);
    }

    /// <summary>
    /// Where <c>measure</c> spools the writes a store outage kept from the store: <c>spool/</c> beside an SQLite store,
    /// and for a PostgreSQL store in the TrainWatt data folder (beside the default local store).
    /// </summary>
    public static string SpoolDirectory(string location, HostContext host)
        => Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(StoreUrl.IsPostgres(location) ? DefaultPath(host) : location))!,
            "spool");

    /// <summary>The store's location with no password (what a spool file records).</summary>
    public static string WithoutPassword(string location)
        => StoreUrl.IsPostgres(location) ? StoreUrl.WithoutPassword(location) : Path.GetFullPath(location);

    private static string DefaultPath(HostContext host)
    {
        if (OperatingSystem.IsWindows())
        {
            string local = host.Env("LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(local, "TrainWatt", "trainwatt.db");
        }

        if (host.Env("XDG_DATA_HOME") is { } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "trainwatt", "trainwatt.db");
        }

        string home = host.Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "trainwatt", "trainwatt.db");
    }
}
