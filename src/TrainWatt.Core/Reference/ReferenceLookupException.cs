namespace TrainWatt.Core.Reference;

/// <summary>
/// A name (GPU, country, cloud region) was not found in a reference table, or matched several rows. The message lists
/// the closest names; <see cref="Suggestions"/> holds them for callers that format their own message.
/// </summary>
public sealed class ReferenceLookupException : KeyNotFoundException
{
    public ReferenceLookupException(string query, string message, IReadOnlyList<string> suggestions)
        : base(message)
    {
        Query = query;
        Suggestions = suggestions;
    }

    /// <summary>What the caller asked for, as given.</summary>
    public string Query { get; }

    /// <summary>The closest (or, for an ambiguous name, all matching) names, best first.</summary>
    public IReadOnlyList<string> Suggestions { get; }
}
