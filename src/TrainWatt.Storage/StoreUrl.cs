namespace TrainWatt.Storage;

/// <summary>
/// Store locations as users write them: an SQLite path, or a <c>postgres://user[:password]@host[:port]/db</c> URL. The
/// masking rules live here, in the storage layer every assembly sees, so that no message anywhere can print a password
/// (the PostgreSQL driver itself lives in TrainWatt.Storage.Postgres).
/// </summary>
public static class StoreUrl
{
    /// <summary>True for <c>postgres://</c> and <c>postgresql://</c> locations.</summary>
    public static bool IsPostgres(string location)
        => location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
           || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL with its password replaced by <c>***</c>, safe to print.</summary>
    public static string Mask(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        int at = url.IndexOf('@', scheme + 3);
        if (at < 0)
        {
            return url;
        }

        int colon = url.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }

    /// <summary>The URL without its password (<c>postgres://user@host/db</c>): safe to print and to store, and usable (the password then comes from PGPASSWORD or ~/.pgpass).</summary>
    public static string WithoutPassword(string url)
    {
        string masked = Mask(url);
        int stars = masked.IndexOf(":***@", StringComparison.Ordinal);
        return stars < 0 ? masked : masked[..stars] + masked[(stars + 4)..];
    }

    /// <summary>Removes the password of <paramref name="url"/> from <paramref name="text"/> (an error message from the driver).</summary>
    public static string Scrub(string text, string url)
    {
        string? password = Password(url);
        return string.IsNullOrEmpty(password) ? text : text.Replace(password, "***", StringComparison.Ordinal);
    }

    internal static string? Password(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        int colon = uri.UserInfo.IndexOf(':');
        return colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
    }

}
