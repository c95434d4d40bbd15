namespace TrainWatt.Analysis.Data;

/// <summary>
/// <c>key=value</c> filters on observation keys, e.g. <c>environment=Cloud</c>. Several filters on the same key are
/// alternatives (OR); filters on different keys must all hold (AND). Values compare case-insensitively.
/// </summary>
public sealed class RunFilter
{
    private readonly Dictionary<string, HashSet<string>> _allowed;

    private RunFilter(Dictionary<string, HashSet<string>> allowed) => _allowed = allowed;

    public static RunFilter Parse(IEnumerable<string> expressions)
    {
        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string expression in expressions)
        {
            int eq = expression.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == expression.Length - 1)
            {
                throw new FormatException($"--filter \"{expression}\" is not key=value (e.g. environment=Cloud).");
            }

            string key = expression[..eq].Trim();
            if (!allowed.TryGetValue(key, out var values))
            {
                allowed[key] = values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            values.Add(expression[(eq + 1)..].Trim());
        }

        return new RunFilter(allowed);
    }

    public IReadOnlyList<Observation> Apply(IReadOnlyList<Observation> runs)
    {
        foreach (string key in _allowed.Keys)
        {
            if (!runs.Any(r => r.Keys.ContainsKey(key)))
            {
                var known = runs.SelectMany(r => r.Keys.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                throw new FormatException($"--filter key \"{key}\" is not a key of these runs; known keys: {string.Join(", ", known)}.");
            }
        }

        var kept = runs.Where(r => _allowed.All(f => r.Keys.TryGetValue(f.Key, out var v) && f.Value.Contains(v))).ToArray();
        if (kept.Length == 0 && _allowed.Count > 0)
        {
            var hints = _allowed.Keys.Select(k => $"{k}: {string.Join(", ", runs.Select(r => r.Keys.GetValueOrDefault(k)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}");
            throw new FormatException($"No run matches the filters; known values — {string.Join("; ", hints)}.");
        }

        return kept;
    }
}
