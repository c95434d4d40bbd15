namespace TrainWatt.Storage;

/// <summary>
/// A stored row that <see cref="StoreRows"/> cannot decode: a value outside the schema's rules (an unknown provenance
/// spelling, a NULL in a NOT NULL column, a time outside the years 1 to 9999), as a damaged page or a hand edit leaves.
/// Thrown by <see cref="StoreQueries"/>, which knows the table but not the store; each store turns it into a
/// <see cref="StoreException"/> naming its location and the fix (<see cref="ToStoreException"/>).
/// </summary>
internal sealed class StoreRowException(string table, Exception inner)
    : Exception($"a row of the {table} table cannot be read: {Reason(inner)}", inner)
{
    /// <summary>The table holding the row.</summary>
    public string Table { get; } = table;

    /// <summary>"The store X holds a samples row TrainWatt cannot read (WHY); it was damaged or edited outside TrainWatt. FIX".</summary>
    public StoreException ToStoreException(string location, string fix)
        => new(location, $"The store {location} holds a {Table} row TrainWatt cannot read ({Reason(InnerException!)}); it was damaged or edited outside TrainWatt. {fix}", this);

    private static string Reason(Exception e) => e.Message.ReplaceLineEndings(" ").TrimEnd('.');
}
