namespace TrainWatt.Storage;

/// <summary>
/// The store cannot be opened or used: unwritable location, a database written by a newer TrainWatt, a file that is not
/// a TrainWatt store. The message names the location and the fix; the CLI prints it as is.
/// </summary>
public sealed class StoreException : Exception
{
    public StoreException(string location, string message, Exception? inner = null)
        : base(message, inner)
    {
        Location = location;
    }

    /// <summary>The store's file path or masked connection string.</summary>
    public string Location { get; }
}
