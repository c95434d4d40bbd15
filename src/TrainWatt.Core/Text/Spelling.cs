namespace TrainWatt.Core.Text;

/// <summary>"Did you mean …?" for mistyped command and option names: the closest known name by edit distance.</summary>
public static class Spelling
{
    /// <summary>
    /// The candidate closest to <paramref name="typed"/> (Levenshtein distance, ignoring case), or null when none is
    /// close: at most 1 edit for names up to 4 characters, 2 up to 8, 3 beyond; or a candidate that starts with what
    /// was typed (at least 3 characters: <c>meas</c> → <c>measure</c>). Ties go to the first candidate given.
    /// </summary>
    public static string? Suggest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        string lower = typed.ToLowerInvariant();
        int allowed = lower.TrimStart('-').Length switch { <= 4 => 1, <= 8 => 2, _ => 3 };
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            string other = candidate.ToLowerInvariant();
            if (other == lower)
            {
                continue;
            }

            int distance = Reference.NameMatching.EditDistance(lower, other);
            bool prefix = lower.TrimStart('-').Length >= 3 && other.StartsWith(lower, StringComparison.Ordinal);
            if ((distance <= allowed || prefix) && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }
}
