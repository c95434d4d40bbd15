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
    /// and for a PostgreSQL store in the TrainWatt data folder (beside the default local store). The first of
    /// <see cref="SpoolDirectories"/>.
    /// </summary>
    public static string SpoolDirectory(string location, HostContext host)
        => Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(StoreUrl.IsPostgres(location) ? DefaultPath(host) : location))!,
            "spool");

    /// <summary>
    /// The folders a spool file may go to, best first: <see cref="SpoolDirectory"/>; then the user's state folder,
    /// <c>$XDG_STATE_HOME/trainwatt/spool</c> (only an absolute XDG_STATE_HOME counts), else
    /// <c>~/.local/state/trainwatt/spool</c> (Windows: <c>%LOCALAPPDATA%\TrainWatt\spool</c>); then
    /// <c>trainwatt-spool-USER</c> in the temp folder (/tmp). The writer takes the first it can write a spool file in:
    /// an SQLite store stopped by a full disk has its folder on that disk, and its spool must go elsewhere.
    /// </summary>
    public static IReadOnlyList<string> SpoolDirectories(string location, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(host);
        string state;
        if (OperatingSystem.IsWindows())
        {
            state = Path.Combine(host.Env("LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "TrainWatt", "spool");
        }
        else if (host.Env("XDG_STATE_HOME") is { } xdg && Path.IsPathRooted(xdg))
        {
            state = Path.Combine(xdg, "trainwatt", "spool");
        }
        else
        {
            string home = host.Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            state = Path.Combine(home, ".local", "state", "trainwatt", "spool");
        }

        string temp = Path.Combine(Path.GetTempPath(), "trainwatt-spool-" + Environment.UserName);
        return [.. new[] { SpoolDirectory(location, host), Path.GetFullPath(state), temp }.Distinct(StringComparer.Ordinal)];
    }

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
