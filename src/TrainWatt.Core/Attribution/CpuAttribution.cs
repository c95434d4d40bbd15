using System.Globalization;

namespace TrainWatt.Core.Attribution;

/// <summary>Which CPU energy a run is charged (<c>--cpu-attribution</c>).</summary>
public enum CpuAttribution
{
    /// <summary>
    /// The CPU's energy (RAPL counter or the TDP model) times the process tree's share of the machine's CPU time over
    /// each interval: other processes on the machine are not charged to the run. The default.
    /// </summary>
    Process,

    /// <summary>The whole CPU's energy is charged to the run, whoever used it.</summary>
    Machine,
}

/// <summary>
/// The one spelling of a <see cref="CpuAttribution"/> (<c>process</c>, <c>machine</c>) and of the word that marks an
/// attributed figure (<see cref="ProvenanceText.Attributed"/>), so that every output labels it the same way.
/// </summary>
public static class CpuAttributionText
{
    /// <summary>Every mode's name, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<CpuAttribution>().Select(Name).ToArray();

    /// <summary>Run metadata key holding the mode (<c>process</c> or <c>machine</c>); the CodeCarbon export's <c>tracking_mode</c> follows it.</summary>
    public const string MetadataKey = "cpu_attribution";

    /// <summary><c>process</c> or <c>machine</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public static string Name(CpuAttribution mode) => mode switch
    {
        CpuAttribution.Process => "process",
        CpuAttribution.Machine => "machine",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown CPU attribution."),
    };

    /// <summary>Reads <c>process</c> or <c>machine</c> (ASCII case ignored, white space trimmed).</summary>
    public static bool TryParse(string? text, out CpuAttribution mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "process":
                mode = CpuAttribution.Process;
                return true;
            case "machine":
                mode = CpuAttribution.Machine;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <summary>
    /// How a CPU figure was obtained, with its attribution: <c>counter</c> or <c>model</c> for the whole machine's CPU,
    /// <c>counter, attributed</c> or <c>model, attributed</c> for the run's share of it.
    /// </summary>
    public static string Label(Provenance provenance, bool attributed)
        => attributed ? ProvenanceText.Name(provenance) + ", " + ProvenanceText.Attributed : ProvenanceText.Name(provenance);

    /// <summary>A share 0-1 as a percentage with one decimal, invariant ("0.4 %").</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
