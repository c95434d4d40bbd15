using System.Text;

namespace TrainWatt.Core.Reference;

/// <summary>Tolerant name matching for reference tables: normalisation, tokens and edit distance.</summary>
internal static class NameMatching
{
    /// <summary>Lower-case letters and digits only: "NVIDIA GeForce RTX 3090" → "nvidiageforcertx3090".</summary>
    public static string Compact(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Lower-case tokens, split at every non-alphanumeric character and at letter/digit boundaries:
    /// "A100-SXM4-80GB" → a, 100, sxm, 4, 80, gb.
    /// </summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool? currentIsDigit = null;
        foreach (char raw in text)
        {
            if (!char.IsAsciiLetterOrDigit(raw))
            {
                Flush();
                continue;
            }

            char c = char.ToLowerInvariant(raw);
            bool isDigit = char.IsAsciiDigit(c);
            if (currentIsDigit is { } d && d != isDigit)
            {
                Flush();
            }

            current.Append(c);
            currentIsDigit = isDigit;
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }

            currentIsDigit = null;
        }
    }

    /// <summary>
    /// <paramref name="name"/> as a message shows it: whole up to <paramref name="max"/> characters, else its start, an
    /// ellipsis and its length, so an absurd name (a 100 KB field) cannot flood the one-line message.
    /// </summary>
    public static string Shown(string name, int max = 60)
        => name.Length <= max ? name : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name[..max]}... ({name.Length:N0} characters)");

    /// <summary>Levenshtein distance (insert, delete, substitute each cost 1).</summary>
    public static int EditDistance(string a, string b)
    {
        if (a.Length == 0)
        {
            return b.Length;
        }

        if (b.Length == 0)
        {
            return a.Length;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// How much of a query <see cref="Closest"/> compares: several times the longest name or alias of any table (GPU
    /// aliases run to about 30 characters), so every real query is compared whole, while an absurd one (a 100 KB field)
    /// costs no more than this. Edit distance is quadratic: the whole of a 100 KB name took about 3 s per lookup.
    /// </summary>
    public const int MaxComparedLength = 128;

    /// <summary>
    /// The <paramref name="count"/> labels whose keys are closest to <paramref name="query"/>: scored by edit distance
    /// between compact forms, minus a bonus for each shared token; ties keep table order. Only the first
    /// <see cref="MaxComparedLength"/> characters of the query are compared.
    /// </summary>
    public static List<string> Closest(string query, IEnumerable<(string Label, IEnumerable<string> Keys)> candidates, int count)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query.Length > MaxComparedLength ? query[..MaxComparedLength] : query;
        string q = Compact(query);
        var queryTokens = Tokens(query).ToHashSet(StringComparer.Ordinal);
        return candidates
            .Select((c, index) => (c.Label, index, Score: c.Keys.Where(k => k.Length > 0).Min(k => Score(q, queryTokens, k))))
            .OrderBy(x => x.Score)
            .ThenBy(x => x.index)
            .Select(x => x.Label)
            .Distinct(StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    private static double Score(string compactQuery, HashSet<string> queryTokens, string key)
    {
        string k = Compact(key);
        int shared = Tokens(key).Distinct(StringComparer.Ordinal).Count(queryTokens.Contains);
        // Compare against the tail of long keys too, so "3095" is near "NVIDIA GeForce RTX 3090".
        int distance = EditDistance(compactQuery, k);
        if (k.Length > compactQuery.Length && compactQuery.Length > 0)
        {
            distance = Math.Min(distance, EditDistance(compactQuery, k[^compactQuery.Length..]) + 1);
        }

        return distance - (2.0 * shared);
    }
}
