namespace TrainWatt.Core.Reference;

/// <summary>The GPUs a search names; <see cref="IsSingle"/> when the name identified exactly one GPU.</summary>
public sealed record GpuLookupResult(IReadOnlyList<GpuSpec> Gpus, bool IsSingle);

/// <summary>The body of <c>trainwatt gpus [SEARCH]</c>: the whole table, the one GPU a name identifies, or the rows matching a part of a name.</summary>
public static class GpuLookup
{
    /// <summary>
    /// No query: every GPU. A name that identifies one GPU ("3090", "NVIDIA GeForce RTX 3090"): that GPU. Else the rows
    /// whose names contain the query.
    /// </summary>
    /// <exception cref="ReferenceLookupException">Nothing matches; the message lists the closest names.</exception>
    public static GpuLookupResult Find(string? query, GpuSpecTable? table = null)
    {
        table ??= GpuSpecTable.Default;
        if (string.IsNullOrWhiteSpace(query))
        {
            return new GpuLookupResult(table.Gpus, false);
        }

        if (table.TryFind(query, out var spec))
        {
            return new GpuLookupResult([spec], true);
        }

        var rows = table.Search(query);
        if (rows.Count > 0)
        {
            return new GpuLookupResult(rows, false);
        }

        table.Find(query); // throws with the closest names
        throw new ReferenceLookupException(query, $"Unknown GPU \"{query}\". List the table with 'trainwatt gpus'.", []);
    }
}
