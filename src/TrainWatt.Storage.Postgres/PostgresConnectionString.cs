using System.Text;
using Npgsql;

namespace TrainWatt.Storage.Postgres;

/// <summary>
/// Turns a <c>postgres://user[:password]@host[:port]/database[?sslmode=require&amp;...]</c> URL (libpq's URI form) into an
/// Npgsql connection string, and masks the password for every message. Passwords come only from the URL, PGPASSWORD or
/// the pgpass file (Npgsql reads both when the URL has none); TrainWatt never prints them (masking: <see cref="StoreUrl"/>).
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>Parses the URL; throws <see cref="StoreException"/> (masked) when it is not a usable PostgreSQL URL.</summary>
    public static string ToNpgsql(string url, string applicationName = "trainwatt")
    {
        string masked = StoreUrl.Mask(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !StoreUrl.IsPostgres(url) || string.IsNullOrEmpty(uri.Host))
        {
            throw new StoreException(masked,
                $"{masked} is not a PostgreSQL URL. Use postgres://USER@HOST:PORT/DATABASE (password from PGPASSWORD or ~/.pgpass).");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            ApplicationName = applicationName,
        };
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            string npgsqlKey = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "connect_timeout" => "Timeout",
                "application_name" => "Application Name",
                "options" => "Options",
                _ => key,
            };
            try
            {
                builder[npgsqlKey] = npgsqlKey == "SSL Mode" ? SslModeName(value) : value;
            }
            catch (ArgumentException e)
            {
                throw new StoreException(masked, $"{masked}: the parameter '{key}' is not understood ({StoreUrl.Scrub(e.Message, url)}). Remove it or use a libpq/Npgsql parameter name.", e);
            }
        }

        return builder.ConnectionString;
    }

    private static string SslModeName(string libpq)
    {
        var name = new StringBuilder();
        foreach (string part in libpq.Split('-'))
        {
            if (part.Length > 0)
            {
                name.Append(char.ToUpperInvariant(part[0])).Append(part[1..].ToLowerInvariant());
            }
        }

        return name.ToString();
    }
}
