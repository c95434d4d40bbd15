using TrainWatt.Core.Traces;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// Paper-parity settings that reproduce the SEAA 2023 authors' GPU energy exactly (del Rey et al., SEAA 2023,
/// doi:10.1109/SEAA60479.2023.00031; data doi:10.5281/zenodo.7828518): drop the first 3 and last 3 samples, keep only
/// the integer part of each power reading (their parsing bug), trapezoid on real time stamps, GPU only, every interval
/// integrated; and their STEP projection (s = 10, w = 5). Use it to compare with the paper, never for new measurements.
/// Every SEAA 2023 parity rule lives here; other code reads these members rather than repeating the numbers.
/// </summary>
public static class Seaa2023Parity
{
    /// <summary>The name used on the command line: <c>--parity seaa2023</c>.</summary>
    public const string Name = "seaa2023";

    /// <summary>s of the paper's STEP (paper-notes 2.2): the 0-based index of the first stable epoch; epochs 0..s−1 are taken as measured.</summary>
    public const int StableFromIndex = 10;

    /// <summary>w of the paper's STEP: the stable window's length in epochs (indices s..s+w−1).</summary>
    public const int Window = 5;

    /// <summary>Epochs the paper's STEP needs before it projects: s + w = 15.</summary>
    public const int EpochsNeeded = StableFromIndex + Window;

    /// <summary>Read power keeping only its integer part, from the text.</summary>
    public static TraceReadOptions ReadOptions { get; } = new() { PowerParsing = PowerParsing.IntegerPart };

    /// <summary>Trapezoid, trim 3 + 3 samples, gaps bridged (numpy.trapz integrates every interval) but still reported.</summary>
    public static EnergyOptions EnergyOptions { get; } = new()
    {
        Method = IntegrationMethod.Trapezoid,
        TrimStart = 3,
        TrimEnd = 3,
        GapPolicy = GapPolicy.Bridge,
    };

    /// <summary>
    /// The options for one file: the authors dropped the last 3 <em>rows</em> of the file as pandas.read_csv saw them,
    /// and pandas keeps a half-written last line as a row (missing fields become NaN). So when the reader skipped a
    /// half-written last line (<see cref="FaultKind.TruncatedLine"/>), only 2 complete samples are dropped at the end.
    /// Checked on all 309 SEAA traces: with this rule every energy equals the authors' to 1e-9; without it the 48
    /// files with a half-written line are 0.02-0.1 % low.
    /// </summary>
    public static EnergyOptions EnergyOptionsFor(TraceReadResult read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return EnergyOptions with { TrimEnd = TrimEndFor(read.Faults) };
    }

    /// <summary>Complete samples to drop at the end given the reader's faults: 3, or 2 after a half-written last line (see <see cref="EnergyOptionsFor"/>).</summary>
    public static int TrimEndFor(IEnumerable<TraceFault> readFaults)
    {
        ArgumentNullException.ThrowIfNull(readFaults);
        return readFaults.Any(f => f.Kind == FaultKind.TruncatedLine) ? EnergyOptions.TrimEnd - 1 : EnergyOptions.TrimEnd;
    }
}
