using System.Text;
using System.Text.RegularExpressions;

namespace TrainWatt.Storage;

/// <summary>
/// Store locations as users write them: an SQLite path, or a <c>postgres://user[:password]@host[:port]/db[?key=value...]</c>
/// URL. The masking rules live here, in the storage layer every assembly sees, so that no message anywhere can print a
/// password (the PostgreSQL driver itself lives in TrainWatt.Storage.Postgres).
/// </summary>
/// <remarks>
/// <para>A <b>secret</b> is the password of a URL's user info (<c>user:SECRET@host</c>) and the value of any
/// <c>key=value</c> pair (URL query, connection string) whose key is named like a secret (<see cref="IsSecretKey"/>:
/// password, passwd, pwd, sslpassword, secret, token, api_key, ...), libpq's two ways of giving a password.</para>
/// <para><see cref="Mask"/> shows a location with every secret as <c>***</c>; <see cref="WithoutPassword"/> drops them
/// (what a spool file records: still usable, the password then comes from PGPASSWORD or ~/.pgpass);
/// <see cref="Scrub(string)"/> masks every URL and secret pair in any text (a parse error echoing an argument), and
/// <see cref="Scrub(string, string)"/> also removes the bare secret values of a known location (a driver message that
/// quotes the password alone). A bare value shorter than 6 characters is removed only where it stands alone (not
/// inside a longer word), so that a short password does not mangle the message; values of 1 character are left.</para>
/// </remarks>
public static partial class StoreUrl
{
    private const string Stars = "***";

    /// <summary>True for <c>postgres://</c> and <c>postgresql://</c> locations.</summary>
    public static bool IsPostgres(string location)
        => location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
           || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when a parameter named <paramref name="name"/> holds a secret: its letters (case and separators ignored)
    /// contain pass (password, passwd, sslpassword, passphrase), pwd, secret, token or credential, or end with key
    /// (key, api_key, sslkey).
    /// </summary>
    public static bool IsSecretKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = new(name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return n.Contains("pass", StringComparison.Ordinal) || n.Contains("pwd", StringComparison.Ordinal)
            || n.Contains("secret", StringComparison.Ordinal) || n.Contains("token", StringComparison.Ordinal)
            || n.Contains("credential", StringComparison.Ordinal) || n.EndsWith("key", StringComparison.Ordinal);
    }

    /// <summary>The URL with every secret replaced by <c>***</c>, safe to print; a location that is not a URL (an SQLite path) as is.</summary>
    public static string Mask(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Contains("://", StringComparison.Ordinal) ? Scrub(url) : url;
    }

    /// <summary>
    /// The URL without its secrets (<c>postgres://user@host/db?sslmode=require</c>): safe to print and to store, and
    /// usable (the password then comes from PGPASSWORD or ~/.pgpass). Also takes a masked URL.
    /// </summary>
    public static string WithoutPassword(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return url;
        }

        string withoutUserPassword = UserInfoPassword().Replace(url, m => m.Groups["head"].Value + "@");
        int query = withoutUserPassword.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return withoutUserPassword;
        }

        int fragment = withoutUserPassword.IndexOf('#', query);
        string tail = fragment < 0 ? "" : withoutUserPassword[fragment..];
        string parameters = fragment < 0 ? withoutUserPassword[(query + 1)..] : withoutUserPassword[(query + 1)..fragment];
        var kept = parameters.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !IsSecretKey(Uri.UnescapeDataString(pair.Split('=', 2)[0])))
            .ToList();
        return withoutUserPassword[..query] + (kept.Count == 0 ? "" : "?" + string.Join('&', kept)) + tail;
    }

    /// <summary>
    /// <paramref name="text"/> with every secret it shows masked: the password of any URL's user info, and the value of
    /// any secret-named <c>key=value</c> pair (a URL's query, a connection string).
    /// </summary>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string masked = UserInfoPassword().Replace(text, m => m.Groups["head"].Value + ":" + Stars + "@");
        return KeyValue().Replace(masked, m => IsSecret(m)
            ? m.Groups["pre"].Value + m.Groups["key"].Value + m.Groups["eq"].Value + Stars
            : m.Value);
    }

    /// <summary><see cref="Scrub(string)"/>, and every secret value of <paramref name="url"/> removed from <paramref name="text"/> (an error message from the driver).</summary>
    public static string Scrub(string text, string url) => Scrub(text, [url]);

    /// <summary>
    /// <see cref="Scrub(string)"/>, and every secret value found in <paramref name="sources"/> (store locations, or a
    /// whole command line: <c>--db=URL</c>, a URL as an unexpected argument) removed from <paramref name="text"/>.
    /// </summary>
    public static string Scrub(string text, IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sources);
        string scrubbed = Scrub(text);
        var secrets = sources.Where(s => s is not null).SelectMany(Secrets).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length);
        foreach (string secret in secrets)
        {
            scrubbed = secret.Length >= 6 ? scrubbed.Replace(secret, Stars, StringComparison.Ordinal) : ReplaceWhole(scrubbed, secret);
        }

        return scrubbed;
    }

    /// <summary>The secret values a location or argument carries, as written and percent-decoded.</summary>
    internal static IEnumerable<string> Secrets(string source)
    {
        var values = new List<string>();
        foreach (Match m in UserInfoPassword().Matches(source))
        {
            values.Add(m.Groups["secret"].Value);
        }

        foreach (Match m in KeyValue().Matches(source))
        {
            if (IsSecret(m))
            {
                values.Add(m.Groups["value"].Value);
            }
        }

        foreach (string value in values.Where(v => v.Length > 1 && v != Stars))
        {
            yield return value;
            string decoded = Unescape(value);
            if (decoded != value && decoded.Length > 1)
            {
                yield return decoded;
            }
        }
    }

    /// <summary>
    /// A secret pair: a secret-named key; in running text (not after <c>? &amp; ;</c>) the bare name <c>key</c> does not
    /// count, so that "--tag must look like key=value" stays readable.
    /// </summary>
    private static bool IsSecret(Match pair)
    {
        string key = pair.Groups["key"].Value;
        bool parameter = pair.Groups["pre"].Value is "?" or "&" or ";";
        return IsSecretKey(key) && (parameter || !key.Equals("key", StringComparison.OrdinalIgnoreCase));
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    /// <summary>Replaces the occurrences of <paramref name="secret"/> that are not part of a longer word.</summary>
    private static string ReplaceWhole(string text, string secret)
    {
        var result = new StringBuilder(text.Length);
        int from = 0;
        for (int at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + 1, StringComparison.Ordinal))
        {
            if (at < from)
            {
                continue;
            }

            int end = at + secret.Length;
            bool alone = (at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
            if (alone)
            {
                result.Append(text, from, at - from).Append(Stars);
                from = end;
            }
        }

        return result.Append(text, from, text.Length - from).ToString();
    }

    /// <summary><c>scheme://user:SECRET@</c>: the secret runs to the last <c>@</c> before a space, quote, <c>?</c> or <c>#</c>.</summary>
    [GeneratedRegex(@"(?<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:@/\s'""?#]*):(?<secret>[^\s'""?#]*)@")]
    private static partial Regex UserInfoPassword();

    /// <summary><c>key=value</c> at the start of the text or after <c>? &amp; ; , (</c>, a space or a quote (URL queries, connection strings).</summary>
    [GeneratedRegex(@"(?<pre>^|[?&;,(\s'""])(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)(?<eq>\s*=\s*)(?<value>[^&;,\s'"")]*)")]
    private static partial Regex KeyValue();
}
