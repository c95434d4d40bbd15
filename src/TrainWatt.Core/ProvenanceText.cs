namespace TrainWatt.Core;

/// <summary>
/// The one user-visible spelling of a <see cref="Provenance"/>: <c>counter</c>, <c>sampled</c>, <c>model</c>,
/// <c>user-given</c>. Every text, JSON, CSV, export, metric label and tag TrainWatt writes spells a provenance through
/// <see cref="Name"/>, so a reader sees the same word everywhere (README, docs and outputs agree).
/// </summary>
/// <remarks>
/// The run store is the one exception: its <c>provenance</c> columns keep <c>user_given</c> (the schemas' CHECK
/// constraint; changing stored values would need a migration). That column spelling is mapped in one place at the
/// storage boundary (<c>TrainWatt.Storage.StoreRows</c>) and never reaches an output.
/// </remarks>
public static class ProvenanceText
{
    /// <summary>
    /// The qualifier of a figure that is a share of a measured or modelled one, charged to the run by its share of a
    /// resource (the CPU energy times the process tree's share of the machine's CPU time): written after the
    /// provenance, <c>counter, attributed</c>. It is not a provenance of its own: the figure it qualifies still comes
    /// from a counter, samples or a model.
    /// </summary>
    public const string Attributed = "attributed";

    /// <summary>Every provenance's name, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<Provenance>().Select(Name).ToArray();

    /// <summary>The user-visible name: <c>counter</c>, <c>sampled</c>, <c>model</c> or <c>user-given</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="provenance"/> is not a defined value.</exception>
    public static string Name(Provenance provenance) => provenance switch
    {
        Provenance.Counter => "counter",
        Provenance.Sampled => "sampled",
        Provenance.Model => "model",
        Provenance.UserGiven => "user-given",
        _ => throw new ArgumentOutOfRangeException(nameof(provenance), provenance, "Unknown provenance."),
    };

    /// <summary>
    /// Reads a name written by <see cref="Name"/> (ASCII case ignored, surrounding white space trimmed). The spellings
    /// older versions wrote for <see cref="Provenance.UserGiven"/> (<c>user_given</c>, <c>usergiven</c>) are read too,
    /// so files written before the spelling was unified still parse; nothing writes them any more.
    /// </summary>
    public static bool TryParse(string? text, out Provenance provenance)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "counter":
                provenance = Provenance.Counter;
                return true;
            case "sampled":
                provenance = Provenance.Sampled;
                return true;
            case "model":
                provenance = Provenance.Model;
                return true;
            case "user-given" or "user_given" or "usergiven":
                provenance = Provenance.UserGiven;
                return true;
            default:
                provenance = default;
                return false;
        }
    }
}
